#include "modules/files/file_rules.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace safeloop::files {
namespace {

using namespace std::string_literals;  // NOLINT(google-build-using-namespace): byte literals with NULs

std::string Be32(uint32_t v) {
    return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8), static_cast<char>(v)};
}

std::string Le16(uint16_t v) { return {static_cast<char>(v), static_cast<char>(v >> 8)}; }
std::string Le32(uint32_t v) {
    return {static_cast<char>(v), static_cast<char>(v >> 8), static_cast<char>(v >> 16), static_cast<char>(v >> 24)};
}

// An ftyp box with the given brands, followed by padding.
std::string Ftyp(const std::string& major, const std::vector<std::string>& compatible) {
    std::string box = "ftyp" + major + "\0\0\0\0"s;
    for (const auto& b : compatible) box += b;
    return Be32(static_cast<uint32_t>(box.size() + 4)) + box + std::string(32, '\0');
}

// A stored (uncompressed) ZIP archive with the given entry names and empty contents.
std::string Zip(const std::vector<std::string>& names) {
    std::string local;
    std::string central;
    for (const auto& name : names) {
        const auto offset = static_cast<uint32_t>(local.size());
        local += "PK\x03\x04"s + Le16(20) + Le16(0) + Le16(0) + Le32(0) + Le32(0) + Le32(0) + Le32(0) +
                 Le16(static_cast<uint16_t>(name.size())) + Le16(0) + name;
        central += "PK\x01\x02"s + Le16(20) + Le16(20) + Le16(0) + Le16(0) + Le32(0) + Le32(0) + Le32(0) + Le32(0) +
                   Le16(static_cast<uint16_t>(name.size())) + Le16(0) + Le16(0) + Le16(0) + Le16(0) + Le32(0) +
                   Le32(offset) + name;
    }
    const std::string eocd = "PK\x05\x06"s + Le16(0) + Le16(0) + Le16(static_cast<uint16_t>(names.size())) +
                             Le16(static_cast<uint16_t>(names.size())) + Le32(static_cast<uint32_t>(central.size())) +
                             Le32(static_cast<uint32_t>(local.size())) + Le16(0);
    return local + central + eocd;
}

std::string Ebml(const std::string& doc_type) {
    std::string body = "\x42\x86\x81\x01"s + "\x42\x82"s + static_cast<char>(0x80 | doc_type.size()) + doc_type;
    return "\x1a\x45\xdf\xa3"s + static_cast<char>(0x80 | body.size()) + body + std::string(16, '\0');
}

// The same header with every size written in the 8-byte form, as some muxers do.
std::string EbmlLongSizes(const std::string& doc_type) {
    auto size8 = [](size_t n) {
        std::string out(1, '\x01');
        for (int shift = 48; shift >= 0; shift -= 8) out.push_back(static_cast<char>((n >> shift) & 0xff));
        return out;
    };
    std::string body = "\x42\x86"s + size8(1) + "\x01"s + "\x42\x82"s + size8(doc_type.size()) + doc_type;
    return "\x1a\x45\xdf\xa3"s + size8(body.size()) + body + std::string(16, '\0');
}

std::string Pe() {
    std::string exe = "MZ" + std::string(0x3a, '\0') + Le32(0x40) + "PE\0\0"s + std::string(64, '\0');
    return exe;
}

struct SniffCase {
    std::string name;
    std::string bytes;
    Kind kind;
};

