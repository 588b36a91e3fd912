#pragma once
/// @file vertex.h
/// Everything known at one point of the free-weight plane: the numbers the
/// command line's --probe prints and the desktop app's probe shows.

#include "geometry.h"
#include "predictive.h"
#include "settings.h"

#include <optional>
#include <vector>

namespace manifoldlens {

/// The full report at (u, v).
struct VertexReport {
    double u = 0.0, v = 0.0;
    double alpha = 0.0;
    std::vector<std::vector<double>> probabilities;  ///< [design point][class]
    VertexGeometry geometry;
    double penaltyExact = 0.0;
    double penaltyQuadratic = 0.0;

    double statisticalCurvature() const { return embeddingCurvature(geometry, 1.0); }
    double embeddingCurvatureM() const { return embeddingCurvature(geometry, -1.0); }
    double embeddingCurvature0() const { return embeddingCurvature(geometry, 0.0); }
    double embeddingCurvatureAlpha() const { return embeddingCurvature(geometry, alpha); }
};

/// Evaluates one vertex under the settings' rate, aggregation and alpha.
/// Throws std::invalid_argument when the settings are invalid.
VertexReport evaluateVertex(const Preset& preset, const ComputeSettings& settings, double u, double v);

/// The same, polled once per forward pass (one mask at one design point):
/// nothing when the poll stopped it.
std::optional<VertexReport> evaluateVertex(const Preset& preset, const ComputeSettings& settings, double u, double v,
                                           CancelPoll& poll);

}  // namespace manifoldlens
