// Decoding real media made inside the test: images with libvips (EXIF built with libexif), a WAV written by hand,
// and MP4/Matroska files written with libavformat's muxers (MJPEG frames from libvips, raw PCM audio).
//
// Not covered here, for want of an encoder in the build: MP3, AAC, Ogg, WebM with VP8/VP9/Opus, and H.264/HEVC
// video. Their sniffing is covered by file_rules_test; their containers go through the same probe.

#include "modules/files/file_media.hpp"

#include "core/crypto.hpp"

#include <gtest/gtest.h>
#include <libexif/exif-data.h>
#include <libexif/exif-utils.h>
#include <vips/vips8>

extern "C" {
#include <libavformat/avformat.h>
}

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace safeloop::files {
namespace {

using namespace std::string_literals;  // NOLINT(google-build-using-namespace): byte literals with NULs

class FileMediaTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        InitCrypto();
        InitMedia("unit_tests");
        InitMedia("unit_tests");  // a second call is harmless
    }
};

// ---------------------------------------------------------------------------------------------------------
// Image makers

// Noise compresses badly, so a cut anywhere past the headers lands inside the entropy-coded data.
VipsImage* Noise(int width, int height, int bands) {
    VipsImage* noise = nullptr;
    EXPECT_EQ(vips_gaussnoise(&noise, width, height, "mean", 128.0, "sigma", 40.0, nullptr), 0);
    VipsImage* uchar = nullptr;
    EXPECT_EQ(vips_cast_uchar(noise, &uchar, nullptr), 0);
    g_object_unref(noise);
    if (bands == 1) return uchar;
    VipsImage* joined = nullptr;
    std::vector<VipsImage*> copies(static_cast<size_t>(bands), uchar);
    EXPECT_EQ(vips_bandjoin(copies.data(), &joined, bands, nullptr), 0);
    g_object_unref(uchar);
    if (bands == 4) joined->Type = VIPS_INTERPRETATION_sRGB;
    return joined;
}

template <typename Save>
std::string Encode(VipsImage* image, Save save) {
    void* buffer = nullptr;
    size_t length = 0;
    const int rc = save(image, &buffer, &length);
    g_object_unref(image);
    if (rc != 0) {
        vips_error_clear();
        return {};
    }
    std::string out(static_cast<const char*>(buffer), length);
    g_free(buffer);
    return out;
}

std::string MakeJpeg(int width, int height) {
    return Encode(Noise(width, height, 3), [](VipsImage* im, void** buf, size_t* len) {
        return vips_jpegsave_buffer(im, buf, len, "Q", 90, "strip", TRUE, nullptr);
    });
}

std::string MakePng(int width, int height, int bands) {
    return Encode(Noise(width, height, bands),
                  [](VipsImage* im, void** buf, size_t* len) { return vips_pngsave_buffer(im, buf, len, nullptr); });
}

// ---------------------------------------------------------------------------------------------------------
// EXIF maker (libexif) and splicing it into a JPEG as APP1

ExifEntry* AddEntry(ExifData* data, ExifIfd ifd, ExifTag tag, ExifFormat format, unsigned long components) {
    ExifMem* mem = exif_mem_new_default();
    ExifEntry* entry = exif_entry_new_mem(mem);
    const unsigned int size = exif_format_get_size(format) * components;
    entry->data = static_cast<unsigned char*>(exif_mem_alloc(mem, size));
    entry->size = size;
    entry->tag = tag;
    entry->components = components;
    entry->format = format;
    exif_content_add_entry(data->ifd[ifd], entry);
    exif_mem_unref(mem);
    exif_entry_unref(entry);  // the IFD holds its own reference
    return entry;
}

void AddAscii(ExifData* data, ExifIfd ifd, ExifTag tag, const std::string& text) {
    ExifEntry* e = AddEntry(data, ifd, tag, EXIF_FORMAT_ASCII, text.size() + 1);
    std::memcpy(e->data, text.c_str(), text.size() + 1);
}

void AddRationals(ExifData* data, ExifIfd ifd, ExifTag tag, const std::vector<ExifRational>& values) {
    ExifEntry* e = AddEntry(data, ifd, tag, EXIF_FORMAT_RATIONAL, values.size());
    for (size_t i = 0; i < values.size(); ++i) {
        exif_set_rational(e->data + i * 8, exif_data_get_byte_order(data), values[i]);
    }
}

struct ExifSpec {
    int orientation = 1;
    bool gps = true;
};

