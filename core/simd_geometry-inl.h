// Per-target part of the grid kernel (included from simd_grid.cpp once per
// Highway target): geometry.cpp on a row of vertices, from the jets of the
// predictive probabilities to the metric, the curvatures, the gamma2
// coefficients and the display coordinates.
//
// The projection-and-contraction stage (Ambient, Curvatures) serves two
// representations of the ambient space:
//   * categorical (Geometry, here): geometry.cpp's own, n = N C outcome vectors
//     with the product <x, y> = sum_j p_j x_j y_j, in the same order of
//     operations (but d p / p as d p times 1 / p, and g^{-1} as adj g times 1 / det g);
//   * Bernoulli (simd_bernoulli-inl.h): one arc-length coordinate per design
//     point, n = N and the Euclidean product.

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

// The arrays of the ambient vectors of a row, each n rows of lanes: weights,
// the two tangent vectors, and per pair ab = 11, 12, 22 the second derivative
// of the embedding (X), the e- and m-second derivatives (E, M) and the
// Levi-Civita part (H, filled by Curvatures).
enum : std::size_t { kW = 0, kT0 = 1, kX = 3, kE = 6, kM = 9, kH = 12, kAmbientArrays = 15 };

// Vectors over n ambient coordinates with the product <x, y> = sum_j w_j x_j y_j
// (kUnit: w_j = 1, and the weight array is never read). kN: n if known at
// compile time (0: n), which lets the compiler unroll the passes.
template <bool kUnit, std::size_t kN, class D>
class Ambient {
public:
    using V = hn::Vec<D>;

    Ambient(D d, std::size_t n, double* base) : d_(d), n_(kN != 0 ? kN : n), base_(base) {}

    std::size_t size() const { return n_; }
    double* row(std::size_t array, std::size_t j) const { return base_ + (array * n_ + j) * hn::Lanes(d_); }
    V ld(std::size_t array, std::size_t j) const { return hn::Load(d_, row(array, j)); }
    void st(V x, std::size_t array, std::size_t j) const { hn::Store(x, d_, row(array, j)); }
    V w(std::size_t j) const {
        if constexpr (kUnit) return hn::Set(d_, 1.0);
        return ld(kW, j);
    }

    // a -= t_a-projection for three arrays in one pass over the tangent vectors:
    // h_b = sum_j (w_j t_bj) a_j, then a -= (g^{-1} h) . t.
    void projectOut3(std::size_t a0, const V (&gi)[2][2]) const {
        const V zero = hn::Zero(d_);
        V h0[3] = {zero, zero, zero}, h1[3] = {zero, zero, zero};
        for (std::size_t j = 0; j < n_; ++j) {
            const V wj = w(j), s0 = ld(kT0, j), s1 = ld(kT0 + 1, j);
            for (std::size_t q = 0; q < 3; ++q) {
                const V x = ld(a0 + q, j);
                h0[q] = hn::Add(h0[q], hn::Mul(hn::Mul(wj, s0), x));
                h1[q] = hn::Add(h1[q], hn::Mul(hn::Mul(wj, s1), x));
            }
        }
        V c0[3], c1[3];
        for (std::size_t q = 0; q < 3; ++q) {
            c0[q] = hn::Add(hn::Mul(gi[0][0], h0[q]), hn::Mul(gi[0][1], h1[q]));
            c1[q] = hn::Add(hn::Mul(gi[1][0], h0[q]), hn::Mul(gi[1][1], h1[q]));
        }
        for (std::size_t j = 0; j < n_; ++j) {
            const V s0 = ld(kT0, j), s1 = ld(kT0 + 1, j);
            for (std::size_t q = 0; q < 3; ++q) {
                const V corr = hn::Add(hn::Mul(c0[q], s0), hn::Mul(c1[q], s1));
                st(hn::Sub(ld(a0 + q, j), corr), a0 + q, j);
            }
        }
    }

private:
    D d_;
    std::size_t n_;
    double* base_;
};

