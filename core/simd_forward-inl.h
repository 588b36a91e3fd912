// Per-target part of the grid kernel (included from simd_grid.cpp once per
// Highway target): 2-jets of vectors, the activations, the forward pass of
// one design point under one mask, and the log-softmax / log-sum-exp of the
// class logits. Lanes are vertices; see simd_grid.cpp for the layout and the
// numerical contract.

// Include guard toggled per target (Highway's convention for -inl.h headers).
#if defined(MANIFOLDLENS_SIMD_FORWARD_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef MANIFOLDLENS_SIMD_FORWARD_INL_H_
#undef MANIFOLDLENS_SIMD_FORWARD_INL_H_
#else
#define MANIFOLDLENS_SIMD_FORWARD_INL_H_
#endif

#include <hwy/contrib/math/math-inl.h>
#include <hwy/highway.h>

#include "network.h"
#include "simd_grid.h"

#include <cstddef>
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
// with the reference's own std:: functions. The jet of a constant is left
// unset (never read), so that making one costs nothing.
struct MJet {
    bool constant = true;
    double c = 0.0;
    Jet j;
};

HWY_INLINE MJet Constant(double c) {
    MJet r;
    r.constant = true;
    r.c = c;
    return r;
}

HWY_INLINE MJet Varying(const Jet& j) {
    MJet r;
    r.constant = false;
    r.j = j;
    return r;
}

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
    if (a.constant && b.constant) return Constant(a.c * b.c);
    if (a.constant) return Varying(Scale(b.j, hn::Set(d, a.c)));
    if (b.constant) return Varying(Scale(a.j, hn::Set(d, b.c)));
    return Varying(Product(d, a.j, b.j));
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

// A hidden unit's activation of a jet that varies across lanes.
inline Jet Activate(D d, Activation activation, const Jet& a) {
    const V one = hn::Set(d, 1.0);
    switch (activation) {
    case Activation::Tanh: {
        const V t = hn::Tanh(d, a.v);
        const V d1 = hn::Sub(one, hn::Mul(t, t));
        return Compose(a, t, d1, hn::Mul(hn::Mul(hn::Set(d, -2.0), t), d1));
    }
    case Activation::Sigmoid: {
        const V e = hn::Exp(d, hn::Neg(hn::Abs(a.v)));
        const V s = Logistic(d, a.v, e);
        const V d1 = hn::Mul(s, hn::Sub(one, s));
        return Compose(a, s, d1, hn::Mul(d1, hn::Sub(one, hn::Mul(hn::Set(d, 2.0), s))));
    }
    case Activation::Softplus: {
        const V e = hn::Exp(d, hn::Neg(hn::Abs(a.v)));
        const V s = Logistic(d, a.v, e);
        const V value = hn::Add(hn::Max(a.v, hn::Zero(d)), hn::Log1p(d, e));
        return Compose(a, value, s, hn::Mul(s, hn::Sub(one, s)));
    }
    case Activation::Identity:
        break;
    }
    return a;
}

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

HWY_NOINLINE void ForwardLayers(D d, const SimdModel& m, const MJet (&freeJet)[2], std::size_t point, std::size_t mk,
                                double* buf, std::size_t widest, Jet* z);

// network.cpp's forwardLogits for design point `point` under mask `mk`, on a
// row of vertices: the logits' jets go to z[0 .. outputs). buf holds two
// layers of varying units (2 x widest x 6 rows of lanes).
HWY_INLINE void Forward(D d, const SimdModel& m, const MJet (&freeJet)[2], std::size_t point, std::size_t mk,
                        double* buf, std::size_t widest, Jet* z) {
    const std::size_t masks = m.maskWeight.size();
    const std::size_t pm = point * masks + mk;
    const std::size_t layers = m.activation.size();
    if (layers == 0) {
        // One affine layer of constant inputs: replay the sum on the values.
        const auto rows = static_cast<std::size_t>(m.outputs);
        const unsigned char* vout = m.varying[1].data();
        const V freeValue[3] = {freeJet[0].j.v, freeJet[1].j.v, hn::Set(d, 1.0)};
        for (std::size_t r = 0; r < rows; ++r) {
            if (!vout[r]) {
                z[r] = Broadcast(d, m.constant[1][pm * rows + r]);
                continue;
            }
            const SimdModel::LinearLogit& g = m.linear[pm * rows + r];
            // A constant term (free = 2) is 1 * coef = coef exactly: no branch per term.
            V val = g.startFree >= 0 ? freeValue[g.startFree] : hn::Set(d, g.start);
            for (const SimdModel::Term& t : g.terms) val = hn::Add(val, hn::Mul(freeValue[t.free], hn::Set(d, t.coef)));
            z[r] = Jet{val, hn::Set(d, g.du), hn::Set(d, g.dv), hn::Set(d, g.duu), hn::Set(d, g.duv), hn::Set(d, g.dvv)};
        }
        return;
    }
    ForwardLayers(d, m, freeJet, point, mk, buf, widest, z);
}

