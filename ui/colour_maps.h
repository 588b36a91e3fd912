#pragma once
/// @file colour_maps.h
/// The two colour maps of the surface: Moreland's cool-warm diverging map for
/// signed fields and viridis for non-negative ones. Plain C++, no VTK.

#include <array>
#include <vector>

namespace manifoldlens {

/// An sRGB colour, components in [0, 1].
using Rgb = std::array<double, 3>;

enum class ColourMap {
    CoolWarm,  ///< Moreland's diverging blue-white-red map, interpolated in Msh space
    Viridis,   ///< the perceptually uniform sequential map (matplotlib's, CC0)
};

/// The colour at t in [0, 1] (clamped; NaN gives kUndefinedColour).
Rgb colourAt(ColourMap map, double t);

/// n >= 2 colours at t = k / (n - 1), k = 0 .. n - 1.
std::vector<Rgb> sampleColourMap(ColourMap map, int n);

/// The n >= 2 colours of a lookup table spanning [lo, hi] linearly, lo and hi
/// in the table's coordinates: the values themselves, or for a signed field on
/// a symmetric log scale their symlog() (odd and increasing, so 0 stays 0 and
/// the same rule applies). Signed fields: cool-warm centred at 0 (white at 0,
/// saturation |v| / max(|lo|, |hi|), so an asymmetric range keeps 0 white and
/// its shorter side paler). Non-negative fields: viridis from lo to hi (a
/// log10 table spaces the same colours logarithmically).
std::vector<Rgb> fieldColourTable(bool isSigned, double lo, double hi, int n);

/// Neutral grey for vertices whose value is undefined (NaN): distinct from
/// both maps (cool-warm's centre is a lighter, slightly warm grey).
inline constexpr Rgb kUndefinedColour{0.55, 0.55, 0.55};

}  // namespace manifoldlens
