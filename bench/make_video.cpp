// Writes a real Motion-JPEG-in-Matroska video of about the requested size for bench/sync.sh: one noisy
// 1280x720 frame per second (a handful of distinct frames, repeated), its duration declared, so the files
// module probes it with libavformat like a phone's clip. The writing-app field ends in ten zeros that the
// bench overwrites per phone, so every phone's videos are distinct files.
// Usage: bench_make_video OUT.mkv seconds target_mb

#include <vips/vips8>

#include <bit>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "../server/tests/ebml_writer.hpp"

namespace {

constexpr int kWidth = 1280;
constexpr int kHeight = 720;
constexpr int kDistinctFrames = 4;

using safeloop::ebml::Element;
using safeloop::ebml::Float;
using safeloop::ebml::UInt;

std::string Frame(int seed, int quality) {
    vips::VImage noise = vips::VImage::gaussnoise(
        kWidth, kHeight, vips::VImage::option()->set("sigma", 24.0)->set("mean", 100.0 + seed * 7));
    vips::VImage xy = vips::VImage::xyz(kWidth, kHeight);
    vips::VImage gradient = xy[0] * (120.0 / kWidth) + xy[1] * (90.0 / kHeight);
    vips::VImage rgb =
        (noise + gradient).bandjoin({noise * 0.8 + 30, noise * 0.6 + gradient * 0.5}).cast(VIPS_FORMAT_UCHAR);
    void* buffer = nullptr;
    size_t size = 0;
    rgb.write_to_buffer(".jpg", &buffer, &size, vips::VImage::option()->set("Q", quality));
    std::string out(static_cast<const char*>(buffer), size);
    g_free(buffer);
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 4) {
        std::fprintf(stderr, "usage: %s OUT.mkv seconds target_mb\n", argv[0]);
        return 2;
    }
    if (VIPS_INIT(argv[0])) return 1;
    const int seconds = std::atoi(argv[2]);
    const double target = std::atof(argv[3]) * 1024 * 1024;
    // The JPEG quality whose frames reach the target size over `seconds` frames.
    std::vector<std::string> frames;
    for (int quality = 40; quality <= 98; quality += 4) {
        frames.clear();
        for (int i = 0; i < kDistinctFrames; ++i) frames.push_back(Frame(i, quality));
        if (static_cast<double>(frames[0].size()) * seconds >= target) break;
    }
    const std::string header =
        Element(0x1A45DFA3, UInt(0x4286, 1) + UInt(0x42F7, 1) + UInt(0x42F2, 4) + UInt(0x42F3, 8) +
                                Element(0x4282, "matroska") + UInt(0x4287, 4) + UInt(0x4285, 2));
    const std::string info =
        Element(0x1549A966, UInt(0x2AD7B1, 1000000) + Float(0x4489, seconds * 1000.0) +
                                Element(0x4D80, "safeloop-bench") + Element(0x5741, "safeloop-bench-0000000000"));
    const std::string video = Element(0xE0, UInt(0xB0, kWidth) + UInt(0xBA, kHeight));
    const std::string track = Element(0xAE, UInt(0xD7, 1) + UInt(0x73C5, 1) + UInt(0x83, 1) + Element(0x86, "V_MJPEG") +
                                                UInt(0x23E383, 1000000000) + video);
    std::string clusters;
    for (int s = 0; s < seconds; ++s) {
        std::string block;
        block.push_back(static_cast<char>(0x81));
        block.push_back('\0');
        block.push_back('\0');
        block.push_back(static_cast<char>(0x80));
        block += frames[static_cast<size_t>(s) % frames.size()];
        clusters += Element(0x1F43B675, UInt(0xE7, static_cast<uint64_t>(s) * 1000) + Element(0xA3, block));
    }
    std::ofstream out(argv[1], std::ios::binary);
    out << header << Element(0x18538067, info + Element(0x1654AE6B, track) + clusters);
    return out ? 0 : 1;
}