std::string MakeExif(const ExifSpec& spec) {
    ExifData* data = exif_data_new();
    exif_data_set_byte_order(data, EXIF_BYTE_ORDER_INTEL);
    ExifEntry* orientation = AddEntry(data, EXIF_IFD_0, EXIF_TAG_ORIENTATION, EXIF_FORMAT_SHORT, 1);
    exif_set_short(orientation->data, EXIF_BYTE_ORDER_INTEL, static_cast<ExifShort>(spec.orientation));
    AddAscii(data, EXIF_IFD_EXIF, EXIF_TAG_DATE_TIME_ORIGINAL, "2026:03:01 08:15:30");
    AddAscii(data, EXIF_IFD_EXIF, EXIF_TAG_OFFSET_TIME_ORIGINAL, "+08:00");
    if (spec.gps) {
        const auto gps = EXIF_IFD_GPS;
        AddAscii(data, gps, static_cast<ExifTag>(EXIF_TAG_GPS_LATITUDE_REF), "N");
        AddRationals(data, gps, static_cast<ExifTag>(EXIF_TAG_GPS_LATITUDE), {{31, 1}, {13, 1}, {486, 10}});
        AddAscii(data, gps, static_cast<ExifTag>(EXIF_TAG_GPS_LONGITUDE_REF), "E");
        AddRationals(data, gps, static_cast<ExifTag>(EXIF_TAG_GPS_LONGITUDE), {{121, 1}, {28, 1}, {120, 10}});
        AddRationals(data, gps, static_cast<ExifTag>(EXIF_TAG_GPS_ALTITUDE), {{125, 10}});
    }
    unsigned char* bytes = nullptr;
    unsigned int size = 0;
    exif_data_save_data(data, &bytes, &size);
    std::string out(reinterpret_cast<const char*>(bytes), size);
    std::free(bytes);  // NOLINT(cppcoreguidelines-no-malloc): allocated by libexif's default allocator
    exif_data_unref(data);
    return out;
}

std::string WithExif(const std::string& jpeg, const std::string& exif) {
    const size_t length = exif.size() + 2;
    std::string app1 = "\xff\xe1"s + static_cast<char>(length >> 8) + static_cast<char>(length & 0xff) + exif;
    return jpeg.substr(0, 2) + app1 + jpeg.substr(2);
}

// ---------------------------------------------------------------------------------------------------------
// Audio/video makers

std::string Le16(uint16_t v) { return {static_cast<char>(v), static_cast<char>(v >> 8)}; }
std::string Le32(uint32_t v) {
    return {static_cast<char>(v), static_cast<char>(v >> 8), static_cast<char>(v >> 16), static_cast<char>(v >> 24)};
}

// 16-bit mono PCM: a 440 Hz tone.
std::string MakeWav(double seconds, uint32_t rate) {
    const auto samples = static_cast<uint32_t>(seconds * rate);
    std::string pcm;
    pcm.reserve(static_cast<size_t>(samples) * 2);
    for (uint32_t i = 0; i < samples; ++i) {
        const auto v = static_cast<int16_t>(8000 * std::sin(2 * M_PI * 440 * i / rate));
        pcm += Le16(static_cast<uint16_t>(v));
    }
    return "RIFF" + Le32(36 + static_cast<uint32_t>(pcm.size())) + "WAVEfmt " + Le32(16) + Le16(1) + Le16(1) +
           Le32(rate) + Le32(rate * 2) + Le16(2) + Le16(16) + "data" + Le32(static_cast<uint32_t>(pcm.size())) + pcm;
}

std::string ReadFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

struct MuxStream {
    AVCodecID codec;
    std::vector<std::string> packets;  // one per frame / block
    AVRational time_base;              // of the packet timestamps
    int64_t packet_duration;           // in time_base units
    int width = 0, height = 0;         // video
    int sample_rate = 0;               // audio (mono)
};

// Writes the packets with libavformat's muxer into a file and returns its bytes (empty on failure).
std::string Mux(const char* format_name, const MuxStream& spec, const char* movflags = nullptr) {
    const auto path = std::filesystem::temp_directory_path() / ("safeloop-mux-" + HexEncode(RandomBytes(6)));
    AVFormatContext* out = nullptr;
    if (avformat_alloc_output_context2(&out, nullptr, format_name, path.c_str()) < 0) return {};
    AVStream* stream = avformat_new_stream(out, nullptr);
    stream->time_base = spec.time_base;
    AVCodecParameters* par = stream->codecpar;
    par->codec_id = spec.codec;
    if (spec.width > 0) {
        par->codec_type = AVMEDIA_TYPE_VIDEO;
        par->width = spec.width;
        par->height = spec.height;
    } else {
        par->codec_type = AVMEDIA_TYPE_AUDIO;
        par->sample_rate = spec.sample_rate;
        av_channel_layout_default(&par->ch_layout, 1);
        par->bits_per_coded_sample = 16;
        par->block_align = 2;
    }
    std::string bytes;
    AVDictionary* options = nullptr;
    if (movflags) av_dict_set(&options, "movflags", movflags, 0);
    if (avio_open(&out->pb, path.c_str(), AVIO_FLAG_WRITE) >= 0 && avformat_write_header(out, &options) >= 0) {
        int64_t pts = 0;
        for (const auto& data : spec.packets) {
            AVPacket packet{};  // not ref-counted: the muxer copies what it keeps
            packet.data = reinterpret_cast<uint8_t*>(const_cast<char*>(data.data()));
            packet.size = static_cast<int>(data.size());
            packet.stream_index = 0;
            packet.flags = AV_PKT_FLAG_KEY;
            packet.pts = packet.dts = av_rescale_q(pts, spec.time_base, stream->time_base);
            packet.duration = av_rescale_q(spec.packet_duration, spec.time_base, stream->time_base);
            packet.pos = -1;
            if (av_write_frame(out, &packet) < 0) break;
            pts += spec.packet_duration;
        }
        if (av_write_trailer(out) >= 0) {
            avio_closep(&out->pb);
            bytes = ReadFile(path);
        }
    }
    av_dict_free(&options);
    if (out->pb) avio_closep(&out->pb);
    avformat_free_context(out);
    std::filesystem::remove(path);
    return bytes;
}