TEST(FileRules, SniffTable) {
    const std::vector<SniffCase> cases = {
        {"jpeg", "\xff\xd8\xff\xe0\0\x10JFIF\0"s, Kind::kJpeg},
        {"png", "\x89PNG\r\n\x1a\n\0\0\0\rIHDR"s, Kind::kPng},
        {"gif87", "GIF87a\x01\0\x01\0"s, Kind::kGif},
        {"gif89", "GIF89a\x01\0\x01\0"s, Kind::kGif},
        {"webp", "RIFF\x24\0\0\0WEBPVP8 "s, Kind::kWebp},
        {"wav", "RIFF\x24\0\0\0WAVEfmt "s, Kind::kWav},
        {"avi refused", "RIFF\x24\0\0\0AVI LIST"s, Kind::kUnknown},
        {"heic", Ftyp("heic", {"mif1", "heic"}), Kind::kHeic},
        {"heif mif1+heic", Ftyp("mif1", {"mif1", "heic", "miaf"}), Kind::kHeic},
        {"heif plain", Ftyp("mif1", {"mif1", "miaf"}), Kind::kHeif},
        {"avif", Ftyp("avif", {"avif", "mif1", "miaf"}), Kind::kAvif},
        {"mp4 isom", Ftyp("isom", {"isom", "iso2", "avc1", "mp41"}), Kind::kMp4},
        {"mp4 mp42", Ftyp("mp42", {"mp42", "isom"}), Kind::kMp4},
        {"mov", Ftyp("qt  ", {"qt  "}), Kind::kQuickTime},
        {"old mov", Be32(8) + "wide" + Be32(16) + "mdat"s + std::string(8, '\0'), Kind::kQuickTime},
        {"3gp", Ftyp("3gp4", {"isom", "3gp4"}), Kind::k3gp},
        {"m4a", Ftyp("M4A ", {"M4A ", "mp42", "isom"}), Kind::kM4a},
        {"webm", Ebml("webm"), Kind::kWebm},
        {"matroska", Ebml("matroska"), Kind::kMatroska},
        {"webm, long sizes", EbmlLongSizes("webm"), Kind::kWebm},
        {"matroska, long sizes", EbmlLongSizes("matroska"), Kind::kMatroska},
        {"ebml other", Ebml("other"), Kind::kUnknown},
        {"ebml cut short", Ebml("matroska").substr(0, 12), Kind::kUnknown},
        {"ogg", "OggS\0\x02\0\0"s, Kind::kOgg},
        {"mp3 id3", "ID3\x04\0\0\0\0\0\0"s, Kind::kMp3},
        {"mp3 frame", "\xff\xfb\x90\x64\0\0\0\0"s, Kind::kMp3},
        {"aac adts", "\xff\xf1\x50\x80\x02\x1f\xfc"s, Kind::kAac},
        {"pdf", "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"s, Kind::kPdf},
        {"zip", Zip({"a.txt", "b/c.jpg"}), Kind::kZip},
        {"xlsx", Zip({"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/worksheets/sheet1.xml"}),
         Kind::kXlsx},
        {"docx", Zip({"[Content_Types].xml", "word/document.xml"}), Kind::kDocx},
        {"pptx", Zip({"[Content_Types].xml", "ppt/presentation.xml"}), Kind::kPptx},
        {"apk", Zip({"AndroidManifest.xml", "classes.dex"}), Kind::kExecutable},
        {"jar", Zip({"META-INF/MANIFEST.MF", "a/B.class"}), Kind::kExecutable},
        {"plain text", "巡检记录\n1号行车 正常\n", Kind::kText},
        {"csv with bom", "\xef\xbb\xbfname,mobile\n张三,13800000000\r\n"s, Kind::kText},
        {"html", "<!DOCTYPE html><html><script>alert(1)</script>", Kind::kMarkup},
        {"html after blanks", "\n  <html>", Kind::kMarkup},
        {"svg", R"(<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>)", Kind::kMarkup},
        {"text with a tag later", "a < b and <b>bold</b>", Kind::kText},
        {"elf",
         "\x7f"
         "ELF\x02\x01\x01\0"s,
         Kind::kExecutable},
        {"pe", Pe(), Kind::kExecutable},
        {"mach-o", "\xcf\xfa\xed\xfe\x07\0\0\x01"s, Kind::kExecutable},
        {"shebang", "#!/bin/sh\nrm -rf /\n", Kind::kExecutable},
        {"wasm", "\0asm\x01\0\0\0"s, Kind::kExecutable},
        {"MZ text is text", "MZ,123\n", Kind::kText},
        {"binary", "\x01\x02\x03\x04\xfe\xfe"s, Kind::kUnknown},
        {"nul in text", "abc\0def"s, Kind::kUnknown},
        {"latin-1 text", "caf\xe9\n"s, Kind::kUnknown},
        {"overlong utf-8", "\xc0\xaf"s, Kind::kUnknown},
        {"ole (old office)", "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"s, Kind::kUnknown},
        {"empty", "", Kind::kUnknown},
    };
    for (const auto& c : cases) {
        EXPECT_EQ(KindName(Sniff(c.bytes)), KindName(c.kind)) << c.name;
    }
}

