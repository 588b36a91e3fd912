#pragma once
/// @file builtin_presets.h
/// The presets shipped inside the binary (resources/presets/*.json).

#include "preset.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace manifoldlens {

/// One embedded preset file: its name (the file name without .json) and text.
struct BuiltinPreset {
    const char* name;
    const char* text;
};

/// The name of the preset the app opens with.
inline constexpr const char* kDefaultPresetName = "logistic-input-dropout";

/// Names of the built-in presets, sorted.
std::vector<std::string> builtinPresetNames();

/// The JSON text of a built-in preset, or nothing when there is none of that name.
std::optional<std::string> builtinPresetText(const std::string& name);

/// The largest preset file loadPreset() reads (a preset with 1024 x 1024
/// weights written out in full takes about 20 MB).
inline constexpr std::uintmax_t kMaxPresetFileBytes = 64u << 20;

/// Loads a built-in preset by name, or a preset file by path (a name that is not
/// built in is taken as a path). Throws PresetError for invalid content and
/// std::runtime_error when the path is not a readable regular file of at most
/// kMaxPresetFileBytes.
Preset loadPreset(const std::string& nameOrPath);

namespace detail {
const std::vector<BuiltinPreset>& builtinPresetTable();
}

}  // namespace manifoldlens
