// Per-target part of the grid kernel (included from simd_grid.cpp once per
// Highway target): the geometry of a row of Bernoulli models.
//
// Each design point's two-outcome simplex is a circle of radius 2 in
// s = 2 sqrt(p), with arc length phi_i = 2 asin sqrt(p_i1). So S is flat in
// phi = (phi_1, ..., phi_N), and a vector of the categorical representation
// centred per point (simd_geometry-inl.h) is one number per point: n = N
// ambient coordinates with the Euclidean product. With p = p_i1, p0 = p_i0
// (computed separately, accurate when p -> 1), r = 1 / sqrt(p0 p) and
// kappa = (p - p0) r / 2, the vectors are
//   t_a = d_a phi = p_a r,               M_ab = p_ab r,
//   X_ab = d_ab phi = M_ab + Q_ab,       E_ab = M_ab + 2 Q_ab,   Q_ab = kappa t_a t_b,
// the m- and e-second derivatives being the categorical ones times the
// isometry (docs/math.md), so every printed number is the same up to rounding.
//
// With three design points (the presets' usual design, and the isometric
// picture) the normal space is a line: n = t_1 x t_2 spans it, every
// projection onto it is (x . n) n / |n|^2, and every product of projected
// vectors is a product of numbers, <X_perp, Y_perp> = (X . n)(Y . n) / |n|^2.
// Otherwise the vectors go through the explicit projections of Curvatures.

// Include guard toggled per target (Highway's convention for -inl.h headers).
#if defined(MANIFOLDLENS_SIMD_BERNOULLI_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef MANIFOLDLENS_SIMD_BERNOULLI_INL_H_
#undef MANIFOLDLENS_SIMD_BERNOULLI_INL_H_
#else
#define MANIFOLDLENS_SIMD_BERNOULLI_INL_H_
#endif

#include <hwy/contrib/math/math-inl.h>
#include <hwy/highway.h>

#include "geometry.h"
#include "simd_geometry-inl.h"
#include "simd_grid.h"

#include <algorithm>
#include <cstddef>
#include <limits>