// Forward with hidden layers: the general MJet walk over the units.
HWY_NOINLINE void ForwardLayers(D d, const SimdModel& m, const MJet (&freeJet)[2], std::size_t point, std::size_t mk,
                                double* buf, std::size_t widest, Jet* z) {
    const std::size_t lanes = hn::Lanes(d);
    const std::size_t masks = m.maskWeight.size();
    const std::size_t pm = point * masks + mk;
    const std::size_t layers = m.activation.size();
    double* cur = buf;
    double* next = buf + widest * 6 * lanes;
    for (std::size_t l = 0; l <= layers; ++l) {
        const auto rows = static_cast<std::size_t>(m.width[l + 1]);
        const auto cols = static_cast<std::size_t>(m.width[l]);
        const double* hc = m.constant[l].data() + pm * cols;
        const unsigned char* vin = m.varying[l].data();
        const unsigned char* vout = m.varying[l + 1].data();
        const double* W = m.weight[l].data();
        const double* B = m.bias[l].data();
        const signed char* fw = m.freeWeight[l].data();
        const signed char* fb = m.freeBias[l].data();
        const bool last = l == layers;
        const int offset = last ? -1 : m.siteOffset[l + 1];
        for (std::size_t r = 0; r < rows; ++r) {
            if (!vout[r]) {
                if (last) z[r] = Broadcast(d, m.constant[l + 1][pm * rows + r]);
                continue;
            }
            MJet acc = fb[r] >= 0 ? freeJet[fb[r]] : Constant(B[r]);
            for (std::size_t col = 0; col < cols; ++col) {
                const MJet in = vin[col] ? Varying(LoadJet(d, cur + col * 6 * lanes)) : Constant(hc[col]);
                const signed char f = fw[r * cols + col];
                Accumulate(d, acc, Mul(d, f >= 0 ? freeJet[f] : Constant(W[r * cols + col]), in));
            }
            if (last) {
                z[r] = acc.j;
                continue;
            }
            Jet a = Activate(d, m.activation[l], acc.j);
            // The next layer's dropout, applied as that layer reads its input.
            if (offset >= 0) a = Scale(a, hn::Set(d, m.maskScale[mk][static_cast<std::size_t>(offset) + r]));
            StoreJet(d, a, next + r * 6 * lanes);
        }
        std::swap(cur, next);
    }
}

// logSoftmax of predictive.cpp on vectors, given the class probabilities p
// (which the reference computes as exp(z_j - lse)).
template <std::size_t kC>
HWY_INLINE void LogSoftmax(D d, const Jet* z, const V* p, V lse, std::size_t classes, Jet* out) {
    const std::size_t c = kC != 0 ? kC : classes;
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
inline V LogSumExp(D d, const V* z, std::size_t c, V* p) {
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

// Bernoulli: class logits (0, z). e = exp(-|z|), lse = max(z, 0) + log(1 + e)
// (for two classes s = 1 + exp(-|z|) exactly as the reference forms it),
// p(y=1) = sigmoid(z), p(y=0) = sigmoid(-z), both as e or 1 over 1 + e.
HWY_INLINE V BernoulliLse(D d, V z, V* p) {
    const V one = hn::Set(d, 1.0);
    const V e = hn::Exp(d, hn::Neg(hn::Abs(z)));
    const V s = hn::Add(one, e);
    if (p != nullptr) {
        const V big = hn::Div(one, s), small = hn::Mul(e, big);
        const auto positive = hn::Ge(z, hn::Zero(d));
        p[0] = hn::IfThenElse(positive, small, big);
        p[1] = hn::IfThenElse(positive, big, small);
    }
    return hn::Add(hn::Max(z, hn::Zero(d)), hn::Log(d, s));
}

// NOLINTNEXTLINE(google-readability-namespace-comments)
}  // namespace HWY_NAMESPACE
}  // namespace manifoldlens
HWY_AFTER_NAMESPACE();

#endif  // MANIFOLDLENS_SIMD_FORWARD_INL_H_
