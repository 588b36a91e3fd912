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
    std::error_code error;
    const auto status = std::filesystem::status(nameOrPath, error);
    if (std::filesystem::is_directory(status))
        throw std::runtime_error("'" + nameOrPath + "' is a directory, not a preset file");
    if (!std::filesystem::exists(status))
        throw std::runtime_error("no built-in preset named '" + nameOrPath + "' and no file at that path" +
                                 (error && error != std::errc::no_such_file_or_directory ? " (" + error.message() + ")"
                                                                                          : std::string()));
    // A device or a pipe could stream without end.
    if (!std::filesystem::is_regular_file(status))
        throw std::runtime_error("'" + nameOrPath + "' is not a regular file (a preset is a JSON file)");
    if (const auto size = std::filesystem::file_size(nameOrPath, error); !error && size > kMaxPresetFileBytes)
        throw std::runtime_error("'" + nameOrPath + "' is " + std::to_string(size) + " bytes; a preset file may have at most " +
                                 std::to_string(kMaxPresetFileBytes) + " bytes");
    std::ifstream in(nameOrPath, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open preset file '" + nameOrPath + "'");
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (in.bad()) throw std::runtime_error("cannot read preset file '" + nameOrPath + "'");
    return parsePreset(buffer.str());
}

}  // namespace manifoldlens
