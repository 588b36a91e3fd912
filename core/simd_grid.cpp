// The vectorised grid kernel, compiled once per Highway target (Highway's
// dynamic-dispatch skeleton: per-target code in the HWY_NAMESPACE block,
// export and dispatch under HWY_ONCE). See simd_grid.h for the contract.
//
// Layout. Lanes are vertices: all vertices of a grid share the network, the
// masks and every loop bound, only (u, v) differ. The caller hands over a
// block of vertices (kBlockVertices = 256 in grid.cpp: the unit of scheduling,
// cancellation and progress, about 30-100 us of work); the kernel walks it in
// rows of Lanes(d) vertices (8 doubles with AVX-512) and takes each row
// through the whole pipeline: forward 2-jets for every design point and mask,
// aggregation, penalties, metric, projections, curvatures. Every intermediate
// quantity is an array over the row's lanes (structure of arrays). Running a
// row through all stages keeps its working set in L1: per vertex about 15 n
// doubles of geometry vectors (n = N C outcomes) plus a few jets per unit,
// i.e. a few KB per row for the presets, where staging a whole block per
// quantity (B x a few hundred doubles) would spill to L2. The last row of a
// block is padded by repeating the block's last vertex; the extra lanes are
// computed and discarded, never stored, and nothing is read past the inputs.
//
// Numerics. Every formula is the one of predictive.cpp and geometry.cpp, in
// the same order of operations (the build does not contract a*b+c into FMAs,
// and neither does this file), so +, -, *, / and sqrt round exactly as in the
// scalar reference. The differences are the elementary functions (Highway's
// exp, log, log1p, tanh and atan are within a few ulp of glibc's) and two
// rearrangements that save transcendental calls, both relative-accuracy
// preserving: softmax probabilities as exp(z_j - m) / sum_l exp(z_l - m)
// instead of exp(z_j - lse), and atan2(y, x) for y, x >= 0 via atan of the
// smaller over the larger ratio.

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "simd_grid.cpp"
// Jets are structs of vectors, which the sizeless vector types of SVE and RVV
// do not allow; those CPUs run the NEON or scalar target instead.
#ifndef HWY_DISABLED_TARGETS
#define HWY_DISABLED_TARGETS (HWY_SVE | HWY_SVE2 | HWY_SVE_256 | HWY_SVE2_128 | HWY_RVV)
#endif
#include <hwy/foreach_target.h>  // IWYU pragma: keep

#include <hwy/aligned_allocator.h>
#include <hwy/contrib/math/math-inl.h>
#include <hwy/highway.h>

#include "geometry.h"
#include "network.h"
#include "simd_grid.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <vector>

