#include "network.h"

#include <algorithm>
#include <cmath>

namespace manifoldlens {

namespace {

double logistic(double x) {
    return x >= 0.0 ? 1.0 / (1.0 + std::exp(-x)) : std::exp(x) / (1.0 + std::exp(x));
}

// The masked, rescaled input of a layer: m * h / q at a masked site, h elsewhere.
void applyMask(std::vector<Jet2>& h, const MaskSet& masks, int site, std::uint32_t mask, double q) {
    const int offset = masks.siteOffset[static_cast<std::size_t>(site)];
    if (offset < 0) return;
    const double keep = 1.0 / q;
    for (std::size_t j = 0; j < h.size(); ++j) {
        const bool kept = (mask >> (static_cast<unsigned>(offset) + j)) & 1u;
        h[j] *= kept ? keep : 0.0;
    }
}

void affine(const std::vector<Jet2>& w, const std::vector<Jet2>& bias, const std::vector<Jet2>& in,
            std::vector<Jet2>& out) {
    const std::size_t cols = in.size();
    out.assign(bias.begin(), bias.end());
    for (std::size_t r = 0; r < out.size(); ++r)
        for (std::size_t c = 0; c < cols; ++c) out[r] += w[r * cols + c] * in[c];
}

}  // namespace

Jet2 activate(Activation activation, const Jet2& x) {
    switch (activation) {
    case Activation::Identity:
        return x;
    case Activation::Tanh: {
        const double t = std::tanh(x.v);
        const double d1 = 1.0 - t * t;
        return compose(x, t, d1, -2.0 * t * d1);
    }
    case Activation::Sigmoid: {
        const double s = logistic(x.v);
        const double d1 = s * (1.0 - s);
        return compose(x, s, d1, d1 * (1.0 - 2.0 * s));
    }
    case Activation::Softplus: {
        const double s = logistic(x.v);
        const double value = std::max(x.v, 0.0) + std::log1p(std::exp(-std::abs(x.v)));
        return compose(x, value, s, s * (1.0 - s));
    }
    }
    return x;
}

JetWeights seedWeights(const Preset& preset, double u, double v) {
    JetWeights jw;
    jw.weights.resize(preset.weights.size());
    jw.biases.resize(preset.biases.size());
    for (std::size_t l = 0; l < preset.weights.size(); ++l) {
        for (double w : preset.weights[l].data) jw.weights[l].push_back(Jet2::constant(w));
        for (double b : preset.biases[l]) jw.biases[l].push_back(Jet2::constant(b));
    }
    moveFreeWeights(preset, jw, u, v);
    return jw;
}

void moveFreeWeights(const Preset& preset, JetWeights& jw, double u, double v) {
    for (int a = 0; a < 2; ++a) {
        const WeightRef& ref = preset.free[static_cast<std::size_t>(a)].ref;
        const auto layer = static_cast<std::size_t>(ref.layer);
        Jet2& target = ref.isBias
                           ? jw.biases[layer][static_cast<std::size_t>(ref.row)]
                           : jw.weights[layer][static_cast<std::size_t>(ref.row * preset.weights[layer].cols + ref.col)];
        target = a == 0 ? Jet2::variableU(u) : Jet2::variableV(v);
    }
}

void forwardLogits(const Preset& preset, const JetWeights& weights, const MaskSet& masks, std::uint32_t mask,
                   double q, int point, std::vector<Jet2>& logits, ForwardScratch& scratch) {
    std::vector<Jet2>& h = scratch.a;
    h.clear();
    for (int j = 0; j < preset.design.cols; ++j) h.push_back(Jet2::constant(preset.design(point, j)));
    const std::size_t layers = preset.hidden.size();
    for (std::size_t l = 0; l <= layers; ++l) {
        applyMask(h, masks, static_cast<int>(l), mask, q);
        std::vector<Jet2>& out = l == layers ? logits : scratch.b;
        affine(weights.weights[l], weights.biases[l], h, out);
        if (l == layers) break;
        for (Jet2& x : out) x = activate(preset.hidden[l].activation, x);
        std::swap(h, scratch.b);
    }
}

}  // namespace manifoldlens
