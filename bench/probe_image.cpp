// Milliseconds per photo of files::ProbeImage (header, EXIF, one decode, 320 px thumbnail) against the libvips
// pipeline it replaced for JPEG (files::ProbeImageWithVips), on one thread, for each file given.
// Usage: bench_probe_image [-n ROUNDS] PHOTO.jpg...   (bench/sync.sh's photos: bench/out/sync/media/photo*.jpg)

#include "modules/files/file_media.hpp"
#include "modules/files/file_rules.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

namespace {

constexpr int kThumbnailPx = 320;

using Probe = safeloop::Result<safeloop::files::ImageProbe> (*)(safeloop::files::Kind, std::string_view, int);

// Best of three runs of `rounds` probes, in ms per probe (the best run is the least disturbed by other work).
double MsPerProbe(Probe probe, const std::string& bytes, int rounds) {
    double best = 0;
    for (int run = 0; run < 3; ++run) {
        const auto start = std::chrono::steady_clock::now();
        for (int i = 0; i < rounds; ++i) {
            auto result = probe(safeloop::files::Kind::kJpeg, bytes, kThumbnailPx);
            if (!result.ok()) {
                std::fprintf(stderr, "probe failed: %s\n", result.error().message.c_str());
                std::exit(1);
            }
        }
        const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
        if (run == 0 || ms < best) best = ms;
    }
    return best / rounds;
}

}  // namespace

int main(int argc, char** argv) {
    int rounds = 200;
    std::vector<std::string> paths;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "-n" && i + 1 < argc) {
            rounds = std::atoi(argv[++i]);
        } else {
            paths.emplace_back(arg);
        }
    }
    if (paths.empty() || rounds < 1) {
        std::fprintf(stderr, "usage: %s [-n ROUNDS] PHOTO.jpg...\n", argv[0]);
        return 2;
    }
    safeloop::files::InitMedia(argv[0]);
    std::printf("%-40s %8s %10s %10s %8s\n", "photo", "KB", "vips ms", "libjpeg ms", "speedup");
    for (const auto& path : paths) {
        std::ifstream in(path, std::ios::binary);
        const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (safeloop::files::Sniff(bytes) != safeloop::files::Kind::kJpeg) {
            std::fprintf(stderr, "%s: not a JPEG\n", path.c_str());
            return 1;
        }
        const double vips = MsPerProbe(safeloop::files::ProbeImageWithVips, bytes, rounds);
        const double direct = MsPerProbe(safeloop::files::ProbeImage, bytes, rounds);
        std::printf("%-40s %8zu %10.3f %10.3f %7.2fx\n", path.c_str(), bytes.size() / 1024, vips, direct,
                    vips / direct);
    }
    return 0;
}
