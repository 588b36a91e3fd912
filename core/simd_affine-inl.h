// Per-target part of the grid kernel (included from simd_grid.cpp once per
// Highway target): the predictive of a row on SimdModel's affine plan
// (Bernoulli, arithmetic aggregation, no hidden layer), where every mask's
// logit is z = gamma + cu u + cv v. It computes what the general path
// computes (the class probabilities' jets summed over the masks, and each
// point's running mean and covariance of the logit and E_m A(z) for the
// penalties) with three changes of formula, all exact up to rounding:
//   * exp(z) = exp(gamma) exp(cu u) exp(cv v), one exp of u and one of v per
//     point for all its masks, the v factors kept while v stays the same
//     (along a grid row); p0 = 1 / (1 + e^z), p1 = e^z p0 and
//     A(z) = log(1 + e^z), all accurate for |z| <= 2 SimdModel::kAffineExponent;
//   * the jets of p1 from sigma' = s1 = p0 p1 and sigma'' = s2 = s1 (p0 - p1)
//     with the constant derivatives of z: d p1 = s1 (cu, cv), d2 p1 = s2 (cu cu,
//     cu cv, cv cv);
//   * E_m A(z) = sum_m (w_m / W) log(1 + e^z_m) as one log per group of masks
//     of equal weight (per chunk, see SimdModel::AffinePoint): at rate 1/2
//     every mask weighs the same and a point takes one log instead of one
//     per mask.
// Masks whose logit is constant use the reference's values.

// Include guard toggled per target (Highway's convention for -inl.h headers).
#if defined(MANIFOLDLENS_SIMD_AFFINE_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef MANIFOLDLENS_SIMD_AFFINE_INL_H_
#undef MANIFOLDLENS_SIMD_AFFINE_INL_H_
#else
#define MANIFOLDLENS_SIMD_AFFINE_INL_H_
#endif

#include <hwy/aligned_allocator.h>
#include <hwy/contrib/math/math-inl.h>
#include <hwy/highway.h>

#include "simd_model.h"

#include <cstddef>
#include <limits>

