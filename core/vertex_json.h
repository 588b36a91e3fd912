#pragma once
/// @file vertex_json.h
/// The probe report as JSON: the object `manifold-lens --probe` prints.

#include "vertex.h"

#include <nlohmann/json.hpp>

namespace manifoldlens {

/// Keys in this order: u, v, point, probabilities, metric, metric_det,
/// gaussian_curvature, mean_curvature, statistical_curvature_e,
/// embedding_curvature_m, embedding_curvature_0, alpha, embedding_curvature,
/// dropout_penalty_exact, dropout_penalty_quadratic, valid. NaN becomes null.
nlohmann::ordered_json vertexReportToJson(const VertexReport& report);

}  // namespace manifoldlens
