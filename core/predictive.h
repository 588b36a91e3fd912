#pragma once
/// @file predictive.h
/// The dropout predictive distributions pbar_i at one point of the free-weight
/// plane, as exact 2-jets, and the dropout penalties there (docs/math.md).

#include "cancel_poll.h"
#include "jet.h"
#include "masks.h"
#include "network.h"
#include "preset.h"

#include <vector>

namespace manifoldlens {

/// pbar_i(k) for every design point i and class k, with derivatives in (u, v),
/// and the two dropout penalties. For a Bernoulli output the classes are
/// y = 0 and y = 1, in that order.
struct Predictive {
    int points = 0;
    int classes = 0;
    std::vector<Jet2> p;               ///< p[i * classes + k]
    std::vector<double> logp;          ///< log pbar_i(k), accurate where pbar is tiny
    double penaltyExact = 0.0;         ///< R = sum_i E_m A(z_i(m)) - A(E_m z_i(m))
    double penaltyQuadratic = 0.0;     ///< R_q = 1/2 sum_i tr(Hess A(E_m z_i) Cov_m z_i)

    const Jet2& at(int i, int k) const { return p[static_cast<std::size_t>(i * classes + k)]; }
};

/// Reusable buffers for predictive(); one per thread, used with one model.
struct PredictiveScratch {
    const Preset* seeded = nullptr;  ///< the preset weights was seeded for
    JetWeights weights;
    ForwardScratch forward;
    std::vector<Jet2> logits, classLogits, logProb, accum;
    std::vector<double> mean, cov;
};

/// Everything that is fixed while (u, v) varies: the preset, its masks at the
/// rate, and the aggregation.
struct DropoutModel {
    const Preset* preset = nullptr;
    MaskSet masks;
    double rate = 0.0;
    Aggregation aggregation = Aggregation::Arithmetic;
};

/// Builds the model for a rate and aggregation (enumerates the masks).
DropoutModel makeDropoutModel(const Preset& preset, double rate, Aggregation aggregation);

/// Computes pbar and the penalties at (u, v). With a poll, each forward pass
/// (one mask at one design point) is a unit of its work; when it stops, out
/// is incomplete.
void predictive(const DropoutModel& model, double u, double v, Predictive& out, PredictiveScratch& scratch,
                CancelPoll* poll = nullptr);

/// The class probabilities of a Bernoulli logit z, computed as predictive()
/// computes them (class logits (0, z)).
struct BernoulliProbabilities {
    double p0, p1;
};
BernoulliProbabilities bernoulliProbabilities(double z);

/// Convenience overload allocating its own scratch.
Predictive predictive(const DropoutModel& model, double u, double v);

}  // namespace manifoldlens
