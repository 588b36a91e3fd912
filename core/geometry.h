#pragma once
/// @file geometry.h
/// The Fisher geometry of the model manifold at one vertex, from the 2-jets of
/// the predictive distributions: metric, Gaussian curvature, alpha-embedding
/// curvatures, mean curvature and display coordinates (docs/math.md).

#include "predictive.h"

#include <array>
#include <string>

namespace manifoldlens {

/// Geometry at one vertex. Curvature fields are NaN when valid is false.
struct VertexGeometry {
    std::array<double, 3> point{};  ///< display coordinates (phi or s, see docs/math.md)
    double g11 = 0.0, g12 = 0.0, g22 = 0.0;
    double metricDet = 0.0;
    double gaussian = 0.0;  ///< Gaussian curvature K of the Fisher metric
    double mean = 0.0;      ///< G-norm of (1/2) g^{ab} H^(0)_ab
    /// gamma2 coefficients: gammaXY = g^{ac} g^{bd} <H^(X)_ab, H^(Y)_cd>_G for
    /// X, Y in {e, m}; gammaEE is Efron's statistical curvature (alpha = 1).
    double gammaEE = 0.0, gammaEM = 0.0, gammaMM = 0.0;
    bool valid = false;
};

/// gamma2 at any alpha from the e/m coefficients: with c = (1 +- alpha)/2,
/// H^(alpha) = c+ H^(e) + c- H^(m), so gamma2 is a quadratic in alpha.
inline double embeddingCurvature(double gammaEE, double gammaEM, double gammaMM, double alpha) {
    const double cp = 0.5 * (1.0 + alpha);
    const double cm = 0.5 * (1.0 - alpha);
    return cp * cp * gammaEE + 2.0 * cp * cm * gammaEM + cm * cm * gammaMM;
}

inline double embeddingCurvature(const VertexGeometry& g, double alpha) {
    return embeddingCurvature(g.gammaEE, g.gammaEM, g.gammaMM, alpha);
}

/// Relative threshold of the singular-metric test: invalid where det g <= kSingularTolerance (tr g)^2.
inline constexpr double kSingularTolerance = 1e-14;
/// Invalid also where det g is below the smallest normal double (about
/// 2.2e-308; saturated models): there it has lost its precision, and every
/// curvature divides by it.
inline constexpr double kSmallestDeterminant = 2.2250738585072014e-308;

/// Reusable buffers for geometry(); one per thread.
struct GeometryScratch {
    std::vector<double> work;
};

/// Computes the geometry at a vertex from its predictive jets. bernoulli
/// selects the phi display coordinates; otherwise s = 2 sqrt(pbar) is shown.
VertexGeometry geometry(const Predictive& pred, bool bernoulli, GeometryScratch& scratch);

/// Convenience overload allocating its own scratch.
VertexGeometry geometry(const Predictive& pred, bool bernoulli);

/// What the three display coordinates of a preset are, as axis titles:
/// "phi_i = 2 asin sqrt p_i(1)" (Bernoulli) or "s_c = 2 sqrt p_i(k)" with
/// the flattened point i and class k (categorical); "" where a coordinate is
/// always 0 (fewer than three of them).
std::array<std::string, 3> displayCoordinateNames(const Preset& preset);

}  // namespace manifoldlens