// 2.0 s of 64x48 MJPEG at 10 frames per second.
MuxStream MjpegVideo() {
    MuxStream spec{AV_CODEC_ID_MJPEG, {}, {1, 10}, 1, 64, 48, 0};
    for (int i = 0; i < 20; ++i) spec.packets.push_back(MakeJpeg(64, 48));
    return spec;
}

// 2.0 s of 8 kHz mono 16-bit PCM in 100 ms blocks.
MuxStream PcmAudio() {
    MuxStream spec{AV_CODEC_ID_PCM_S16LE, {}, {1, 8000}, 800, 0, 0, 8000};
    const std::string wav = MakeWav(2.0, 8000);
    const std::string pcm = wav.substr(44);
    for (size_t at = 0; at < pcm.size(); at += 1600) spec.packets.push_back(pcm.substr(at, 1600));
    return spec;
}

// ---------------------------------------------------------------------------------------------------------
// Images

TEST_F(FileMediaTest, JpegDecodesWithThumbnail) {
    const std::string jpeg = MakeJpeg(1600, 1200);
    ASSERT_EQ(Sniff(jpeg), Kind::kJpeg);
    auto probe = ProbeImage(Kind::kJpeg, jpeg, 320);
    ASSERT_TRUE(probe.ok()) << probe.error().message;
    EXPECT_EQ(probe->facts.width, 1600);
    EXPECT_EQ(probe->facts.height, 1200);
    EXPECT_EQ(probe->thumbnail_width, 320);
    EXPECT_EQ(probe->thumbnail_height, 240);
    EXPECT_EQ(Sniff(probe->thumbnail_jpeg), Kind::kJpeg);
    EXPECT_LT(probe->thumbnail_jpeg.size(), jpeg.size());
    EXPECT_FALSE(probe->facts.exif.date_time_original);
}

TEST_F(FileMediaTest, SmallImagesAreNotEnlarged) {
    auto probe = ProbeImage(Kind::kJpeg, MakeJpeg(100, 50), 320);
    ASSERT_TRUE(probe.ok());
    EXPECT_EQ(probe->thumbnail_width, 100);
    EXPECT_EQ(probe->thumbnail_height, 50);
}

TEST_F(FileMediaTest, TruncatedJpegIsCorrupt) {
    const std::string jpeg = MakeJpeg(640, 480);
    auto probe = ProbeImage(Kind::kJpeg, jpeg.substr(0, jpeg.size() * 6 / 10), 320);
    ASSERT_FALSE(probe.ok());
    EXPECT_EQ(probe.error().code, "file_corrupt");
}

TEST_F(FileMediaTest, GarbageAfterJpegMagicIsCorrupt) {
    auto probe = ProbeImage(Kind::kJpeg, "\xff\xd8\xff\xe0" + RandomBytes(4000), 320);
    ASSERT_FALSE(probe.ok());
    EXPECT_EQ(probe.error().code, "file_corrupt");
}

TEST_F(FileMediaTest, ExifCaptureTimeAndGps) {
    const std::string jpeg = WithExif(MakeJpeg(400, 300), MakeExif({}));
    ASSERT_EQ(Sniff(jpeg), Kind::kJpeg);

    ExifFacts direct = ReadExif(jpeg);  // libexif on the whole file
    EXPECT_EQ(direct.date_time_original, "2026:03:01 08:15:30");

    auto probe = ProbeImage(Kind::kJpeg, jpeg, 320);  // libexif on the block libvips found
    ASSERT_TRUE(probe.ok()) << probe.error().message;
    const ExifFacts& exif = probe->facts.exif;
    EXPECT_EQ(exif.date_time_original, "2026:03:01 08:15:30");
    EXPECT_EQ(exif.offset_time_original, "+08:00");
    ASSERT_TRUE(exif.latitude);
    ASSERT_TRUE(exif.longitude);
    EXPECT_NEAR(*exif.latitude, 31.2301667, 1e-6);
    EXPECT_NEAR(*exif.longitude, 121.47, 1e-6);
    EXPECT_NEAR(exif.altitude_m.value_or(0), 12.5, 1e-9);

    auto meta = ImageMeta(probe->facts, 480);
    EXPECT_EQ(meta.at("captured_at").as_string(), "2026-03-01T00:15:30.000Z");
    EXPECT_NEAR(meta.at("gps").at("lat").as_double(), 31.2301667, 1e-6);
}

