#include "predictive.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace manifoldlens {

namespace {

// Bernoulli's single logit z becomes the class logits (0, z), so one softmax
// path serves both output kinds: sigmoid(z) = softmax(0, z)_1 and
// log(1 + e^z) = logsumexp(0, z).
void classLogits(const Preset& preset, const std::vector<Jet2>& logits, std::vector<Jet2>& out) {
    out.clear();
    if (preset.bernoulli) out.push_back(Jet2::constant(0.0));
    out.insert(out.end(), logits.begin(), logits.end());
}

// log sum_j e^{z_j} = m + log sum_j e^{z_j - m}, m = max_j z_j, kept in its two
// parts: z_k - lse is then (z_k - m) - log s, exact where the logits are large
// (at |z| = 1e15 one unit in the last place of m + log s is 0.125).
struct LogSumExp {
    double max;
    double logSum;
    double value() const { return max + logSum; }
    double below(double z) const { return (z - max) - logSum; }  ///< z - value()
};

LogSumExp logSumExp(const std::vector<Jet2>& z) {
    double m = z[0].v;
    for (const Jet2& x : z) m = std::max(m, x.v);
    double s = 0.0;
    for (const Jet2& x : z) s += std::exp(x.v - m);
    return {m, std::log(s)};
}

// log softmax(z) as jets, written so that nothing cancels when one class
// takes almost all the mass: with sum_j p_j = 1,
//   d log p_k  = dz_k - sum_j p_j dz_j = sum_{j != k} p_j (dz_k - dz_j),
//   d2 log p_k = sum_{j != k} p_j (d2z_k - d2z_j) - Cov_p(dz),
// and Cov_p(dz)_ab = sum_j p_j d_a log p_j d_b log p_j is a sum of products of
// the accurate first derivatives.
void logSoftmax(const std::vector<Jet2>& z, std::vector<Jet2>& out) {
    const LogSumExp lse = logSumExp(z);
    const std::size_t c = z.size();
    std::array<double, kMaxClasses> p;
    for (std::size_t j = 0; j < c; ++j) p[j] = std::exp(lse.below(z[j].v));
    out.resize(c);
    for (std::size_t k = 0; k < c; ++k) {
        Jet2& lp = out[k];
        lp = Jet2::constant(lse.below(z[k].v));
        for (std::size_t j = 0; j < c; ++j) {
            if (j == k) continue;
            const double pj = p[j];
            lp.du += pj * (z[k].du - z[j].du);
            lp.dv += pj * (z[k].dv - z[j].dv);
            lp.duu += pj * (z[k].duu - z[j].duu);
            lp.duv += pj * (z[k].duv - z[j].duv);
            lp.dvv += pj * (z[k].dvv - z[j].dvv);
        }
    }
    double cuu = 0.0, cuv = 0.0, cvv = 0.0;
    for (std::size_t j = 0; j < c; ++j) {
        const Jet2& lp = out[j];
        cuu += p[j] * lp.du * lp.du;
        cuv += p[j] * lp.du * lp.dv;
        cvv += p[j] * lp.dv * lp.dv;
    }
    for (Jet2& lp : out) {
        lp.duu -= cuu;
        lp.duv -= cuv;
        lp.dvv -= cvv;
    }
}

// Weighted running mean and covariance of the class logits (West's update,
// stable where the spread is small against the mean) and E_m A(z).
struct PenaltyAccumulator {
    double weight = 0.0;
    double meanA = 0.0;

    void reset(std::vector<double>& mean, std::vector<double>& cov, std::size_t c) {
        weight = 0.0;
        meanA = 0.0;
        mean.assign(c, 0.0);
        cov.assign(c * c, 0.0);
    }
    void add(double w, const std::vector<Jet2>& z, std::vector<double>& mean, std::vector<double>& cov,
             std::vector<double>& delta) {
        weight += w;
        const double f = w / weight;
        const std::size_t c = z.size();
        delta.resize(c);
        for (std::size_t k = 0; k < c; ++k) {
            delta[k] = z[k].v - mean[k];
            mean[k] += f * delta[k];
        }
        for (std::size_t k = 0; k < c; ++k)
            for (std::size_t l = 0; l < c; ++l) cov[k * c + l] += w * delta[k] * (z[l].v - mean[l]);
        meanA += f * (logSumExp(z).value() - meanA);
    }
};

}  // namespace

DropoutModel makeDropoutModel(const Preset& preset, double rate, Aggregation aggregation) {
    DropoutModel model;
    model.preset = &preset;
    model.masks = enumerateMasks(preset, rate);
    model.rate = rate;
    model.aggregation = aggregation;
    return model;
}

