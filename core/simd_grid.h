#pragma once
/// @file simd_grid.h
/// The vectorised grid kernel (Google Highway, dynamic dispatch). This header
/// has no SIMD in it: it declares the flattened model the kernel reads, the
/// output of one block of vertices, and the entry points that run the best
/// target of the CPU or a chosen one. The per-target code is in simd_grid.cpp
/// (with simd_forward-inl.h and simd_geometry-inl.h).
///
/// The kernel computes exactly the quantities of the scalar reference
/// (predictive.cpp, geometry.cpp) with the same formulas and the same
/// cancellation-free rearrangements, up to rounding (simd_grid.cpp lists
/// where its order of operations differs); the elementary functions (exp,
/// log, tanh, atan) come from hwy/contrib/math, which are accurate to a few
/// ulp. Lanes are vertices: every lane runs the identical
/// sequence of operations, so a vertex's result does not depend on the lane
/// or the block it lands in.

#include "preset.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace manifoldlens {

/// The network, design and masks of a computation, flattened for the kernel.
struct SimdModel {
    int points = 0;   ///< N design points
    int inputs = 0;   ///< d
    int outputs = 1;  ///< logits: 1 (Bernoulli) or K
    int classes = 2;  ///< C
    bool bernoulli = true;
    Aggregation aggregation = Aggregation::Arithmetic;
    std::vector<double> design;  ///< N x d, row-major
    /// Layer l (0..L) maps width[l] inputs to width[l + 1] outputs; width[L + 1] = outputs.
    std::vector<int> width;
    std::vector<Activation> activation;       ///< hidden layers 0..L-1
    std::vector<std::vector<double>> weight;  ///< weight[l], row-major width[l + 1] x width[l]
    std::vector<std::vector<double>> bias;    ///< bias[l]
    /// The two free weights: layer, whether a bias, and the flat index in weight[l] or bias[l].
    int freeLayer[2] = {0, 0};
    bool freeIsBias[2] = {false, false};
    int freeIndex[2] = {0, 0};
    /// Masks of positive probability (enumerateMasks): probability, West's update
    /// fraction w / (running weight), and the factor of every unit of every site
    /// (1/q kept, 0 dropped) at scale[mask][offset[site] + unit]; sites that are
    /// not masked have offset -1 and are left alone.
    std::vector<double> maskWeight;
    std::vector<double> maskFraction;
    double totalWeight = 0.0;
    std::vector<std::vector<double>> maskScale;
    std::vector<int> siteOffset;

    /// The lane-invariant part of the forward passes (filled by makeSimdModel).
    /// Whether a unit varies across vertices depends only on the structure (a
    /// free weight feeds it, directly or through a varying unit), not on the
    /// design point or the mask; the values of the constant units do, and are
    /// computed once with the reference's scalar code for every (point, mask).
    std::vector<std::vector<signed char>> freeWeight, freeBias;  ///< 0 = u, 1 = v, -1 = fixed
    /// varying[l][j]: unit j of layer l's input (l <= L) or logit j (l = L + 1).
    std::vector<std::vector<unsigned char>> varying;
    /// constant[l][(point * masks + mask) * width[l] + j]: the masked input of
    /// layer l (l <= L) or the logit (l = L + 1), for the units that do not vary.
    std::vector<std::vector<double>> constant;

    /// Without hidden layers (L = 0) a varying logit is the reference's sum
    /// replayed on the value alone: v = start (free[startFree], or the constant
    /// start) followed by v += (free >= 0 ? free * coef : coef) for every term
    /// in order; its derivatives are the same in every lane and are computed
    /// here with the same operations.
    struct Term {
        int free;
        double coef;
    };
    struct LinearLogit {
        int startFree = -1;
        double start = 0.0;
        std::vector<Term> terms;
        double du = 0.0, dv = 0.0, duu = 0.0, duv = 0.0, dvv = 0.0;
    };
    std::vector<LinearLogit> linear;  ///< [(point * masks + mask) * outputs + r] when L = 0
};

/// Builds the kernel's model of a preset at a dropout rate and aggregation.
/// Throws std::invalid_argument like enumerateMasks.
SimdModel makeSimdModel(const Preset& preset, double rate, Aggregation aggregation);

/// Where a block's results go: count consecutive entries of each array
/// (typically pointers into a GridResult at the block's first vertex).
struct SimdBlockOutput {
    double* x;
    double* y;
    double* z;
    double* metricDet;
    double* gaussian;
    double* mean;
    double* gammaEE;
    double* gammaEM;
    double* gammaMM;
    double* penaltyExact;
    double* penaltyQuadratic;
    std::uint8_t* valid;
};

/// Evaluates the vertices (u[k], v[k]), k < count, and writes their results.
/// target 0 runs the best target of this CPU (HWY_DYNAMIC_DISPATCH); otherwise
/// one of simdTargets(). Reads exactly count entries of u and v and writes
/// exactly count entries of every output array.
void simdEvaluate(const SimdModel& model, const double* u, const double* v, std::size_t count,
                  const SimdBlockOutput& out, std::int64_t target = 0);

/// Highway's name of the target simdEvaluate runs by default, e.g. "AVX3".
std::string simdTargetName();

/// The name of a Highway target bit (e.g. HWY_AVX2 -> "AVX2").
std::string simdTargetName(std::int64_t target);

/// Every target compiled into this binary that this CPU can run, best first.
std::vector<std::int64_t> simdTargets();

}  // namespace manifoldlens
