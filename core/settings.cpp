#include "settings.h"

#include <charconv>
#include <cmath>

namespace manifoldlens {

namespace {

std::string formatNumber(double x) {
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, x);
    return std::string(buffer, result.ptr);
}

std::optional<std::string> checkRange(const char* name, double lo, double hi) {
    if (!std::isfinite(lo) || !std::isfinite(hi))
        return std::string(name) + " must be finite, got [" + formatNumber(lo) + ", " + formatNumber(hi) + "]";
    if (!(lo < hi))
        return std::string(name) + " must have lo < hi, got [" + formatNumber(lo) + ", " + formatNumber(hi) + "]";
    return std::nullopt;
}

}  // namespace

ComputeSettings defaultSettings(const Preset& preset) {
    ComputeSettings s;
    s.rate = preset.dropout.rate;
    s.aggregation = preset.dropout.aggregation;
    s.alpha = spec::kAlpha.defaultValue;
    s.resolution = static_cast<int>(spec::kResolution.defaultValue);
    s.uLo = preset.free[0].lo;
    s.uHi = preset.free[0].hi;
    s.vLo = preset.free[1].lo;
    s.vHi = preset.free[1].hi;
    return s;
}

std::optional<std::string> checkSetting(const NumericSpec& spec, double value) {
    const std::string name = spec.name;
    if (!std::isfinite(value)) return name + " must be a finite number, got " + formatNumber(value);
    const bool aboveMax = spec.maxInclusive ? value > spec.max : value >= spec.max;
    if (value < spec.min || aboveMax)
        return name + " must be in [" + formatNumber(spec.min) + ", " + formatNumber(spec.max) +
               (spec.maxInclusive ? "]" : ")") + ", got " + formatNumber(value);
    return std::nullopt;
}

std::optional<std::string> checkSettings(const ComputeSettings& settings) {
    if (auto problem = checkSetting(spec::kRate, settings.rate)) return problem;
    if (auto problem = checkSetting(spec::kAlpha, settings.alpha)) return problem;
    if (auto problem = checkSetting(spec::kResolution, settings.resolution)) return problem;
    if (auto problem = checkRange("u range", settings.uLo, settings.uHi)) return problem;
    if (auto problem = checkRange("v range", settings.vLo, settings.vHi)) return problem;
    return std::nullopt;
}

std::optional<Aggregation> parseAggregation(const std::string& text) {
    if (text == "arithmetic") return Aggregation::Arithmetic;
    if (text == "geometric") return Aggregation::Geometric;
    return std::nullopt;
}

}  // namespace manifoldlens
