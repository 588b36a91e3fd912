#include "vertex.h"

#include <stdexcept>

namespace manifoldlens {

VertexReport evaluateVertex(const Preset& preset, const ComputeSettings& settings, double u, double v) {
    if (auto problem = checkSettings(settings)) throw std::invalid_argument(*problem);
    const DropoutModel model = makeDropoutModel(preset, settings.rate, settings.aggregation);
    const Predictive pred = predictive(model, u, v);
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

}  // namespace manifoldlens