HWY_BEFORE_NAMESPACE();
namespace manifoldlens {
namespace HWY_NAMESPACE {

namespace hn = hwy::HWY_NAMESPACE;

// The v factors exp(gamma) exp(cv v) of every (point, mask) for the v of the
// last row, when all its lanes had the same v (NaN otherwise).
struct AffineFactors {
    AffineFactors(const SimdModel& m, std::size_t lanes)
        : factor(hwy::AllocateAligned<double>(m.affine ? static_cast<std::size_t>(m.points) * m.maskWeight.size() * lanes
                                                       : lanes)) {}
    hwy::AlignedFreeUniquePtr<double[]> factor;  // rows of lanes, (point, mask) major
    double v = std::numeric_limits<double>::quiet_NaN();
};

// Fills the factors for a row's v; a lane's factor depends on its v alone, so
// keeping them for the next row with the same v changes no result.
template <class D, class V = hn::Vec<D>>
HWY_INLINE void UpdateAffineFactors(D d, const SimdModel& m, V v, AffineFactors& f) {
    const double v0 = hn::GetLane(v);
    const bool uniform = hn::AllTrue(d, hn::Eq(v, hn::Set(d, v0)));
    if (uniform && v0 == f.v) return;
    const std::size_t lanes = hn::Lanes(d);
    double* out = f.factor.get();
    for (const SimdModel::AffinePoint& ap : m.affinePoints) {
        const V xv = ap.cv != 0.0 ? hn::Exp(d, hn::Mul(hn::Set(d, ap.cv), v)) : hn::Set(d, 1.0);
        for (const SimdModel::AffineMask& am : ap.masks) {
            const V g = hn::Set(d, am.expGamma);
            hn::Store(am.cv != 0.0 ? hn::Mul(g, xv) : g, d, out);
            out += lanes;
        }
    }
    f.v = uniform ? v0 : std::numeric_limits<double>::quiet_NaN();
}

// The predictive of a row on the affine plan: the class jets of every point
// (scaled by 1 / W, class 0 then class 1, 6 rows of lanes each) into pbar and
// per point the mean logit, cov_11 and E_m A (3 rows of lanes) into penalty.
// Returns false, computing nothing, if a lane is outside the plan's limits.
template <class D, class V = hn::Vec<D>>
HWY_INLINE bool AffineRow(D d, const SimdModel& m, AffineFactors& factors, V u, V v, double* pbar, double* penalty) {
    if (!hn::AllTrue(d, hn::Le(hn::Abs(u), hn::Set(d, m.uLimit))) ||
        !hn::AllTrue(d, hn::Le(hn::Abs(v), hn::Set(d, m.vLimit))))
        return false;
    UpdateAffineFactors(d, m, v, factors);
    const std::size_t lanes = hn::Lanes(d);
    const V zero = hn::Zero(d), one = hn::Set(d, 1.0), inv = hn::Set(d, 1.0 / m.totalWeight);
    const double* g = factors.factor.get();
    for (const SimdModel::AffinePoint& ap : m.affinePoints) {
        const V xu = ap.cu != 0.0 ? hn::Exp(d, hn::Mul(hn::Set(d, ap.cu), u)) : one;
        V a0 = zero, a1 = zero, au = zero, av = zero, auu = zero, auv = zero, avv = zero;
        V mean = zero, cov = zero;
        // Per group of equal weight: the product of the factors 1 + e^z of the
        // current chunk, the sum of the logs of the finished chunks.
        const std::size_t groups = m.groupWeight.size();
        V product[kMaxMaskedUnits + 1], logs[kMaxMaskedUnits + 1];
        int factors[kMaxMaskedUnits + 1];
        for (std::size_t k = 0; k < groups; ++k) {
            product[k] = one;
            logs[k] = zero;
            factors[k] = 0;
        }
        for (std::size_t mk = 0; mk < ap.masks.size(); ++mk, g += lanes) {
            const SimdModel::AffineMask& am = ap.masks[mk];
            const V w = hn::Set(d, m.maskWeight[mk]), f = hn::Set(d, m.maskFraction[mk]);
            V z, p0, p1;
            if (am.constant) {
                z = hn::Set(d, am.gamma);
                p0 = hn::Set(d, am.p0);
                p1 = hn::Set(d, am.p1);
            } else {
                const V e = am.cu != 0.0 ? hn::Mul(xu, hn::Load(d, g)) : hn::Load(d, g);
                const V s = hn::Add(one, e);
                p0 = hn::Div(one, s);
                p1 = hn::Mul(e, p0);
                const auto k = static_cast<std::size_t>(m.maskGroup[mk]);
                product[k] = hn::Mul(product[k], s);
                if (++factors[k] == ap.chunk) {
                    logs[k] = hn::Add(logs[k], hn::Log(d, product[k]));
                    product[k] = one;
                    factors[k] = 0;
                }
                z = hn::Add(hn::Add(hn::Set(d, am.gamma), hn::Mul(hn::Set(d, am.cu), u)), hn::Mul(hn::Set(d, am.cv), v));
                const V s1 = hn::Mul(p0, p1);
                const V s2 = hn::Mul(s1, hn::Sub(p0, p1));
                au = hn::Add(au, hn::Mul(hn::Set(d, am.wu), s1));
                av = hn::Add(av, hn::Mul(hn::Set(d, am.wv), s1));
                auu = hn::Add(auu, hn::Mul(hn::Set(d, am.wuu), s2));
                auv = hn::Add(auv, hn::Mul(hn::Set(d, am.wuv), s2));
                avv = hn::Add(avv, hn::Mul(hn::Set(d, am.wvv), s2));
            }
            a0 = hn::Add(a0, hn::Mul(p0, w));
            a1 = hn::Add(a1, hn::Mul(p1, w));
            // West's weighted update of the mean and variance of z.
            const V delta = hn::Sub(z, mean);
            mean = hn::Add(mean, hn::Mul(f, delta));
            cov = hn::Add(cov, hn::Mul(hn::Mul(w, delta), hn::Sub(z, mean)));
        }
        V meanA = hn::Set(d, ap.constantMeanA);
        for (std::size_t k = 0; k < groups; ++k) {
            if (factors[k] > 0) logs[k] = hn::Add(logs[k], hn::Log(d, product[k]));
            meanA = hn::Add(meanA, hn::Mul(hn::Set(d, m.groupWeight[k]), logs[k]));
        }
        const V class0[6] = {a0, hn::Neg(au), hn::Neg(av), hn::Neg(auu), hn::Neg(auv), hn::Neg(avv)};
        const V class1[6] = {a1, au, av, auu, auv, avv};
        for (std::size_t k = 0; k < 6; ++k) {
            hn::Store(hn::Mul(class0[k], inv), d, pbar + k * lanes);
            hn::Store(hn::Mul(class1[k], inv), d, pbar + (6 + k) * lanes);
        }
        hn::Store(mean, d, penalty);
        hn::Store(cov, d, penalty + lanes);
        hn::Store(meanA, d, penalty + 2 * lanes);
        pbar += 12 * lanes;
        penalty += 3 * lanes;
    }
    return true;
}

// NOLINTNEXTLINE(google-readability-namespace-comments)
}  // namespace HWY_NAMESPACE
}  // namespace manifoldlens
HWY_AFTER_NAMESPACE();

#endif  // MANIFOLDLENS_SIMD_AFFINE_INL_H_