TEST_F(FileMediaTest, ExifOrientationRotatesTheThumbnail) {
    ExifSpec spec;
    spec.orientation = 6;  // camera held upright: stored landscape, shown portrait
    spec.gps = false;
    const std::string jpeg = WithExif(MakeJpeg(640, 480), MakeExif(spec));
    auto probe = ProbeImage(Kind::kJpeg, jpeg, 320);
    ASSERT_TRUE(probe.ok()) << probe.error().message;
    EXPECT_EQ(probe->facts.exif.orientation, 6);
    EXPECT_EQ(probe->thumbnail_width, 240);
    EXPECT_EQ(probe->thumbnail_height, 320);
    auto meta = ImageMeta(probe->facts, 480);
    EXPECT_EQ(meta.at("width").as_int64(), 480);
    EXPECT_EQ(meta.at("height").as_int64(), 640);
    EXPECT_FALSE(meta.contains("gps"));
}

// A photo-like image: gradients that run differently across and down (so a wrong turn shows) plus mild noise.
std::string MakePhoto(int width, int height, int orientation) {
    using vips::VImage;
    const VImage noise = VImage::gaussnoise(width, height, VImage::option()->set("sigma", 6.0)->set("mean", 0.0));
    const VImage xy = VImage::xyz(width, height);
    const VImage across = xy[0] * (180.0 / width);
    const VImage down = xy[1] * (120.0 / height);
    const VImage rgb = VImage::bandjoin(std::vector<VImage>{across + down * 0.5 + 20 + noise, down + 60 + noise,
                                                            240 - across * 0.5 - down * 0.5 + noise})
                           .cast(VIPS_FORMAT_UCHAR)
                           .copy(VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
    void* buffer = nullptr;
    size_t length = 0;
    rgb.write_to_buffer(".jpg", &buffer, &length, VImage::option()->set("Q", 90)->set("strip", true));
    std::string jpeg(static_cast<const char*>(buffer), length);
    g_free(buffer);
    if (orientation == 1) return jpeg;
    ExifSpec spec;
    spec.orientation = orientation;
    spec.gps = false;
    return WithExif(jpeg, MakeExif(spec));
}

// Saved as the loader finds it (grey stays grey, CMYK stays CMYK), at quality 90.
std::string SaveJpeg(VipsImage* image) {
    return Encode(image, [](VipsImage* im, void** buf, size_t* len) {
        return vips_jpegsave_buffer(im, buf, len, "Q", 90, nullptr);
    });
}

vips::VImage Load(const std::string& jpeg) { return vips::VImage::new_from_buffer(jpeg.data(), jpeg.size(), ""); }

// The mean absolute difference per pixel and channel between two JPEGs of the same size (-1 if not the same size).
double MeanAbsoluteDifference(const std::string& a, const std::string& b) {
    using vips::VImage;
    const VImage first = Load(a);
    const VImage second = Load(b);
    if (first.width() != second.width() || first.height() != second.height() || first.bands() != second.bands()) {
        return -1;
    }
    return (first.cast(VIPS_FORMAT_INT) - second.cast(VIPS_FORMAT_INT)).abs().avg();
}

TEST_F(FileMediaTest, LibjpegThumbnailMatchesTheLibvipsOne) {
    struct Case {
        int width, height, orientation, thumb_width, thumb_height;
    };
    // 1040x780 as the bench's photos (decoded at 1/2), 1600x1200 at 1/4, 2600x1950 at 1/8 (243.75 rows, cut to
    // 243 as libvips cuts them: 239 rather than 240), 600x410 at full size, 1037x777 with odd sides; with every
    // orientation that turns or mirrors, so a wrong turn shows as a large difference.
    for (const Case& c : {Case{1040, 780, 1, 320, 240}, Case{1600, 1200, 6, 240, 320}, Case{2600, 1950, 3, 320, 239},
                          Case{600, 410, 8, 219, 320}, Case{1037, 777, 5, 240, 320}, Case{1040, 780, 2, 320, 240},
                          Case{1040, 780, 4, 320, 240}, Case{1040, 780, 7, 240, 320}}) {
        SCOPED_TRACE(testing::Message() << c.width << "x" << c.height << " orientation " << c.orientation);
        const std::string jpeg = MakePhoto(c.width, c.height, c.orientation);
        auto fast = ProbeImage(Kind::kJpeg, jpeg, 320);
        auto vips = ProbeImageWithVips(Kind::kJpeg, jpeg, 320);
        ASSERT_TRUE(fast.ok()) << fast.error().message;
        ASSERT_TRUE(vips.ok()) << vips.error().message;
        EXPECT_EQ(fast->facts.width, c.width);
        EXPECT_EQ(fast->facts.height, c.height);
        EXPECT_EQ(fast->facts.exif.orientation, c.orientation);
        EXPECT_EQ(fast->thumbnail_width, c.thumb_width);
        EXPECT_EQ(fast->thumbnail_height, c.thumb_height);
        EXPECT_EQ(vips->thumbnail_width, c.thumb_width);
        EXPECT_EQ(vips->thumbnail_height, c.thumb_height);
        const double difference = MeanAbsoluteDifference(fast->thumbnail_jpeg, vips->thumbnail_jpeg);
        EXPECT_GE(difference, 0);    // same size and bands
        EXPECT_LT(difference, 2.0);  // 0.2 to 1.1 of 255 measured (box vs Lanczos)
        // Not the same for a wrong turn: the picture mirrored left-right is far off.
        if (c.orientation == 1) {
            auto mirrored = ProbeImage(Kind::kJpeg, MakePhoto(c.width, c.height, 2), 320);
            ASSERT_TRUE(mirrored.ok());
            EXPECT_GT(MeanAbsoluteDifference(mirrored->thumbnail_jpeg, vips->thumbnail_jpeg), 20.0);
        }
    }
}

TEST_F(FileMediaTest, GreyJpegGetsAGreyThumbnail) {
    const std::string grey = SaveJpeg(Noise(640, 480, 1));
    auto probe = ProbeImage(Kind::kJpeg, grey, 320);
    ASSERT_TRUE(probe.ok()) << probe.error().message;
    EXPECT_EQ(probe->thumbnail_width, 320);
    EXPECT_EQ(probe->thumbnail_height, 240);
    const vips::VImage thumbnail = Load(probe->thumbnail_jpeg);
    EXPECT_EQ(thumbnail.bands(), 1);
    EXPECT_NEAR(thumbnail.avg(), 128, 3);  // the noise's mean survives averaging
    auto truncated = ProbeImage(Kind::kJpeg, grey.substr(0, grey.size() / 2), 320);
    ASSERT_FALSE(truncated.ok());
    EXPECT_EQ(truncated.error().code, "file_corrupt");
}

TEST_F(FileMediaTest, CmykJpegGoesThroughLibvips) {
    VipsImage* cmyk = Noise(400, 300, 4);
    cmyk->Type = VIPS_INTERPRETATION_CMYK;
    const std::string jpeg = SaveJpeg(cmyk);
    ASSERT_EQ(Sniff(jpeg), Kind::kJpeg);
    auto probe = ProbeImage(Kind::kJpeg, jpeg, 320);
    ASSERT_TRUE(probe.ok()) << probe.error().message;
    EXPECT_EQ(probe->thumbnail_width, 320);
    EXPECT_EQ(probe->thumbnail_height, 240);
    const vips::VImage thumbnail = Load(probe->thumbnail_jpeg);
    EXPECT_EQ(thumbnail.bands(), 3);  // converted to sRGB
}

TEST_F(FileMediaTest, MarkerInsideTheScanIsCorrupt) {
    // An end-of-image marker in the middle of the entropy-coded data: libjpeg only warns (and pads with grey).
    std::string jpeg = MakeJpeg(640, 480);
    const size_t middle = jpeg.size() / 2;
    jpeg.replace(middle, 2, "\xff\xd9");
    auto probe = ProbeImage(Kind::kJpeg, jpeg, 320);
    ASSERT_FALSE(probe.ok());
    EXPECT_EQ(probe.error().code, "file_corrupt");
}

TEST_F(FileMediaTest, HugeJpegCanvasIsRefusedBeforeDecoding) {
    // A small JPEG whose frame header (SOF0: FF C0, length, precision, height, width) says 20000 x 20000.
    std::string jpeg = MakeJpeg(16, 16);
    const size_t sof = jpeg.find("\xff\xc0");
    ASSERT_NE(sof, std::string::npos);
    jpeg.replace(sof + 5, 4, "N N "s);  // 0x4e20 = 20000, twice
    auto probe = ProbeImage(Kind::kJpeg, jpeg, 320);
    ASSERT_FALSE(probe.ok());
    EXPECT_EQ(probe.error().code, "image_too_large");
}

TEST_F(FileMediaTest, PngWithAlphaGetsAJpegThumbnail) {
    const std::string png = MakePng(500, 250, 4);
    ASSERT_EQ(Sniff(png), Kind::kPng);
    auto probe = ProbeImage(Kind::kPng, png, 320);
    ASSERT_TRUE(probe.ok()) << probe.error().message;
    EXPECT_EQ(probe->thumbnail_width, 320);
    EXPECT_EQ(probe->thumbnail_height, 160);
    EXPECT_EQ(Sniff(probe->thumbnail_jpeg), Kind::kJpeg);
}

TEST_F(FileMediaTest, TruncatedPngIsCorrupt) {
    const std::string png = MakePng(300, 300, 3);
    auto probe = ProbeImage(Kind::kPng, png.substr(0, png.size() / 2), 320);
    ASSERT_FALSE(probe.ok());
    EXPECT_EQ(probe.error().code, "file_corrupt");
}

TEST_F(FileMediaTest, WebpAndGif) {
    const std::string webp = Encode(Noise(200, 100, 3), [](VipsImage* im, void** buf, size_t* len) {
        return vips_webpsave_buffer(im, buf, len, nullptr);
    });
    ASSERT_EQ(Sniff(webp), Kind::kWebp);
    EXPECT_TRUE(ProbeImage(Kind::kWebp, webp, 320).ok());
    const std::string gif = Encode(Noise(200, 100, 3), [](VipsImage* im, void** buf, size_t* len) {
        return vips_gifsave_buffer(im, buf, len, nullptr);
    });
    ASSERT_EQ(Sniff(gif), Kind::kGif);
    auto probe = ProbeImage(Kind::kGif, gif, 320);
    ASSERT_TRUE(probe.ok()) << probe.error().message;
    EXPECT_EQ(probe->thumbnail_width, 200);
}

// A 96x64 HEIC (HEVC) made once with libvips/libheif/x265 and kept here: encoding it in the test would load x265,
// whose one-time global state LeakSanitizer reports.
std::string HeicSample() {
    return std::string(
        "\x00\x00\x00\x1c\x66\x74\x79\x70\x68\x65\x69\x63\x00\x00\x00\x00\x6d\x69\x66\x31\x68\x65\x69\x63\x6d\x69\x61"
        "\x66\x00\x00\x01\x83\x6d\x65\x74\x61\x00\x00\x00\x00\x00\x00\x00\x21\x68\x64\x6c\x72\x00\x00\x00\x00\x00\x00"
        "\x00\x00\x70\x69\x63\x74\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x0e\x70\x69\x74\x6d"
        "\x00\x00\x00\x00\x00\x01\x00\x00\x00\x34\x69\x6c\x6f\x63\x00\x00\x00\x00\x44\x40\x00\x02\x00\x01\x00\x00\x00"
        "\x00\x01\xa7\x00\x01\x00\x00\x00\x00\x00\x00\x00\x3a\x00\x02\x00\x00\x00\x00\x01\xe1\x00\x01\x00\x00\x00\x00"
        "\x00\x00\x00\xbe\x00\x00\x00\x38\x69\x69\x6e\x66\x00\x00\x00\x00\x00\x02\x00\x00\x00\x15\x69\x6e\x66\x65\x02"
        "\x00\x00\x00\x00\x01\x00\x00\x68\x76\x63\x31\x00\x00\x00\x00\x15\x69\x6e\x66\x65\x02\x00\x00\x01\x00\x02\x00"
        "\x00\x45\x78\x69\x66\x00\x00\x00\x00\xc2\x69\x70\x72\x70\x00\x00\x00\xa4\x69\x70\x63\x6f\x00\x00\x00\x78\x68"
        "\x76\x63\x43\x01\x03\x70\x00\x00\x00\x00\x00\x00\x00\x00\x00\x1e\xf0\x00\xfc\xfd\xf8\xf8\x00\x00\x0f\x03\x20"
        "\x00\x01\x00\x18\x40\x01\x0c\x01\xff\xff\x03\x70\x00\x00\x03\x00\x90\x00\x00\x03\x00\x00\x03\x00\x1e\xba\x02"
        "\x40\x21\x00\x01\x00\x2b\x42\x01\x01\x03\x70\x00\x00\x03\x00\x90\x00\x00\x03\x00\x00\x03\x00\x1e\xa0\x30\x81"
        "\x05\x96\xea\x49\x29\xae\x6e\x04\x04\x0c\x08\x00\x00\x03\x00\x08\x00\x00\x03\x00\x08\x40\x22\x00\x01\x00\x07"
        "\x44\x01\xc1\x72\xb0\x22\x40\x00\x00\x00\x14\x69\x73\x70\x65\x00\x00\x00\x00\x00\x00\x00\x60\x00\x00\x00\x40"
        "\x00\x00\x00\x10\x70\x69\x78\x69\x00\x00\x00\x00\x03\x08\x08\x08\x00\x00\x00\x16\x69\x70\x6d\x61\x00\x00\x00"
        "\x00\x00\x00\x00\x01\x00\x01\x03\x81\x02\x83\x00\x00\x00\x1a\x69\x72\x65\x66\x00\x00\x00\x00\x00\x00\x00\x0e"
        "\x63\x64\x73\x63\x00\x02\x00\x01\x00\x01\x00\x00\x01\x00\x6d\x64\x61\x74\x00\x00\x00\x36\x28\x01\xaf\x19\x80"
        "\xf7\x7d\xac\x3f\x5c\xdc\x6b\x96\x3b\x64\xc9\x74\x83\xdd\x40\xa5\x5b\x44\x56\x8b\x65\xf2\x98\x37\x3b\xd5\x39"
        "\xfe\x22\x50\xd8\xbe\x53\xb3\x39\x9d\x1f\xb2\x28\x8d\xd1\xbd\x58\x88\x77\x82\xb8\xe7\x13\x00\x00\x00\x06\x45"
        "\x78\x69\x66\x00\x00\x49\x49\x2a\x00\x08\x00\x00\x00\x06\x00\x12\x01\x03\x00\x01\x00\x00\x00\x01\x00\x00\x00"
        "\x1a\x01\x05\x00\x01\x00\x00\x00\x56\x00\x00\x00\x1b\x01\x05\x00\x01\x00\x00\x00\x5e\x00\x00\x00\x28\x01\x03"
        "\x00\x01\x00\x00\x00\x02\x00\x00\x00\x13\x02\x03\x00\x01\x00\x00\x00\x01\x00\x00\x00\x69\x87\x04\x00\x01\x00"
        "\x00\x00\x66\x00\x00\x00\x00\x00\x00\x00\x38\x63\x00\x00\xe8\x03\x00\x00\x38\x63\x00\x00\xe8\x03\x00\x00\x06"
        "\x00\x00\x90\x07\x00\x04\x00\x00\x00\x30\x32\x31\x30\x01\x91\x07\x00\x04\x00\x00\x00\x01\x02\x03\x00\x00\xa0"
        "\x07\x00\x04\x00\x00\x00\x30\x31\x30\x30\x01\xa0\x03\x00\x01\x00\x00\x00\xff\xff\x00\x00\x02\xa0\x04\x00\x01"
        "\x00\x00\x00\x60\x00\x00\x00\x03\xa0\x04\x00\x01\x00\x00\x00\x40\x00\x00\x00\x00\x00\x00\x00",
        671);
}

TEST_F(FileMediaTest, Heic) {
    const std::string heic = HeicSample();
    ASSERT_EQ(Sniff(heic), Kind::kHeic);
    auto probe = ProbeImage(Kind::kHeic, heic, 320);
    ASSERT_TRUE(probe.ok()) << probe.error().message;
    EXPECT_EQ(probe->facts.width, 96);
    EXPECT_EQ(probe->facts.height, 64);
    EXPECT_EQ(probe->thumbnail_width, 96);
    EXPECT_EQ(Sniff(probe->thumbnail_jpeg), Kind::kJpeg);
    auto truncated = ProbeImage(Kind::kHeic, heic.substr(0, heic.size() / 2), 320);
    ASSERT_FALSE(truncated.ok());
    EXPECT_EQ(truncated.error().code, "file_corrupt");
}

uint32_t Crc32(std::string_view data) {
    uint32_t crc = 0xffffffff;
    for (unsigned char c : data) {
        crc ^= c;
        for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

std::string Be32(uint32_t v) {
    return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8), static_cast<char>(v)};
}

TEST_F(FileMediaTest, HugeCanvasIsRefusedBeforeDecoding) {
    // A valid PNG header declaring 30000 x 30000 pixels (900 megapixels) over a few bytes of data.
    const std::string ihdr = "IHDR" + Be32(30000) + Be32(30000) + "\x08\x02\x00\x00\x00"s;
    const std::string idat = "IDAT" + "\x78\x9c\x03\x00\x00\x00\x00\x01"s;
    const std::string png = "\x89PNG\r\n\x1a\n"s + Be32(13) + ihdr + Be32(Crc32(ihdr)) + Be32(8) + idat +
                            Be32(Crc32(idat)) + Be32(0) + "IEND" + Be32(Crc32("IEND"));
    auto probe = ProbeImage(Kind::kPng, png, 320);
    ASSERT_FALSE(probe.ok());
    EXPECT_EQ(probe.error().code, "image_too_large");
}

// ---------------------------------------------------------------------------------------------------------
// Audio and video

TEST_F(FileMediaTest, WavDuration) {
    const std::string wav = MakeWav(2.0, 8000);
    ASSERT_EQ(Sniff(wav), Kind::kWav);
    auto facts = ProbeMedia(Kind::kWav, wav);
    ASSERT_TRUE(facts.ok()) << facts.error().message;
    EXPECT_EQ(facts->container, "wav");
    ASSERT_TRUE(facts->duration_s);
    EXPECT_NEAR(*facts->duration_s, 2.0, 0.01);
    EXPECT_TRUE(facts->has_audio);
    EXPECT_FALSE(facts->has_video);
}

TEST_F(FileMediaTest, Mp4VideoDuration) {
    const std::string mp4 = Mux("mp4", MjpegVideo());
    ASSERT_FALSE(mp4.empty());
    ASSERT_EQ(Sniff(mp4), Kind::kMp4);
    auto facts = ProbeMedia(Kind::kMp4, mp4);
    ASSERT_TRUE(facts.ok()) << facts.error().message;
    EXPECT_TRUE(facts->has_video);
    EXPECT_FALSE(facts->has_audio);
    EXPECT_EQ(facts->width, 64);
    EXPECT_EQ(facts->height, 48);
    ASSERT_TRUE(facts->duration_s);
    EXPECT_NEAR(*facts->duration_s, 2.0, 0.05);
    EXPECT_EQ(RefineMediaType(Kind::kMp4, facts->has_video), "video/mp4");
}

TEST_F(FileMediaTest, QuickTimeVideo) {
    const std::string mov = Mux("mov", MjpegVideo());
    ASSERT_EQ(Sniff(mov), Kind::kQuickTime);
    auto facts = ProbeMedia(Kind::kQuickTime, mov);
    ASSERT_TRUE(facts.ok()) << facts.error().message;
    EXPECT_NEAR(facts->duration_s.value_or(0), 2.0, 0.05);
}

TEST_F(FileMediaTest, TruncatedMp4IsCorrupt) {
    // moov at the end (as phones record): cutting the end loses the index.
    const std::string mp4 = Mux("mp4", MjpegVideo());
    auto cut = ProbeMedia(Kind::kMp4, mp4.substr(0, mp4.size() * 7 / 10));
    ASSERT_FALSE(cut.ok());
    EXPECT_EQ(cut.error().code, "file_corrupt");
    // moov first ("fast start", as web encoders write): the index survives but points past the end.
    const std::string fast = Mux("mp4", MjpegVideo(), "faststart");
    ASSERT_TRUE(ProbeMedia(Kind::kMp4, fast).ok());
    auto fast_cut = ProbeMedia(Kind::kMp4, fast.substr(0, fast.size() * 7 / 10));
    ASSERT_FALSE(fast_cut.ok());
    EXPECT_EQ(fast_cut.error().code, "file_corrupt");
}

// A resumable upload's bytes are probed where they are stored, a piece at a time (ByteSource): the demuxer must see
// the same file as from memory, whatever the pieces, and a failing read is the store's error, not a corrupt file.
class PiecewiseBytes final : public ByteSource {
public:
    PiecewiseBytes(std::string_view bytes, size_t piece) : bytes_(bytes), piece_(piece) {}
    int64_t size() const override { return static_cast<int64_t>(bytes_.size()); }
    std::string_view ReadAt(int64_t offset, size_t length) override {
        if (fail_after_ && read_ >= *fail_after_) throw std::runtime_error("the database went away");
        if (offset < 0 || offset >= size()) return {};
        // A piece ends at the next multiple of piece_, as a stored chunk would.
        const auto at = static_cast<size_t>(offset);
        const size_t n = std::min(length, piece_ - at % piece_);
        read_ += std::min(n, bytes_.size() - at);
        return bytes_.substr(at, n);
    }
    std::string_view All() override { return bytes_; }
    size_t read() const { return read_; }
    void FailAfter(size_t bytes) { fail_after_ = bytes; }

private:
    std::string_view bytes_;
    size_t piece_;
    size_t read_ = 0;
    std::optional<size_t> fail_after_;
};

TEST_F(FileMediaTest, MediaProbedPieceByPieceIsTheSameAsFromMemory) {
    const std::string mp4 = Mux("mp4", MjpegVideo());
    const std::string fast = Mux("mp4", MjpegVideo(), "faststart");
    const std::string mka = Mux("matroska", PcmAudio());
    for (const auto& [kind, bytes] : {std::pair{Kind::kMp4, &mp4}, {Kind::kMp4, &fast}, {Kind::kMatroska, &mka}}) {
        auto whole = ProbeMedia(kind, *bytes);
        ASSERT_TRUE(whole.ok()) << whole.error().message;
        for (const size_t piece : {size_t{777}, size_t{4096}, bytes->size()}) {
            PiecewiseBytes source(*bytes, piece);
            auto pieces = ProbeMedia(kind, source);
            ASSERT_TRUE(pieces.ok()) << pieces.error().message << " (pieces of " << piece << ")";
            EXPECT_EQ(pieces->container, whole->container);
            EXPECT_EQ(pieces->has_video, whole->has_video);
            EXPECT_EQ(pieces->has_audio, whole->has_audio);
            EXPECT_EQ(pieces->width, whole->width);
            EXPECT_EQ(pieces->height, whole->height);
            EXPECT_EQ(pieces->duration_s, whole->duration_s);
            EXPECT_GT(source.read(), 0U);
        }
    }
    // Cut short, read piece by piece: still corrupt.
    const std::string cut = fast.substr(0, fast.size() * 7 / 10);
    PiecewiseBytes cut_source(cut, 1000);
    auto cut_facts = ProbeMedia(Kind::kMp4, cut_source);
    ASSERT_FALSE(cut_facts.ok());
    EXPECT_EQ(cut_facts.error().code, "file_corrupt");
}

TEST_F(FileMediaTest, AFailingByteSourceIsAnErrorNotACorruptFile) {
    const std::string mp4 = Mux("mp4", MjpegVideo());
    PiecewiseBytes source(mp4, 4096);
    source.FailAfter(100);
    EXPECT_THROW((void)ProbeMedia(Kind::kMp4, source), std::runtime_error);
}

TEST_F(FileMediaTest, MatroskaAudioOnly) {
    const std::string mka = Mux("matroska", PcmAudio());
    ASSERT_FALSE(mka.empty());
    ASSERT_EQ(Sniff(mka), Kind::kMatroska);
    auto facts = ProbeMedia(Kind::kMatroska, mka);
    ASSERT_TRUE(facts.ok()) << facts.error().message;
    EXPECT_FALSE(facts->has_video);
    EXPECT_TRUE(facts->has_audio);
    EXPECT_NEAR(facts->duration_s.value_or(0), 2.0, 0.05);
    EXPECT_EQ(RefineMediaType(Kind::kMatroska, facts->has_video), "audio/x-matroska");
}

TEST_F(FileMediaTest, GarbageMediaIsCorrupt) {
    const std::string fake_mp4 =
        "\0\0\0\x18"
        "ftypisom\0\0\0\0isomavc1"s +
        std::string(5000, '\0');
    ASSERT_EQ(Sniff(fake_mp4), Kind::kMp4);
    auto facts = ProbeMedia(Kind::kMp4, fake_mp4);
    ASSERT_FALSE(facts.ok());
    EXPECT_EQ(facts.error().code, "file_corrupt");
    EXPECT_FALSE(ProbeMedia(Kind::kWav, "RIFF\x24\0\0\0WAVEfmt "s).ok());
    EXPECT_FALSE(ProbeMedia(Kind::kMp3, "ID3\x04\0\0\0\0\0\0"s + std::string(100, '\0')).ok());
    EXPECT_FALSE(ProbeMedia(Kind::kJpeg, MakeJpeg(10, 10)).ok());
}

}  // namespace
}  // namespace safeloop::files
