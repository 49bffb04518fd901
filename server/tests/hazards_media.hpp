#pragma once

// Real media for the hazard API tests, made in-process without external tools: JPEG and PNG images
// (libvips) and a real video — a Matroska file whose video track is Motion JPEG, one real JPEG frame
// per second for N seconds, with the segment's duration declared accordingly — and a WAV recording. The files module
// probes it with libavformat like any phone video and records its duration.

#include <string>

namespace safeloop::testing {

// A w×h JPEG whose pixels depend on `seed` (so different seeds give different file ids).
std::string MakeJpeg(int width, int height, int seed);
// A w×h PNG (e.g. a drawn signature).
std::string MakePng(int width, int height, int seed);
// Motion-JPEG-in-Matroska video lasting `seconds` (one frame per second), `seed` varies the frames.
std::string MakeMjpegVideo(int seconds, int seed);
// A WAV voice recording lasting `seconds`: 8 kHz mono 8-bit PCM (a tone whose pitch depends on `seed`).
std::string MakeWav(int seconds, int seed);

}  // namespace safeloop::testing
