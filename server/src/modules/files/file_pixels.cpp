// Pixels: the JPEG shrink-on-load factor, thumbnail sizes, the box-filter downscale, crop and EXIF orientation
// (file_rules.hpp).

#include "modules/files/file_rules.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

namespace safeloop::files {

int JpegShrinkOnLoad(int width, int height, int thumbnail_px) {
    constexpr std::array kShrinks{8, 4, 2};
    const int long_side = std::max(width, height);
    for (const int shrink : kShrinks) {
        // libjpeg rounds a scaled dimension up, but the partial last row and column are dropped (as libvips'
        // shrink-on-load does), so the shrunk size is rounded down.
        if (long_side / shrink >= thumbnail_px) return shrink;
    }
    return 1;
}

ImageSize ThumbnailSize(int width, int height, int thumbnail_px) {
    const int64_t long_side = std::max(width, height);
    if (long_side <= thumbnail_px) return {width, height};
    // round(side * px / long) with integers: (2 * side * px + long) / (2 * long).
    const auto scaled = [&](int64_t side) {
        return static_cast<int>(std::max<int64_t>(1, (2 * side * thumbnail_px + long_side) / (2 * long_side)));
    };
    return {scaled(width), scaled(height)};
}

namespace {

// Source pixel j spans [j * dst, (j + 1) * dst) and output pixel i spans [i * src, (i + 1) * src) on a common
// integer axis (src * dst units long), so every overlap is a whole number and an output's weights add up to src.
struct BoxTaps {
    std::vector<int> first;   // per output: its first source pixel
    std::vector<int> count;   // per output: how many source pixels it covers
    std::vector<int> offset;  // per output: where its weights start in `weight`
    std::vector<int64_t> weight;
};

BoxTaps MakeBoxTaps(int src, int dst) {
    BoxTaps taps;
    taps.first.reserve(static_cast<size_t>(dst));
    taps.count.reserve(static_cast<size_t>(dst));
    taps.offset.reserve(static_cast<size_t>(dst));
    for (int64_t i = 0; i < dst; ++i) {
        const int64_t lo = i * src;
        const int64_t hi = (i + 1) * src;
        const int64_t first = lo / dst;
        const int64_t last = (hi + dst - 1) / dst;  // one past the last source pixel touched
        taps.first.push_back(static_cast<int>(first));
        taps.count.push_back(static_cast<int>(last - first));
        taps.offset.push_back(static_cast<int>(taps.weight.size()));
        for (int64_t j = first; j < last; ++j) {
            taps.weight.push_back(std::min((j + 1) * dst, hi) - std::max(j * dst, lo));
        }
    }
    return taps;
}

}  // namespace

namespace {

// floor(n / d) by one multiplication, for the many outputs that share one divisor: with m = ceil(2^64 / d) =
// (2^64 + e) / d, 0 <= e < d, n * m / 2^64 = n / d + n * e / (d * 2^64), and the second term stays under 1 / d
// while n * e < 2^64, so it never carries the quotient past the next whole number: exact for n, d < 2^32.
class ExactDivider {
public:
    explicit ExactDivider(uint64_t d) : d_(d), m_(d > 1 ? std::numeric_limits<uint64_t>::max() / d + 1 : 0) {}
    uint64_t operator()(uint64_t n) const {
        if (d_ == 1) return n;
        return static_cast<uint64_t>((static_cast<unsigned __int128>(n) * m_) >> 64U);
    }

private:
    uint64_t d_;
    uint64_t m_;
};

// out[i] (+)= weight * row[i] for a whole row, in blocks of 16 that the compiler turns into vector instructions
// (pointers that do not alias, a fixed trip count), then the rest one at a time.
template <typename Acc, bool kFirst>
void WeighRow(Acc* __restrict out, const uint8_t* __restrict row, Acc weight, size_t n) {
    constexpr size_t kBlock = 16;
    size_t i = 0;
    for (; i + kBlock <= n; i += kBlock) {
        for (size_t j = 0; j < kBlock; ++j) {
            const Acc value = weight * row[i + j];
            if constexpr (kFirst) {
                out[i + j] = value;
            } else {
                out[i + j] += value;
            }
        }
    }
    for (; i < n; ++i) {
        const Acc value = weight * row[i];
        if constexpr (kFirst) {
            out[i] = value;
        } else {
            out[i] += value;
        }
    }
}

// `Acc` holds a sum of weighted values: at most 255 * in.width * in.height (the whole area's weight). `kChannels`
// is the number of channels when known at compile time (so the innermost loops unroll), 0 otherwise.
template <typename Acc, int kChannels>
Pixels BoxDownscaleWith(const Pixels& in, int width, int height) {
    const auto channels = static_cast<size_t>(kChannels > 0 ? kChannels : in.channels);
    const BoxTaps across = MakeBoxTaps(in.width, width);
    const BoxTaps down = MakeBoxTaps(in.height, height);
    // Down first, a whole row at a time: `height` rows of sums whose weights add up to in.height.
    const size_t in_row = static_cast<size_t>(in.width) * channels;
    std::vector<Acc> columns(static_cast<size_t>(height) * in_row);
    for (size_t y = 0; y < static_cast<size_t>(height); ++y) {
        Acc* out = columns.data() + y * in_row;
        for (int k = 0; k < down.count[y]; ++k) {
            const auto weight = static_cast<Acc>(down.weight[static_cast<size_t>(down.offset[y]) + k]);
            const uint8_t* row = in.data.data() + (static_cast<size_t>(down.first[y]) + k) * in_row;
            if (k == 0) {
                WeighRow<Acc, true>(out, row, weight, in_row);
            } else {
                WeighRow<Acc, false>(out, row, weight, in_row);
            }
        }
    }
    // Then across, and divide by the whole area (in.width * in.height units), rounding to nearest.
    const size_t row_size = static_cast<size_t>(width) * channels;
    Pixels result{width, height, in.channels, std::vector<uint8_t>(row_size * height)};
    const auto area = static_cast<uint64_t>(in.width) * static_cast<uint64_t>(in.height);
    const ExactDivider divide(area);
    std::vector<Acc> across_weight(across.weight.begin(), across.weight.end());
    for (size_t y = 0; y < static_cast<size_t>(height); ++y) {
        const Acc* src = columns.data() + y * in_row;
        uint8_t* out = result.data.data() + y * row_size;
        for (size_t x = 0; x < static_cast<size_t>(width); ++x) {
            const Acc* w = across_weight.data() + across.offset[x];
            const Acc* s = src + static_cast<size_t>(across.first[x]) * channels;
            const int count = across.count[x];
            const auto put = [&](size_t c, uint64_t n) {
                // 32-bit sums keep n under 2^32, where the divider is exact; larger areas divide plainly.
                if constexpr (sizeof(Acc) == sizeof(uint32_t)) {
                    out[x * channels + c] = static_cast<uint8_t>(divide(n));
                } else {
                    out[x * channels + c] = static_cast<uint8_t>(n / area);
                }
            };
            if constexpr (kChannels == 3) {  // the three channels of a tap at once, in registers
                uint64_t r = area / 2, g = area / 2, b = area / 2;
                for (int k = 0; k < count; ++k) {
                    const uint64_t weight = w[k];
                    const Acc* p = s + static_cast<size_t>(k) * 3;
                    r += weight * p[0];
                    g += weight * p[1];
                    b += weight * p[2];
                }
                put(0, r);
                put(1, g);
                put(2, b);
            } else {
                for (size_t c = 0; c < channels; ++c) {
                    uint64_t n = area / 2;
                    for (int k = 0; k < count; ++k) n += uint64_t{w[k]} * s[static_cast<size_t>(k) * channels + c];
                    put(c, n);
                }
            }
        }
    }
    return result;
}

template <typename Acc>
Pixels BoxDownscaleWith(const Pixels& in, int width, int height) {
    switch (in.channels) {
        case 1: return BoxDownscaleWith<Acc, 1>(in, width, height);
        case 3: return BoxDownscaleWith<Acc, 3>(in, width, height);
        default: return BoxDownscaleWith<Acc, 0>(in, width, height);
    }
}

}  // namespace

Pixels BoxDownscale(const Pixels& in, int width, int height) {
    // 32-bit sums (twice as many per vector instruction) and one-multiplication division whenever they cannot
    // overflow: any thumbnail source.
    constexpr int64_t kMaxAreaFor32Bits = (int64_t{1} << 32) / 256;
    if (static_cast<int64_t>(in.width) * in.height < kMaxAreaFor32Bits) {
        return BoxDownscaleWith<uint32_t>(in, width, height);
    }
    return BoxDownscaleWith<uint64_t>(in, width, height);
}

Pixels Crop(Pixels in, int width, int height) {
    width = std::min(width, in.width);
    height = std::min(height, in.height);
    const auto channels = static_cast<size_t>(in.channels);
    if (width < in.width) {  // rows move forward in place: each lands at or before where it was read
        const size_t from_stride = static_cast<size_t>(in.width) * channels;
        const size_t to_stride = static_cast<size_t>(width) * channels;
        for (size_t y = 1; y < static_cast<size_t>(height); ++y) {
            const auto from = in.data.begin() + static_cast<ptrdiff_t>(y * from_stride);
            std::copy(from, from + static_cast<ptrdiff_t>(to_stride),
                      in.data.begin() + static_cast<ptrdiff_t>(y * to_stride));
        }
    }
    in.data.resize(static_cast<size_t>(width) * height * channels);
    in.width = width;
    in.height = height;
    return in;
}

Pixels Orient(Pixels in, int orientation) {
    if (orientation < 2 || orientation > 8) return in;
    const int w = in.width;
    const int h = in.height;
    const bool swap = orientation >= 5;
    Pixels out{swap ? h : w, swap ? w : h, in.channels, std::vector<uint8_t>(in.data.size())};
    // For each output pixel (x, y), the stored pixel it shows.
    const auto source = [&](int x, int y) -> std::pair<int, int> {
        switch (orientation) {
            case 2: return {w - 1 - x, y};
            case 3: return {w - 1 - x, h - 1 - y};
            case 4: return {x, h - 1 - y};
            case 5: return {y, x};
            case 6: return {y, h - 1 - x};
            case 7: return {w - 1 - y, h - 1 - x};
            default: return {w - 1 - y, x};  // 8
        }
    };
    const auto channels = static_cast<size_t>(in.channels);
    for (int y = 0; y < out.height; ++y) {
        for (int x = 0; x < out.width; ++x) {
            const auto [sx, sy] = source(x, y);
            const uint8_t* s = in.data.data() + (static_cast<size_t>(sy) * w + sx) * channels;
            std::copy(s, s + channels, out.data.data() + (static_cast<size_t>(y) * out.width + x) * channels);
        }
    }
    return out;
}

}  // namespace safeloop::files
