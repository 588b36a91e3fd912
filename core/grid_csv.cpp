#include "grid_csv.h"

#include "geometry.h"

#include <charconv>
#include <string>

namespace manifoldlens {

namespace {

void put(std::string& line, double x) {
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, x);
    line.append(buffer, result.ptr);
    line.push_back(',');
}

}  // namespace

void writeGridCsv(std::ostream& out, const GridResult& g, double alpha) {
    out << kGridCsvHeader << '\n';
    const auto res = static_cast<std::size_t>(g.spec.resolution);
    std::string line;
    for (std::size_t idx = 0; idx < g.spec.vertices(); ++idx) {
        line.clear();
        put(line, g.spec.u(static_cast<int>(idx % res)));
        put(line, g.spec.v(static_cast<int>(idx / res)));
        for (const auto* field : {&g.x, &g.y, &g.z, &g.metricDet, &g.gaussian, &g.mean}) put(line, (*field)[idx]);
        const double ee = g.gammaEE[idx], em = g.gammaEM[idx], mm = g.gammaMM[idx];
        put(line, embeddingCurvature(ee, em, mm, 1.0));
        put(line, embeddingCurvature(ee, em, mm, -1.0));
        put(line, embeddingCurvature(ee, em, mm, 0.0));
        put(line, embeddingCurvature(ee, em, mm, alpha));
        put(line, g.penaltyExact[idx]);
        put(line, g.penaltyQuadratic[idx]);
        line.push_back(g.valid[idx] ? '1' : '0');
        line.push_back('\n');
        out << line;
    }
}

}  // namespace manifoldlens
