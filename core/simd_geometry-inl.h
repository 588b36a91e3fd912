// Per-target part of the grid kernel (included from simd_grid.cpp once per
// Highway target): geometry.cpp on a row of vertices, from the n = N C jets
// of the predictive probabilities to the metric, the curvatures, the gamma2
// coefficients and the display coordinates. Same formulas, same order of
// operations as the reference (but d p / p as d p times 1 / p); every inner
// product runs over the outcomes in index order, several products sharing one
// pass over the arrays.

// Include guard toggled per target (Highway's convention for -inl.h headers).
#if defined(MANIFOLDLENS_SIMD_GEOMETRY_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef MANIFOLDLENS_SIMD_GEOMETRY_INL_H_
#undef MANIFOLDLENS_SIMD_GEOMETRY_INL_H_
#else
#define MANIFOLDLENS_SIMD_GEOMETRY_INL_H_
#endif

#include <hwy/contrib/math/math-inl.h>
#include <hwy/highway.h>

#include "geometry.h"
#include "simd_grid.h"

#include <algorithm>
#include <cstddef>
#include <limits>

HWY_BEFORE_NAMESPACE();
namespace manifoldlens {
namespace HWY_NAMESPACE {

namespace hn = hwy::HWY_NAMESPACE;

// The twelve result fields of a row, in SimdBlockOutput order then valid (1/0).
enum : std::size_t { kFields = 12 };

// pbar: n jets (6 rows of lanes each) of the predictive probabilities;
// geo: scratch of 15 n rows of lanes. kC: the number of classes if known at
// compile time (0: classes). Writes fields[0..8] (x, y, z, det, K, |H|,
// gamma_ee, gamma_em, gamma_mm) and fields[11] (valid).
// kN: the number of outcomes if known at compile time (0: points x classes),
// which lets the compiler unroll the passes over the outcomes.
template <std::size_t kC, std::size_t kN, class D, class V = hn::Vec<D>>
HWY_INLINE void Geometry(D d, const SimdModel& m, std::size_t classes, const double* pbar, double* geo, V* fields) {
    const std::size_t lanes = hn::Lanes(d);
    const std::size_t c = kC != 0 ? kC : classes;
    const std::size_t n = kN != 0 ? kN : static_cast<std::size_t>(m.points) * c;
    const std::size_t points = n / c;
    const V zero = hn::Zero(d), one = hn::Set(d, 1.0);
    auto P = [&](std::size_t j) { return pbar + j * 6 * lanes; };
    V point[3] = {zero, zero, zero};
    const V two = hn::Set(d, 2.0);
    if (m.bernoulli) {
        // 2 atan2(sqrt p1, sqrt p0) with both arguments >= 0, the three points
        // stage by stage (independent chains; with fewer points the last one
        // is repeated and discarded).
        V x[3], y[3], r[3];
        for (std::size_t k = 0; k < 3; ++k) {
            const std::size_t i = std::min(k, points - 1);
            y[k] = hn::Sqrt(hn::Load(d, P(i * 2 + 1)));
            x[k] = hn::Sqrt(hn::Load(d, P(i * 2)));
        }
        for (std::size_t k = 0; k < 3; ++k) r[k] = hn::Atan(d, hn::Div(hn::Min(x[k], y[k]), hn::Max(x[k], y[k])));
        for (std::size_t k = 0; k < 3 && k < points; ++k) {
            const V angle = hn::IfThenElse(hn::Gt(y[k], x[k]), hn::Sub(hn::Set(d, 1.5707963267948966), r[k]), r[k]);
            point[k] = hn::Mul(two, angle);
        }
    } else {
        for (std::size_t k = 0; k < 3 && k < n; ++k) point[k] = hn::Mul(two, hn::Sqrt(hn::Load(d, P(k))));
    }
    double* base = geo;
    auto row = [&](std::size_t array, std::size_t j) { return base + (array * n + j) * lanes; };
    auto ld = [&](std::size_t array, std::size_t j) { return hn::Load(d, row(array, j)); };
    enum : std::size_t { kW = 0, kT0 = 1, kX = 3, kE = 6, kM = 9, kH = 12 };
    auto inside = hn::Eq(zero, zero);
    const V half = hn::Set(d, 0.5);
    // The metric g_ab = sum_j p_j t_a t_b accumulates in the same pass.
    V g11 = zero, g12 = zero, g22 = zero;
    for (std::size_t j = 0; j < n; ++j) {
        const double* pj = P(j);
        const V pv = hn::Load(d, pj);
        inside = hn::And(inside, hn::And(hn::Gt(pv, zero), hn::Lt(pv, one)));
        const V r = hn::Div(one, pv);
        const V t0 = hn::Mul(hn::Load(d, pj + lanes), r), t1 = hn::Mul(hn::Load(d, pj + 2 * lanes), r);
        hn::Store(pv, d, row(kW, j));
        hn::Store(t0, d, row(kT0, j));
        hn::Store(t1, d, row(kT0 + 1, j));
        const V w0 = hn::Mul(pv, t0);
        g11 = hn::Add(g11, hn::Mul(w0, t0));
        g12 = hn::Add(g12, hn::Mul(w0, t1));
        g22 = hn::Add(g22, hn::Mul(hn::Mul(pv, t1), t1));
        const V ta[3] = {t0, t0, t1}, tb[3] = {t0, t1, t1};
        for (std::size_t ab = 0; ab < 3; ++ab) {
            const V pab = hn::Mul(hn::Load(d, pj + (3 + ab) * lanes), r);
            hn::Store(hn::Sub(pab, hn::Mul(hn::Mul(half, ta[ab]), tb[ab])), d, row(kX + ab, j));
            hn::Store(hn::Sub(pab, hn::Mul(ta[ab], tb[ab])), d, row(kE + ab, j));
            hn::Store(pab, d, row(kM + ab, j));
        }
    }
    const V det = hn::Sub(hn::Mul(g11, g22), hn::Mul(g12, g12));
    const V tr = hn::Add(g11, g22);
    const V inf = hn::Set(d, std::numeric_limits<double>::infinity());
    const auto finite = hn::Lt(hn::Abs(det), inf);  // false for NaN and +-inf
    const auto valid =
        hn::And(inside, hn::And(finite, hn::Gt(det, hn::Mul(hn::Mul(hn::Set(d, kSingularTolerance), tr), tr))));
    const V gi[2][2] = {{hn::Div(g22, det), hn::Div(hn::Neg(g12), det)}, {hn::Div(hn::Neg(g12), det), hn::Div(g11, det)}};
    // a -= t_a-projection: h_b = sum_j (p_j t_b) a_j, then a -= g^{-1} h . t;
    // three arrays per pass over the tangent vectors.
    auto projectOut3 = [&](std::size_t a0, std::size_t a1, std::size_t a2) {
        const std::size_t a[3] = {a0, a1, a2};
        V h0[3] = {zero, zero, zero}, h1[3] = {zero, zero, zero};
        for (std::size_t j = 0; j < n; ++j) {
            const V w = ld(kW, j), s0 = ld(kT0, j), s1 = ld(kT0 + 1, j);
            for (std::size_t q = 0; q < 3; ++q) {
                const V x = ld(a[q], j);
                h0[q] = hn::Add(h0[q], hn::Mul(hn::Mul(w, s0), x));
                h1[q] = hn::Add(h1[q], hn::Mul(hn::Mul(w, s1), x));
            }
        }
        V c0[3], c1[3];
        for (std::size_t q = 0; q < 3; ++q) {
            c0[q] = hn::Add(hn::Mul(gi[0][0], h0[q]), hn::Mul(gi[0][1], h1[q]));
            c1[q] = hn::Add(hn::Mul(gi[1][0], h0[q]), hn::Mul(gi[1][1], h1[q]));
        }
        for (std::size_t j = 0; j < n; ++j) {
            const V s0 = ld(kT0, j), s1 = ld(kT0 + 1, j);
            for (std::size_t q = 0; q < 3; ++q) {
                const V corr = hn::Add(hn::Mul(c0[q], s0), hn::Mul(c1[q], s1));
                hn::Store(hn::Sub(ld(a[q], j), corr), d, row(a[q], j));
            }
        }
    };
    auto centre = [&](std::size_t a) {
        for (std::size_t i = 0; i < points; ++i) {
            const std::size_t first = i * c;
            V mu = zero;
            for (std::size_t k = 0; k < c; ++k) mu = hn::Add(mu, hn::Mul(ld(kW, first + k), ld(a, first + k)));
            for (std::size_t k = 0; k < c; ++k) hn::Store(hn::Sub(ld(a, first + k), mu), d, row(a, first + k));
        }
    };
    projectOut3(kX, kX + 1, kX + 2);
    V kxx = zero, kx11 = zero;
    for (std::size_t j = 0; j < n; ++j) {
        const V w = ld(kW, j);
        kxx = hn::Add(kxx, hn::Mul(hn::Mul(w, ld(kX, j)), ld(kX + 2, j)));
        const V x1 = ld(kX + 1, j);
        kx11 = hn::Add(kx11, hn::Mul(hn::Mul(w, x1), x1));
    }
    const V gaussian = hn::Div(hn::Sub(kxx, kx11), det);
    centre(kT0);
    centre(kT0 + 1);
    // Each array's centring and projection is its own (the reference's order per
    // array); the arrays are independent, so they are batched.
    for (std::size_t ab = 0; ab < 3; ++ab) {
        centre(kE + ab);
        centre(kM + ab);
    }
    projectOut3(kE, kE + 1, kE + 2);
    projectOut3(kM, kM + 1, kM + 2);
    for (std::size_t j = 0; j < n; ++j)
        for (std::size_t ab = 0; ab < 3; ++ab)
            hn::Store(hn::Mul(half, hn::Add(ld(kE + ab, j), ld(kM + ab, j))), d, row(kH + ab, j));
    // The 27 inner products <e_ab, e_cd>, <e_ab, m_cd>, <m_ab, m_cd>, nine per pass.
    V ee[3][3], em[3][3], mm[3][3];
    for (std::size_t ab = 0; ab < 3; ++ab) {
        V see[3] = {zero, zero, zero}, sem[3] = {zero, zero, zero}, smm[3] = {zero, zero, zero};
        for (std::size_t j = 0; j < n; ++j) {
            const V w = ld(kW, j);
            const V we = hn::Mul(w, ld(kE + ab, j)), wm = hn::Mul(w, ld(kM + ab, j));
            for (std::size_t cd = 0; cd < 3; ++cd) {
                const V e = ld(kE + cd, j), mv = ld(kM + cd, j);
                see[cd] = hn::Add(see[cd], hn::Mul(we, e));
                sem[cd] = hn::Add(sem[cd], hn::Mul(we, mv));
                smm[cd] = hn::Add(smm[cd], hn::Mul(wm, mv));
            }
        }
        for (std::size_t cd = 0; cd < 3; ++cd) {
            ee[ab][cd] = see[cd];
            em[ab][cd] = sem[cd];
            mm[ab][cd] = smm[cd];
        }
    }
    auto contract = [&](const V (&table)[3][3]) {
        V s = zero;
        for (int a = 0; a < 2; ++a)
            for (int b = 0; b < 2; ++b)
                for (int cc = 0; cc < 2; ++cc)
                    for (int dd = 0; dd < 2; ++dd)
                        s = hn::Add(s, hn::Mul(hn::Mul(gi[a][cc], gi[b][dd]), table[a + b][cc + dd]));
        return s;
    };
    const V gammaEE = contract(ee), gammaEM = contract(em), gammaMM = contract(mm);
    V meanSq = zero;
    const V twoG01 = hn::Mul(two, gi[0][1]);
    for (std::size_t j = 0; j < n; ++j) {
        const V mv = hn::Mul(half, hn::Add(hn::Add(hn::Mul(gi[0][0], ld(kH, j)), hn::Mul(twoG01, ld(kH + 1, j))),
                                           hn::Mul(gi[1][1], ld(kH + 2, j))));
        meanSq = hn::Add(meanSq, hn::Mul(hn::Mul(ld(kW, j), mv), mv));
    }
    const V meanCurv = hn::Sqrt(meanSq);

    const V nan = hn::Set(d, std::numeric_limits<double>::quiet_NaN());
    fields[0] = point[0];
    fields[1] = point[1];
    fields[2] = point[2];
    fields[3] = det;
    fields[4] = hn::IfThenElse(valid, gaussian, nan);
    fields[5] = hn::IfThenElse(valid, meanCurv, nan);
    fields[6] = hn::IfThenElse(valid, gammaEE, nan);
    fields[7] = hn::IfThenElse(valid, gammaEM, nan);
    fields[8] = hn::IfThenElse(valid, gammaMM, nan);
    fields[11] = hn::IfThenElseZero(valid, one);
}

// NOLINTNEXTLINE(google-readability-namespace-comments)
}  // namespace HWY_NAMESPACE
}  // namespace manifoldlens
HWY_AFTER_NAMESPACE();

#endif  // MANIFOLDLENS_SIMD_GEOMETRY_INL_H_
