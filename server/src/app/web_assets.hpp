#pragma once

// Serves the built web app (web/dist): "/" picks mobile or console by User-Agent, "/m/…" and
// "/console/…" fall back to their HTML entry (client-side routing), other paths are files.

#include "api/dispatch.hpp"

#include <filesystem>
#include <string_view>

namespace safeloop::app {

api::AssetHandler MakeWebAssets(std::filesystem::path root);
bool IsMobileUserAgent(std::string_view user_agent);
std::string_view ContentTypeFor(const std::filesystem::path& path);

}  // namespace safeloop::app