std::string Jpeg() { return "\xff\xd8\xff\xe0\0\x10JFIF\0"s; }
std::string Pdf() { return "%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"; }

TEST(FileRules, AcceptsMatchingOrSilentClaims) {
    for (const char* claim : {"image/jpeg", "IMAGE/JPEG; charset=binary", "image/png", "application/octet-stream", "",
                              "application/x-www-form-urlencoded", "application/x-unknown"}) {
        auto decision = DecideType(claim, Jpeg());
        ASSERT_TRUE(decision.ok()) << claim << ": " << decision.error().code;
        EXPECT_EQ(decision->content_type, "image/jpeg") << claim;
    }
    EXPECT_TRUE(DecideType("application/pdf", Pdf()).ok());
    EXPECT_TRUE(DecideType("video/mp4", Ftyp("M4A ", {"M4A "})).ok());  // audio and video claims are one family
    EXPECT_TRUE(DecideType("audio/webm", Ebml("webm")).ok());
}

TEST(FileRules, TextTypesFollowTheClaim) {
    const std::string csv = "name,mobile\n张三,13800000000\n";
    EXPECT_EQ(DecideType("text/csv", csv)->content_type, "text/csv");
    // Windows browsers label .csv files as Excel.
    EXPECT_EQ(DecideType("application/vnd.ms-excel", csv)->content_type, "text/csv");
    EXPECT_EQ(DecideType("text/plain", csv)->content_type, "text/plain");
    EXPECT_EQ(DecideType("", csv)->content_type, "text/plain");
    EXPECT_EQ(DecideType("application/json", "{\"a\":1}")->content_type, "text/plain");
}

TEST(FileRules, OfficeDocuments) {
    const std::string xlsx = Zip({"[Content_Types].xml", "xl/workbook.xml"});
    auto decision = DecideType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx);
    ASSERT_TRUE(decision.ok());
    EXPECT_EQ(decision->content_type, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    EXPECT_TRUE(DecideType("application/zip", xlsx).ok());
    EXPECT_TRUE(DecideType("application/vnd.ms-excel", xlsx).ok());
    EXPECT_EQ(DecideType("application/zip", Zip({"a.txt"}))->content_type, "application/zip");
}

void ExpectError(const Result<TypeDecision>& r, const std::string& code, const std::string& label) {
    ASSERT_FALSE(r.ok()) << label;
    EXPECT_EQ(r.error().code, code) << label;
}

TEST(FileRules, RefusesDisguisedBodies) {
    ExpectError(DecideType("image/jpeg", Pdf()), "file_type_mismatch", "pdf as jpeg");
    ExpectError(DecideType("image/jpeg", "just some text\n"), "file_type_mismatch", "text renamed as jpeg");
    ExpectError(DecideType("image/jpeg", "<html><body>hi</body></html>"), "file_type_mismatch", "html as jpeg");
    ExpectError(DecideType("image/png", Pe()), "file_type_mismatch", "exe as png");
    ExpectError(DecideType("video/mp4", Jpeg()), "file_type_mismatch", "jpeg as video");
    ExpectError(DecideType("application/pdf", Jpeg()), "file_type_mismatch", "jpeg as pdf");
    ExpectError(DecideType("text/plain", Jpeg()), "file_type_mismatch", "jpeg as text");
    ExpectError(DecideType("text/html", Jpeg()), "file_type_mismatch", "jpeg as html");
    ExpectError(DecideType("text/csv", Zip({"[Content_Types].xml", "xl/a.xml"})), "file_type_mismatch", "xlsx as csv");
    auto r = DecideType("image/jpeg", Pdf());
    EXPECT_EQ(r.error().extra.at("detected_type").as_string(), "pdf");
    EXPECT_EQ(r.error().extra.at("claimed_type").as_string(), "image/jpeg");
}

