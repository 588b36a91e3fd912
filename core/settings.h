#pragma once
/// @file settings.h
/// The computation settings, declared once: names, defaults and ranges that the
/// command line, the desktop app and session files all read from here.

#include "preset.h"

#include <optional>
#include <string>

namespace manifoldlens {

/// Declaration of one numeric setting.
struct NumericSpec {
    const char* name;  ///< command-line and session key
    double defaultValue;
    double min;
    double max;
    bool maxInclusive;
    /// The interactive range and step of the desktop app's controls (a
    /// sub-range of [min, max] where the full range is not useful live).
    double interactiveMin;
    double interactiveMax;
    double step;
};

namespace spec {
/// Dropout rate r in [0, 1): the keep probability q = 1 - r must be positive.
inline constexpr NumericSpec kRate{"dropout", 0.0, 0.0, 1.0, false, 0.0, 0.95, 0.01};
/// Amari's alpha of the embedding curvature: -1 mixture (m), 0 Levi-Civita, 1 exponential (e).
inline constexpr NumericSpec kAlpha{"alpha", 0.0, -1.0, 1.0, true, -1.0, 1.0, 0.01};
/// Vertices per side of the grid over the two free-weight ranges.
inline constexpr NumericSpec kResolution{"resolution", 129, 2, 4097, true, 33, 1025, 1};
/// Vertices per side of the quick first pass the desktop app shows while the
/// full grid computes, and of its rate-0 wireframe (about 32 lines a side).
inline constexpr int kPreviewResolution = 65;
}  // namespace spec

/// Everything a grid computation needs besides the preset.
struct ComputeSettings {
    double rate = spec::kRate.defaultValue;
    Aggregation aggregation = Aggregation::Arithmetic;
    double alpha = spec::kAlpha.defaultValue;
    int resolution = static_cast<int>(spec::kResolution.defaultValue);
    double uLo = 0.0, uHi = 1.0;  ///< range of the first free weight
    double vLo = 0.0, vHi = 1.0;  ///< range of the second free weight

    bool operator==(const ComputeSettings&) const = default;
};

/// The settings a preset asks for: its dropout rate and aggregation, its ranges.
ComputeSettings defaultSettings(const Preset& preset);

/// Checks a value against its declaration; returns a message naming the setting
/// when it is out of range or not finite, nothing when it is valid.
std::optional<std::string> checkSetting(const NumericSpec& spec, double value);

/// Checks a free weight's range [lo, hi]: finite, lo < hi, and hi - lo finite.
/// Returns what is wrong ("must be finite, got [...]"), nothing when valid.
std::optional<std::string> checkWeightRange(double lo, double hi);

/// Checks all settings; returns the first problem. The ranges must pass
/// checkWeightRange() and be wide enough that the resolution's neighbouring
/// vertices differ.
std::optional<std::string> checkSettings(const ComputeSettings& settings);

/// Parses "arithmetic" or "geometric".
std::optional<Aggregation> parseAggregation(const std::string& text);

}  // namespace manifoldlens
