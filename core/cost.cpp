#include "cost.h"

#include "simd_model.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <limits>

namespace manifoldlens {

namespace {

// Sizes in bytes, as doubles: the estimates are products of large counts.
constexpr double kDouble = sizeof(double);
constexpr double kMaskSetEntry = sizeof(std::uint32_t) + sizeof(double);  // a mask and its probability
constexpr double kGridVertex = 11 * sizeof(double) + sizeof(std::uint8_t);  // eleven results and the validity
constexpr double kVector = sizeof(std::vector<double>);
constexpr double kLinearLogit = sizeof(SimdModel::LinearLogit);
constexpr double kTerm = sizeof(SimdModel::Term);
constexpr double kAffineMask = sizeof(SimdModel::AffineMask);
constexpr double kMaxLanes = 8;  // doubles in a vector of the widest target (AVX-512)

}  // namespace

double maskCount(const Preset& preset, const ComputeSettings& settings) {
    return settings.rate > 0.0 ? std::ldexp(1.0, preset.maskedUnits()) : 1.0;
}

double passWork(const Preset& preset) {
    const std::vector<int> width = preset.layerWidths();
    double weights = 0.0;
    for (std::size_t l = 0; l + 1 < width.size(); ++l) weights += static_cast<double>(width[l]) * width[l + 1];
    return weights + preset.classes();
}

double vertexWork(const Preset& preset, const ComputeSettings& settings) {
    return maskCount(preset, settings) * preset.designPoints() * passWork(preset);
}

MemoryEstimate estimateMemory(const Preset& preset, const ComputeSettings& settings, bool simd, int threads) {
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
    const std::vector<int> width = preset.layerWidths();
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
    // Each thread's scratch (Work in simd_grid.cpp) of rows of up to 8 lanes:
    // two layers of unit jets, the jets and geometry arrays of every class,
    // the logit jet and probabilities of every mask (of every (point, mask)
    // pair where there are at most 64), the penalty sums and the fields.
    const double widest = *std::max_element(width.begin(), width.end());
    const double classes = points * preset.classes();
    const double pairs = points * masks <= SimdModel::kBatchPairs ? points * masks : masks;
    const double groups = preset.maskedUnits() + 1.0;
    e.scratch = threads * kMaxLanes * kDouble *
                (12.0 * widest + 21.0 * classes + 9.0 * pairs + 3.0 * points + 2.0 * points * groups + 12.0);
    return e;
}

double physicalMemoryBytes() {
    const long pages = sysconf(_SC_PHYS_PAGES);
    const long pageSize = sysconf(_SC_PAGE_SIZE);
    return pages > 0 && pageSize > 0 ? static_cast<double>(pages) * static_cast<double>(pageSize) : 0.0;
}

double containerMemoryBytes() {
    double limit = 0.0;
    // cgroup v2 ("max" where there is none) and v1, as a container sees its own.
    for (const char* path : {"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"}) {
        std::ifstream file(path);
        double bytes = 0.0;
        if (file >> bytes && bytes > 0.0 && (limit == 0.0 || bytes < limit)) limit = bytes;
    }
    return limit;
}

double defaultMemoryLimit() {
    double memory = physicalMemoryBytes();
    const double container = containerMemoryBytes();
    if (container > 0.0 && (memory == 0.0 || container < memory)) memory = container;
    return memory > 0.0 ? 0.75 * memory : std::numeric_limits<double>::infinity();
}

std::optional<std::string> checkMemory(const Preset& preset, const ComputeSettings& settings, bool simd, int threads,
                                       double limit) {
    const MemoryEstimate e = estimateMemory(preset, settings, simd, threads);
    if (e.total() <= limit) return std::nullopt;
    std::string message = "this computation needs about " + formatBytes(e.total()) +
                          " of memory, more than its limit of " + formatBytes(limit) + ": ";
    if (e.model + e.scratch >= e.grid) {
        const std::string masks = "2^" + std::to_string(settings.rate > 0.0 ? preset.maskedUnits() : 0) + " masks";
        message += simd ? "the SIMD kernel's tables for " + masks + " x " + std::to_string(preset.designPoints()) +
                              " design points take " + formatBytes(e.model + e.scratch) +
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
