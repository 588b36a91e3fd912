#include "cost.h"

#include "simd_model.h"

#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>

namespace manifoldlens {

namespace {

// The widths of the layers' inputs and of the logits: d, hidden units..., outputs.
std::vector<int> layerWidths(const Preset& preset) {
    std::vector<int> width{preset.design.cols};
    for (const HiddenLayer& h : preset.hidden) width.push_back(h.units);
    width.push_back(preset.outputs);
    return width;
}

// Sizes in bytes, as doubles: the estimates are products of large counts.
constexpr double kDouble = sizeof(double);
constexpr double kMaskSetEntry = sizeof(std::uint32_t) + sizeof(double);  // a mask and its probability
constexpr double kGridVertex = 11 * sizeof(double) + sizeof(std::uint8_t);  // eleven results and the validity
constexpr double kVector = sizeof(std::vector<double>);
constexpr double kLinearLogit = sizeof(SimdModel::LinearLogit);
constexpr double kTerm = sizeof(SimdModel::Term);
constexpr double kAffineMask = sizeof(SimdModel::AffineMask);

}  // namespace

double maskCount(const Preset& preset, const ComputeSettings& settings) {
    return settings.rate > 0.0 ? std::ldexp(1.0, preset.maskedUnits()) : 1.0;
}

double passWork(const Preset& preset) {
    const std::vector<int> width = layerWidths(preset);
    double weights = 0.0;
    for (std::size_t l = 0; l + 1 < width.size(); ++l) weights += static_cast<double>(width[l]) * width[l + 1];
    return weights + preset.classes();
}

double vertexWork(const Preset& preset, const ComputeSettings& settings) {
    return maskCount(preset, settings) * preset.designPoints() * passWork(preset);
}

MemoryEstimate estimateMemory(const Preset& preset, const ComputeSettings& settings, bool simd) {
    const double masks = maskCount(preset, settings);
    const double points = preset.designPoints();
    const double resolution = settings.resolution;
    MemoryEstimate e;
    e.grid = resolution * resolution * kGridVertex;
    e.model = masks * kMaskSetEntry;  // the enumerated masks (the scalar reference keeps only these)
    if (!simd) return e;
    // makeSimdModel: each mask's weight, update fraction and unit factors ...
    e.model += masks * (2.0 * kDouble + kVector + preset.maskedUnits() * kDouble);
    // ... a copy of the design and the weights (with their free-weight marks),
    // the grid's coordinates ...
    const std::vector<int> width = layerWidths(preset);
    double units = 0.0, weights = 0.0;
    for (std::size_t l = 0; l < width.size(); ++l) {
        units += width[l];
        if (l > 0) weights += (width[l - 1] + 1.0) * width[l];
    }
    const double inputs = preset.design.cols;
    e.model += points * inputs * kDouble + weights * (kDouble + 1.0) + 2.0 * resolution * kDouble;
    // ... the constant inputs of every layer and the logits for every (point, mask) ...
    e.model += points * masks * units * kDouble;
    if (preset.hidden.empty()) {
        // ... without hidden layers the replayed logits (at most d terms each) ...
        e.model += points * masks * preset.outputs * (kLinearLogit + inputs * kTerm);
        // ... and for Bernoulli under arithmetic aggregation the affine plan:
        // a mask's coefficients and the exponentials of the grid's coordinates.
        if (preset.bernoulli && settings.aggregation == Aggregation::Arithmetic)
            e.model += points * (masks * kAffineMask + 4.0 * resolution * kDouble);
    }
    return e;
}

double physicalMemoryBytes() {
    const long pages = sysconf(_SC_PHYS_PAGES);
    const long pageSize = sysconf(_SC_PAGE_SIZE);
    return pages > 0 && pageSize > 0 ? static_cast<double>(pages) * static_cast<double>(pageSize) : 0.0;
}

double defaultMemoryLimit() {
    const double physical = physicalMemoryBytes();
    return physical > 0.0 ? 0.75 * physical : std::numeric_limits<double>::infinity();
}

std::optional<std::string> checkMemory(const Preset& preset, const ComputeSettings& settings, bool simd, double limit) {
    const MemoryEstimate e = estimateMemory(preset, settings, simd);
    if (e.total() <= limit) return std::nullopt;
    std::string message = "this computation needs about " + formatBytes(e.total()) +
                          " of memory, more than its limit of " + formatBytes(limit) + ": ";
    if (e.model >= e.grid) {
        const std::string masks = "2^" + std::to_string(settings.rate > 0.0 ? preset.maskedUnits() : 0) + " masks";
        message += simd ? "the SIMD kernel's tables for " + masks + " x " + std::to_string(preset.designPoints()) +
                              " design points take " + formatBytes(e.model) +
                              "; drop fewer units, or use fewer design points or narrower layers"
                        : "the " + masks + " take " + formatBytes(e.model) + "; drop fewer units";
    } else {
        const std::string side = std::to_string(settings.resolution);
        message += "the " + side + " x " + side + " grid takes " + formatBytes(e.grid) + "; lower the resolution";
    }
    return message;
}

std::string formatBytes(double bytes) {
    if (bytes < 1000.0) return std::to_string(static_cast<long long>(std::llround(bytes))) + " bytes";
    const char* units[] = {"kB", "MB", "GB", "TB", "PB"};
    double value = bytes / 1000.0;
    std::size_t unit = 0;
    while (value >= 999.95 && unit + 1 < std::size(units)) {
        value /= 1000.0;
        ++unit;
    }
    char text[32];
    std::snprintf(text, sizeof text, "%.1f %s", value, units[unit]);
    return text;
}

}  // namespace manifoldlens
