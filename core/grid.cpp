#include "grid.h"

#include "geometry.h"
#include "predictive.h"

#include <algorithm>
#include <stdexcept>

namespace manifoldlens {

std::size_t GridResult::invalidCount() const {
    return static_cast<std::size_t>(std::count(valid.begin(), valid.end(), std::uint8_t{0}));
}

std::optional<GridResult> computeGrid(const Preset& preset, const ComputeSettings& settings,
                                      const ComputeControl& control) {
    if (auto problem = checkSettings(settings)) throw std::invalid_argument(*problem);
    const DropoutModel model = makeDropoutModel(preset, settings.rate, settings.aggregation);
    GridResult r;
    r.spec = GridSpec::fromSettings(settings);
    const std::size_t count = r.spec.vertices();
    for (auto* field : {&r.x, &r.y, &r.z, &r.metricDet, &r.gaussian, &r.mean, &r.gammaEE, &r.gammaEM, &r.gammaMM,
                        &r.penaltyExact, &r.penaltyQuadratic})
        field->resize(count);
    r.valid.resize(count);

    Predictive pred;
    PredictiveScratch predScratch;
    GeometryScratch geoScratch;
    const auto res = static_cast<std::size_t>(r.spec.resolution);
    for (std::size_t begin = 0; begin < count; begin += kBlockVertices) {
        if (control.cancelled && control.cancelled()) return std::nullopt;
        const std::size_t end = std::min(count, begin + kBlockVertices);
        for (std::size_t idx = begin; idx < end; ++idx) {
            const double u = r.spec.u(static_cast<int>(idx % res));
            const double v = r.spec.v(static_cast<int>(idx / res));
            predictive(model, u, v, pred, predScratch);
            const VertexGeometry g = geometry(pred, preset.bernoulli, geoScratch);
            r.x[idx] = g.point[0];
            r.y[idx] = g.point[1];
            r.z[idx] = g.point[2];
            r.metricDet[idx] = g.metricDet;
            r.gaussian[idx] = g.gaussian;
            r.mean[idx] = g.mean;
            r.gammaEE[idx] = g.gammaEE;
            r.gammaEM[idx] = g.gammaEM;
            r.gammaMM[idx] = g.gammaMM;
            r.penaltyExact[idx] = pred.penaltyExact;
            r.penaltyQuadratic[idx] = pred.penaltyQuadratic;
            r.valid[idx] = g.valid ? 1 : 0;
        }
        if (control.progress) control.progress(static_cast<double>(end) / static_cast<double>(count));
    }
    return r;
}

}  // namespace manifoldlens
