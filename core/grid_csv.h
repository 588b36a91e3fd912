#pragma once
/// @file grid_csv.h
/// The grid as CSV, one row per vertex in storage order (u varies fastest).

#include "grid.h"

#include <ostream>
#include <string_view>

namespace manifoldlens {

/// The header line, without the line break.
inline constexpr std::string_view kGridCsvHeader =
    "u,v,x,y,z,metric_det,gaussian_curvature,mean_curvature,statistical_curvature_e,embedding_curvature_m,"
    "embedding_curvature_0,embedding_curvature,dropout_penalty_exact,dropout_penalty_quadratic,valid";

/// Writes the header and every vertex. Numbers are written in the shortest
/// form that reads back to the same double; NaN as "nan"; valid as 1 or 0.
/// embedding_curvature is gamma2 at alpha.
void writeGridCsv(std::ostream& out, const GridResult& grid, double alpha);

}  // namespace manifoldlens
