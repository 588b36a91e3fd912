#include "geometry.h"

#include <cmath>
#include <limits>

namespace manifoldlens {

namespace {

// Second-derivative pairs ab in the order 11, 12, 22.
constexpr int kPairA[3] = {0, 0, 1};
constexpr int kPairB[3] = {0, 1, 1};
// Index of the pair (a, b) in that order.
constexpr int pairIndex(int a, int b) { return a + b; }

// Vectors over the D = N * C outcomes, weighted by w = pbar: <x, y> = sum w x y.
// In this representation the embedding s = 2 sqrt(p) has ds = sqrt(p) * x, so
// Euclidean products of the embedding become weighted products; the Fisher
// product of S in theta coordinates is the same weighted product of vectors
// centred per design point (a covariance under pbar_i).
struct Weighted {
    const double* w;
    std::size_t n;

    double dot(const double* x, const double* y) const {
        double s = 0.0;
        for (std::size_t j = 0; j < n; ++j) s += w[j] * x[j] * y[j];
        return s;
    }
    // x <- x - T g^{-1} <T, x>: the part of x orthogonal to the tangent plane.
    void projectOut(double* x, const double* t0, const double* t1, const double (&ginv)[2][2]) const {
        const double h0 = dot(t0, x), h1 = dot(t1, x);
        const double c0 = ginv[0][0] * h0 + ginv[0][1] * h1;
        const double c1 = ginv[1][0] * h0 + ginv[1][1] * h1;
        for (std::size_t j = 0; j < n; ++j) x[j] -= c0 * t0[j] + c1 * t1[j];
    }
};

void centrePerPoint(double* x, const double* w, int points, int classes) {
    for (int i = 0; i < points; ++i) {
        double* xi = x + i * classes;
        const double* wi = w + i * classes;
        double mean = 0.0;
        for (int k = 0; k < classes; ++k) mean += wi[k] * xi[k];
        for (int k = 0; k < classes; ++k) xi[k] -= mean;
    }
}

// sum_{abcd} g^{ac} g^{bd} <X_ab, Y_cd> from the table P[ab][cd] = <X_ab, Y_cd>.
double contract(const double (&ginv)[2][2], const double (&table)[3][3]) {
    double s = 0.0;
    for (int a = 0; a < 2; ++a)
        for (int b = 0; b < 2; ++b)
            for (int c = 0; c < 2; ++c)
                for (int d = 0; d < 2; ++d) s += ginv[a][c] * ginv[b][d] * table[pairIndex(a, b)][pairIndex(c, d)];
    return s;
}

}  // namespace

VertexGeometry geometry(const Predictive& pred, bool bernoulli, GeometryScratch& scratch) {
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    const int points = pred.points;
    const int classes = pred.classes;
    const std::size_t n = pred.p.size();
    VertexGeometry out;

    // Display coordinates: phi_i = 2 asin sqrt(pbar_i(1)), written as an atan2
    // of both class probabilities so it stays accurate near 0 and pi.
    for (std::size_t c = 0; c < 3; ++c) {
        if (bernoulli && static_cast<int>(c) < points) {
            const int i = static_cast<int>(c);
            out.point[c] = 2.0 * std::atan2(std::sqrt(pred.at(i, 1).v), std::sqrt(pred.at(i, 0).v));
        } else if (!bernoulli && c < n) {
            out.point[c] = 2.0 * std::sqrt(pred.p[c].v);
        }
    }

    // Layout: w, T0, T1, X[3] (embedding), E[3], M[3], H0[3].
    scratch.work.assign(n * 15, 0.0);
    double* w = scratch.work.data();
    double* t[2] = {w + n, w + 2 * n};
    double* x[3] = {w + 3 * n, w + 4 * n, w + 5 * n};
    double* e[3] = {w + 6 * n, w + 7 * n, w + 8 * n};
    double* m[3] = {w + 9 * n, w + 10 * n, w + 11 * n};
    double* h0[3] = {w + 12 * n, w + 13 * n, w + 14 * n};

    bool inside = true;
    for (std::size_t j = 0; j < n; ++j) {
        const Jet2& p = pred.p[j];
        inside = inside && p.v > 0.0 && p.v < 1.0;
        w[j] = p.v;
        t[0][j] = p.du / p.v;  // score d_a log p
        t[1][j] = p.dv / p.v;
        for (int ab = 0; ab < 3; ++ab) {
            const double ta = t[kPairA[ab]][j], tb = t[kPairB[ab]][j];
            const double pab = p.dd(kPairA[ab], kPairB[ab]) / p.v;
            x[ab][j] = pab - 0.5 * ta * tb;  // d_a d_b s / sqrt(p)
            e[ab][j] = pab - ta * tb;        // d_a d_b log p
            m[ab][j] = pab;                  // G^{-1} d_a d_b eta, up to a constant per point
        }
    }
    const Weighted inner{w, n};
    out.g11 = inner.dot(t[0], t[0]);
    out.g12 = inner.dot(t[0], t[1]);
    out.g22 = inner.dot(t[1], t[1]);
    out.metricDet = out.g11 * out.g22 - out.g12 * out.g12;
    const double trace = out.g11 + out.g22;
    out.valid = inside && std::isfinite(out.metricDet) && out.metricDet >= kSmallestDeterminant &&
                out.metricDet > kSingularTolerance * trace * trace;
    if (!out.valid) {
        out.gaussian = out.mean = out.gammaEE = out.gammaEM = out.gammaMM = nan;
        return out;
    }
    const double ginv[2][2] = {{out.g22 / out.metricDet, -out.g12 / out.metricDet},
                               {-out.g12 / out.metricDet, out.g11 / out.metricDet}};

    // Gauss equation in the flat embedding s = 2 sqrt(p).
    for (double* xab : x) inner.projectOut(xab, t[0], t[1], ginv);
    out.gaussian = (inner.dot(x[0], x[2]) - inner.dot(x[1], x[1])) / out.metricDet;

    // alpha-embedding curvature: centre per design point (theta coordinates are
    // defined up to a constant per point), then project Fisher-orthogonally.
    centrePerPoint(t[0], w, points, classes);
    centrePerPoint(t[1], w, points, classes);
    for (int ab = 0; ab < 3; ++ab) {
        centrePerPoint(e[ab], w, points, classes);
        centrePerPoint(m[ab], w, points, classes);
        inner.projectOut(e[ab], t[0], t[1], ginv);
        inner.projectOut(m[ab], t[0], t[1], ginv);
        for (std::size_t j = 0; j < n; ++j) h0[ab][j] = 0.5 * (e[ab][j] + m[ab][j]);
    }
    double ee[3][3], em[3][3], mm[3][3];
    for (int ab = 0; ab < 3; ++ab) {
        for (int cd = 0; cd < 3; ++cd) {
            ee[ab][cd] = inner.dot(e[ab], e[cd]);
            em[ab][cd] = inner.dot(e[ab], m[cd]);
            mm[ab][cd] = inner.dot(m[ab], m[cd]);
        }
    }
    out.gammaEE = contract(ginv, ee);
    out.gammaEM = contract(ginv, em);
    out.gammaMM = contract(ginv, mm);

    // Mean curvature vector (1/2) g^{ab} H^(0)_ab.
    double* mean = e[0];
    for (std::size_t j = 0; j < n; ++j)
        mean[j] = 0.5 * (ginv[0][0] * h0[0][j] + 2.0 * ginv[0][1] * h0[1][j] + ginv[1][1] * h0[2][j]);
    out.mean = std::sqrt(inner.dot(mean, mean));
    return out;
}

std::array<std::string, 3> displayCoordinateNames(const Preset& preset) {
    std::array<std::string, 3> names;
    const int classes = preset.classes();
    for (int c = 0; c < 3; ++c) {
        const std::string index = std::to_string(c + 1);
        if (preset.bernoulli && c < preset.designPoints())
            names[static_cast<std::size_t>(c)] = "phi_" + index + " = 2 asin sqrt p_" + index + "(1)";
        else if (!preset.bernoulli && c < preset.designPoints() * classes)
            names[static_cast<std::size_t>(c)] = "s_" + index + " = 2 sqrt p_" + std::to_string(c / classes + 1) + "(" +
                                                 std::to_string(c % classes) + ")";
    }
    return names;
}

VertexGeometry geometry(const Predictive& pred, bool bernoulli) {
    GeometryScratch scratch;
    return geometry(pred, bernoulli, scratch);
}

}  // namespace manifoldlens