HWY_BEFORE_NAMESPACE();
namespace manifoldlens {
namespace HWY_NAMESPACE {

namespace hn = hwy::HWY_NAMESPACE;

// One design point in arc-length coordinates (see the top of this file).
template <class V>
struct ArcPoint {
    V p0, p1;
    V invRoot;  // 1 / sqrt(p0 p1)
    V t[2], m[3], q[3];
};

// Point i of pbar (class 0 and class 1 jets, 6 rows of lanes each).
template <class D, class V = hn::Vec<D>>
HWY_INLINE ArcPoint<V> LoadArcPoint(D d, const double* pbar, std::size_t i) {
    const std::size_t lanes = hn::Lanes(d);
    const double* q = pbar + (2 * i + 1) * 6 * lanes;
    ArcPoint<V> a;
    a.p0 = hn::Load(d, pbar + 2 * i * 6 * lanes);
    a.p1 = hn::Load(d, q);
    a.invRoot = hn::Div(hn::Set(d, 1.0), hn::Sqrt(hn::Mul(a.p0, a.p1)));
    const V r = a.invRoot;
    const V kappa = hn::Mul(hn::Mul(hn::Set(d, 0.5), hn::Sub(a.p1, a.p0)), r);
    a.t[0] = hn::Mul(hn::Load(d, q + lanes), r);
    a.t[1] = hn::Mul(hn::Load(d, q + 2 * lanes), r);
    const V ta[3] = {a.t[0], a.t[0], a.t[1]}, tb[3] = {a.t[0], a.t[1], a.t[1]};
    for (std::size_t ab = 0; ab < 3; ++ab) {
        a.m[ab] = hn::Mul(hn::Load(d, q + (3 + ab) * lanes), r);
        a.q[ab] = hn::Mul(hn::Mul(kappa, ta[ab]), tb[ab]);
    }
    return a;
}

// Both probabilities strictly inside (0, 1).
template <class D, class V = hn::Vec<D>>
HWY_INLINE hn::Mask<D> Inside(D d, const ArcPoint<V>& a) {
    const V zero = hn::Zero(d), one = hn::Set(d, 1.0);
    return hn::And(hn::And(hn::Gt(a.p0, zero), hn::Lt(a.p0, one)), hn::And(hn::Gt(a.p1, zero), hn::Lt(a.p1, one)));
}

// The display coordinate phi = 2 atan2(sqrt p1, sqrt p0), as the atan of the
// smaller over the larger: sqrt(min / max) = min(p0, p1) / sqrt(p0 p1). The
// ratio is in [0, 1], where hn::Atan is its polynomial alone (Highway's
// AtanImpl), so the reduction of larger arguments is skipped. Where p0 p1 is
// subnormal or 0 (a saturated point, |z| > 708), the product has lost its
// precision (or 1 / sqrt is infinite and min 0): sqrt(min / max) instead, for
// the rows that have such a lane.
template <class D, class V = hn::Vec<D>>
HWY_INLINE V ArcLength(D d, const ArcPoint<V>& a) {
    const V lo = hn::Min(a.p0, a.p1);
    V ratio = hn::Mul(lo, a.invRoot);
    const auto subnormal = hn::Lt(hn::Mul(a.p0, a.p1), hn::Set(d, std::numeric_limits<double>::min()));
    if (!hn::AllFalse(d, subnormal))
        ratio = hn::IfThenElse(subnormal, hn::Sqrt(hn::Div(lo, hn::Max(a.p0, a.p1))), ratio);
    const V r = hn::impl::AtanImpl<double>().AtanPoly(d, ratio);
    const V angle = hn::IfThenElse(hn::Gt(a.p1, a.p0), hn::Sub(hn::Set(d, 1.5707963267948966), r), r);
    return hn::Mul(hn::Set(d, 2.0), angle);
}

// 2 x 2 symmetric matrices (11, 12, 22) times the inverse metric.
template <class V>
struct Mixed {
    V a00, a01, a10, a11;
};

template <class V>
HWY_INLINE Mixed<V> RaiseIndex(const V (&gi)[2][2], const V (&s)[3]) {
    return {hn::Add(hn::Mul(gi[0][0], s[0]), hn::Mul(gi[0][1], s[1])),
            hn::Add(hn::Mul(gi[0][0], s[1]), hn::Mul(gi[0][1], s[2])),
            hn::Add(hn::Mul(gi[1][0], s[0]), hn::Mul(gi[1][1], s[1])),
            hn::Add(hn::Mul(gi[1][0], s[1]), hn::Mul(gi[1][1], s[2]))};
}

// tr(A B) = sum_{abcd} g^{ac} g^{bd} S_ab T_cd for A = g^{-1} S, B = g^{-1} T.
template <class V>
HWY_INLINE V TraceOfProduct(const Mixed<V>& a, const Mixed<V>& b) {
    return hn::Add(hn::Add(hn::Mul(a.a00, b.a00), hn::Mul(a.a01, b.a10)),
                   hn::Add(hn::Mul(a.a10, b.a01), hn::Mul(a.a11, b.a11)));
}

// Three design points: the normal line (see the top of this file).
template <class D, class V = hn::Vec<D>>
HWY_INLINE void NormalLineCurvatures(D d, const ArcPoint<V> (&a)[3], V* fields) {
    const V zero = hn::Zero(d), half = hn::Set(d, 0.5), two = hn::Set(d, 2.0);
    V g11 = zero, g12 = zero, g22 = zero;
    for (const ArcPoint<V>& p : a) {
        g11 = hn::Add(g11, hn::Mul(p.t[0], p.t[0]));
        g12 = hn::Add(g12, hn::Mul(p.t[0], p.t[1]));
        g22 = hn::Add(g22, hn::Mul(p.t[1], p.t[1]));
    }
    const V n[3] = {hn::Sub(hn::Mul(a[1].t[0], a[2].t[1]), hn::Mul(a[2].t[0], a[1].t[1])),
                    hn::Sub(hn::Mul(a[2].t[0], a[0].t[1]), hn::Mul(a[0].t[0], a[2].t[1])),
                    hn::Sub(hn::Mul(a[0].t[0], a[1].t[1]), hn::Mul(a[1].t[0], a[0].t[1]))};
    const V nn = hn::Add(hn::Add(hn::Mul(n[0], n[0]), hn::Mul(n[1], n[1])), hn::Mul(n[2], n[2]));
    // The normal components of M_ab and Q_ab, then of X and E.
    V mn[3], xn[3], en[3];
    for (std::size_t ab = 0; ab < 3; ++ab) {
        V sm = zero, sq = zero;
        for (std::size_t i = 0; i < 3; ++i) {
            sm = hn::Add(sm, hn::Mul(a[i].m[ab], n[i]));
            sq = hn::Add(sq, hn::Mul(a[i].q[ab], n[i]));
        }
        mn[ab] = sm;
        xn[ab] = hn::Add(sm, sq);
        en[ab] = hn::Add(sm, hn::Add(sq, sq));
    }
    auto inside = Inside(d, a[0]);
    for (std::size_t i = 1; i < 3; ++i) inside = hn::And(inside, Inside(d, a[i]));
    const Metric<D> metric(d, g11, g12, g22, inside);
    const V det = metric.det;
    const auto valid = metric.valid;
    const auto& gi = metric.inverse;
    const V invNN = hn::Div(hn::Set(d, 1.0), nn);
    // K = (<X_11, X_22> - |X_12|^2) / det g with the normal parts.
    const V gaussian = hn::Mul(hn::Mul(hn::Sub(hn::Mul(xn[0], xn[2]), hn::Mul(xn[1], xn[1])), invNN), metric.invDet);
    const Mixed<V> e = RaiseIndex(gi, en), mm = RaiseIndex(gi, mn);
    // |H| = |(1/2) g^{ab} X_ab . n| / |n|.
    const V h = hn::Add(hn::Add(hn::Mul(gi[0][0], xn[0]), hn::Mul(hn::Mul(two, gi[0][1]), xn[1])), hn::Mul(gi[1][1], xn[2]));
    const V meanCurv = hn::Mul(hn::Mul(half, hn::Abs(h)), hn::Sqrt(invNN));
    const V nan = hn::Set(d, std::numeric_limits<double>::quiet_NaN());
    fields[3] = det;
    fields[4] = hn::IfThenElse(valid, gaussian, nan);
    fields[5] = hn::IfThenElse(valid, meanCurv, nan);
    fields[6] = hn::IfThenElse(valid, hn::Mul(TraceOfProduct(e, e), invNN), nan);
    fields[7] = hn::IfThenElse(valid, hn::Mul(TraceOfProduct(e, mm), invNN), nan);
    fields[8] = hn::IfThenElse(valid, hn::Mul(TraceOfProduct(mm, mm), invNN), nan);
    fields[11] = hn::IfThenElseZero(valid, hn::Set(d, 1.0));
}

// pbar holds the 2N class jets (class 0, class 1 per point); geo is scratch
// of kAmbientArrays N rows of lanes (unused for N = 3). Writes fields[0..8]
// and fields[11]. kN: N if known at compile time (0: the model's).
template <std::size_t kN, class D, class V = hn::Vec<D>>
HWY_INLINE void BernoulliGeometry(D d, const SimdModel& m, const double* pbar, double* geo, V* fields) {
    const V zero = hn::Zero(d);
    if constexpr (kN == 3) {
        const ArcPoint<V> a[3] = {LoadArcPoint(d, pbar, 0), LoadArcPoint(d, pbar, 1), LoadArcPoint(d, pbar, 2)};
        for (std::size_t k = 0; k < 3; ++k) fields[k] = ArcLength(d, a[k]);
        NormalLineCurvatures(d, a, fields);
    } else {
        const Ambient<true, kN, D> amb(d, static_cast<std::size_t>(m.points), geo);
        const std::size_t n = amb.size();
        for (std::size_t k = 0; k < 3; ++k) fields[k] = zero;
        auto inside = hn::Eq(zero, zero);
        V g11 = zero, g12 = zero, g22 = zero;
        for (std::size_t i = 0; i < n; ++i) {
            const ArcPoint<V> a = LoadArcPoint(d, pbar, i);
            if (i < 3) fields[i] = ArcLength(d, a);
            inside = hn::And(inside, Inside(d, a));
            amb.st(a.t[0], kT0, i);
            amb.st(a.t[1], kT0 + 1, i);
            g11 = hn::Add(g11, hn::Mul(a.t[0], a.t[0]));
            g12 = hn::Add(g12, hn::Mul(a.t[0], a.t[1]));
            g22 = hn::Add(g22, hn::Mul(a.t[1], a.t[1]));
            for (std::size_t ab = 0; ab < 3; ++ab) {
                amb.st(hn::Add(a.m[ab], a.q[ab]), kX + ab, i);
                amb.st(hn::Add(a.m[ab], hn::Add(a.q[ab], a.q[ab])), kE + ab, i);
                amb.st(a.m[ab], kM + ab, i);
            }
        }
        Curvatures(d, amb, g11, g12, g22, inside, [](const Ambient<true, kN, D>&) {}, fields);
    }
}

// NOLINTNEXTLINE(google-readability-namespace-comments)
}  // namespace HWY_NAMESPACE
}  // namespace manifoldlens
HWY_AFTER_NAMESPACE();

#endif  // MANIFOLDLENS_SIMD_BERNOULLI_INL_H_