HWY_BEFORE_NAMESPACE();
namespace manifoldlens {
namespace HWY_NAMESPACE {

namespace hn = hwy::HWY_NAMESPACE;
using D = hn::ScalableTag<double>;
using V = hn::Vec<D>;

// f(u, v) and its five derivatives, one lane per vertex.
struct Jet {
    V v, du, dv, duu, duv, dvv;
};

// A jet that may be the same constant in every lane (zero derivatives): the
// inputs, and every unit no free weight feeds, stay scalars and are computed
// with the reference's own std:: functions.
struct MJet {
    bool constant = true;
    double c = 0.0;
    Jet j;
};

HWY_INLINE Jet Broadcast(D d, double c) {
    const V z = hn::Zero(d);
    return Jet{hn::Set(d, c), z, z, z, z, z};
}

HWY_INLINE Jet Full(D d, const MJet& a) { return a.constant ? Broadcast(d, a.c) : a.j; }

HWY_INLINE Jet Scale(const Jet& a, V s) {
    return Jet{hn::Mul(a.v, s), hn::Mul(a.du, s), hn::Mul(a.dv, s), hn::Mul(a.duu, s), hn::Mul(a.duv, s),
               hn::Mul(a.dvv, s)};
}

HWY_INLINE void AddTo(Jet& a, const Jet& b) {
    a.v = hn::Add(a.v, b.v);
    a.du = hn::Add(a.du, b.du);
    a.dv = hn::Add(a.dv, b.dv);
    a.duu = hn::Add(a.duu, b.duu);
    a.duv = hn::Add(a.duv, b.duv);
    a.dvv = hn::Add(a.dvv, b.dvv);
}

// Jet2's product rule, term by term in its order.
HWY_INLINE Jet Product(D d, const Jet& a, const Jet& b) {
    const V two = hn::Set(d, 2.0);
    Jet r;
    r.v = hn::Mul(a.v, b.v);
    r.du = hn::Add(hn::Mul(a.du, b.v), hn::Mul(a.v, b.du));
    r.dv = hn::Add(hn::Mul(a.dv, b.v), hn::Mul(a.v, b.dv));
    r.duu = hn::Add(hn::Add(hn::Mul(a.duu, b.v), hn::Mul(hn::Mul(two, a.du), b.du)), hn::Mul(a.v, b.duu));
    r.duv = hn::Add(hn::Add(hn::Add(hn::Mul(a.duv, b.v), hn::Mul(a.du, b.dv)), hn::Mul(a.dv, b.du)),
                    hn::Mul(a.v, b.duv));
    r.dvv = hn::Add(hn::Add(hn::Mul(a.dvv, b.v), hn::Mul(hn::Mul(two, a.dv), b.dv)), hn::Mul(a.v, b.dvv));
    return r;
}

// a * b where a constant factor contributes exactly c * (the other's components),
// as in Jet2 (0 * x + c * y = c * y).
HWY_INLINE MJet Mul(D d, const MJet& a, const MJet& b) {
    if (a.constant && b.constant) return MJet{true, a.c * b.c, {}};
    if (a.constant) return MJet{false, 0.0, Scale(b.j, hn::Set(d, a.c))};
    if (b.constant) return MJet{false, 0.0, Scale(a.j, hn::Set(d, b.c))};
    return MJet{false, 0.0, Product(d, a.j, b.j)};
}

HWY_INLINE void Accumulate(D d, MJet& acc, const MJet& t) {
    if (acc.constant && t.constant) {
        acc.c += t.c;
        return;
    }
    if (acc.constant) {
        // constant + jet: the derivatives are the jet's (0 + x = x).
        acc.j = t.j;
        acc.j.v = hn::Add(hn::Set(d, acc.c), t.j.v);
        acc.constant = false;
        return;
    }
    AddTo(acc.j, Full(d, t));
}

// Chain rule: g(a) from g(a.v), g'(a.v), g''(a.v), as jet.h's compose.
HWY_INLINE Jet Compose(const Jet& a, V g0, V g1, V g2) {
    Jet r;
    r.v = g0;
    r.du = hn::Mul(g1, a.du);
    r.dv = hn::Mul(g1, a.dv);
    r.duu = hn::Add(hn::Mul(g1, a.duu), hn::Mul(hn::Mul(g2, a.du), a.du));
    r.duv = hn::Add(hn::Mul(g1, a.duv), hn::Mul(hn::Mul(g2, a.du), a.dv));
    r.dvv = hn::Add(hn::Mul(g1, a.dvv), hn::Mul(hn::Mul(g2, a.dv), a.dv));
    return r;
}

// The logistic function as network.cpp computes it: 1 / (1 + e^-x) for x >= 0,
// e^x / (1 + e^x) otherwise; both are e = exp(-|x|) over 1 + e.
HWY_INLINE V Logistic(D d, V x, V e) {
    const V one = hn::Set(d, 1.0);
    const V den = hn::Add(one, e);
    return hn::IfThenElse(hn::Ge(x, hn::Zero(d)), hn::Div(one, den), hn::Div(e, den));
}

MJet Activate(D d, Activation activation, const MJet& x) {
    if (activation == Activation::Identity) return x;
    if (x.constant) {
        // Lane-invariant: the reference's own scalar code.
        Jet2 s = activate(activation, Jet2::constant(x.c));
        return MJet{true, s.v, {}};
    }
    const V one = hn::Set(d, 1.0);
    const Jet& a = x.j;
    switch (activation) {
    case Activation::Tanh: {
        const V t = hn::Tanh(d, a.v);
        const V d1 = hn::Sub(one, hn::Mul(t, t));
        return MJet{false, 0.0, Compose(a, t, d1, hn::Mul(hn::Mul(hn::Set(d, -2.0), t), d1))};
    }
    case Activation::Sigmoid: {
        const V e = hn::Exp(d, hn::Neg(hn::Abs(a.v)));
        const V s = Logistic(d, a.v, e);
        const V d1 = hn::Mul(s, hn::Sub(one, s));
        return MJet{false, 0.0, Compose(a, s, d1, hn::Mul(d1, hn::Sub(one, hn::Mul(hn::Set(d, 2.0), s))))};
    }
    case Activation::Softplus: {
        const V e = hn::Exp(d, hn::Neg(hn::Abs(a.v)));
        const V s = Logistic(d, a.v, e);
        const V value = hn::Add(hn::Max(a.v, hn::Zero(d)), hn::Log1p(d, e));
        return MJet{false, 0.0, Compose(a, value, s, hn::Mul(s, hn::Sub(one, s)))};
    }
    case Activation::Identity:
        break;
    }
    return x;
}

// Jets of a layer's units in memory: a flag and value for lane-invariant
// units, six rows of lanes for the others. (Vectors live only in registers
// and local arrays of this file: standard containers of vector types would be
// instantiated outside the per-target code.)
struct JetBuffer {
    std::vector<unsigned char> constant;
    std::vector<double> value;
    hwy::AlignedFreeUniquePtr<double[]> rows;
    std::size_t size = 0;

