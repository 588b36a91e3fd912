#pragma once
/// @file masks.h
/// Dropout masks: every 0/1 pattern over the units at the listed sites, with
/// its probability under independent keep probability q = 1 - rate.

#include "preset.h"

#include <cstdint>
#include <vector>

namespace manifoldlens {

/// All masks of nonzero probability. Bit j of a mask is unit j of the masked
/// units, numbered site by site (input first) and unit by unit within a site;
/// a set bit means the unit is kept.
struct MaskSet {
    int units = 0;                       ///< U, the number of masked units
    std::vector<std::uint32_t> masks;    ///< the masks with pi(m) > 0
    std::vector<double> probabilities;   ///< pi(m), summing to 1
    std::vector<int> siteOffset;         ///< first bit of each site; -1 when the site is not masked
};

/// Enumerates the masks of a preset's dropout sites at the given rate.
/// Masks of probability 0 (every mask but the full one at rate 0) are skipped.
/// Requires 0 <= rate < 1 and preset.maskedUnits() <= kMaxMaskedUnits
/// (throws std::invalid_argument otherwise).
MaskSet enumerateMasks(const Preset& preset, double rate);

}  // namespace manifoldlens
