#include "masks.h"

#include <bit>
#include <cmath>
#include <stdexcept>
#include <string>

namespace manifoldlens {

MaskSet enumerateMasks(const Preset& preset, double rate) {
    if (!(rate >= 0.0 && rate < 1.0))
        throw std::invalid_argument("dropout rate must be in [0, 1), got " + std::to_string(rate));
    MaskSet set;
    set.siteOffset.assign(preset.hidden.size() + 1, -1);
    for (std::size_t s = 0; s < set.siteOffset.size(); ++s) {
        if (s < preset.dropout.sites.size() && preset.dropout.sites[s]) {
            set.siteOffset[s] = set.units;
            set.units += preset.siteWidth(static_cast<int>(s));
        }
    }
    if (set.units > kMaxMaskedUnits)
        throw std::invalid_argument("dropout sites hold " + std::to_string(set.units) + " units; at most " +
                                    std::to_string(kMaxMaskedUnits) + " can be enumerated exactly");
    const double q = 1.0 - rate;
    const std::uint32_t count = std::uint32_t{1} << set.units;
    const std::uint32_t full = count - 1;
    if (rate == 0.0) {
        set.masks.push_back(full);
        set.probabilities.push_back(1.0);
        return set;
    }
    set.masks.reserve(count);
    set.probabilities.reserve(count);
    for (std::uint32_t m = 0; m < count; ++m) {
        const int kept = std::popcount(m);
        const double p = std::pow(q, kept) * std::pow(rate, set.units - kept);
        if (p > 0.0) {
            set.masks.push_back(m);
            set.probabilities.push_back(p);
        }
    }
    return set;
}

}  // namespace manifoldlens
