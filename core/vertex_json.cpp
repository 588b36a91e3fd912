#include "vertex_json.h"

#include <cmath>

namespace manifoldlens {

namespace {

nlohmann::ordered_json number(double x) {
    if (!std::isfinite(x)) return nullptr;
    return x;
}

}  // namespace

nlohmann::ordered_json vertexReportToJson(const VertexReport& r) {
    const VertexGeometry& g = r.geometry;
    nlohmann::ordered_json j;
    j["u"] = r.u;
    j["v"] = r.v;
    j["point"] = {number(g.point[0]), number(g.point[1]), number(g.point[2])};
    j["probabilities"] = nlohmann::ordered_json::array();
    for (const auto& row : r.probabilities) {
        auto& out = j["probabilities"].emplace_back(nlohmann::ordered_json::array());
        for (double p : row) out.push_back(number(p));
    }
    j["metric"] = {{number(g.g11), number(g.g12)}, {number(g.g12), number(g.g22)}};
    j["metric_det"] = number(g.metricDet);
    j["gaussian_curvature"] = number(g.gaussian);
    j["mean_curvature"] = number(g.mean);
    j["statistical_curvature_e"] = number(r.statisticalCurvature());
    j["embedding_curvature_m"] = number(r.embeddingCurvatureM());
    j["embedding_curvature_0"] = number(r.embeddingCurvature0());
    j["alpha"] = r.alpha;
    j["embedding_curvature"] = number(r.embeddingCurvatureAlpha());
    j["dropout_penalty_exact"] = number(r.penaltyExact);
    j["dropout_penalty_quadratic"] = number(r.penaltyQuadratic);
    j["valid"] = g.valid;
    return j;
}

}  // namespace manifoldlens