// The metric of a row: det g, the vertices where the curvatures are defined
// (probabilities inside (0, 1), det g finite and above the singular threshold
// of geometry.h) and g^{-1}.
template <class D, class V = hn::Vec<D>>
struct Metric {
    Metric(D d, V g11, V g12, V g22, hn::Mask<D> inside)
        : det(hn::Sub(hn::Mul(g11, g22), hn::Mul(g12, g12))),
          invDet(hn::Div(hn::Set(d, 1.0), det)),
          inverse{{hn::Mul(g22, invDet), hn::Neg(hn::Mul(g12, invDet))},
                  {hn::Neg(hn::Mul(g12, invDet)), hn::Mul(g11, invDet)}} {
        const V tr = hn::Add(g11, g22);
        const auto finite = hn::Lt(hn::Abs(det), hn::Set(d, std::numeric_limits<double>::infinity()));  // not NaN, inf
        const auto normal = hn::Ge(det, hn::Set(d, kSmallestDeterminant));
        valid = hn::And(hn::And(inside, normal),
                        hn::And(finite, hn::Gt(det, hn::Mul(hn::Mul(hn::Set(d, kSingularTolerance), tr), tr))));
    }
    V det, invDet;
    V inverse[2][2];
    hn::Mask<D> valid;
};

// sum_{abcd} g^{ac} g^{bd} table[ab][cd].
template <class V>
HWY_INLINE V Contract(const V (&gi)[2][2], const V (&table)[3][3], V zero) {
    V s = zero;
    for (int a = 0; a < 2; ++a)
        for (int b = 0; b < 2; ++b)
            for (int cc = 0; cc < 2; ++cc)
                for (int dd = 0; dd < 2; ++dd) s = hn::Add(s, hn::Mul(hn::Mul(gi[a][cc], gi[b][dd]), table[a + b][cc + dd]));
    return s;
}

