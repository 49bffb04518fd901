#pragma once

// Decoding uploads with libjpeg (JPEG), libvips (other images), libexif (capture time, GPS) and libavformat
// (audio/video containers). CPU work: call from worker threads, never from the I/O threads.

#include "core/error.hpp"
#include "modules/files/file_bytes.hpp"
#include "modules/files/file_rules.hpp"

#include <string>
#include <string_view>

namespace safeloop::files {

// Starts libvips (VIPS_INIT), blocks its loaders that are unsafe on untrusted input (ImageMagick, PDF, SVG…),
// turns off its operation cache (it would keep upload buffers alive) and its per-operation threads (requests
// already run in parallel on the worker pool) and silences libvips warnings and libav
// logging. Safe to call more than once and from several threads; the probes below call it themselves (with
// "safeloop") if main has not.
void InitMedia(const char* argv0);

// Images above this many pixels are refused (image_too_large) before they are decoded: a small file can
// declare a huge canvas.
inline constexpr int64_t kMaxImagePixels = 250'000'000;

struct ImageProbe {
    ImageFacts facts;
    std::string thumbnail_jpeg;  // long side <= the requested size (never enlarged), EXIF orientation applied
    int thumbnail_width = 0;
    int thumbnail_height = 0;
};

// Reads the header and EXIF, then decodes the whole image once (so a truncated or damaged image fails:
// file_corrupt) straight into the JPEG thumbnail. A JPEG goes through libjpeg directly: decoded at 1/2, 1/4 or 1/8
// scale when the thumbnail allows (JpegShrinkOnLoad; every coded byte is still read, and libjpeg's warnings, such
// as a premature end of data, count as damage), area-averaged down to the thumbnail (BoxDownscale), turned upright
// (Orient) and encoded at quality 80. Every other kind, and CMYK/YCCK JPEGs, go through ProbeImageWithVips.
Result<ImageProbe> ProbeImage(Kind kind, std::string_view bytes, int thumbnail_px);

// The libvips pipeline for any image kind: the header and EXIF from the loader for `kind`, then one decode (a JPEG
// shrunk on load) through libvips' resize (Lanczos), autorotate and sRGB conversion into the JPEG thumbnail.
// ProbeImage uses it for everything but plain JPEGs; public so the tests and bench/probe_image can compare.
Result<ImageProbe> ProbeImageWithVips(Kind kind, std::string_view bytes, int thumbnail_px);

// Reads EXIF from a raw EXIF block ("Exif\0\0" + TIFF) or a whole JPEG file.
ExifFacts ReadExif(std::string_view exif_or_jpeg);

// Opens the container from memory with libavformat, using the demuxer for the sniffed kind (only the demuxers of
// accepted formats, never any nested I/O), and reads its stream parameters and duration. Refused (file_corrupt) when it
// does not open, has no audio or video stream with a known codec and sane parameters, or (MP4/MOV) its sample table
// points past the end of the body. Without libavcodec linked, frames are not decoded: a stream whose container is sound
// but whose codec data is garbage is not detected here.
Result<MediaFacts> ProbeMedia(Kind kind, std::string_view bytes);
// The same, reading from `source` only what the demuxer asks for (a resumable upload's stored bytes). Exceptions of
// the source are rethrown, not reported as a corrupt file.
Result<MediaFacts> ProbeMedia(Kind kind, ByteSource& source);

}  // namespace safeloop::files
