#include "vertex.h"

#include <stdexcept>

namespace manifoldlens {

std::optional<VertexReport> evaluateVertex(const Preset& preset, const ComputeSettings& settings, double u, double v,
                                           CancelPoll& poll) {
    if (auto problem = checkSettings(settings)) throw std::invalid_argument(*problem);
    const DropoutModel model = makeDropoutModel(preset, settings.rate, settings.aggregation);
    Predictive pred;
    PredictiveScratch scratch;
    predictive(model, u, v, pred, scratch, &poll);
    if (poll.stopped()) return std::nullopt;
    VertexReport report;
    report.u = u;
    report.v = v;
    report.alpha = settings.alpha;
    report.geometry = geometry(pred, preset.bernoulli);
    report.penaltyExact = pred.penaltyExact;
    report.penaltyQuadratic = pred.penaltyQuadratic;
    for (int i = 0; i < pred.points; ++i) {
        auto& row = report.probabilities.emplace_back();
        for (int k = 0; k < pred.classes; ++k) row.push_back(pred.at(i, k).v);
    }
    return report;
}

VertexReport evaluateVertex(const Preset& preset, const ComputeSettings& settings, double u, double v) {
    CancelPoll never;
    return *evaluateVertex(preset, settings, u, v, never);
}

}  // namespace manifoldlens
