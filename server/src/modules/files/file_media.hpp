#pragma once

// Decoding uploads with libvips (images), libexif (capture time, GPS) and libavformat (audio/video
// containers). CPU work: call from worker threads, never from the I/O threads.

#include "core/error.hpp"
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

// Reads the header and EXIF with the loader for `kind`, then decodes the whole image once (so a truncated or damaged
// image fails: file_corrupt) straight into the JPEG thumbnail; a JPEG is decoded at 1/2, 1/4 or 1/8 scale when the
// thumbnail allows (JpegShrinkOnLoad), which still reads every coded byte.
Result<ImageProbe> ProbeImage(Kind kind, std::string_view bytes, int thumbnail_px);

// Reads EXIF from a raw EXIF block ("Exif\0\0" + TIFF) or a whole JPEG file.
ExifFacts ReadExif(std::string_view exif_or_jpeg);

// Opens the container from memory with libavformat, using the demuxer for the sniffed kind (only the demuxers of
// accepted formats, never any nested I/O), and reads its stream parameters and duration. Refused (file_corrupt) when it
// does not open, has no audio or video stream with a known codec and sane parameters, or (MP4/MOV) its sample table
// points past the end of the body. Without libavcodec linked, frames are not decoded: a stream whose container is sound
// but whose codec data is garbage is not detected here.
Result<MediaFacts> ProbeMedia(Kind kind, std::string_view bytes);

}  // namespace safeloop::files