TEST(FileRules, RefusesForbiddenAndUnknownBodies) {
    ExpectError(DecideType("text/html", "<html></html>"), "file_type_not_allowed", "honest html");
    ExpectError(DecideType("", "<svg/>"), "file_type_not_allowed", "svg");
    ExpectError(DecideType("application/octet-stream",
                           "\x7f"
                           "ELF\x02\x01"s),
                "file_type_not_allowed", "elf");
    ExpectError(DecideType("image/jpeg", "\x01\x02\x03\x04"s), "file_type_not_allowed", "unknown bytes");
    ExpectError(DecideType("", "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"s), "file_type_not_allowed", "ole");
    ExpectError(DecideType("multipart/form-data; boundary=x", "--x\r\n"), "unsupported_media_type", "multipart");
}

TEST(FileRules, RefusesTruncatedDocuments) {
    ExpectError(DecideType("application/pdf", "%PDF-1.4\n1 0 obj\n<<"), "file_corrupt", "pdf without %%EOF");
    std::string zip = Zip({"[Content_Types].xml", "xl/workbook.xml"});
    ExpectError(DecideType("", zip.substr(0, zip.size() - 10)), "file_corrupt", "zip without its directory");
}

TEST(FileRules, RefinesMediaTypes) {
    EXPECT_EQ(RefineMediaType(Kind::kMp4, true), "video/mp4");
    EXPECT_EQ(RefineMediaType(Kind::kMp4, false), "audio/mp4");
    EXPECT_EQ(RefineMediaType(Kind::kWebm, false), "audio/webm");
    EXPECT_EQ(RefineMediaType(Kind::kOgg, true), "video/ogg");
    EXPECT_EQ(RefineMediaType(Kind::kOgg, false), "audio/ogg");
    EXPECT_EQ(RefineMediaType(Kind::kQuickTime, false), "video/quicktime");
    EXPECT_EQ(RefineMediaType(Kind::kWav, false), "audio/wav");
}

TEST(FileRules, FileIdsAndPaths) {
    const std::string id(64, 'a');
    EXPECT_TRUE(IsFileId(id));
    EXPECT_FALSE(IsFileId(std::string(63, 'a')));
    EXPECT_FALSE(IsFileId(std::string(64, 'g')));
    EXPECT_FALSE(IsFileId(std::string(64, 'A')));
    EXPECT_EQ(NormalizeFileId(std::string(64, 'A')), id);
    EXPECT_FALSE(NormalizeFileId("../../etc/passwd"));
    EXPECT_EQ(BlobPath("/data/files", "abcdef" + std::string(58, '0')).string(),
              "/data/files/ab/cd/abcdef" + std::string(58, '0'));
}

TEST(FileRules, ExifDateTimes) {
    auto t = ParseExifDateTime("2026:03:01 08:15:30");
    ASSERT_TRUE(t);
    EXPECT_EQ(FormatRfc3339(*t), "2026-03-01T08:15:30.000Z");
    EXPECT_TRUE(ParseExifDateTime("2026-03-01 08:15:30\0"s));
    EXPECT_FALSE(ParseExifDateTime("0000:00:00 00:00:00"));
    EXPECT_FALSE(ParseExifDateTime("    :  :     :  :  "));
    EXPECT_FALSE(ParseExifDateTime("2026:13:01 08:15:30"));
    EXPECT_EQ(ParseUtcOffset("+08:00"), 480);
    EXPECT_EQ(ParseUtcOffset("-05:30"), -330);
    EXPECT_FALSE(ParseUtcOffset("08:00"));
    EXPECT_FALSE(ParseUtcOffset("+8:00"));
}

TEST(FileRules, Coordinates) {
    EXPECT_NEAR(*DmsToDegrees(31, 13, 48.6, 'N', 90), 31.2301667, 1e-6);
    EXPECT_NEAR(*DmsToDegrees(121, 28, 12.0, 'E', 180), 121.47, 1e-9);
    EXPECT_NEAR(*DmsToDegrees(33, 52, 0, 'S', 90), -33.8666667, 1e-6);
    EXPECT_NEAR(*DmsToDegrees(118, 15, 0, 'w', 180), -118.25, 1e-9);
    EXPECT_FALSE(DmsToDegrees(91, 0, 0, 'N', 90));
    EXPECT_FALSE(DmsToDegrees(-1, 0, 0, 'N', 90));
}

