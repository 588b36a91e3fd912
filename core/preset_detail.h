#pragma once
/// @file preset_detail.h
/// Helpers shared by the preset sources (preset.cpp, preset_validate.cpp):
/// key-path and message formatting and the names of layers and sites.

#include <cstddef>
#include <string>
#include <string_view>

namespace manifoldlens::detail {

/// Shortest text that reads back as the same double ("1", "0.1", "inf").
std::string formatNumber(double x);
/// "path.key", or "key" at the top level.
std::string childPath(const std::string& path, std::string_view key);
/// The text with control characters (a NUL, a newline, ...) written as \u00XX escapes.
std::string printable(std::string_view text);
/// "path[index]".
std::string elementPath(const std::string& path, std::size_t index);
/// 'text' in single quotes, shortened when long.
std::string quote(const std::string& text);
/// "hidden<l+1>" for a hidden layer l < L, "output" for l = L.
std::string layerName(int layer, int hiddenLayers);
/// "input" for site 0, "hidden<s>" otherwise.
std::string siteName(int site);

}  // namespace manifoldlens::detail