    void reserve(std::size_t units, std::size_t lanes) {
        constant.assign(units, 1);
        value.assign(units, 0.0);
        rows = hwy::AllocateAligned<double>(std::max<std::size_t>(units, 1) * 6 * lanes);
    }
};

HWY_INLINE void StoreJet(D d, const Jet& j, double* p) {
    const std::size_t n = hn::Lanes(d);
    hn::Store(j.v, d, p);
    hn::Store(j.du, d, p + n);
    hn::Store(j.dv, d, p + 2 * n);
    hn::Store(j.duu, d, p + 3 * n);
    hn::Store(j.duv, d, p + 4 * n);
    hn::Store(j.dvv, d, p + 5 * n);
}

HWY_INLINE Jet LoadJet(D d, const double* p) {
    const std::size_t n = hn::Lanes(d);
    return Jet{hn::Load(d, p),         hn::Load(d, p + n),     hn::Load(d, p + 2 * n),
               hn::Load(d, p + 3 * n), hn::Load(d, p + 4 * n), hn::Load(d, p + 5 * n)};
}

HWY_INLINE MJet Get(D d, const JetBuffer& b, std::size_t k) {
    if (b.constant[k]) return MJet{true, b.value[k], {}};
    return MJet{false, 0.0, LoadJet(d, b.rows.get() + k * 6 * hn::Lanes(d))};
}

HWY_INLINE void Put(D d, JetBuffer& b, std::size_t k, const MJet& x) {
    b.constant[k] = x.constant ? 1 : 0;
    if (x.constant)
        b.value[k] = x.c;
    else
        StoreJet(d, x.j, b.rows.get() + k * 6 * hn::Lanes(d));
}

// Scratch of one block, sized for the model.
struct Work {
    std::vector<std::vector<signed char>> freeWeight, freeBias;  // 0 = u, 1 = v, -1 = fixed
    JetBuffer h, out, logits;
    hwy::AlignedFreeUniquePtr<double[]> pbar;  // n jets of the predictive
    hwy::AlignedFreeUniquePtr<double[]> geo;   // 15 arrays of n rows of lanes
};

// logSoftmax of predictive.cpp on vectors, given the class probabilities p
// (which the reference computes as exp(z_j - lse)).
void LogSoftmax(D d, const Jet* z, const V* p, V lse, std::size_t c, Jet* out) {
    const V zero = hn::Zero(d);
    for (std::size_t k = 0; k < c; ++k) {
        Jet lp{hn::Sub(z[k].v, lse), zero, zero, zero, zero, zero};
        bool first = true;
        for (std::size_t j = 0; j < c; ++j) {
            if (j == k) continue;
            const V pj = p[j];
            const Jet t{zero,
                        hn::Mul(pj, hn::Sub(z[k].du, z[j].du)),
                        hn::Mul(pj, hn::Sub(z[k].dv, z[j].dv)),
                        hn::Mul(pj, hn::Sub(z[k].duu, z[j].duu)),
                        hn::Mul(pj, hn::Sub(z[k].duv, z[j].duv)),
                        hn::Mul(pj, hn::Sub(z[k].dvv, z[j].dvv))};
            if (first) {
                lp.du = t.du;
                lp.dv = t.dv;
                lp.duu = t.duu;
                lp.duv = t.duv;
                lp.dvv = t.dvv;
                first = false;
            } else {
                lp.du = hn::Add(lp.du, t.du);
                lp.dv = hn::Add(lp.dv, t.dv);
                lp.duu = hn::Add(lp.duu, t.duu);
                lp.duv = hn::Add(lp.duv, t.duv);
                lp.dvv = hn::Add(lp.dvv, t.dvv);
            }
        }
        out[k] = lp;
    }
    V cuu = zero, cuv = zero, cvv = zero;
    for (std::size_t j = 0; j < c; ++j) {
        const Jet& lp = out[j];
        cuu = hn::Add(cuu, hn::Mul(hn::Mul(p[j], lp.du), lp.du));
        cuv = hn::Add(cuv, hn::Mul(hn::Mul(p[j], lp.du), lp.dv));
        cvv = hn::Add(cvv, hn::Mul(hn::Mul(p[j], lp.dv), lp.dv));
    }
    for (std::size_t k = 0; k < c; ++k) {
        out[k].duu = hn::Sub(out[k].duu, cuu);
        out[k].duv = hn::Sub(out[k].duv, cuv);
        out[k].dvv = hn::Sub(out[k].dvv, cvv);
    }
}

// log-sum-exp of the class values and the probabilities exp(z_j - m) / s.
// For two classes with z_0 = 0 (Bernoulli) s = 1 + exp(-|z_1|) exactly as the
// reference forms it.
V LogSumExp(D d, const V* z, std::size_t c, V* p) {
    V m = z[0];
    for (std::size_t j = 1; j < c; ++j) m = hn::Max(m, z[j]);
    V e[kMaxClasses];
    V s = hn::Zero(d);
    for (std::size_t j = 0; j < c; ++j) {
        e[j] = hn::Exp(d, hn::Sub(z[j], m));
        s = hn::Add(s, e[j]);
    }
    if (p != nullptr) {
        for (std::size_t j = 0; j < c; ++j) p[j] = hn::Div(e[j], s);
    }
    return hn::Add(m, hn::Log(d, s));
}

// Bernoulli: class logits (0, z). e = exp(-|z|), lse = max(z, 0) + log(1 + e),
// p(y=1) = sigmoid(z), p(y=0) = sigmoid(-z), both as e or 1 over 1 + e.
HWY_INLINE V BernoulliLse(D d, V z, V* p) {
    const V one = hn::Set(d, 1.0);
    const V e = hn::Exp(d, hn::Neg(hn::Abs(z)));
    const V s = hn::Add(one, e);
    if (p != nullptr) {
        const V big = hn::Div(one, s), small = hn::Div(e, s);
        const auto positive = hn::Ge(z, hn::Zero(d));
        p[0] = hn::IfThenElse(positive, small, big);
        p[1] = hn::IfThenElse(positive, big, small);
    }
    return hn::Add(hn::Max(z, hn::Zero(d)), hn::Log(d, s));
}

// One row of Lanes(d) vertices. Writes lane results to res[field * lanes + lane].
void EvaluateRow(D d, const SimdModel& m, Work& w, V u, V v, double* res) {
    const std::size_t lanes = hn::Lanes(d);
    const V zero = hn::Zero(d), one = hn::Set(d, 1.0);
    const std::size_t layers = m.activation.size();
    const auto c = static_cast<std::size_t>(m.classes);
    const auto n = static_cast<std::size_t>(m.points) * c;
    const MJet freeJet[2] = {MJet{false, 0.0, Jet{u, one, zero, zero, zero, zero}},
                             MJet{false, 0.0, Jet{v, zero, one, zero, zero, zero}}};
    V penaltyExact = zero, penaltyQuadratic = zero;
    const bool geometric = m.aggregation == Aggregation::Geometric;

    Jet accum[kMaxClasses], logProb[kMaxClasses], cls[kMaxClasses];
    V mean[kMaxClasses], delta[kMaxClasses], prob[kMaxClasses], cov[kMaxClasses * kMaxClasses];
    for (int i = 0; i < m.points; ++i) {
        for (std::size_t k = 0; k < c; ++k) {
            accum[k] = Jet{zero, zero, zero, zero, zero, zero};
            mean[k] = zero;
        }
        for (std::size_t k = 0; k < c * c; ++k) cov[k] = zero;
        V meanA = zero;
        for (std::size_t mk = 0; mk < m.maskWeight.size(); ++mk) {
            const std::vector<double>& scale = m.maskScale[mk];
            // Forward pass (network.cpp's forwardLogits).
            JetBuffer* h = &w.h;
            JetBuffer* next = &w.out;
            h->size = static_cast<std::size_t>(m.inputs);
            for (int j = 0; j < m.inputs; ++j) {
                h->constant[static_cast<std::size_t>(j)] = 1;
                h->value[static_cast<std::size_t>(j)] = m.design[static_cast<std::size_t>(i * m.inputs + j)];
            }
            for (std::size_t l = 0; l <= layers; ++l) {
                const int offset = m.siteOffset[l];
                if (offset >= 0) {
                    for (std::size_t j = 0; j < h->size; ++j) {
                        const double f = scale[static_cast<std::size_t>(offset) + j];
                        if (h->constant[j]) {
                            h->value[j] *= f;
                        } else {
                            MJet x = Get(d, *h, j);
                            x.j = Scale(x.j, hn::Set(d, f));
                            Put(d, *h, j, x);
                        }
                    }
                }
                JetBuffer& out = l == layers ? w.logits : *next;
                const std::size_t rows = static_cast<std::size_t>(m.width[l + 1]);
                const std::size_t cols = static_cast<std::size_t>(m.width[l]);
                out.size = rows;
                const std::vector<double>& W = m.weight[l];
                const std::vector<double>& B = m.bias[l];
                for (std::size_t r = 0; r < rows; ++r) {
                    const signed char fb = w.freeBias[l][r];
                    MJet acc = fb >= 0 ? freeJet[fb] : MJet{true, B[r], {}};
                    for (std::size_t col = 0; col < cols; ++col) {
                        const signed char fw = w.freeWeight[l][r * cols + col];
                        const MJet in = Get(d, *h, col);
                        if (fw >= 0) {
                            Accumulate(d, acc, Mul(d, freeJet[fw], in));
                        } else {
                            Accumulate(d, acc, Mul(d, MJet{true, W[r * cols + col], {}}, in));
                        }
                    }
                    if (l < layers) acc = Activate(d, m.activation[l], acc);
                    Put(d, out, r, acc);
                }
                if (l == layers) break;
                std::swap(h, next);
            }
            // Class logits: (0, z) for Bernoulli, z otherwise.
            const V wv = hn::Set(d, m.maskWeight[mk]);
            const V f = hn::Set(d, m.maskFraction[mk]);
            if (m.bernoulli) {
                cls[0] = Broadcast(d, 0.0);
                cls[1] = Full(d, Get(d, w.logits, 0));
            } else {
                for (std::size_t k = 0; k < c; ++k) cls[k] = Full(d, Get(d, w.logits, k));
            }
            V zv[kMaxClasses];
            for (std::size_t k = 0; k < c; ++k) zv[k] = cls[k].v;
            V* p = geometric ? nullptr : prob;
            const V lse = m.bernoulli ? BernoulliLse(d, zv[1], p) : LogSumExp(d, zv, c, p);
            // West's weighted update of the mean and covariance of the class logits, and E_m A(z).
            for (std::size_t k = 0; k < c; ++k) {
                delta[k] = hn::Sub(zv[k], mean[k]);
                mean[k] = hn::Add(mean[k], hn::Mul(f, delta[k]));
            }
            for (std::size_t k = 0; k < c; ++k)
                for (std::size_t l = 0; l < c; ++l)
                    cov[k * c + l] = hn::Add(cov[k * c + l], hn::Mul(hn::Mul(wv, delta[k]), hn::Sub(zv[l], mean[l])));
            meanA = hn::Add(meanA, hn::Mul(f, hn::Sub(lse, meanA)));
            if (geometric) {
                for (std::size_t k = 0; k < c; ++k) AddTo(accum[k], Scale(cls[k], wv));
            } else {
                LogSoftmax(d, cls, prob, lse, c, logProb);
                for (std::size_t k = 0; k < c; ++k) {
                    const V pk = prob[k];
                    AddTo(accum[k], Scale(Compose(logProb[k], pk, pk, pk), wv));
                }
            }
        }
        const V inv = hn::Set(d, 1.0 / m.totalWeight);
        for (std::size_t k = 0; k < c; ++k) accum[k] = Scale(accum[k], inv);
        double* pi = w.pbar.get() + static_cast<std::size_t>(i) * c * 6 * lanes;
        if (geometric) {
            V zv[kMaxClasses];
            for (std::size_t k = 0; k < c; ++k) zv[k] = accum[k].v;
            const V lse = m.bernoulli ? BernoulliLse(d, zv[1], prob) : LogSumExp(d, zv, c, prob);
            LogSoftmax(d, accum, prob, lse, c, logProb);
            for (std::size_t k = 0; k < c; ++k) StoreJet(d, Compose(logProb[k], prob[k], prob[k], prob[k]), pi + k * 6 * lanes);
        } else {
            for (std::size_t k = 0; k < c; ++k) StoreJet(d, accum[k], pi + k * 6 * lanes);
        }
        // Penalties at the mean logits.
        V trace = zero;
        const V weight = hn::Set(d, m.totalWeight);
        V pm[kMaxClasses];
        const V lse = m.bernoulli ? BernoulliLse(d, mean[1], pm) : LogSumExp(d, mean, c, pm);
        if (m.bernoulli) {
            // cov_00 = cov_01 = cov_10 = 0 exactly (class 0's logit is 0 for every mask), so the
            // reference's sum reduces to p1 cov_11 / W - p1 p1 cov_11 / W.
            const V c11 = cov[3];
            trace = hn::Sub(hn::Div(hn::Mul(pm[1], c11), weight), hn::Div(hn::Mul(hn::Mul(pm[1], pm[1]), c11), weight));
        } else {
            for (std::size_t k = 0; k < c; ++k) {
                trace = hn::Add(trace, hn::Div(hn::Mul(pm[k], cov[k * c + k]), weight));
                for (std::size_t l = 0; l < c; ++l)
                    trace = hn::Sub(trace, hn::Div(hn::Mul(hn::Mul(pm[k], pm[l]), cov[k * c + l]), weight));
            }
        }
        penaltyExact = hn::Add(penaltyExact, hn::Sub(meanA, lse));
        penaltyQuadratic = hn::Add(penaltyQuadratic, hn::Mul(hn::Set(d, 0.5), trace));
    }

    // Geometry (geometry.cpp), on arrays of n rows of lanes.
    auto P = [&](std::size_t j) { return LoadJet(d, w.pbar.get() + j * 6 * lanes); };
    V point[3] = {zero, zero, zero};
    const V two = hn::Set(d, 2.0);
    for (std::size_t k = 0; k < 3; ++k) {
        if (m.bernoulli && static_cast<int>(k) < m.points) {
            // 2 atan2(sqrt p1, sqrt p0) with both arguments >= 0.
            const V y = hn::Sqrt(P(k * 2 + 1).v), x = hn::Sqrt(P(k * 2).v);
            const V r = hn::Atan(d, hn::Div(hn::Min(x, y), hn::Max(x, y)));
            const V angle = hn::IfThenElse(hn::Gt(y, x), hn::Sub(hn::Set(d, 1.5707963267948966), r), r);
            point[k] = hn::Mul(two, angle);
        } else if (!m.bernoulli && k < n) {
            point[k] = hn::Mul(two, hn::Sqrt(P(k).v));
        }
    }
    double* base = w.geo.get();
    auto row = [&](std::size_t array, std::size_t j) { return base + (array * n + j) * lanes; };
    enum : std::size_t { kW = 0, kT0 = 1, kX = 3, kE = 6, kM = 9, kH = 12 };
    auto inside = hn::Eq(zero, zero);
    const V half = hn::Set(d, 0.5);
    for (std::size_t j = 0; j < n; ++j) {
        const Jet p = P(j);
        inside = hn::And(inside, hn::And(hn::Gt(p.v, zero), hn::Lt(p.v, one)));
        const V t0 = hn::Div(p.du, p.v), t1 = hn::Div(p.dv, p.v);
        hn::Store(p.v, d, row(kW, j));
        hn::Store(t0, d, row(kT0, j));
        hn::Store(t1, d, row(kT0 + 1, j));
        const V dd[3] = {p.duu, p.duv, p.dvv};
        const V ta[3] = {t0, t0, t1}, tb[3] = {t0, t1, t1};
        for (std::size_t ab = 0; ab < 3; ++ab) {
            const V pab = hn::Div(dd[ab], p.v);
            hn::Store(hn::Sub(pab, hn::Mul(hn::Mul(half, ta[ab]), tb[ab])), d, row(kX + ab, j));
            hn::Store(hn::Sub(pab, hn::Mul(ta[ab], tb[ab])), d, row(kE + ab, j));
            hn::Store(pab, d, row(kM + ab, j));
        }
    }
    auto dot = [&](std::size_t a, std::size_t b) {
        V s = zero;
        for (std::size_t j = 0; j < n; ++j)
            s = hn::Add(s, hn::Mul(hn::Mul(hn::Load(d, row(kW, j)), hn::Load(d, row(a, j))), hn::Load(d, row(b, j))));
        return s;
    };
    const V g11 = dot(kT0, kT0), g12 = dot(kT0, kT0 + 1), g22 = dot(kT0 + 1, kT0 + 1);
    const V det = hn::Sub(hn::Mul(g11, g22), hn::Mul(g12, g12));
    const V tr = hn::Add(g11, g22);
    const V inf = hn::Set(d, std::numeric_limits<double>::infinity());
    const auto finite = hn::Lt(hn::Abs(det), inf);  // false for NaN and +-inf
    const auto valid =
        hn::And(inside, hn::And(finite, hn::Gt(det, hn::Mul(hn::Mul(hn::Set(d, kSingularTolerance), tr), tr))));
    const V gi[2][2] = {{hn::Div(g22, det), hn::Div(hn::Neg(g12), det)}, {hn::Div(hn::Neg(g12), det), hn::Div(g11, det)}};
    auto projectOut = [&](std::size_t a) {
        const V h0 = dot(kT0, a), h1 = dot(kT0 + 1, a);
        const V c0 = hn::Add(hn::Mul(gi[0][0], h0), hn::Mul(gi[0][1], h1));
        const V c1 = hn::Add(hn::Mul(gi[1][0], h0), hn::Mul(gi[1][1], h1));
        for (std::size_t j = 0; j < n; ++j) {
            const V x = hn::Load(d, row(a, j));
            const V corr = hn::Add(hn::Mul(c0, hn::Load(d, row(kT0, j))), hn::Mul(c1, hn::Load(d, row(kT0 + 1, j))));
            hn::Store(hn::Sub(x, corr), d, row(a, j));
        }
    };
    auto centre = [&](std::size_t a) {
        for (int i = 0; i < m.points; ++i) {
            const std::size_t first = static_cast<std::size_t>(i) * c;
            V mu = zero;
            for (std::size_t k = 0; k < c; ++k)
                mu = hn::Add(mu, hn::Mul(hn::Load(d, row(kW, first + k)), hn::Load(d, row(a, first + k))));
            for (std::size_t k = 0; k < c; ++k)
                hn::Store(hn::Sub(hn::Load(d, row(a, first + k)), mu), d, row(a, first + k));
        }
    };
    for (std::size_t ab = 0; ab < 3; ++ab) projectOut(kX + ab);
    const V gaussian = hn::Div(hn::Sub(dot(kX, kX + 2), dot(kX + 1, kX + 1)), det);
    centre(kT0);
    centre(kT0 + 1);
    for (std::size_t ab = 0; ab < 3; ++ab) {
        centre(kE + ab);
        centre(kM + ab);
        projectOut(kE + ab);
        projectOut(kM + ab);
        for (std::size_t j = 0; j < n; ++j)
            hn::Store(hn::Mul(half, hn::Add(hn::Load(d, row(kE + ab, j)), hn::Load(d, row(kM + ab, j)))), d,
                      row(kH + ab, j));
    }
    V ee[3][3], em[3][3], mm[3][3];
    for (std::size_t ab = 0; ab < 3; ++ab) {
        for (std::size_t cd = 0; cd < 3; ++cd) {
            ee[ab][cd] = dot(kE + ab, kE + cd);
            em[ab][cd] = dot(kE + ab, kM + cd);
            mm[ab][cd] = dot(kM + ab, kM + cd);
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
        const V mv = hn::Mul(half, hn::Add(hn::Add(hn::Mul(gi[0][0], hn::Load(d, row(kH, j))),
                                                   hn::Mul(twoG01, hn::Load(d, row(kH + 1, j)))),
                                           hn::Mul(gi[1][1], hn::Load(d, row(kH + 2, j)))));
        meanSq = hn::Add(meanSq, hn::Mul(hn::Mul(hn::Load(d, row(kW, j)), mv), mv));
    }
    const V meanCurv = hn::Sqrt(meanSq);

    const V nan = hn::Set(d, std::numeric_limits<double>::quiet_NaN());
    const V fields[12] = {point[0],
                          point[1],
                          point[2],
                          det,
                          hn::IfThenElse(valid, gaussian, nan),
                          hn::IfThenElse(valid, meanCurv, nan),
                          hn::IfThenElse(valid, gammaEE, nan),
                          hn::IfThenElse(valid, gammaEM, nan),
                          hn::IfThenElse(valid, gammaMM, nan),
                          penaltyExact,
                          penaltyQuadratic,
                          hn::IfThenElseZero(valid, one)};
    for (std::size_t f = 0; f < 12; ++f) hn::Store(fields[f], d, res + f * lanes);
}

void EvaluateBlock(const SimdModel& m, const double* u, const double* v, std::size_t count,
                   const SimdBlockOutput& out) {
    if (count == 0) return;
    const D d;
    const std::size_t lanes = hn::Lanes(d);
    const auto c = static_cast<std::size_t>(m.classes);
    const auto n = static_cast<std::size_t>(m.points) * c;
    Work w;
    const std::size_t layers = m.activation.size();
    w.freeWeight.resize(layers + 1);
    w.freeBias.resize(layers + 1);
    for (std::size_t l = 0; l <= layers; ++l) {
        w.freeWeight[l].assign(m.weight[l].size(), -1);
        w.freeBias[l].assign(m.bias[l].size(), -1);
    }
    for (int a = 0; a < 2; ++a) {
        const auto l = static_cast<std::size_t>(m.freeLayer[a]);
        auto& target = m.freeIsBias[a] ? w.freeBias[l] : w.freeWeight[l];
        target[static_cast<std::size_t>(m.freeIndex[a])] = static_cast<signed char>(a);
    }
    const int widest = *std::max_element(m.width.begin(), m.width.end());
    w.h.reserve(static_cast<std::size_t>(widest), lanes);
    w.out.reserve(static_cast<std::size_t>(widest), lanes);
    w.logits.reserve(static_cast<std::size_t>(m.outputs), lanes);
    w.pbar = hwy::AllocateAligned<double>(6 * n * lanes);
    w.geo = hwy::AllocateAligned<double>(15 * n * lanes);
    auto uIn = hwy::AllocateAligned<double>(lanes);
    auto vIn = hwy::AllocateAligned<double>(lanes);
    auto res = hwy::AllocateAligned<double>(12 * lanes);
    double* const dst[11] = {out.x,        out.y,       out.z,       out.metricDet,    out.gaussian,        out.mean,
                             out.gammaEE,  out.gammaEM, out.gammaMM, out.penaltyExact, out.penaltyQuadratic};
    for (std::size_t first = 0; first < count; first += lanes) {
        const std::size_t used = std::min(lanes, count - first);
        for (std::size_t k = 0; k < lanes; ++k) {
            const std::size_t src = first + std::min(k, used - 1);  // pad with the last vertex
            uIn[k] = u[src];
            vIn[k] = v[src];
        }
        EvaluateRow(d, m, w, hn::Load(d, uIn.get()), hn::Load(d, vIn.get()), res.get());
        for (std::size_t f = 0; f < 11; ++f) std::memcpy(dst[f] + first, res.get() + f * lanes, used * sizeof(double));
        for (std::size_t k = 0; k < used; ++k) out.valid[first + k] = res[11 * lanes + k] != 0.0 ? 1 : 0;
    }
}

// NOLINTNEXTLINE(google-readability-namespace-comments)
}  // namespace HWY_NAMESPACE
}  // namespace manifoldlens
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace manifoldlens {

HWY_EXPORT(EvaluateBlock);

namespace {

// Index of a target's entry in an HWY_EXPORT table (Highway 1.0.3 layout:
// entry 0 initialises the dispatcher, then one entry per dynamic target in
// ChosenTarget bit order, the last one is the scalar/emu128 fallback).
std::size_t tableIndex(std::int64_t target) {
    if (target & (HWY_SCALAR | HWY_EMU128)) return HWY_MAX_DYNAMIC_TARGETS + 1;
    return hwy::Num0BitsBelowLS1Bit_Nonzero64(static_cast<std::uint64_t>(HWY_CHOSEN_TARGET_SHIFT(target)));
}

}  // namespace

void simdEvaluate(const SimdModel& model, const double* u, const double* v, std::size_t count,
                  const SimdBlockOutput& out, std::int64_t target) {
    if (target == 0) {
        HWY_DYNAMIC_DISPATCH(EvaluateBlock)(model, u, v, count, out);
        return;
    }
    const auto targets = simdTargets();
    if (std::find(targets.begin(), targets.end(), target) == targets.end())
        throw std::invalid_argument("SIMD target " + simdTargetName(target) + " is not available");
    HWY_DISPATCH_TABLE(EvaluateBlock)[tableIndex(target)](model, u, v, count, out);
}

std::vector<std::int64_t> simdTargets() { return hwy::SupportedAndGeneratedTargets(); }

std::string simdTargetName(std::int64_t target) { return hwy::TargetName(target); }

std::string simdTargetName() {
    const auto targets = simdTargets();
    return targets.empty() ? std::string("SCALAR") : simdTargetName(targets.front());
}

SimdModel makeSimdModel(const Preset& preset, double rate, Aggregation aggregation) {
    const MaskSet masks = enumerateMasks(preset, rate);
    SimdModel m;
    m.points = preset.designPoints();
    m.inputs = preset.design.cols;
    m.outputs = preset.outputs;
    m.classes = preset.classes();
    m.bernoulli = preset.bernoulli;
    m.aggregation = aggregation;
    m.design = preset.design.data;
    m.width.push_back(preset.design.cols);
    for (const HiddenLayer& h : preset.hidden) {
        m.width.push_back(h.units);
        m.activation.push_back(h.activation);
    }
    m.width.push_back(preset.outputs);
    for (std::size_t l = 0; l < preset.weights.size(); ++l) {
        m.weight.push_back(preset.weights[l].data);
        m.bias.push_back(preset.biases[l]);
    }
    for (int a = 0; a < 2; ++a) {
        const WeightRef& ref = preset.free[static_cast<std::size_t>(a)].ref;
        m.freeLayer[a] = ref.layer;
        m.freeIsBias[a] = ref.isBias;
        m.freeIndex[a] = ref.isBias ? ref.row : ref.row * preset.weights[static_cast<std::size_t>(ref.layer)].cols + ref.col;
    }
    m.siteOffset = masks.siteOffset;
    const double keep = 1.0 / (1.0 - rate);
    double weight = 0.0;
    for (std::size_t k = 0; k < masks.masks.size(); ++k) {
        const double w = masks.probabilities[k];
        weight += w;  // the running weight of West's update, accumulated in mask order
        m.maskWeight.push_back(w);
        m.maskFraction.push_back(w / weight);
        std::vector<double> scale(static_cast<std::size_t>(masks.units));
        for (int j = 0; j < masks.units; ++j)
            scale[static_cast<std::size_t>(j)] = ((masks.masks[k] >> static_cast<unsigned>(j)) & 1u) ? keep : 0.0;
        m.maskScale.push_back(std::move(scale));
    }
    m.totalWeight = weight;
    return m;
}

}  // namespace manifoldlens
#endif  // HWY_ONCE
