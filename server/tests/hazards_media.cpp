#include "hazards_media.hpp"

#include "ebml_writer.hpp"

#include <bit>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <vector>
#include <vips/vips8>

namespace safeloop::testing {

namespace {

constexpr int kFrameWidth = 64;
constexpr int kFrameHeight = 48;

std::string Encode(int width, int height, int seed, const char* suffix) {
    vips::VImage image = vips::VImage::black(width, height, vips::VImage::option()->set("bands", 3));
    image = image + std::vector<double>{static_cast<double>(seed * 37 % 256), static_cast<double>(seed * 91 % 256),
                                        static_cast<double>(seed * 53 % 256)};
    image = image.cast(VIPS_FORMAT_UCHAR);
    void* buffer = nullptr;
    size_t size = 0;
    image.write_to_buffer(suffix, &buffer, &size);
    std::string out(static_cast<const char*>(buffer), size);
    g_free(buffer);
    return out;
}

using ebml::Element;
using ebml::Float;
using ebml::Text;
using ebml::UInt;

}  // namespace

std::string MakeJpeg(int width, int height, int seed) { return Encode(width, height, seed, ".jpg"); }

std::string MakePng(int width, int height, int seed) { return Encode(width, height, seed, ".png"); }

std::string MakeMjpegVideo(int seconds, int seed) {
    if (seconds < 1) throw std::invalid_argument("a video lasts at least a second");
    const std::string header =
        Element(0x1A45DFA3, UInt(0x4286, 1) + UInt(0x42F7, 1) + UInt(0x42F2, 4) + UInt(0x42F3, 8) +
                                Text(0x4282, "matroska") + UInt(0x4287, 4) + UInt(0x4285, 2));
    const std::string info = Element(0x1549A966, UInt(0x2AD7B1, 1000000) + Float(0x4489, seconds * 1000.0) +
                                                     Text(0x4D80, "safeloop-tests") + Text(0x5741, "safeloop-tests"));
    const std::string video = Element(0xE0, UInt(0xB0, kFrameWidth) + UInt(0xBA, kFrameHeight));
    const std::string track = Element(0xAE, UInt(0xD7, 1) + UInt(0x73C5, 1) + UInt(0x83, 1) + Text(0x86, "V_MJPEG") +
                                                UInt(0x23E383, 1000000000) + video);
    const std::string tracks = Element(0x1654AE6B, track);
    std::string clusters;
    for (int s = 0; s < seconds; ++s) {
        // One cluster per frame: cluster timestamp in ms, block at relative time 0, keyframe.
        std::string block;
        block.push_back(static_cast<char>(0x81));  // track 1 as an EBML varint
        block.push_back('\0');
        block.push_back('\0');
        block.push_back(static_cast<char>(0x80));
        block += MakeJpeg(kFrameWidth, kFrameHeight, seed * 1000 + s);
        clusters += Element(0x1F43B675, UInt(0xE7, static_cast<uint64_t>(s) * 1000) + Element(0xA3, block));
    }
    return header + Element(0x18538067, info + tracks + clusters);
}

std::string MakeWav(int seconds, int seed) {
    constexpr uint32_t kRate = 8000;
    const uint32_t samples = kRate * static_cast<uint32_t>(seconds);
    std::string out;
    auto u32 = [&out](uint32_t v) {
        for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
    };
    auto u16 = [&out](uint16_t v) {
        out.push_back(static_cast<char>(v & 0xff));
        out.push_back(static_cast<char>(v >> 8));
    };
    out += "RIFF";
    u32(36 + samples);
    out += "WAVEfmt ";
    u32(16);
    u16(1);      // PCM
    u16(1);      // mono
    u32(kRate);  // sample rate
    u32(kRate);  // bytes per second
    u16(1);      // block align
    u16(8);      // bits per sample
    out += "data";
    u32(samples);
    // A square wave around the 8-bit midpoint, its period set by the seed.
    const uint32_t half_period = 4 + static_cast<uint32_t>(seed % 16);
    for (uint32_t i = 0; i < samples; ++i) out.push_back(static_cast<char>((i / half_period) % 2 ? 0xa0 : 0x60));
    return out;
}

}  // namespace safeloop::testing
