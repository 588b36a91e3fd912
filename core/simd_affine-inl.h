// Per-target part of the grid kernel (included from simd_grid.cpp once per
// Highway target): the predictive of a row on SimdModel's affine plan
// (Bernoulli, arithmetic aggregation, no hidden layer), where every mask's
// logit is z = gamma + cu u + cv v. It computes what the general path
// computes (the class probabilities' jets summed over the masks, and the
// penalties) with four changes of formula, all exact up to rounding:
//   * exp(z) = exp(gamma) exp(cu u) exp(cv v) from the plan's tables over the
//     grid's columns and rows (no exp per vertex, for the mean logit neither);
//     p0 = 1 / (1 + e^z), p1 = e^z p0 and A(z) = log(1 + e^z), all accurate
//     for |z| <= 3 SimdModel::kAffineExponent;
//   * the jets of p1 from sigma' = s1 = p0 p1 and sigma'' = s2 = s1 (p0 - p1)
//     with the constant derivatives of z: d p1 = s1 (cu, cv), d2 p1 = s2 (cu cu,
//     cu cv, cv cv);
//   * the exact penalty E_m A(z) - A(E_m z) as
//     sum_m (w_m / W) log((1 + e^z_m) / (1 + e^{E_m z})), one log per group of
//     masks of equal weight (per chunk, see SimdModel::AffinePoint): at rate
//     1/2 every mask weighs the same and a point takes one log instead of one
//     per mask and one for the mean logit;
//   * Var_m z from the deviations z_m - E_m z = (gamma - E gamma) +
//     (cu - E cu) u + (cv - E cv) v instead of West's running update.
// Masks whose logit is constant use the reference's values.

// Include guard toggled per target (Highway's convention for -inl.h headers).
#if defined(MANIFOLDLENS_SIMD_AFFINE_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef MANIFOLDLENS_SIMD_AFFINE_INL_H_
#undef MANIFOLDLENS_SIMD_AFFINE_INL_H_
#else
#define MANIFOLDLENS_SIMD_AFFINE_INL_H_
#endif

#include <hwy/contrib/math/math-inl.h>
#include <hwy/highway.h>

#include "simd_model.h"

#include <cstddef>
#include <vector>

