#pragma once

// The file store's pure rules (no I/O): what a body is, judged from its bytes rather than its claimed
// Content-Type; whether it may be stored; content addresses and their on-disk layout; the metadata kept
// from EXIF and media probes; HTTP byte ranges.

#include "core/clock.hpp"
#include "core/error.hpp"

#include <boost/json/object.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace safeloop::files {

enum class Kind {
    kUnknown,
    // images
    kJpeg,
    kPng,
    kWebp,
    kGif,
    kHeic,
    kHeif,
    kAvif,
    // audio and video
    kMp4,
    kQuickTime,
    k3gp,
    kM4a,
    kWebm,
    kMatroska,
    kOgg,
    kWav,
    kMp3,
    kAac,
    // documents
    kPdf,
    kXlsx,
    kDocx,
    kPptx,
    kZip,
    kText,
    // recognised and always refused
    kMarkup,      // HTML, XML, SVG: a browser could run script in them
    kExecutable,  // ELF, PE, Mach-O, Java class/JAR, APK, WebAssembly, #! scripts
};

enum class Family { kImage, kMedia, kPdf, kOffice, kText, kForbidden, kUnknown };

Family FamilyOf(Kind kind);
// The canonical MIME type of a kind ("image/jpeg"); empty for kUnknown.
std::string_view ContentTypeOf(Kind kind);
std::string_view KindName(Kind kind);

// Identifies the body from its leading bytes (and, for ZIP, its central directory).
Kind Sniff(std::string_view bytes);

struct TypeDecision {
    Kind kind = Kind::kUnknown;
    std::string content_type;  // what the store records and serves
};

// Accepts a body of an allowed kind whose claimed Content-Type (parameters ignored) is of the same family
// or says nothing (absent, application/octet-stream, an unrecognised type). Errors:
//   file_type_not_allowed — unknown bytes, or a forbidden kind that does not pretend to be something else;
//   file_type_mismatch    — the claim names another family than the bytes (a PDF sent as image/jpeg, HTML or
//                           an executable sent as a photo);
//   file_corrupt          — a PDF without its end marker, a ZIP without its central directory.
Result<TypeDecision> DecideType(std::string_view claimed_content_type, std::string_view bytes);

// Audio and video containers share a sniffed type until the probe knows whether there is a picture:
// an MP4 without a video stream is audio/mp4, a WebM without one audio/webm, an Ogg with one video/ogg.
std::string RefineMediaType(Kind kind, bool has_video);

// Content addresses: 64 lower-case hex digits (SHA-256 of the exact bytes).
bool IsFileId(std::string_view text);
// Lower-cases a candidate id; nullopt when it is not 64 hex digits.
std::optional<std::string> NormalizeFileId(std::string_view text);
// dir/ab/cd/<id>: two levels of 256 directories keep directories small.
std::filesystem::path BlobPath(const std::filesystem::path& dir, std::string_view id);

// EXIF and GPS facts as read from an image, before interpretation.
struct ExifFacts {
    std::optional<std::string> date_time_original;    // "2026:03:01 08:15:00", the camera's wall clock
    std::optional<std::string> offset_time_original;  // "+08:00" (EXIF 2.31)
    std::optional<std::string> gps_date;              // "2026:03:01", UTC
    std::optional<double> gps_time_of_day_s;          // seconds since midnight, UTC
    std::optional<double> latitude;                   // signed decimal degrees
    std::optional<double> longitude;
    std::optional<double> altitude_m;
    int orientation = 1;  // 1..8
};

struct ImageFacts {
    int width = 0;  // as stored (before EXIF orientation)
    int height = 0;
    ExifFacts exif;
};

struct MediaFacts {
    std::string container;             // libavformat's demuxer name, e.g. "mov,mp4,m4a,3gp,3g2,mj2"
    std::optional<double> duration_s;  // absent when the container does not say (live-recorded WebM)
    bool has_video = false;
    bool has_audio = false;
    int width = 0;  // of the first video stream
    int height = 0;
};

