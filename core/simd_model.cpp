#include "simd_model.h"

#include "grid.h"
#include "masks.h"
#include "network.h"
#include "predictive.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <utility>
#include <vector>

namespace manifoldlens {

namespace {

// The lane-invariant part of the forward passes (SimdModel's plan): which
// units vary, the values of the others for every (point, mask), and without
// hidden layers the replay of every varying logit. Returns early when the poll
// stops it (one unit of work per (point, mask)).
void planForward(SimdModel& m, CancelPoll& poll) {
    const std::size_t masks = m.maskWeight.size();
    const std::size_t layers = m.activation.size();
    m.freeWeight.assign(layers + 1, {});
    m.freeBias.assign(layers + 1, {});
    for (std::size_t l = 0; l <= layers; ++l) {
        m.freeWeight[l].assign(m.weight[l].size(), -1);
        m.freeBias[l].assign(m.bias[l].size(), -1);
    }
    for (int a = 0; a < 2; ++a) {
        const auto l = static_cast<std::size_t>(m.freeLayer[a]);
        auto& target = m.freeIsBias[a] ? m.freeBias[l] : m.freeWeight[l];
        target[static_cast<std::size_t>(m.freeIndex[a])] = static_cast<signed char>(a);
    }
    m.varying.assign(layers + 2, {});
    m.constant.assign(layers + 2, {});
    m.varying[0].assign(static_cast<std::size_t>(m.width[0]), 0);
    for (std::size_t l = 0; l <= layers; ++l) {
        const auto rows = static_cast<std::size_t>(m.width[l + 1]);
        const auto cols = static_cast<std::size_t>(m.width[l]);
        m.varying[l + 1].assign(rows, 0);
        for (std::size_t r = 0; r < rows; ++r) {
            bool v = m.freeBias[l][r] >= 0;
            for (std::size_t col = 0; col < cols; ++col)
                v = v || m.freeWeight[l][r * cols + col] >= 0 || m.varying[l][col] != 0;
            m.varying[l + 1][r] = v ? 1 : 0;
        }
    }
    const auto points = static_cast<std::size_t>(m.points);
    for (std::size_t l = 0; l <= layers + 1; ++l)
        m.constant[l].assign(points * masks * static_cast<std::size_t>(m.width[l]), 0.0);
    if (layers == 0) m.linear.assign(points * masks * static_cast<std::size_t>(m.outputs), {});
    std::vector<double> h, next;
    for (std::size_t i = 0; i < points; ++i) {
        for (std::size_t mk = 0; mk < masks; ++mk) {
            if (poll.stop()) return;
            const std::vector<double>& scale = m.maskScale[mk];
            const std::size_t pm = i * masks + mk;
            const auto inputs = static_cast<std::size_t>(m.inputs);
            h.assign(m.design.begin() + static_cast<std::ptrdiff_t>(i * inputs),
                     m.design.begin() + static_cast<std::ptrdiff_t>((i + 1) * inputs));
            for (std::size_t l = 0; l <= layers; ++l) {
                const int offset = m.siteOffset[l];
                if (offset >= 0)
                    for (std::size_t j = 0; j < h.size(); ++j) h[j] *= scale[static_cast<std::size_t>(offset) + j];
                std::copy(h.begin(), h.end(), m.constant[l].begin() + static_cast<std::ptrdiff_t>(pm * h.size()));
                const auto rows = static_cast<std::size_t>(m.width[l + 1]);
                const auto cols = h.size();
                next.assign(rows, 0.0);
                for (std::size_t r = 0; r < rows; ++r) {
                    const double* W = m.weight[l].data() + r * cols;
                    const signed char* fw = m.freeWeight[l].data() + r * cols;
                    if (!m.varying[l + 1][r]) {
                        // The kernel's MJet arithmetic on constants: acc = b, acc += w * h.
                        double acc = m.bias[l][r];
                        for (std::size_t col = 0; col < cols; ++col) acc += W[col] * h[col];
                        if (l < layers) acc = activate(m.activation[l], Jet2::constant(acc)).v;
                        next[r] = acc;
                        continue;
                    }
                    if (layers != 0) continue;
                    // Replay of the kernel's Accumulate(acc, Mul(w, h)) on one layer of
                    // constant inputs: derivatives (the same in every lane) as scalars.
                    SimdModel::LinearLogit& g = m.linear[pm * rows + r];
                    bool constant = true;
                    double c = m.bias[l][r];
                    double jd[5] = {0.0, 0.0, 0.0, 0.0, 0.0};  // du, dv, duu, duv, dvv
                    const int fb = m.freeBias[l][r];
                    if (fb >= 0) {
                        constant = false;
                        g.startFree = fb;
                        jd[0] = fb == 0 ? 1.0 : 0.0;
                        jd[1] = fb == 1 ? 1.0 : 0.0;
                    }
                    for (std::size_t col = 0; col < cols; ++col) {
                        const int f = fw[col];
                        if (f < 0) {
                            const double t = W[col] * h[col];
                            if (constant) {
                                c += t;
                            } else {
                                g.terms.push_back({2, t});  // 1 * t
                                for (double& x : jd) x += 0.0;
                            }
                            continue;
                        }
                        // free * h: every component of the free weight's jet times h.
                        const double t[5] = {(f == 0 ? 1.0 : 0.0) * h[col], (f == 1 ? 1.0 : 0.0) * h[col],
                                             0.0 * h[col], 0.0 * h[col], 0.0 * h[col]};
                        if (constant) {
                            // constant + jet: value c + t.v, the jet's derivatives.
                            constant = false;
                            g.start = c;
                            for (int k = 0; k < 5; ++k) jd[k] = t[k];
                        } else {
                            for (int k = 0; k < 5; ++k) jd[k] += t[k];
                        }
                        g.terms.push_back({f, h[col]});
                    }
                    g.du = jd[0];
                    g.dv = jd[1];
                    g.duu = jd[2];
                    g.duv = jd[3];
                    g.dvv = jd[4];
                }
                h.swap(next);
            }
            std::copy(h.begin(), h.end(), m.constant[layers + 1].begin() + static_cast<std::ptrdiff_t>(pm * h.size()));
        }
    }
}

// SimdModel's affine plan, from the replayed logits of planForward.
void planAffine(SimdModel& m, const ComputeSettings& settings, CancelPoll& poll) {
    m.affine = m.bernoulli && m.aggregation == Aggregation::Arithmetic && m.activation.empty() && m.varying[1][0];
    if (!m.affine) return;
    const std::size_t masks = m.maskWeight.size();
    const auto points = static_cast<std::size_t>(m.points);
    m.affinePoints.assign(points, {});
    // Every mask's coefficient is 0 or the point's single nonzero one.
    auto coefficient = [&m](double& point, double c) {
        if (c == 0.0) return;
        if (point == 0.0) point = c;
        m.affine = m.affine && point == c;
    };
    for (std::size_t mk = 0; mk < masks; ++mk) {
        const double w = m.maskWeight[mk] / m.totalWeight;
        if (std::find(m.groupWeight.begin(), m.groupWeight.end(), w) == m.groupWeight.end()) m.groupWeight.push_back(w);
    }
    double maxCu = 0.0, maxCv = 0.0;
    std::vector<double> maxGamma(points, 0.0);
    for (std::size_t i = 0; i < points; ++i) {
        SimdModel::AffinePoint& ap = m.affinePoints[i];
        for (std::size_t mk = 0; mk < masks; ++mk) {
            if (poll.stop()) return;
            const SimdModel::LinearLogit& g = m.linear[i * masks + mk];
            SimdModel::AffineMask am;
            am.gamma = g.startFree >= 0 ? 0.0 : g.start;
            for (const SimdModel::Term& t : g.terms)
                if (t.free == 2) am.gamma += t.coef;
            am.cu = g.du;
            am.cv = g.dv;
            coefficient(ap.cu, am.cu);
            coefficient(ap.cv, am.cv);
            m.affine = m.affine && std::abs(am.gamma) <= SimdModel::kAffineExponent;
            am.constant = am.cu == 0.0 && am.cv == 0.0;
            maxGamma[i] = std::max(maxGamma[i], std::abs(am.gamma));
            am.expGamma = std::exp(am.gamma);
            const BernoulliProbabilities b = bernoulliProbabilities(am.gamma);
            am.p0 = b.p0;
            am.p1 = b.p1;
            const double w = m.maskWeight[mk] / m.totalWeight;
            am.weight = w;
            am.group = static_cast<int>(std::find(m.groupWeight.begin(), m.groupWeight.end(), w) - m.groupWeight.begin());
            am.wu = w * am.cu;
            am.wv = w * am.cv;
            am.wuu = w * (am.cu * am.cu);
            am.wuv = w * (am.cu * am.cv);
            am.wvv = w * (am.cv * am.cv);
            ap.masks.push_back(am);
        }
        std::stable_sort(ap.masks.begin(), ap.masks.end(),
                         [](const SimdModel::AffineMask& a, const SimdModel::AffineMask& b) { return a.group < b.group; });
        maxCu = std::max(maxCu, std::abs(ap.cu));
        maxCv = std::max(maxCv, std::abs(ap.cv));
    }
    const double inf = std::numeric_limits<double>::infinity();
    m.uLimit = std::min(std::max(std::abs(settings.uLo), std::abs(settings.uHi)),
                        maxCu > 0.0 ? SimdModel::kAffineExponent / maxCu : inf);
    m.vLimit = std::min(std::max(std::abs(settings.vLo), std::abs(settings.vHi)),
                        maxCv > 0.0 ? SimdModel::kAffineExponent / maxCv : inf);
    // Within the limits |z| <= zMax for every mask and the mean logit, so a
    // ratio (1 + e^z) / (1 + e^{E_m z}) is within e^{+-(zMax + log 2)} and a
    // product of `chunk` of them within e^{+-700}.
    std::vector<double> bound(points);  // of the log of one ratio, per point
    for (std::size_t i = 0; i < points; ++i) {
        SimdModel::AffinePoint& ap = m.affinePoints[i];
        const double zMax = maxGamma[i] + std::abs(ap.cu) * m.uLimit + std::abs(ap.cv) * m.vLimit;
        bound[i] = zMax + std::log(2.0);
        ap.chunk = std::max(1, static_cast<int>(std::min(1e6, 700.0 / bound[i])));
        double meanGamma = 0.0, cuMean = 0.0, cvMean = 0.0;
        for (const SimdModel::AffineMask& am : ap.masks) {
            meanGamma += am.weight * am.gamma;
            cuMean += am.weight * am.cu;
            cvMean += am.weight * am.cv;
        }
        ap.expMeanGamma = std::exp(meanGamma);
        for (SimdModel::AffineMask& am : ap.masks) {
            am.gammaDeviation = am.gamma - meanGamma;
            am.cuDeviation = am.cu - cuMean;
            am.cvDeviation = am.cv - cvMean;
        }
        // Entries beyond the limits are never read (such rows take the general path).
        auto table = [](const std::vector<double>& x, double c) {
            std::vector<double> t(x.size());
            for (std::size_t k = 0; k < x.size(); ++k) t[k] = std::exp(c * x[k]);
            return t;
        };
        ap.expU = table(m.us, ap.cu);
        ap.expV = table(m.vs, ap.cv);
        ap.expUMean = table(m.us, cuMean);
        ap.expVMean = table(m.vs, cvMean);
    }
    // A point's last product of group k holds (masks of the group) mod chunk ratios.
    const std::size_t groups = m.groupWeight.size();
    m.logAfter.assign(groups * points, 0);
    for (std::size_t k = 0; k < groups; ++k) {
        const auto inGroup = static_cast<std::size_t>(std::count_if(
            m.affinePoints[0].masks.begin(), m.affinePoints[0].masks.end(),
            [k](const SimdModel::AffineMask& am) { return am.group == static_cast<int>(k); }));
        double running = 0.0;
        for (std::size_t i = 0; i < points; ++i) {
            auto last = [&](std::size_t j) { return static_cast<double>(inGroup % static_cast<std::size_t>(m.affinePoints[j].chunk)) * bound[j]; };
            running += last(i);
            if (i + 1 == points || running + last(i + 1) > 700.0) {
                m.logAfter[k * points + i] = 1;
                running = 0.0;
            }
        }
    }
}

}  // namespace

std::optional<SimdModel> makeSimdModel(const Preset& preset, const ComputeSettings& settings, CancelPoll& poll) {
    const double rate = settings.rate;
    const MaskSet masks = enumerateMasks(preset, rate);
    SimdModel m;
    m.points = preset.designPoints();
    m.inputs = preset.design.cols;
    m.outputs = preset.outputs;
    m.classes = preset.classes();
    m.bernoulli = preset.bernoulli;
    m.aggregation = settings.aggregation;
    const GridSpec grid = GridSpec::fromSettings(settings);
    m.resolution = static_cast<std::size_t>(grid.resolution);
    m.us = grid.us();
    m.vs = grid.vs();
    m.design = preset.design.data;
    m.width = preset.layerWidths();
    for (const HiddenLayer& h : preset.hidden) m.activation.push_back(h.activation);
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
    planForward(m, poll);
    if (!poll.stopped()) planAffine(m, settings, poll);
    if (poll.stopped()) return std::nullopt;
    return m;
}

SimdModel makeSimdModel(const Preset& preset, const ComputeSettings& settings) {
    CancelPoll never;
    return *makeSimdModel(preset, settings, never);
}

}  // namespace manifoldlens
