#include "builtin_presets.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace manifoldlens {

std::vector<std::string> builtinPresetNames() {
    std::vector<std::string> names;
    for (const auto& p : detail::builtinPresetTable()) names.emplace_back(p.name);
    return names;
}

std::optional<std::string> builtinPresetText(const std::string& name) {
    for (const auto& p : detail::builtinPresetTable())
        if (name == p.name) return std::string(p.text);
    return std::nullopt;
}

Preset loadPreset(const std::string& nameOrPath) {
    if (auto text = builtinPresetText(nameOrPath)) return parsePreset(*text);
    if (std::filesystem::is_directory(nameOrPath))
        throw std::runtime_error("'" + nameOrPath + "' is a directory, not a preset file");
    std::ifstream in(nameOrPath, std::ios::binary);
    if (!in) throw std::runtime_error("no built-in preset named '" + nameOrPath + "' and no readable file at that path");
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (in.bad()) throw std::runtime_error("cannot read preset file '" + nameOrPath + "'");
    return parsePreset(buffer.str());
}

}  // namespace manifoldlens