// JPEG shrink-on-load for a thumbnail whose long side is at most `thumbnail_px`: the largest of 8, 4 and 2
// (libjpeg decodes at 1/8, 1/4 or 1/2 scale while still reading every coded byte) that keeps the shrunk long side,
// rounded down (the partial last row and column are dropped), at or above `thumbnail_px`, so the final resize only
// ever goes down; 1 when the image is already that small.
int JpegShrinkOnLoad(int width, int height, int thumbnail_px);

// 8-bit pixels, interleaved by channel, rows top to bottom with no padding.
struct Pixels {
    int width = 0;
    int height = 0;
    int channels = 0;           // 1 (grey) or 3 (RGB)
    std::vector<uint8_t> data;  // width * height * channels bytes
};

struct ImageSize {
    int width = 0;
    int height = 0;
    bool operator==(const ImageSize&) const = default;
};

// The thumbnail's size for a width x height image: the long side becomes `thumbnail_px` and the short side
// follows in proportion, rounded to the nearest pixel (at least 1), as libvips' resize sizes it; an image whose long
// side is already at most `thumbnail_px` keeps its size (never enlarged).
ImageSize ThumbnailSize(int width, int height, int thumbnail_px);

// The top-left `width` x `height` pixels (each at most the image's own side).
Pixels Crop(Pixels in, int width, int height);

// Downscales by area averaging (a box filter): each output pixel is the mean of the source area it covers, partly
// covered source pixels weighted by the part covered, rounded to the nearest value. Exact integer arithmetic.
// `width` and `height` must be between 1 and the source's size.
Pixels BoxDownscale(const Pixels& in, int width, int height);

// Turns stored pixels upright by their EXIF orientation (1 as stored, 2 mirrored left-right, 3 rotated 180°,
// 4 mirrored top-bottom, 5 transposed, 6 needing 90° clockwise, 7 transversed, 8 needing 90° anticlockwise);
// 5 to 8 swap width and height. Anything else is taken as 1.
Pixels Orient(Pixels in, int orientation);

// "YYYY:MM:DD HH:MM:SS" (EXIF; '-' separators tolerated, trailing NULs/spaces ignored) as a wall-clock
// time point (the digits read as if UTC).
std::optional<TimePoint> ParseExifDateTime(std::string_view text);
// "+08:00" / "-05:30" -> minutes east of UTC.
std::optional<int> ParseUtcOffset(std::string_view text);
// Degrees, minutes, seconds and a reference letter (N/S/E/W) -> signed decimal degrees; nullopt when out of
// range.
std::optional<double> DmsToDegrees(double degrees, double minutes, double seconds, char ref, double max_degrees);

struct CaptureTime {
    TimePoint utc;
    TimePoint wall;             // the camera's clock, as read
    std::string offset_source;  // "exif" (OffsetTimeOriginal), "gps" (derived from the GPS UTC stamp), "assumed"
};

// The UTC capture time: the wall clock corrected by OffsetTimeOriginal when present, else by the offset the GPS
// UTC time stamp implies (rounded to 15 minutes), else by the assumed offset.
std::optional<CaptureTime> ResolveCaptureTime(const ExifFacts& exif, int assumed_offset_min);

// The "meta" object of an image: width/height as displayed (EXIF orientation applied), captured_at (RFC 3339
// UTC), captured_at_local, captured_at_offset, gps {lat, lng, alt_m?}.
boost::json::object ImageMeta(const ImageFacts& facts, int assumed_offset_min);
// The "meta" object of audio/video: container, duration_s, has_video, has_audio, width/height (video).
boost::json::object MediaMeta(const MediaFacts& facts);

// A single satisfiable "Range: bytes=a-b" (or "a-", "-n") against a body of `size` bytes. Anything else
// (several ranges, malformed, unsatisfiable) is nullopt, and the whole body is sent instead.
struct ByteRange {
    int64_t first = 0;
    int64_t last = 0;  // inclusive
};
std::optional<ByteRange> ParseRange(std::string_view header, int64_t size);

}  // namespace safeloop::files