TEST(FileRules, CaptureTimeUsesTheBestOffsetAvailable) {
    ExifFacts exif;
    exif.date_time_original = "2026:03:01 08:15:00";
    auto assumed = ResolveCaptureTime(exif, 480);
    ASSERT_TRUE(assumed);
    EXPECT_EQ(FormatRfc3339(assumed->utc), "2026-03-01T00:15:00.000Z");
    EXPECT_EQ(assumed->offset_source, "assumed");

    exif.gps_date = "2026:03:01";
    exif.gps_time_of_day_s = 13 * 3600 + 14 * 60 + 57.0;  // the camera is in UTC-5, its clock 3 s fast
    auto from_gps = ResolveCaptureTime(exif, 480);
    EXPECT_EQ(FormatRfc3339(from_gps->utc), "2026-03-01T13:15:00.000Z");
    EXPECT_EQ(from_gps->offset_source, "gps");

    exif.offset_time_original = "+09:00";
    auto from_exif = ResolveCaptureTime(exif, 480);
    EXPECT_EQ(FormatRfc3339(from_exif->utc), "2026-02-28T23:15:00.000Z");
    EXPECT_EQ(from_exif->offset_source, "exif");

    EXPECT_FALSE(ResolveCaptureTime(ExifFacts{}, 480));
}

TEST(FileRules, ImageMeta) {
    ImageFacts facts;
    facts.width = 4000;
    facts.height = 3000;
    facts.exif.orientation = 6;  // rotated: shown portrait
    facts.exif.date_time_original = "2026:03:01 08:15:00";
    facts.exif.offset_time_original = "+08:00";
    facts.exif.latitude = 31.5;
    facts.exif.longitude = 120.25;
    auto meta = ImageMeta(facts, 480);
    EXPECT_EQ(meta.at("width").as_int64(), 3000);
    EXPECT_EQ(meta.at("height").as_int64(), 4000);
    EXPECT_EQ(meta.at("captured_at").as_string(), "2026-03-01T00:15:00.000Z");
    EXPECT_EQ(meta.at("captured_at_local").as_string(), "2026-03-01T08:15:00");
    EXPECT_EQ(meta.at("captured_at_offset").as_string(), "+08:00");
    EXPECT_DOUBLE_EQ(meta.at("gps").at("lat").as_double(), 31.5);
    EXPECT_DOUBLE_EQ(meta.at("gps").at("lng").as_double(), 120.25);

    ImageFacts bare;
    bare.width = 10;
    bare.height = 20;
    bare.exif.latitude = 0.0;
    bare.exif.longitude = 0.0;  // "no fix" written as zeros
    auto bare_meta = ImageMeta(bare, 480);
    EXPECT_FALSE(bare_meta.contains("gps"));
    EXPECT_FALSE(bare_meta.contains("captured_at"));
}

TEST(FileRules, MediaMeta) {
    MediaFacts facts{"mov,mp4,m4a,3gp,3g2,mj2", 15.0004, true, true, 1920, 1080};
    auto meta = MediaMeta(facts);
    EXPECT_DOUBLE_EQ(meta.at("duration_s").as_double(), 15.0);
    EXPECT_EQ(meta.at("width").as_int64(), 1920);
    MediaFacts audio{"wav", std::nullopt, false, true, 0, 0};
    auto audio_meta = MediaMeta(audio);
    EXPECT_TRUE(audio_meta.at("duration_s").is_null());
    EXPECT_FALSE(audio_meta.contains("width"));
}

TEST(FileRules, Ranges) {
    auto r = ParseRange("bytes=0-99", 1000);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->first, 0);
    EXPECT_EQ(r->last, 99);
    EXPECT_EQ(ParseRange("bytes=900-", 1000)->last, 999);
    EXPECT_EQ(ParseRange("bytes=-100", 1000)->first, 900);
    EXPECT_EQ(ParseRange("bytes=-5000", 1000)->first, 0);
    EXPECT_EQ(ParseRange("bytes=500-5000", 1000)->last, 999);
    EXPECT_FALSE(ParseRange("bytes=1000-", 1000));
    EXPECT_FALSE(ParseRange("bytes=5-1", 1000));
    EXPECT_FALSE(ParseRange("bytes=0-1,5-6", 1000));
    EXPECT_FALSE(ParseRange("items=0-1", 1000));
    EXPECT_FALSE(ParseRange("bytes=-0", 1000));
    EXPECT_FALSE(ParseRange("bytes=a-b", 1000));
    EXPECT_FALSE(ParseRange("bytes=0-1", 0));
}