// From the filled T, X, E and M arrays and the metric: validity, K, |H| and the
// gamma2 coefficients into fields[3..8] and fields[11]. centre(amb) runs
// between the Gauss equation and the embedding curvatures (the categorical
// representation centres T, E and M per design point there).
template <bool kUnit, std::size_t kN, class D, class Centre, class V = hn::Vec<D>>
HWY_INLINE void Curvatures(D d, const Ambient<kUnit, kN, D>& amb, V g11, V g12, V g22, hn::Mask<D> inside,
                           const Centre& centre, V* fields) {
    const std::size_t n = amb.size();
    const V zero = hn::Zero(d), one = hn::Set(d, 1.0), half = hn::Set(d, 0.5), two = hn::Set(d, 2.0);
    const Metric<D> metric(d, g11, g12, g22, inside);
    const V det = metric.det;
    const auto valid = metric.valid;
    const auto& gi = metric.inverse;
    amb.projectOut3(kX, gi);
    V kxx = zero, kx11 = zero;
    for (std::size_t j = 0; j < n; ++j) {
        const V wj = amb.w(j);
        kxx = hn::Add(kxx, hn::Mul(hn::Mul(wj, amb.ld(kX, j)), amb.ld(kX + 2, j)));
        const V x1 = amb.ld(kX + 1, j);
        kx11 = hn::Add(kx11, hn::Mul(hn::Mul(wj, x1), x1));
    }
    const V gaussian = hn::Div(hn::Sub(kxx, kx11), det);
    centre(amb);
    amb.projectOut3(kE, gi);
    amb.projectOut3(kM, gi);
    for (std::size_t j = 0; j < n; ++j)
        for (std::size_t ab = 0; ab < 3; ++ab)
            amb.st(hn::Mul(half, hn::Add(amb.ld(kE + ab, j), amb.ld(kM + ab, j))), kH + ab, j);
    // The 27 inner products <e_ab, e_cd>, <e_ab, m_cd>, <m_ab, m_cd>, nine per pass.
    V ee[3][3], em[3][3], mm[3][3];
    for (std::size_t ab = 0; ab < 3; ++ab) {
        V see[3] = {zero, zero, zero}, sem[3] = {zero, zero, zero}, smm[3] = {zero, zero, zero};
        for (std::size_t j = 0; j < n; ++j) {
            const V wj = amb.w(j);
            const V we = hn::Mul(wj, amb.ld(kE + ab, j)), wm = hn::Mul(wj, amb.ld(kM + ab, j));
            for (std::size_t cd = 0; cd < 3; ++cd) {
                const V e = amb.ld(kE + cd, j), mv = amb.ld(kM + cd, j);
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
    V meanSq = zero;
    const V twoG01 = hn::Mul(two, gi[0][1]);
    for (std::size_t j = 0; j < n; ++j) {
        const V mv = hn::Mul(half, hn::Add(hn::Add(hn::Mul(gi[0][0], amb.ld(kH, j)), hn::Mul(twoG01, amb.ld(kH + 1, j))),
                                           hn::Mul(gi[1][1], amb.ld(kH + 2, j))));
        meanSq = hn::Add(meanSq, hn::Mul(hn::Mul(amb.w(j), mv), mv));
    }
    const V nan = hn::Set(d, std::numeric_limits<double>::quiet_NaN());
    fields[3] = det;
    fields[4] = hn::IfThenElse(valid, gaussian, nan);
    fields[5] = hn::IfThenElse(valid, hn::Sqrt(meanSq), nan);
    fields[6] = hn::IfThenElse(valid, Contract(gi, ee, zero), nan);
    fields[7] = hn::IfThenElse(valid, Contract(gi, em, zero), nan);
    fields[8] = hn::IfThenElse(valid, Contract(gi, mm, zero), nan);
    fields[11] = hn::IfThenElseZero(valid, one);
}

// The categorical representation (geometry.cpp's): pbar holds n = N C jets (6
// rows of lanes each), geo is scratch of kAmbientArrays n rows of lanes.
// Writes fields[0..8] and fields[11]. kN: N C if known at compile time.
template <std::size_t kN, class D, class V = hn::Vec<D>>
HWY_INLINE void Geometry(D d, const SimdModel& m, const double* pbar, double* geo, V* fields) {
    const std::size_t lanes = hn::Lanes(d);
    const auto c = static_cast<std::size_t>(m.classes);
    const Ambient<false, kN, D> amb(d, static_cast<std::size_t>(m.points) * c, geo);
    const std::size_t n = amb.size();
    const std::size_t points = n / c;
    const V zero = hn::Zero(d), one = hn::Set(d, 1.0), half = hn::Set(d, 0.5), two = hn::Set(d, 2.0);
    auto P = [&](std::size_t j) { return pbar + j * 6 * lanes; };
    for (std::size_t k = 0; k < 3; ++k) fields[k] = k < n ? hn::Mul(two, hn::Sqrt(hn::Load(d, P(k)))) : zero;
    auto inside = hn::Eq(zero, zero);
    // The metric g_ab = sum_j p_j t_a t_b accumulates in the same pass.
    V g11 = zero, g12 = zero, g22 = zero;
    for (std::size_t j = 0; j < n; ++j) {
        const double* pj = P(j);
        const V pv = hn::Load(d, pj);
        inside = hn::And(inside, hn::And(hn::Gt(pv, zero), hn::Lt(pv, one)));
        const V r = hn::Div(one, pv);
        const V t0 = hn::Mul(hn::Load(d, pj + lanes), r), t1 = hn::Mul(hn::Load(d, pj + 2 * lanes), r);
        amb.st(pv, kW, j);
        amb.st(t0, kT0, j);
        amb.st(t1, kT0 + 1, j);
        const V w0 = hn::Mul(pv, t0);
        g11 = hn::Add(g11, hn::Mul(w0, t0));
        g12 = hn::Add(g12, hn::Mul(w0, t1));
        g22 = hn::Add(g22, hn::Mul(hn::Mul(pv, t1), t1));
        const V ta[3] = {t0, t0, t1}, tb[3] = {t0, t1, t1};
        for (std::size_t ab = 0; ab < 3; ++ab) {
            const V pab = hn::Mul(hn::Load(d, pj + (3 + ab) * lanes), r);
            amb.st(hn::Sub(pab, hn::Mul(hn::Mul(half, ta[ab]), tb[ab])), kX + ab, j);
            amb.st(hn::Sub(pab, hn::Mul(ta[ab], tb[ab])), kE + ab, j);
            amb.st(pab, kM + ab, j);
        }
    }
    // Theta coordinates are defined up to a constant per design point: centre
    // every array per point (a covariance under pbar_i) before projecting.
    auto centre = [&](const Ambient<false, kN, D>& a) {
        auto centreArray = [&](std::size_t array) {
            for (std::size_t i = 0; i < points; ++i) {
                const std::size_t first = i * c;
                V mu = zero;
                for (std::size_t k = 0; k < c; ++k) mu = hn::Add(mu, hn::Mul(a.ld(kW, first + k), a.ld(array, first + k)));
                for (std::size_t k = 0; k < c; ++k) a.st(hn::Sub(a.ld(array, first + k), mu), array, first + k);
            }
        };
        centreArray(kT0);
        centreArray(kT0 + 1);
        for (std::size_t ab = 0; ab < 3; ++ab) {
            centreArray(kE + ab);
            centreArray(kM + ab);
        }
    };
    Curvatures(d, amb, g11, g12, g22, inside, centre, fields);
}

// NOLINTNEXTLINE(google-readability-namespace-comments)
}  // namespace HWY_NAMESPACE
}  // namespace manifoldlens
HWY_AFTER_NAMESPACE();

#endif  // MANIFOLDLENS_SIMD_GEOMETRY_INL_H_