HWY_BEFORE_NAMESPACE();
namespace manifoldlens {
namespace HWY_NAMESPACE {

namespace hn = hwy::HWY_NAMESPACE;

// Where a row's lanes are in the grid: consecutive columns of one grid row,
// or (where the row wraps to the next grid row, or is padded) any vertices.
template <class D>
struct RowPlace {
    using VI = hn::Vec<hn::RebindToSigned<D>>;
    bool contiguous = false;
    std::size_t column = 0, gridRow = 0;  // of the first lane, if contiguous
    VI columns, gridRows;                 // of every lane, otherwise
};

// A table over the grid's columns (u) or rows (v) at the row's lanes.
template <class D, class V = hn::Vec<D>>
HWY_INLINE V AtColumns(D d, const RowPlace<D>& place, const std::vector<double>& table) {
    return place.contiguous ? hn::LoadU(d, table.data() + place.column) : hn::GatherIndex(d, table.data(), place.columns);
}
template <class D, class V = hn::Vec<D>>
HWY_INLINE V AtRows(D d, const RowPlace<D>& place, const std::vector<double>& table) {
    return place.contiguous ? hn::Set(d, table[place.gridRow]) : hn::GatherIndex(d, table.data(), place.gridRows);
}

// The predictive and penalties of a row on the affine plan: the class jets of
// every point (scaled by 1 / W, class 0 then class 1, 6 rows of lanes each)
// into pbar, the penalties summed over the points into penaltyExact and
// penaltyQuadratic. Returns false, computing nothing, if a lane is outside
// the plan's limits.
template <class D, class V = hn::Vec<D>>
HWY_INLINE bool AffineRow(D d, const SimdModel& m, const RowPlace<D>& place, V u, V v, double* pbar, double* logs,
                          V& penaltyExact, V& penaltyQuadratic) {
    if (!hn::AllTrue(d, hn::Le(hn::Abs(u), hn::Set(d, m.uLimit))) ||
        !hn::AllTrue(d, hn::Le(hn::Abs(v), hn::Set(d, m.vLimit))))
        return false;
    const std::size_t lanes = hn::Lanes(d);
    const V zero = hn::Zero(d), one = hn::Set(d, 1.0);
    penaltyQuadratic = zero;
    const std::size_t groups = m.groupWeight.size();
    // Per point and group: the log of the last product of ratios is taken
    // for all points together at the end (their long latencies overlap).
    double* tail = logs;
    for (const SimdModel::AffinePoint& ap : m.affinePoints) {
        const V xu = AtColumns(d, place, ap.expU), xv = AtRows(d, place, ap.expV);
        // The mean logit: e^{E_m z}, 1 + e^{E_m z} and its inverse (p0 there).
        const V eMean = hn::Mul(hn::Mul(AtColumns(d, place, ap.expUMean), AtRows(d, place, ap.expVMean)),
                                hn::Set(d, ap.expMeanGamma));
        const V sMean = hn::Add(one, eMean);
        const V p0Mean = hn::Div(one, sMean);
        V a0 = zero, a1 = zero, au = zero, av = zero, auu = zero, auv = zero, avv = zero;
        V cov = zero;
        // The masks come sorted by group (equal weight). Per group: the product
        // of the ratios (1 + e^z) / (1 + e^{E_m z}) of the current chunk and the
        // sum of the logs of the finished chunks, both kept for the last pass.
        V product = one, sum = zero;
        int factors = 0;
        for (std::size_t mk = 0; mk < ap.masks.size(); ++mk) {
            const SimdModel::AffineMask& am = ap.masks[mk];
            V p0, p1, s;
            if (am.constant) {
                p0 = hn::Set(d, am.p0);
                p1 = hn::Set(d, am.p1);
                s = hn::Set(d, 1.0 + am.expGamma);
            } else {
                const V x = am.cu == 0.0 ? xv : am.cv == 0.0 ? xu : hn::Mul(xu, xv);
                const V e = hn::Mul(x, hn::Set(d, am.expGamma));
                s = hn::Add(one, e);
                p0 = hn::Div(one, s);
                p1 = hn::Mul(e, p0);
                const V s1 = hn::Mul(p0, p1);
                const V s2 = hn::Mul(s1, hn::Sub(p0, p1));
                au = hn::Add(au, hn::Mul(hn::Set(d, am.wu), s1));
                av = hn::Add(av, hn::Mul(hn::Set(d, am.wv), s1));
                auu = hn::Add(auu, hn::Mul(hn::Set(d, am.wuu), s2));
                auv = hn::Add(auv, hn::Mul(hn::Set(d, am.wuv), s2));
                avv = hn::Add(avv, hn::Mul(hn::Set(d, am.wvv), s2));
            }
            product = hn::Mul(product, hn::Mul(s, p0Mean));
            if (++factors == ap.chunk) {
                sum = hn::Add(sum, hn::Log(d, product));
                product = one;
                factors = 0;
            }
            if (mk + 1 == ap.masks.size() || ap.masks[mk + 1].group != am.group) {
                hn::Store(sum, d, tail);
                hn::Store(product, d, tail + lanes);
                tail += 2 * lanes;
                product = one;
                sum = zero;
                factors = 0;
            }
            const V wp = hn::Set(d, am.weight);
            a0 = hn::Add(a0, hn::Mul(p0, wp));
            a1 = hn::Add(a1, hn::Mul(p1, wp));
            // Var_m z = sum_m (w_m / W) (z_m - E_m z)^2, the deviation from the
            // differences of the coefficients (nothing cancels).
            const V dz =
                hn::Add(hn::Add(hn::Set(d, am.gammaDeviation), hn::Mul(hn::Set(d, am.cuDeviation), u)),
                        hn::Mul(hn::Set(d, am.cvDeviation), v));
            cov = hn::Add(cov, hn::Mul(hn::Mul(wp, dz), dz));
        }
        // Class 0's derivatives are not stored: the Bernoulli geometry reads
        // class 0's probability and class 1's jet only.
        const V class1[6] = {a1, au, av, auu, auv, avv};
        hn::Store(a0, d, pbar);
        for (std::size_t k = 0; k < 6; ++k) hn::Store(class1[k], d, pbar + (6 + k) * lanes);
        pbar += 12 * lanes;
        // sigma'(E_m z) Var_m z / 2 = p0 p1 Var_m z / 2 at the mean logit.
        penaltyQuadratic =
            hn::Add(penaltyQuadratic, hn::Mul(hn::Mul(hn::Mul(p0Mean, hn::Mul(eMean, p0Mean)), cov), hn::Set(d, 0.5)));
    }
    // E_m A(z) - A(E_m z) = sum_m (w_m / W) log((1 + e^z) / (1 + e^{E_m z})),
    // summed over the points per group: the points' last products of a group
    // are multiplied together while they fit in e^{+-700} (logAfter).
    const std::size_t points = m.affinePoints.size();
    penaltyExact = zero;
    for (std::size_t k = 0; k < groups; ++k) {
        V sum = zero, product = one;
        for (std::size_t i = 0; i < points; ++i) {
            const double* t = logs + (i * groups + k) * 2 * lanes;
            sum = hn::Add(sum, hn::Load(d, t));
            product = hn::Mul(product, hn::Load(d, t + lanes));
            if (m.logAfter[k * points + i]) {
                sum = hn::Add(sum, hn::Log(d, product));
                product = one;
            }
        }
        penaltyExact = hn::Add(penaltyExact, hn::Mul(hn::Set(d, m.groupWeight[k]), sum));
    }
    return true;
}

// NOLINTNEXTLINE(google-readability-namespace-comments)
}  // namespace HWY_NAMESPACE
}  // namespace manifoldlens
HWY_AFTER_NAMESPACE();

#endif  // MANIFOLDLENS_SIMD_AFFINE_INL_H_