TEST(FileRules, JpegShrinkOnLoadKeepsTheThumbnailAFinalDownscale) {
    EXPECT_EQ(JpegShrinkOnLoad(1600, 1200, 320), 4);  // 1/8 would be 200 px: too small
    EXPECT_EQ(JpegShrinkOnLoad(2560, 1920, 320), 8);  // exactly 320 px at 1/8
    EXPECT_EQ(JpegShrinkOnLoad(1000, 750, 320), 2);   // 500 px at 1/2, 250 px at 1/4
    EXPECT_EQ(JpegShrinkOnLoad(480, 640, 320), 2);    // the long side counts, portrait too
    EXPECT_EQ(JpegShrinkOnLoad(640, 100, 320), 2);    // exactly 320 px at 1/2
    EXPECT_EQ(JpegShrinkOnLoad(639, 100, 320), 1);    // 319.5 px at 1/2, cut to 319: below the thumbnail
    EXPECT_EQ(JpegShrinkOnLoad(100, 50, 320), 1);     // smaller than the thumbnail already
}

TEST(FileRules, ThumbnailSizeKeepsTheAspectAndNeverEnlarges) {
    EXPECT_EQ(ThumbnailSize(1600, 1200, 320), (ImageSize{320, 240}));
    EXPECT_EQ(ThumbnailSize(520, 390, 320), (ImageSize{320, 240}));  // 1040x780 decoded at 1/2
    EXPECT_EQ(ThumbnailSize(480, 640, 320), (ImageSize{240, 320}));  // portrait
    EXPECT_EQ(ThumbnailSize(639, 100, 320), (ImageSize{320, 50}));   // 50.08 rounds down
    EXPECT_EQ(ThumbnailSize(640, 3, 320), (ImageSize{320, 2}));      // 1.5 rounds up
    EXPECT_EQ(ThumbnailSize(1000, 1, 320), (ImageSize{320, 1}));     // 0.32, but at least one pixel
    EXPECT_EQ(ThumbnailSize(320, 200, 320), (ImageSize{320, 200}));  // already the size
    EXPECT_EQ(ThumbnailSize(100, 50, 320), (ImageSize{100, 50}));    // never enlarged
}

Pixels Grey(int width, int height, std::vector<uint8_t> values) { return {width, height, 1, std::move(values)}; }

TEST(FileRules, BoxDownscaleAveragesWholePixels) {
    // 4 -> 2: each output is the mean of two; 35.5 rounds up.
    auto out = BoxDownscale(Grey(4, 1, {10, 20, 30, 41}), 2, 1);
    EXPECT_EQ(out.width, 2);
    EXPECT_EQ(out.height, 1);
    EXPECT_EQ(out.data, (std::vector<uint8_t>{15, 36}));
    // 2x2 RGB -> 1x1: per channel 101/4 = 25.25, 200/4 = 50, 510/4 = 127.5.
    Pixels rgb{2, 2, 3, {10, 0, 255, 20, 0, 255, 30, 100, 0, 41, 100, 0}};
    auto one = BoxDownscale(rgb, 1, 1);
    EXPECT_EQ(one.channels, 3);
    EXPECT_EQ(one.data, (std::vector<uint8_t>{25, 50, 128}));
}

