// Writes a noisy photo-like JPEG of about the requested size (bench input: phones upload ~200-300 KB
// photos). Usage: bench_make_jpeg OUT.jpg [target_kb] [seed]

#include <vips/vips8>

#include <cstdio>
#include <cstdlib>
#include <string>

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s OUT.jpg [target_kb] [seed]\n", argv[0]);
        return 2;
    }
    if (VIPS_INIT(argv[0])) return 1;
    int target_kb = argc > 2 ? std::atoi(argv[2]) : 200;
    int seed = argc > 3 ? std::atoi(argv[3]) : 1;
    // Smooth gradients plus gaussian noise compress like a real photo; grow the frame until the file
    // reaches the target size.
    for (int width = 400; width <= 4000; width += 40) {
        int height = width * 3 / 4;
        vips::VImage noise = vips::VImage::gaussnoise(
            width, height, vips::VImage::option()->set("sigma", 28.0)->set("mean", 110.0 + seed % 20));
        vips::VImage xy = vips::VImage::xyz(width, height);
        vips::VImage gradient = (xy[0] * (120.0 / width) + xy[1] * (90.0 / height));
        // Three bands (the static bandjoin: the member one with a list joined only two, and jpegsave wrote one
        // grey component, cheaper to decode than the colour photos phones take), tagged sRGB.
        vips::VImage rgb = vips::VImage::bandjoin({noise + gradient, noise * 0.8 + 30, noise * 0.6 + gradient * 0.5})
                               .cast(VIPS_FORMAT_UCHAR)
                               .copy(vips::VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
        void* buffer = nullptr;
        size_t size = 0;
        rgb.write_to_buffer(".jpg", &buffer, &size, vips::VImage::option()->set("Q", 85));
        if (static_cast<int>(size / 1024) >= target_kb || width + 40 > 4000) {
            FILE* f = std::fopen(argv[1], "wb");
            if (!f) return 1;
            std::fwrite(buffer, 1, size, f);
            std::fclose(f);
            g_free(buffer);
            std::printf("%s: %dx%d, %zu bytes\n", argv[1], width, height, size);
            return 0;
        }
        g_free(buffer);
    }
    return 1;
}
