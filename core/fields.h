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

/// The [lower, upper] percentile range of the finite values (for a log scale,
/// of the positive ones), widened when degenerate. Signed fields get a range
/// symmetric about 0. Nothing when no value qualifies.
std::optional<ValueRange> robustRange(const std::vector<double>& values, bool isSigned, bool logScale,
                                      double lowerPercentile = 1.0, double upperPercentile = 99.0);

}  // namespace manifoldlens
