#pragma once
/// @file simd_model.h
/// What the vectorised grid kernel (simd_grid.h) reads: the network, design
/// and masks of a computation flattened into plain arrays, with the work that
/// does not depend on the vertex done once, when the model is made.

#include "cancel_poll.h"
#include "preset.h"
#include "settings.h"

#include <optional>
#include <vector>

namespace manifoldlens {

/// The network, design and masks of a computation, flattened for the kernel.
struct SimdModel {
    /// The kernel's first Bernoulli pass holds the logit jets of every (point,
    /// mask) pair at once where there are at most this many, else of one point's masks.
    static constexpr std::size_t kBatchPairs = 64;

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

    /// The grid: vertex k is (us[k % resolution], vs[k / resolution]) (GridSpec's coordinates).
    std::size_t resolution = 0;
    std::vector<double> us, vs;

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

    /// The affine plan, for Bernoulli with arithmetic aggregation and no hidden
    /// layer (affine = true): every logit is z = gamma + cu u + cv v, so
    /// exp(z) = exp(gamma) exp(cu u) exp(cv v). A free weight of the output
    /// layer multiplies one input (cu = x / q where it is kept, 0 where it is
    /// dropped) and a free bias is added as is (cu = 1), so a design point
    /// needs one exp of u and one of v for all its masks instead of one per
    /// mask, and the v factors are the same along a grid row. Masks whose
    /// logit does not depend on (u, v) (every input a free weight reads is
    /// dropped) are constants, computed once with the reference's scalar code.
    struct AffineMask {
        double gamma = 0.0, cu = 0.0, cv = 0.0;  ///< z = gamma + cu u + cv v; cu is 0 or the point's cu
        double expGamma = 1.0;
        double weight = 0.0;                     ///< w / W, the mask's share of the predictive
        int group = 0;                           ///< the index of w / W in groupWeight
        /// The coefficients less their means over the masks: z - E_m z.
        double gammaDeviation = 0.0, cuDeviation = 0.0, cvDeviation = 0.0;
        bool constant = false;                   ///< cu = cv = 0
        double p0 = 0.0, p1 = 0.0;               ///< a constant mask's probabilities
        /// The mask's share w / W times cu, cv, cu cu, cu cv, cv cv: the weighted
        /// d p1 = s1 (wu, wv) and d2 p1 = s2 (wuu, wuv, wvv), s1 = p0 p1, s2 = s1 (p0 - p1).
        double wu = 0.0, wv = 0.0, wuu = 0.0, wuv = 0.0, wvv = 0.0;
    };
    struct AffinePoint {
        double cu = 0.0, cv = 0.0;  ///< the nonzero coefficient of u (v) in the point's masks, or 0
        std::vector<AffineMask> masks;  ///< sorted by group, in mask order within a group
        /// exp(cu u) and exp(cv v) at the grid's coordinates (us, vs), and the
        /// same for the mean logit E_m z = meanGamma + cuMean u + cvMean v,
        /// whose exp the penalties need: no exp is left for the kernel.
        std::vector<double> expU, expV, expUMean, expVMean;
        double expMeanGamma = 1.0;
        /// How many ratios (1 + e^z) / (1 + e^{E_m z}) one product may hold
        /// before its log is taken (it stays within e^{+-700} on the grid's ranges).
        int chunk = 1;
    };
    /// exp(z) is formed as a product only while every factor stays below
    /// e^kAffineExponent, so that it neither overflows nor leaves the normal
    /// range: |gamma| <= kAffineExponent for every mask, and a row takes the
    /// affine path only if |u| <= uLimit and |v| <= vLimit in every lane (the
    /// grid's ranges, or less where a coefficient is large).
    static constexpr double kAffineExponent = 230.0;
    bool affine = false;
    std::vector<AffinePoint> affinePoints;
    double uLimit = 0.0, vLimit = 0.0;
    /// The masks of equal weight form a group (pi(m) depends on the number of
    /// kept units only): the exact penalty takes one log per group and chunk,
    /// of the product of its ratios, weighted by groupWeight = w / W.
    std::vector<double> groupWeight;
    /// [group * points + point]: whether the last pass takes the log of the
    /// running product of the group's last chunks after this point's (before
    /// the next one could leave e^{+-700}).
    std::vector<unsigned char> logAfter;
};

/// Builds the kernel's model of a preset for the rate, aggregation and ranges
/// of the settings. Throws std::invalid_argument like enumerateMasks.
SimdModel makeSimdModel(const Preset& preset, const ComputeSettings& settings);

/// The same, polled once per (design point, mask) of the plan (the work of
/// a forward pass, done once for the units that do not vary): nothing when
/// the poll stopped it.
std::optional<SimdModel> makeSimdModel(const Preset& preset, const ComputeSettings& settings, CancelPoll& poll);

}  // namespace manifoldlens