TEST(FileRules, BoxDownscaleWeighsPartlyCoveredPixels) {
    // 3 -> 2: output 0 covers pixel 0 and half of pixel 1 ((0*2 + 90) / 3), output 1 the other half and pixel 2
    // ((90 + 255*2) / 3).
    EXPECT_EQ(BoxDownscale(Grey(3, 1, {0, 90, 255}), 2, 1).data, (std::vector<uint8_t>{30, 200}));
    // 5 -> 2: output 0 covers pixels 0, 1 and half of 2 ((100*2 + 100*2 + 100) / 5), output 1 the other half of 2
    // and pixels 3, 4 ((100 + 0 + 0) / 5).
    EXPECT_EQ(BoxDownscale(Grey(5, 1, {100, 100, 100, 0, 0}), 2, 1).data, (std::vector<uint8_t>{100, 20}));
    // 3x3 -> 2x2, both directions at once: top-left = (4*0 + 2*9 + 2*27 + 36) / 9 = 12, top-right =
    // (2*9 + 4*18 + 36 + 2*45) / 9 = 24, bottom-left = (2*27 + 36 + 4*54 + 2*63) / 9 = 48, bottom-right =
    // (36 + 2*45 + 2*63 + 4*72) / 9 = 60.
    auto out = BoxDownscale(Grey(3, 3, {0, 9, 18, 27, 36, 45, 54, 63, 72}), 2, 2);
    EXPECT_EQ(out.data, (std::vector<uint8_t>{12, 24, 48, 60}));
    // An area too large for 32-bit sums (4100 x 4100 x 255 > 2^32) gives the same means: left half 10, right half
    // 250, the middle column (4100 / 2 = 2050 exactly) split between them.
    Pixels large{4100, 4100, 1, {}};
    for (int y = 0; y < 4100; ++y) {
        large.data.insert(large.data.end(), 2050, 10);
        large.data.insert(large.data.end(), 2050, 250);
    }
    EXPECT_EQ(BoxDownscale(large, 2, 1).data, (std::vector<uint8_t>{10, 250}));
    EXPECT_EQ(BoxDownscale(large, 4, 1).data, (std::vector<uint8_t>{10, 10, 250, 250}));
    // The same size is the same pixels; one direction only leaves the other alone.
    EXPECT_EQ(BoxDownscale(Grey(2, 2, {1, 2, 3, 4}), 2, 2).data, (std::vector<uint8_t>{1, 2, 3, 4}));
    EXPECT_EQ(BoxDownscale(Grey(2, 2, {1, 2, 3, 4}), 2, 1).data, (std::vector<uint8_t>{2, 3}));
}

// The definition, computed the slow way: every source pixel's overlap with the output pixel, on the integer axes
// where source pixel j spans [j * dst, (j + 1) * dst) and output pixel i spans [i * src, (i + 1) * src).
std::vector<uint8_t> BoxByDefinition(const Pixels& in, int width, int height) {
    const auto overlap = [](int64_t j, int64_t i, int64_t src, int64_t dst) {
        return std::max<int64_t>(0, std::min((j + 1) * dst, (i + 1) * src) - std::max(j * dst, i * src));
    };
    const int64_t area = int64_t{in.width} * in.height;
    std::vector<uint8_t> out;
    for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width; ++x) {
            for (int c = 0; c < in.channels; ++c) {
                int64_t sum = 0;
                for (int sy = 0; sy < in.height; ++sy) {
                    const int64_t wy = overlap(sy, y, in.height, height);
                    if (wy == 0) continue;
                    for (int sx = 0; sx < in.width; ++sx) {
                        const auto value = in.data[(static_cast<size_t>(sy) * in.width + sx) * in.channels + c];
                        sum += wy * overlap(sx, x, in.width, width) * value;
                    }
                }
                out.push_back(static_cast<uint8_t>((sum + area / 2) / area));
            }
        }
    }
    return out;
}

TEST(FileRules, BoxDownscaleMatchesItsDefinitionOnAnySize) {
    // Pseudo-random sizes, ratios and pixels (a fixed linear congruential sequence, so a failure repeats), grey and
    // RGB, including the widths that leave a partial block of 16 and pixels at 0 and 255 (the largest sums).
    uint32_t state = 12345;
    const auto next = [&](uint32_t below) {
        state = state * 1103515245U + 12345U;
        return (state >> 8U) % below;
    };
    for (int round = 0; round < 300; ++round) {
        const int width = 1 + static_cast<int>(next(70));
        const int height = 1 + static_cast<int>(next(40));
        const int channels = next(2) == 0 ? 1 : 3;
        Pixels in{width, height, channels, std::vector<uint8_t>(static_cast<size_t>(width) * height * channels)};
        for (auto& value : in.data) {
            const uint32_t pick = next(4);
            value = pick == 0 ? 0 : pick == 1 ? 255 : static_cast<uint8_t>(next(256));
        }
        const int to_width = 1 + static_cast<int>(next(static_cast<uint32_t>(width)));
        const int to_height = 1 + static_cast<int>(next(static_cast<uint32_t>(height)));
        ASSERT_EQ(BoxDownscale(in, to_width, to_height).data, BoxByDefinition(in, to_width, to_height))
            << width << "x" << height << "x" << channels << " -> " << to_width << "x" << to_height;
    }
}

