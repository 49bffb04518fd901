// What a body is, judged from its bytes, and whether its claimed Content-Type may stand (file_rules.hpp).

#include "modules/files/file_rules.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <utility>
#include <vector>

namespace safeloop::files {

namespace {

constexpr size_t kMaxBrands = 64;
constexpr size_t kEbmlHeaderScan = 4096;
constexpr size_t kZipEocdSize = 22;
constexpr size_t kZipMaxComment = 0xffff;
constexpr size_t kZipCentralHeaderSize = 46;
constexpr size_t kZipMaxEntriesScanned = 100000;
constexpr size_t kPdfTailScan = 1024;

uint32_t Be32(std::string_view b, size_t at) {
    return (static_cast<uint32_t>(static_cast<unsigned char>(b[at])) << 24) |
           (static_cast<uint32_t>(static_cast<unsigned char>(b[at + 1])) << 16) |
           (static_cast<uint32_t>(static_cast<unsigned char>(b[at + 2])) << 8) |
           static_cast<uint32_t>(static_cast<unsigned char>(b[at + 3]));
}

uint32_t Le32(std::string_view b, size_t at) {
    return static_cast<uint32_t>(static_cast<unsigned char>(b[at])) |
           (static_cast<uint32_t>(static_cast<unsigned char>(b[at + 1])) << 8) |
           (static_cast<uint32_t>(static_cast<unsigned char>(b[at + 2])) << 16) |
           (static_cast<uint32_t>(static_cast<unsigned char>(b[at + 3])) << 24);
}

uint16_t Le16(std::string_view b, size_t at) {
    return static_cast<uint16_t>(static_cast<unsigned char>(b[at]) | (static_cast<unsigned char>(b[at + 1]) << 8));
}

unsigned char Byte(std::string_view b, size_t at) { return static_cast<unsigned char>(b[at]); }

bool StartsWith(std::string_view bytes, std::string_view prefix) { return bytes.substr(0, prefix.size()) == prefix; }

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string ToLower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = Lower(c);
    return out;
}

// ---------------------------------------------------------------------------------------------------------
// ISO base media (MP4, MOV, 3GP, M4A, HEIF/HEIC, AVIF)

bool IsHeicBrand(std::string_view b) {
    return b == "heic" || b == "heix" || b == "heim" || b == "heis" || b == "hevc" || b == "hevx" || b == "hevm" ||
           b == "hevs";
}

Kind SniffIsoBmff(std::string_view bytes) {
    if (bytes.size() < 12 || bytes.substr(4, 4) != "ftyp") return Kind::kUnknown;
    const size_t box_size = Be32(bytes, 0);
    if (box_size < 12) return Kind::kUnknown;
    std::string_view major = bytes.substr(8, 4);
    std::vector<std::string_view> brands{major};
    const size_t end = std::min({box_size, bytes.size(), 16 + kMaxBrands * 4});
    for (size_t at = 16; at + 4 <= end; at += 4) brands.push_back(bytes.substr(at, 4));
    auto any = [&](auto predicate) { return std::any_of(brands.begin(), brands.end(), predicate); };

    const bool image_major =
        IsHeicBrand(major) || major == "mif1" || major == "msf1" || major == "avif" || major == "avis";
    if (image_major) {
        if (any([](std::string_view b) { return b == "avif" || b == "avis"; }) && !IsHeicBrand(major)) {
            return Kind::kAvif;
        }
        if (any(IsHeicBrand)) return Kind::kHeic;
        return Kind::kHeif;
    }
    if (major == "M4A " || major == "M4B " || major == "M4P " || major == "F4A ") return Kind::kM4a;
    if (major == "qt  ") return Kind::kQuickTime;
    if (StartsWith(major, "3gp") || StartsWith(major, "3g2")) return Kind::k3gp;
    // isom, iso2..iso9, mp41, mp42, avc1, M4V , dash, MSNV, mmp4, ...: the demuxer decides whether it holds.
    return Kind::kMp4;
}

// QuickTime files from before the ftyp box start with another top-level atom.
bool IsClassicQuickTime(std::string_view bytes) {
    if (bytes.size() < 8) return false;
    std::string_view atom = bytes.substr(4, 4);
    return atom == "moov" || atom == "mdat" || atom == "wide";
}

// ---------------------------------------------------------------------------------------------------------
// Matroska / WebM: the EBML header's DocType

// An EBML variable-length integer at `at`: its length in bytes (1..8) from the leading zero bits of the first byte,
// and its value without the length marker. nullopt when malformed or past the end.
struct Vint {
    uint64_t value = 0;
    size_t length = 0;
    bool unknown = false;  // all value bits set: "size unknown"
};

std::optional<Vint> ReadVint(std::string_view bytes, size_t at) {
    if (at >= bytes.size()) return std::nullopt;
    const unsigned char first = Byte(bytes, at);
    if (first == 0) return std::nullopt;
    size_t length = 1;
    while ((first & (0x80 >> (length - 1))) == 0) ++length;
    if (at + length > bytes.size()) return std::nullopt;
    Vint v;
    v.length = length;
    v.value = first & (0xff >> length);
    for (size_t i = 1; i < length; ++i) v.value = (v.value << 8) | Byte(bytes, at + i);
    v.unknown = v.value == (uint64_t{1} << (7 * length)) - 1;
    return v;
}

// Walks the children of the EBML header element for DocType (0x4282): "webm" or "matroska".
Kind SniffEbml(std::string_view bytes) {
    if (!StartsWith(bytes, "\x1a\x45\xdf\xa3")) return Kind::kUnknown;
    std::string_view head = bytes.substr(0, std::min(bytes.size(), kEbmlHeaderScan));
    auto header_size = ReadVint(head, 4);
    if (!header_size || header_size->unknown) return Kind::kUnknown;
    const size_t begin = 4 + header_size->length;
    const size_t end = std::min<uint64_t>(head.size(), begin + header_size->value);
    size_t at = begin;
    while (at < end) {
        auto id = ReadVint(head, at);  // element ids keep their marker bits: compare the raw bytes
        if (!id || id->length > 4) return Kind::kUnknown;
        std::string_view raw_id = head.substr(at, id->length);
        auto size = ReadVint(head, at + id->length);
        if (!size || size->unknown) return Kind::kUnknown;
        const size_t data = at + id->length + size->length;
        if (data + size->value > end) return Kind::kUnknown;
        if (raw_id == "\x42\x82") {
            std::string doc_type(head.substr(data, size->value));
            doc_type.erase(std::find(doc_type.begin(), doc_type.end(), '\0'), doc_type.end());
            if (doc_type == "webm") return Kind::kWebm;
            if (doc_type == "matroska") return Kind::kMatroska;
            return Kind::kUnknown;
        }
        at = data + size->value;
    }
    return Kind::kUnknown;
}

// ---------------------------------------------------------------------------------------------------------
// MPEG audio

bool IsAdtsHeader(std::string_view bytes) {
    // 12-bit sync, layer 00; sampling frequency index 0..12.
    if (bytes.size() < 7 || Byte(bytes, 0) != 0xff || (Byte(bytes, 1) & 0xf6) != 0xf0) return false;
    return ((Byte(bytes, 2) >> 2) & 0x0f) <= 12;
}

bool IsMp3FrameHeader(std::string_view bytes) {
    if (bytes.size() < 4 || Byte(bytes, 0) != 0xff || (Byte(bytes, 1) & 0xe0) != 0xe0) return false;
    const int version = (Byte(bytes, 1) >> 3) & 0x03;  // 01 is reserved
    const int layer = (Byte(bytes, 1) >> 1) & 0x03;    // 01 = layer III
    const int bitrate = (Byte(bytes, 2) >> 4) & 0x0f;
    const int rate = (Byte(bytes, 2) >> 2) & 0x03;
    return version != 1 && layer == 1 && bitrate != 0 && bitrate != 0x0f && rate != 3;
}

// ---------------------------------------------------------------------------------------------------------
// ZIP: the central directory names the parts of an Office document (or an Android/Java package)

struct ZipScan {
    bool valid = false;  // an end-of-central-directory record was found and the directory lies inside the body
    Kind kind = Kind::kZip;
};

ZipScan ScanZip(std::string_view bytes) {
    ZipScan scan;
    if (bytes.size() < kZipEocdSize) return scan;
    const size_t lowest =
        bytes.size() >= kZipEocdSize + kZipMaxComment ? bytes.size() - kZipEocdSize - kZipMaxComment : 0;
    size_t eocd = std::string_view::npos;
    for (size_t at = bytes.size() - kZipEocdSize + 1; at-- > lowest;) {
        if (bytes.substr(at, 4) == "PK\x05\x06") {
            eocd = at;
            break;
        }
    }
    if (eocd == std::string_view::npos) return scan;
    const size_t entries = Le16(bytes, eocd + 10);
    const size_t dir_size = Le32(bytes, eocd + 12);
    const size_t dir_offset = Le32(bytes, eocd + 16);
    if (dir_offset == 0xffffffff) {  // ZIP64: the directory is valid, but we do not look inside
        scan.valid = true;
        return scan;
    }
    if (dir_offset > eocd || dir_size > eocd - dir_offset) return scan;
    scan.valid = true;
    bool xl = false, word = false, ppt = false, content_types = false, executable = false;
    size_t at = dir_offset;
    for (size_t i = 0; i < std::min(entries, kZipMaxEntriesScanned); ++i) {
        if (at + kZipCentralHeaderSize > eocd || bytes.substr(at, 4) != "PK\x01\x02") break;
        const size_t name_length = Le16(bytes, at + 28);
        const size_t extra_length = Le16(bytes, at + 30);
        const size_t comment_length = Le16(bytes, at + 32);
        if (at + kZipCentralHeaderSize + name_length > eocd) break;
        std::string_view name = bytes.substr(at + kZipCentralHeaderSize, name_length);
        content_types = content_types || name == "[Content_Types].xml";
        xl = xl || StartsWith(name, "xl/");
        word = word || StartsWith(name, "word/");
        ppt = ppt || StartsWith(name, "ppt/");
        executable =
            executable || name == "AndroidManifest.xml" || name == "classes.dex" || name == "META-INF/MANIFEST.MF";
        at += kZipCentralHeaderSize + name_length + extra_length + comment_length;
    }
    if (executable) {
        scan.kind = Kind::kExecutable;
    } else if (content_types && xl) {
        scan.kind = Kind::kXlsx;
    } else if (content_types && word) {
        scan.kind = Kind::kDocx;
    } else if (content_types && ppt) {
        scan.kind = Kind::kPptx;
    }
    return scan;
}

// ---------------------------------------------------------------------------------------------------------
// Executables and text

bool IsExecutable(std::string_view bytes) {
    if (StartsWith(bytes,
                   "\x7f"
                   "ELF") ||
        StartsWith(bytes, std::string_view("\0asm", 4)) || StartsWith(bytes, "#!")) {
        return true;
    }
    if (bytes.size() >= 4) {
        const uint32_t magic = Be32(bytes, 0);
        // Mach-O (both byte orders, 32/64-bit), fat Mach-O and Java class files (0xcafebabe).
        if (magic == 0xfeedface || magic == 0xfeedfacf || magic == 0xcefaedfe || magic == 0xcffaedfe ||
            magic == 0xcafebabe) {
            return true;
        }
    }
    // PE: "MZ" and, at the offset stored at 0x3c, "PE\0\0".
    if (StartsWith(bytes, "MZ") && bytes.size() >= 0x40) {
        const size_t pe = Le32(bytes, 0x3c);
        if (pe + 4 <= bytes.size() && bytes.substr(pe, 4) == std::string_view("PE\0\0", 4)) return true;
    }
    return false;
}

// Valid UTF-8 (no overlongs, surrogates or code points past U+10FFFF) without NUL or control characters other
// than tab, line feed, vertical tab, form feed, carriage return and the DOS end-of-file mark.
bool IsUtf8Text(std::string_view s) {
    size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\v' && c != '\f' && c != '\r' && c != 0x1a) return false;
            if (c == 0x7f) return false;
            ++i;
            continue;
        }
        size_t n = 0;
        uint32_t cp = 0;
        if ((c & 0xe0) == 0xc0) {
            n = 2;
            cp = c & 0x1f;
        } else if ((c & 0xf0) == 0xe0) {
            n = 3;
            cp = c & 0x0f;
        } else if ((c & 0xf8) == 0xf0) {
            n = 4;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (i + n > s.size()) return false;
        for (size_t k = 1; k < n; ++k) {
            const auto cc = static_cast<unsigned char>(s[i + k]);
            if ((cc & 0xc0) != 0x80) return false;
            cp = (cp << 6) | (cc & 0x3f);
        }
        static constexpr std::array<uint32_t, 5> kMinForLength{0, 0, 0x80, 0x800, 0x10000};
        if (cp < kMinForLength[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
        i += n;
    }
    return true;
}

// Text whose first non-blank character opens a tag ("<html", "<!DOCTYPE", "<?xml", "<svg") is markup a
// browser would render, whatever the file claims to be.
bool LooksLikeMarkup(std::string_view text) {
    size_t i = 0;
    while (i < text.size() &&
           (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n' || text[i] == '\f')) {
        ++i;
    }
    if (i + 1 >= text.size() || text[i] != '<') return false;
    const char next = text[i + 1];
    return (next >= 'a' && next <= 'z') || (next >= 'A' && next <= 'Z') || next == '!' || next == '?' || next == '/';
}

// ---------------------------------------------------------------------------------------------------------
// Claimed types

enum class Claim { kAny, kImage, kMedia, kPdf, kText, kExcel, kOffice, kForbidden, kMultipart };

std::string MimeEssence(std::string_view content_type) {
    std::string essence = ToLower(content_type.substr(0, content_type.find(';')));
    while (!essence.empty() && (essence.back() == ' ' || essence.back() == '\t')) essence.pop_back();
    size_t start = 0;
    while (start < essence.size() && (essence[start] == ' ' || essence[start] == '\t')) ++start;
    return essence.substr(start);
}

bool IsCsvClaim(std::string_view essence) {
    return essence == "text/csv" || essence == "application/csv" || essence == "text/x-csv" ||
           essence == "text/comma-separated-values" || essence == "application/vnd.ms-excel";
}

Claim ClassifyClaim(std::string_view essence) {
    static constexpr std::array<std::string_view, 19> kForbidden{
        "text/html",
        "application/xhtml+xml",
        "image/svg+xml",
        "text/xml",
        "application/xml",
        "text/javascript",
        "application/javascript",
        "application/x-javascript",
        "application/x-msdownload",
        "application/x-msdos-program",
        "application/vnd.microsoft.portable-executable",
        "application/x-executable",
        "application/x-elf",
        "application/x-mach-binary",
        "application/x-sh",
        "application/x-shellscript",
        "application/java-archive",
        "application/vnd.android.package-archive",
        "application/wasm",
    };
    if (std::find(kForbidden.begin(), kForbidden.end(), essence) != kForbidden.end()) return Claim::kForbidden;
    if (StartsWith(essence, "multipart/")) return Claim::kMultipart;
    if (StartsWith(essence, "image/")) return Claim::kImage;
    if (StartsWith(essence, "video/") || StartsWith(essence, "audio/") || essence == "application/ogg" ||
        essence == "application/mp4") {
        return Claim::kMedia;
    }
    if (essence == "application/pdf" || essence == "application/x-pdf") return Claim::kPdf;
    if (essence == "application/vnd.ms-excel") return Claim::kExcel;
    if (StartsWith(essence, "text/") || essence == "application/json" || essence == "application/csv") {
        return Claim::kText;
    }
    if (essence == "application/zip" || essence == "application/x-zip-compressed" ||
        StartsWith(essence, "application/vnd.openxmlformats-officedocument.") ||
        StartsWith(essence, "application/vnd.oasis.opendocument.")) {
        return Claim::kOffice;
    }
    // Absent, application/octet-stream, curl's default application/x-www-form-urlencoded and anything we do not
    // know say nothing about the bytes.
    return Claim::kAny;
}

bool ClaimAccepts(Claim claim, Family family) {
    switch (claim) {
        case Claim::kAny: return true;
        case Claim::kImage: return family == Family::kImage;
        case Claim::kMedia: return family == Family::kMedia;
        case Claim::kPdf: return family == Family::kPdf;
        case Claim::kText: return family == Family::kText;
        // Windows browsers label .csv files application/vnd.ms-excel.
        case Claim::kExcel: return family == Family::kText || family == Family::kOffice;
        case Claim::kOffice: return family == Family::kOffice;
        case Claim::kForbidden:
        case Claim::kMultipart: return false;
    }
    return false;
}

std::string_view ClaimName(Claim claim) {
    switch (claim) {
        case Claim::kAny: return "any";
        case Claim::kImage: return "image";
        case Claim::kMedia: return "audio/video";
        case Claim::kPdf: return "pdf";
        case Claim::kText: return "text";
        case Claim::kExcel:
        case Claim::kOffice: return "office";
        case Claim::kForbidden: return "forbidden";
        case Claim::kMultipart: return "multipart";
    }
    return "any";
}

AppError TypeError(std::string code, std::string message, std::string_view claimed, Kind detected) {
    AppError e{std::move(code), std::move(message), {}, {}};
    e.extra["claimed_type"] = claimed;
    e.extra["detected_type"] = KindName(detected);
    return e;
}

}  // namespace

Family FamilyOf(Kind kind) {
    switch (kind) {
        case Kind::kJpeg:
        case Kind::kPng:
        case Kind::kWebp:
        case Kind::kGif:
        case Kind::kHeic:
        case Kind::kHeif:
        case Kind::kAvif: return Family::kImage;
        case Kind::kMp4:
        case Kind::kQuickTime:
        case Kind::k3gp:
        case Kind::kM4a:
        case Kind::kWebm:
        case Kind::kMatroska:
        case Kind::kOgg:
        case Kind::kWav:
        case Kind::kMp3:
        case Kind::kAac: return Family::kMedia;
        case Kind::kPdf: return Family::kPdf;
        case Kind::kXlsx:
        case Kind::kDocx:
        case Kind::kPptx:
        case Kind::kZip: return Family::kOffice;
        case Kind::kText: return Family::kText;
        case Kind::kMarkup:
        case Kind::kExecutable: return Family::kForbidden;
        case Kind::kUnknown: return Family::kUnknown;
    }
    return Family::kUnknown;
}

std::string_view ContentTypeOf(Kind kind) {
    switch (kind) {
        case Kind::kJpeg: return "image/jpeg";
        case Kind::kPng: return "image/png";
        case Kind::kWebp: return "image/webp";
        case Kind::kGif: return "image/gif";
        case Kind::kHeic: return "image/heic";
        case Kind::kHeif: return "image/heif";
        case Kind::kAvif: return "image/avif";
        case Kind::kMp4: return "video/mp4";
        case Kind::kQuickTime: return "video/quicktime";
        case Kind::k3gp: return "video/3gpp";
        case Kind::kM4a: return "audio/mp4";
        case Kind::kWebm: return "video/webm";
        case Kind::kMatroska: return "video/x-matroska";
        case Kind::kOgg: return "audio/ogg";
        case Kind::kWav: return "audio/wav";
        case Kind::kMp3: return "audio/mpeg";
        case Kind::kAac: return "audio/aac";
        case Kind::kPdf: return "application/pdf";
        case Kind::kXlsx: return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        case Kind::kDocx: return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
        case Kind::kPptx: return "application/vnd.openxmlformats-officedocument.presentationml.presentation";
        case Kind::kZip: return "application/zip";
        case Kind::kText: return "text/plain";
        case Kind::kMarkup: return "text/html";
        case Kind::kExecutable: return "application/octet-stream";
        case Kind::kUnknown: return "";
    }
    return "";
}

std::string_view KindName(Kind kind) {
    switch (kind) {
        case Kind::kJpeg: return "jpeg";
        case Kind::kPng: return "png";
        case Kind::kWebp: return "webp";
        case Kind::kGif: return "gif";
        case Kind::kHeic: return "heic";
        case Kind::kHeif: return "heif";
        case Kind::kAvif: return "avif";
        case Kind::kMp4: return "mp4";
        case Kind::kQuickTime: return "quicktime";
        case Kind::k3gp: return "3gp";
        case Kind::kM4a: return "m4a";
        case Kind::kWebm: return "webm";
        case Kind::kMatroska: return "matroska";
        case Kind::kOgg: return "ogg";
        case Kind::kWav: return "wav";
        case Kind::kMp3: return "mp3";
        case Kind::kAac: return "aac";
        case Kind::kPdf: return "pdf";
        case Kind::kXlsx: return "xlsx";
        case Kind::kDocx: return "docx";
        case Kind::kPptx: return "pptx";
        case Kind::kZip: return "zip";
        case Kind::kText: return "text";
        case Kind::kMarkup: return "markup";
        case Kind::kExecutable: return "executable";
        case Kind::kUnknown: return "unknown";
    }
    return "unknown";
}

Kind Sniff(std::string_view bytes) {
    if (bytes.empty()) return Kind::kUnknown;
    if (StartsWith(bytes, "\xff\xd8\xff")) return Kind::kJpeg;
    if (StartsWith(bytes, "\x89PNG\r\n\x1a\n")) return Kind::kPng;
    if (StartsWith(bytes, "GIF87a") || StartsWith(bytes, "GIF89a")) return Kind::kGif;
    if (bytes.size() >= 12 && StartsWith(bytes, "RIFF")) {
        if (bytes.substr(8, 4) == "WEBP") return Kind::kWebp;
        if (bytes.substr(8, 4) == "WAVE") return Kind::kWav;
        return Kind::kUnknown;  // AVI and other RIFF forms are not accepted
    }
    if (Kind k = SniffIsoBmff(bytes); k != Kind::kUnknown) return k;
    if (Kind k = SniffEbml(bytes); k != Kind::kUnknown) return k;
    if (StartsWith(bytes, "\x1a\x45\xdf\xa3")) return Kind::kUnknown;
    if (StartsWith(bytes, "OggS")) return Kind::kOgg;
    if (StartsWith(bytes, "ID3") || IsMp3FrameHeader(bytes)) return Kind::kMp3;
    if (IsAdtsHeader(bytes)) return Kind::kAac;
    if (StartsWith(bytes, "%PDF-")) return Kind::kPdf;
    if (StartsWith(bytes, "PK\x03\x04") || StartsWith(bytes, "PK\x05\x06")) return ScanZip(bytes).kind;
    if (IsExecutable(bytes)) return Kind::kExecutable;
    if (IsClassicQuickTime(bytes)) return Kind::kQuickTime;
    std::string_view text = StartsWith(bytes, "\xef\xbb\xbf") ? bytes.substr(3) : bytes;
    if (IsUtf8Text(text)) return LooksLikeMarkup(text) ? Kind::kMarkup : Kind::kText;
    return Kind::kUnknown;
}

Result<TypeDecision> DecideType(std::string_view claimed_content_type, std::string_view bytes) {
    const std::string essence = MimeEssence(claimed_content_type);
    const Claim claim = ClassifyClaim(essence);
    if (claim == Claim::kMultipart) {
        return AppError{
            "unsupported_media_type",
            "请直接以文件内容作为请求体上传，不要用 multipart 表单 / Send the file itself as the request body, "
            "not a multipart form",
            {},
            {}};
    }
    const Kind kind = Sniff(bytes);
    const Family family = FamilyOf(kind);
    if (family == Family::kUnknown) {
        return TypeError("file_type_not_allowed",
                         "无法识别的文件类型，仅接受图片、音视频、PDF、Office 文档和 UTF-8 文本 / Unrecognised file "
                         "type; images, audio, video, PDF, Office documents and UTF-8 text are accepted",
                         essence, kind);
    }
    if (family == Family::kForbidden) {
        if (claim != Claim::kAny && claim != Claim::kForbidden) {
            return TypeError("file_type_mismatch",
                             "文件内容是网页或可执行程序，却声称是" + std::string(ClaimName(claim)) +
                                 "，已拒绝 / The body is markup or an executable disguised as " +
                                 std::string(ClaimName(claim)),
                             essence, kind);
        }
        return TypeError("file_type_not_allowed",
                         "不接受网页、脚本或可执行文件 / Web pages, scripts and executables are not accepted", essence,
                         kind);
    }
    if (!ClaimAccepts(claim, family)) {
        return TypeError("file_type_mismatch",
                         "文件内容（" + std::string(KindName(kind)) + "）与声明的类型 " + essence +
                             " 不符 / The bytes are " + std::string(KindName(kind)) + ", not the claimed " + essence,
                         essence, kind);
    }
    if (kind == Kind::kPdf) {
        std::string_view tail = bytes.substr(bytes.size() > kPdfTailScan ? bytes.size() - kPdfTailScan : 0);
        if (tail.find("%%EOF") == std::string_view::npos) {
            return TypeError("file_corrupt", "PDF 文件不完整（缺少结尾标记） / The PDF is truncated (no %%EOF marker)",
                             essence, kind);
        }
    }
    if (FamilyOf(kind) == Family::kOffice && !ScanZip(bytes).valid) {
        return TypeError("file_corrupt",
                         "压缩文件不完整（缺少目录） / The ZIP archive is truncated (no central directory)", essence,
                         kind);
    }
    TypeDecision decision{kind, std::string(ContentTypeOf(kind))};
    if (kind == Kind::kText && IsCsvClaim(essence)) decision.content_type = "text/csv";
    return decision;
}

std::string RefineMediaType(Kind kind, bool has_video) {
    switch (kind) {
        case Kind::kMp4: return has_video ? "video/mp4" : "audio/mp4";
        case Kind::k3gp: return has_video ? "video/3gpp" : "audio/3gpp";
        case Kind::kWebm: return has_video ? "video/webm" : "audio/webm";
        case Kind::kMatroska: return has_video ? "video/x-matroska" : "audio/x-matroska";
        case Kind::kOgg: return has_video ? "video/ogg" : "audio/ogg";
        default: return std::string(ContentTypeOf(kind));
    }
}

}  // namespace safeloop::files
