#pragma once
/// @file fields.h
/// The scalar fields a grid can be coloured by: their names, units and kind,
/// their per-vertex values (derived from the grid without recomputing the
/// network), and a robust colour range.

#include "grid.h"

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace manifoldlens {

enum class ScalarField {
    GaussianCurvature,
    MeanCurvature,
    EmbeddingCurvature,  ///< gamma2 at the chosen alpha
    VolumeElement,       ///< sqrt(det g)
    PenaltyExact,
    PenaltyQuadratic,
    PenaltyGap,          ///< (R_q - R) / R: how far the quadratic penalty is from the exact one
};

/// Declaration of a field: key (for settings and the command line), display
/// name, units, and whether its values take both signs (diverging colour map
/// centred at 0) or are non-negative (sequential map, log scale possible).
struct FieldInfo {
    ScalarField field;
    const char* key;
    const char* name;
    const char* units;
    bool isSigned;
};

/// Every field, in menu order.
std::span<const FieldInfo> scalarFields();
const FieldInfo& fieldInfo(ScalarField field);
std::optional<ScalarField> parseScalarField(const std::string& key);

/// The field's value at every vertex (NaN where it is undefined). alpha is used
/// by EmbeddingCurvature only.
void fieldValues(const GridResult& grid, ScalarField field, double alpha, std::vector<double>& out);

/// A colour range.
struct ValueRange {
    double lo = 0.0;
    double hi = 1.0;
};

/// The range itself where hi > lo; a single value (lo == hi) widened by a thousandth of
/// its magnitude (1e-12 at 0) on each side, so that it can be mapped.
ValueRange nonDegenerate(const ValueRange& range);

/// The [lower, upper] percentile range of the finite values (for a log scale,
/// of the positive ones), widened when degenerate. Signed fields get a range
/// symmetric about 0. Nothing when no value qualifies.
std::optional<ValueRange> robustRange(const std::vector<double>& values, bool isSigned, bool logScale,
                                      double lowerPercentile = 1.0, double upperPercentile = 99.0);

/// @name Symmetric logarithmic scale ("symlog") for signed fields
/// t = sign(x) log10(1 + |x| / c): linear for |x| << c (slope 1 / (c ln 10)),
/// logarithmic for |x| >> c, odd and strictly increasing, so 0 stays at the
/// centre of a diverging map and every decade beyond c gets the same share of
/// it. c > 0 is the linear threshold, in the field's units.
///@{

/// sign(x) log10(1 + |x| / c); NaN for NaN. c must be positive.
double symlog(double x, double c);

/// The linear threshold for a set of values: the median of the finite, nonzero
/// |x| (the mean of the two middle ones for an even count). Half the defined
/// vertices then lie in the linear core, the other half on the logarithmic
/// tail, and the choice is as robust as the median: insensitive to the heavy
/// tails symlog is meant for, and to exact zeros and undefined (NaN) vertices.
/// Never 0: 1 when no value qualifies.
double symlogThreshold(const std::vector<double>& values);

/// The linear threshold for a fixed (locked) range: max(|lo|, |hi|) / 100, so
/// the scale's logarithmic part spans two decades below the range's bound.
/// It depends on the bounds only, so the same value gets the same colour in
/// every frame coloured with that range. 1 for a degenerate range.
double symlogThresholdForRange(const ValueRange& range);

///@}

}  // namespace manifoldlens
