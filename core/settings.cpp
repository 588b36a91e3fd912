#include "settings.h"

#include "preset_detail.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace manifoldlens {

using detail::formatNumber;

namespace {

std::optional<std::string> checkRange(const char* name, double lo, double hi, int resolution) {
    if (auto problem = checkWeightRange(lo, hi)) return std::string(name) + " " + *problem;
    // Neighbouring vertices a few units in the last place apart at least, so that they differ.
    const double spacing = (hi - lo) / (resolution - 1);
    const double magnitude = std::max(std::abs(lo), std::abs(hi));
    const double ulp = std::nextafter(magnitude, std::numeric_limits<double>::infinity()) - magnitude;
    if (!(spacing > 4.0 * ulp))
        return std::string(name) + " [" + formatNumber(lo) + ", " + formatNumber(hi) + "] is too narrow for " +
               std::to_string(resolution) + " vertices per side: neighbouring vertices would coincide";
    return std::nullopt;
}

}  // namespace

std::optional<std::string> checkWeightRange(double lo, double hi) {
    // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on a literal + string here.
    const auto problem = [&](const char* what, const char* why) {
        std::string message(what);
        message += '[';
        message += formatNumber(lo);
        message += ", ";
        message += formatNumber(hi);
        message += ']';
        message += why;
        return message;
    };
    if (!std::isfinite(lo) || !std::isfinite(hi)) return problem("must be finite, got ", "");
    if (!(lo < hi)) return problem("must have lo < hi, got ", "");
    if (!std::isfinite(hi - lo)) return problem("is too wide, got ", ": hi - lo overflows a double");
    return std::nullopt;
}

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
    if (auto problem = checkRange("u range", settings.uLo, settings.uHi, settings.resolution)) return problem;
    if (auto problem = checkRange("v range", settings.vLo, settings.vHi, settings.resolution)) return problem;
    return std::nullopt;
}

std::optional<Aggregation> parseAggregation(const std::string& text) {
    if (text == "arithmetic") return Aggregation::Arithmetic;
    if (text == "geometric") return Aggregation::Geometric;
    return std::nullopt;
}

}  // namespace manifoldlens
