// EXIF facts interpreted: capture time (with its UTC offset), GPS, and the "meta" objects of images and audio/video
// (file_rules.hpp).

#include "modules/files/file_rules.hpp"

#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <utility>

namespace safeloop::files {

namespace {

constexpr int kMinutesPerOffsetStep = 15;
constexpr int kMaxUtcOffsetMin = 14 * 60;
constexpr double kMillisPerSecond = 1000.0;

std::string FormatOffset(int minutes) {
    char buf[16];
    const int magnitude = std::abs(minutes) % (24 * 60);
    std::snprintf(buf, sizeof buf, "%c%02d:%02d", minutes < 0 ? '-' : '+', magnitude / 60, magnitude % 60);
    return buf;
}

double RoundMillis(double seconds) { return std::round(seconds * kMillisPerSecond) / kMillisPerSecond; }

}  // namespace

std::optional<TimePoint> ParseExifDateTime(std::string_view text) {
    while (!text.empty() && (text.back() == '\0' || text.back() == ' ')) text.remove_suffix(1);
    if (text.size() != 19) return std::nullopt;
    std::string iso(text);
    if ((iso[4] != ':' && iso[4] != '-') || (iso[7] != ':' && iso[7] != '-') || (iso[10] != ' ' && iso[10] != 'T')) {
        return std::nullopt;
    }
    iso[4] = '-';
    iso[7] = '-';
    iso[10] = 'T';
    iso += 'Z';
    return ParseRfc3339(iso);
}

std::optional<int> ParseUtcOffset(std::string_view text) {
    while (!text.empty() && (text.back() == '\0' || text.back() == ' ')) text.remove_suffix(1);
    if (text.size() != 6 || (text[0] != '+' && text[0] != '-') || text[3] != ':') return std::nullopt;
    int hours = 0, minutes = 0;
    auto h = std::from_chars(text.data() + 1, text.data() + 3, hours);
    auto m = std::from_chars(text.data() + 4, text.data() + 6, minutes);
    if (h.ec != std::errc() || h.ptr != text.data() + 3 || m.ec != std::errc() || m.ptr != text.data() + 6) {
        return std::nullopt;
    }
    if (hours > 14 || minutes > 59) return std::nullopt;
    const int total = hours * 60 + minutes;
    return text[0] == '-' ? -total : total;
}

std::optional<double> DmsToDegrees(double degrees, double minutes, double seconds, char ref, double max_degrees) {
    if (!std::isfinite(degrees) || !std::isfinite(minutes) || !std::isfinite(seconds) || degrees < 0 || minutes < 0 ||
        seconds < 0) {
        return std::nullopt;
    }
    double value = degrees + minutes / 60.0 + seconds / 3600.0;
    if (value > max_degrees) return std::nullopt;
    const char upper = ref >= 'a' ? static_cast<char>(ref - 'a' + 'A') : ref;
    if (upper == 'S' || upper == 'W') value = -value;
    return value;
}

std::optional<CaptureTime> ResolveCaptureTime(const ExifFacts& exif, int assumed_offset_min) {
    if (!exif.date_time_original) return std::nullopt;
    auto wall = ParseExifDateTime(*exif.date_time_original);
    if (!wall) return std::nullopt;
    if (exif.offset_time_original) {
        if (auto offset = ParseUtcOffset(*exif.offset_time_original)) {
            return CaptureTime{*wall - std::chrono::minutes(*offset), *wall, "exif"};
        }
    }
    if (exif.gps_date && exif.gps_time_of_day_s && std::isfinite(*exif.gps_time_of_day_s) &&
        *exif.gps_time_of_day_s >= 0 && *exif.gps_time_of_day_s < 86400) {
        if (auto day = ParseExifDateTime(*exif.gps_date + " 00:00:00")) {
            const TimePoint gps_utc = *day + Millis(static_cast<int64_t>(*exif.gps_time_of_day_s * kMillisPerSecond));
            const double diff_min = std::chrono::duration<double, std::ratio<60>>(*wall - gps_utc).count();
            const int offset = static_cast<int>(std::lround(diff_min / kMinutesPerOffsetStep)) * kMinutesPerOffsetStep;
            if (std::abs(offset) <= kMaxUtcOffsetMin) {
                return CaptureTime{*wall - std::chrono::minutes(offset), *wall, "gps"};
            }
        }
    }
    return CaptureTime{*wall - std::chrono::minutes(assumed_offset_min), *wall, "assumed"};
}

boost::json::object ImageMeta(const ImageFacts& facts, int assumed_offset_min) {
    boost::json::object meta;
    const bool turned = facts.exif.orientation >= 5 && facts.exif.orientation <= 8;
    meta["width"] = turned ? facts.height : facts.width;
    meta["height"] = turned ? facts.width : facts.height;
    if (auto captured = ResolveCaptureTime(facts.exif, assumed_offset_min)) {
        meta["captured_at"] = FormatRfc3339(captured->utc);
        meta["captured_at_local"] = FormatRfc3339(captured->wall).substr(0, 19);
        const auto offset = std::chrono::duration_cast<std::chrono::minutes>(captured->wall - captured->utc);
        meta["captured_at_offset"] = FormatOffset(static_cast<int>(offset.count()));
        meta["captured_at_offset_source"] = captured->offset_source;
    }
    const auto& e = facts.exif;
    if (e.latitude && e.longitude && !(*e.latitude == 0 && *e.longitude == 0)) {
        boost::json::object gps;
        gps["lat"] = *e.latitude;
        gps["lng"] = *e.longitude;
        if (e.altitude_m) gps["alt_m"] = *e.altitude_m;
        meta["gps"] = std::move(gps);
    }
    return meta;
}

boost::json::object MediaMeta(const MediaFacts& facts) {
    boost::json::object meta;
    meta["container"] = facts.container;
    meta["duration_s"] = facts.duration_s ? boost::json::value(RoundMillis(*facts.duration_s)) : nullptr;
    meta["has_video"] = facts.has_video;
    meta["has_audio"] = facts.has_audio;
    if (facts.has_video) {
        meta["width"] = facts.width;
        meta["height"] = facts.height;
    }
    return meta;
}

}  // namespace safeloop::files
