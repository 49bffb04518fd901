// A minimal EBML / Matroska element writer, header-only: the API tests' evidence videos
// (server/tests/hazards_media.cpp) and bench/make_video.cpp (built on its own by bench/sync.sh) both write
// their Motion-JPEG-in-Matroska files with it.
#pragma once

#include <bit>
#include <cstdint>
#include <string>

namespace safeloop::ebml {

inline std::string Id(uint32_t id) {
    std::string out;
    for (int shift = 24; shift >= 0; shift -= 8) {
        const auto byte = static_cast<uint8_t>(id >> shift);
        if (byte != 0 || !out.empty()) out.push_back(static_cast<char>(byte));
    }
    return out;
}

// Sizes always take 8 bytes (0x01 marker + 7 bytes), which every reader accepts.
inline std::string Size(uint64_t size) {
    std::string out(1, '\x01');
    for (int shift = 48; shift >= 0; shift -= 8) out.push_back(static_cast<char>((size >> shift) & 0xff));
    return out;
}

inline std::string Element(uint32_t id, const std::string& payload) { return Id(id) + Size(payload.size()) + payload; }

inline std::string UInt(uint32_t id, uint64_t value) {
    std::string bytes;
    for (int shift = 56; shift >= 0; shift -= 8) {
        const auto byte = static_cast<uint8_t>(value >> shift);
        if (byte != 0 || !bytes.empty() || shift == 0) bytes.push_back(static_cast<char>(byte));
    }
    return Element(id, bytes);
}

inline std::string Float(uint32_t id, double value) {
    const auto bits = std::bit_cast<uint64_t>(value);
    std::string bytes;
    for (int shift = 56; shift >= 0; shift -= 8) bytes.push_back(static_cast<char>((bits >> shift) & 0xff));
    return Element(id, bytes);
}

inline std::string Text(uint32_t id, const std::string& value) { return Element(id, value); }

}  // namespace safeloop::ebml
