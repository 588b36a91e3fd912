#include "fields.h"

#include "geometry.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numbers>

namespace manifoldlens {

namespace {

constexpr std::array<FieldInfo, 7> kFields{{
    {ScalarField::GaussianCurvature, "gaussian", "Gaussian curvature K", "1/Fisher area", true},
    {ScalarField::MeanCurvature, "mean", "Mean curvature |H|", "1/Fisher length", false},
    {ScalarField::EmbeddingCurvature, "embedding", "Embedding curvature gamma2", "1/Fisher area", false},
    {ScalarField::VolumeElement, "volume", "Volume element sqrt(det g)", "Fisher area per unit weight area", false},
    {ScalarField::PenaltyExact, "penalty-exact", "Dropout penalty R (exact)", "nats", false},
    {ScalarField::PenaltyQuadratic, "penalty-quadratic", "Dropout penalty R_q (quadratic)", "nats", false},
    {ScalarField::PenaltyGap, "penalty-gap", "Penalty gap (R_q - R) / R", "relative", true},
}};

}  // namespace

std::span<const FieldInfo> scalarFields() { return kFields; }

const FieldInfo& fieldInfo(ScalarField field) { return kFields[static_cast<std::size_t>(field)]; }

std::optional<ScalarField> parseScalarField(const std::string& key) {
    for (const FieldInfo& f : kFields)
        if (key == f.key) return f.field;
    return std::nullopt;
}

void fieldValues(const GridResult& g, ScalarField field, double alpha, std::vector<double>& out) {
    const std::size_t n = g.spec.vertices();
    out.resize(n);
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    for (std::size_t i = 0; i < n; ++i) {
        double x = nan;
        switch (field) {
        case ScalarField::GaussianCurvature: x = g.gaussian[i]; break;
        case ScalarField::MeanCurvature: x = g.mean[i]; break;
        case ScalarField::EmbeddingCurvature:
            x = embeddingCurvature(g.gammaEE[i], g.gammaEM[i], g.gammaMM[i], alpha);
            break;
        case ScalarField::VolumeElement: x = g.valid[i] ? std::sqrt(g.metricDet[i]) : nan; break;
        case ScalarField::PenaltyExact: x = g.penaltyExact[i]; break;
        case ScalarField::PenaltyQuadratic: x = g.penaltyQuadratic[i]; break;
        case ScalarField::PenaltyGap:
            x = g.penaltyExact[i] > 0.0 ? (g.penaltyQuadratic[i] - g.penaltyExact[i]) / g.penaltyExact[i] : nan;
            break;
        }
        out[i] = x;
    }
}

std::optional<ValueRange> robustRange(const std::vector<double>& values, bool isSigned, bool logScale,
                                      double lowerPercentile, double upperPercentile) {
    std::vector<double> v;
    v.reserve(values.size());
    for (double x : values)
        if (std::isfinite(x) && (!logScale || x > 0.0)) v.push_back(isSigned && !logScale ? std::abs(x) : x);
    if (v.empty()) return std::nullopt;
    auto percentile = [&](double p) {
        const auto k = static_cast<std::size_t>(std::llround(p / 100.0 * static_cast<double>(v.size() - 1)));
        std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
        return v[k];
    };
    ValueRange r;
    if (isSigned && !logScale) {
        // Symmetric about 0: the upper percentile of |x| bounds both sides.
        const double m = percentile(upperPercentile);
        r = m > 0.0 ? ValueRange{-m, m} : ValueRange{-1.0, 1.0};
        return r;
    }
    r.lo = percentile(lowerPercentile);
    r.hi = percentile(upperPercentile);
    if (!(r.hi > r.lo) && logScale) return ValueRange{r.lo / (1.0 + 1e-3), r.hi * (1.0 + 1e-3)};  // stays positive
    return nonDegenerate(r);
}

ValueRange nonDegenerate(const ValueRange& range) {
    if (range.hi > range.lo) return range;
    const double pad = range.lo != 0.0 ? std::abs(range.lo) * 1e-3 : 1e-12;
    return {range.lo - pad, range.hi + pad};
}

double symlog(double x, double c) { return std::copysign(std::log1p(std::abs(x) / c) / std::numbers::ln10, x); }


double symlogThreshold(const std::vector<double>& values) {
    std::vector<double> v;
    v.reserve(values.size());
    for (double x : values)
        if (std::isfinite(x) && x != 0.0) v.push_back(std::abs(x));
    if (v.empty()) return 1.0;
    const std::size_t mid = v.size() / 2;
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid), v.end());
    double m = v[mid];
    if (v.size() % 2 == 0) m = 0.5 * (m + *std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid)));
    // Subnormal medians would overflow |x| / c.
    return m >= std::numeric_limits<double>::min() ? m : 1.0;
}

double symlogThresholdForRange(const ValueRange& range) {
    const double m = std::max(std::abs(range.lo), std::abs(range.hi)) / 100.0;
    return std::isfinite(m) && m >= std::numeric_limits<double>::min() ? m : 1.0;
}

}  // namespace manifoldlens