void predictive(const DropoutModel& model, double u, double v, Predictive& out, PredictiveScratch& scratch,
                CancelPoll* poll) {
    const Preset& preset = *model.preset;
    if (scratch.seeded != &preset) {
        scratch.weights = seedWeights(preset, u, v);
        scratch.seeded = &preset;
    } else {
        moveFreeWeights(preset, scratch.weights, u, v);
    }
    const JetWeights& weights = scratch.weights;
    const double q = 1.0 - model.rate;
    const int classes = preset.classes();
    const auto c = static_cast<std::size_t>(classes);
    out.points = preset.designPoints();
    out.classes = classes;
    out.p.assign(static_cast<std::size_t>(out.points) * c, Jet2{});
    out.logp.assign(out.p.size(), 0.0);
    out.penaltyExact = 0.0;
    out.penaltyQuadratic = 0.0;

    std::vector<double> delta;
    for (int i = 0; i < out.points; ++i) {
        PenaltyAccumulator acc;
        acc.reset(scratch.mean, scratch.cov, c);
        scratch.accum.assign(c, Jet2{});
        for (std::size_t m = 0; m < model.masks.masks.size(); ++m) {
            if (poll && poll->stop()) return;
            const double w = model.masks.probabilities[m];
            forwardLogits(preset, weights, model.masks, model.masks.masks[m], q, i, scratch.logits, scratch.forward);
            classLogits(preset, scratch.logits, scratch.classLogits);
            acc.add(w, scratch.classLogits, scratch.mean, scratch.cov, delta);
            if (model.aggregation == Aggregation::Geometric) {
                // log pbar = E_m log p(.|m) + const = E_m z - lse(E_m z): the softmax of the mean logits.
                for (std::size_t k = 0; k < c; ++k) scratch.accum[k] += w * scratch.classLogits[k];
            } else {
                logSoftmax(scratch.classLogits, scratch.logProb);
                for (std::size_t k = 0; k < c; ++k) scratch.accum[k] += w * exp(scratch.logProb[k]);
            }
        }
        for (Jet2& a : scratch.accum) a *= 1.0 / acc.weight;

        Jet2* pi = &out.p[static_cast<std::size_t>(i) * c];
        double* logpi = &out.logp[static_cast<std::size_t>(i) * c];
        if (model.aggregation == Aggregation::Geometric) {
            logSoftmax(scratch.accum, scratch.logProb);
            for (std::size_t k = 0; k < c; ++k) {
                pi[k] = exp(scratch.logProb[k]);
                logpi[k] = scratch.logProb[k].v;
            }
        } else {
            for (std::size_t k = 0; k < c; ++k) {
                pi[k] = scratch.accum[k];
                logpi[k] = std::log(pi[k].v);
            }
        }

        // Penalties at the mean logits: A(E z) and tr(Hess A Cov) with Hess A =
        // diag(p) - p p^T = sum_{k<l} p_k p_l (e_k - e_l)(e_k - e_l)^T (as sum_j p_j = 1),
        // so tr(Hess A Cov) = sum_{k<l} p_k p_l Var(z_k - z_l): a sum of terms >= 0
        // which, unlike sum_k p_k C_kk - sum_kl p_k p_l C_kl, does not cancel when
        // one class takes almost all the mass (Bernoulli: p0 p1 Var z, not (p1 - p1^2) Var z).
        std::vector<Jet2>& meanLogits = scratch.classLogits;
        for (std::size_t k = 0; k < c; ++k) meanLogits[k] = Jet2::constant(scratch.mean[k]);
        const LogSumExp lse = logSumExp(meanLogits);
        const auto C = [&](std::size_t k, std::size_t l) { return scratch.cov[k * c + l]; };
        double trace = 0.0;
        for (std::size_t k = 0; k < c; ++k) {
            const double pk = std::exp(lse.below(scratch.mean[k]));
            for (std::size_t l = k + 1; l < c; ++l) {
                const double pl = std::exp(lse.below(scratch.mean[l]));
                trace += pk * pl * ((C(k, k) + C(l, l)) - (C(k, l) + C(l, k))) / acc.weight;
            }
        }
        out.penaltyExact += acc.meanA - lse.value();
        out.penaltyQuadratic += 0.5 * trace;
    }
}

BernoulliProbabilities bernoulliProbabilities(double z) {
    const LogSumExp lse = logSumExp({Jet2::constant(0.0), Jet2::constant(z)});
    return {std::exp(lse.below(0.0)), std::exp(lse.below(z))};
}

Predictive predictive(const DropoutModel& model, double u, double v) {
    Predictive out;
    PredictiveScratch scratch;
    predictive(model, u, v, out, scratch);
    return out;
}

}  // namespace manifoldlens