TEST(FileRules, CropKeepsTheTopLeft) {
    const Pixels stored = Grey(3, 3, {1, 2, 3, 4, 5, 6, 7, 8, 9});
    auto narrower = Crop(stored, 2, 3);
    EXPECT_EQ(narrower.width, 2);
    EXPECT_EQ(narrower.height, 3);
    EXPECT_EQ(narrower.data, (std::vector<uint8_t>{1, 2, 4, 5, 7, 8}));
    EXPECT_EQ(Crop(stored, 3, 2).data, (std::vector<uint8_t>{1, 2, 3, 4, 5, 6}));
    EXPECT_EQ(Crop(stored, 2, 2).data, (std::vector<uint8_t>{1, 2, 4, 5}));
    EXPECT_EQ(Crop(stored, 5, 5).data, stored.data);  // never larger than the image
    Pixels rgb{2, 2, 3, {1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4}};
    EXPECT_EQ(Crop(rgb, 1, 2).data, (std::vector<uint8_t>{1, 1, 1, 3, 3, 3}));
}

TEST(FileRules, OrientTurnsStoredPixelsUpright) {
    // Stored:  1 2 3
    //          4 5 6
    const Pixels stored = Grey(3, 2, {1, 2, 3, 4, 5, 6});
    const auto oriented = [&](int orientation) { return Orient(stored, orientation); };
    EXPECT_EQ(oriented(1).data, stored.data);
    EXPECT_EQ(oriented(2).data, (std::vector<uint8_t>{3, 2, 1, 6, 5, 4}));  // mirrored left-right
    EXPECT_EQ(oriented(3).data, (std::vector<uint8_t>{6, 5, 4, 3, 2, 1}));  // 180°
    EXPECT_EQ(oriented(4).data, (std::vector<uint8_t>{4, 5, 6, 1, 2, 3}));  // mirrored top-bottom
    EXPECT_EQ(oriented(4).width, 3);
    EXPECT_EQ(oriented(5).data, (std::vector<uint8_t>{1, 4, 2, 5, 3, 6}));  // transposed
    EXPECT_EQ(oriented(6).data, (std::vector<uint8_t>{4, 1, 5, 2, 6, 3}));  // 90° clockwise: left column on top
    EXPECT_EQ(oriented(7).data, (std::vector<uint8_t>{6, 3, 5, 2, 4, 1}));  // transversed
    EXPECT_EQ(oriented(8).data, (std::vector<uint8_t>{3, 6, 2, 5, 1, 4}));  // 90° anticlockwise: right column on top
    for (int o = 5; o <= 8; ++o) {
        EXPECT_EQ(oriented(o).width, 2) << o;
        EXPECT_EQ(oriented(o).height, 3) << o;
    }
    EXPECT_EQ(oriented(0).data, stored.data);  // not an orientation: as stored
    EXPECT_EQ(oriented(9).data, stored.data);
    // Channels move together: red beside blue, turned clockwise, puts the left (red) pixel on top; anticlockwise
    // the right (blue) one.
    Pixels pair{2, 1, 3, {255, 0, 0, 0, 0, 255}};
    auto turned = Orient(pair, 6);
    EXPECT_EQ(turned.width, 1);
    EXPECT_EQ(turned.height, 2);
    EXPECT_EQ(turned.data, (std::vector<uint8_t>{255, 0, 0, 0, 0, 255}));
    auto turned_back = Orient(pair, 8);
    EXPECT_EQ(turned_back.data, (std::vector<uint8_t>{0, 0, 255, 255, 0, 0}));
}

}  // namespace
}  // namespace safeloop::files
