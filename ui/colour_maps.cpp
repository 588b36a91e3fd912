#include "colour_maps.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace manifoldlens {

namespace {

// Viridis at every 16th entry of matplotlib's 256-entry table (and the last),
// as (index, r, g, b); linear interpolation between them is within 0.003 of
// the full table.
constexpr std::array<std::array<double, 4>, 17> kViridis{{
    {0, 0.267004, 0.004874, 0.329415},   {16, 0.282327, 0.094955, 0.417331},
    {32, 0.278826, 0.175490, 0.483397},  {48, 0.258965, 0.251537, 0.524736},
    {64, 0.229739, 0.322361, 0.545706},  {80, 0.199430, 0.387607, 0.554642},
    {96, 0.172719, 0.448791, 0.557885},  {112, 0.149039, 0.508051, 0.557250},
    {128, 0.127568, 0.566949, 0.550556}, {144, 0.120638, 0.625828, 0.533488},
    {160, 0.157851, 0.683765, 0.501686}, {176, 0.246070, 0.738910, 0.452024},
    {192, 0.369214, 0.788888, 0.382914}, {208, 0.515992, 0.831158, 0.294279},
    {224, 0.678489, 0.863742, 0.189503}, {240, 0.845561, 0.887322, 0.099702},
    {255, 0.993248, 0.906157, 0.143936},
}};

Rgb viridis(double t) {
    const double x = t * 255.0;
    std::size_t k = 1;
    while (k + 1 < kViridis.size() && kViridis[k][0] < x) ++k;
    const auto& a = kViridis[k - 1];
    const auto& b = kViridis[k];
    const double w = std::clamp((x - a[0]) / (b[0] - a[0]), 0.0, 1.0);
    return {a[1] + w * (b[1] - a[1]), a[2] + w * (b[2] - a[2]), a[3] + w * (b[3] - a[3])};
}

// Moreland, "Diverging Color Maps for Scientific Visualization" (2009):
// interpolate the end colours in Msh (polar CIELAB) through an unsaturated
// white centre, with the hue adjusted near it.
struct Msh {
    double m, s, h;
};

constexpr std::array<double, 3> kWhiteD65{0.95047, 1.0, 1.08883};

double toLinear(double c) { return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4); }

double toSrgb(double c) {
    const double v = c <= 0.0031308 ? 12.92 * c : 1.055 * std::pow(c, 1.0 / 2.4) - 0.055;
    return std::clamp(v, 0.0, 1.0);
}

double labF(double t) { return t > 0.008856 ? std::cbrt(t) : 7.787 * t + 16.0 / 116.0; }

double labFInverse(double f) {
    const double t = f * f * f;
    return t > 0.008856 ? t : (f - 16.0 / 116.0) / 7.787;
}

Msh toMsh(const Rgb& c) {
    const double r = toLinear(c[0]), g = toLinear(c[1]), b = toLinear(c[2]);
    const double x = 0.4124 * r + 0.3576 * g + 0.1805 * b;
    const double y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    const double z = 0.0193 * r + 0.1192 * g + 0.9505 * b;
    const double fx = labF(x / kWhiteD65[0]), fy = labF(y / kWhiteD65[1]), fz = labF(z / kWhiteD65[2]);
    const double l = 116.0 * fy - 16.0, la = 500.0 * (fx - fy), lb = 200.0 * (fy - fz);
    const double m = std::sqrt(l * l + la * la + lb * lb);
    const double s = m > 0.0 ? std::acos(std::clamp(l / m, -1.0, 1.0)) : 0.0;
    const double h = s > 0.0 ? std::atan2(lb, la) : 0.0;
    return {m, s, h};
}

Rgb fromMsh(const Msh& c) {
    const double l = c.m * std::cos(c.s);
    const double la = c.m * std::sin(c.s) * std::cos(c.h);
    const double lb = c.m * std::sin(c.s) * std::sin(c.h);
    const double fy = (l + 16.0) / 116.0, fx = fy + la / 500.0, fz = fy - lb / 200.0;
    const double x = kWhiteD65[0] * labFInverse(fx), y = kWhiteD65[1] * labFInverse(fy),
                 z = kWhiteD65[2] * labFInverse(fz);
    const double r = 3.2406 * x - 1.5372 * y - 0.4986 * z;
    const double g = -0.9689 * x + 1.8758 * y + 0.0415 * z;
    const double b = 0.0557 * x - 0.2040 * y + 1.0570 * z;
    return {toSrgb(r), toSrgb(g), toSrgb(b)};
}

// The hue of an unsaturated colour next to a saturated one: spun away from it
// so the interpolation does not pass through a muddy hue.
double adjustHue(const Msh& saturated, double unsaturatedM) {
    if (saturated.m >= unsaturatedM) return saturated.h;
    const double spin = saturated.s * std::sqrt(unsaturatedM * unsaturatedM - saturated.m * saturated.m) /
                        (saturated.m * std::sin(saturated.s));
    return saturated.h > -std::numbers::pi / 3.0 ? saturated.h + spin : saturated.h - spin;
}

Rgb divergingAt(const Rgb& lowColour, const Rgb& highColour, double t) {
    Msh a = toMsh(lowColour), b = toMsh(highColour);
    const double hueGap = std::abs(std::remainder(a.h - b.h, 2.0 * std::numbers::pi));
    if (a.s > 0.05 && b.s > 0.05 && hueGap > std::numbers::pi / 3.0) {
        const double mid = std::max({a.m, b.m, 88.0});
        if (t < 0.5) {
            b = {mid, 0.0, 0.0};
            t *= 2.0;
        } else {
            a = {mid, 0.0, 0.0};
            t = 2.0 * t - 1.0;
        }
    }
    if (a.s < 0.05 && b.s > 0.05)
        a.h = adjustHue(b, a.m);
    else if (b.s < 0.05 && a.s > 0.05)
        b.h = adjustHue(a, b.m);
    return fromMsh({(1.0 - t) * a.m + t * b.m, (1.0 - t) * a.s + t * b.s, (1.0 - t) * a.h + t * b.h});
}

constexpr Rgb kCool{0.230, 0.299, 0.754};
constexpr Rgb kWarm{0.706, 0.016, 0.150};

}  // namespace

Rgb colourAt(ColourMap map, double t) {
    if (std::isnan(t)) return kUndefinedColour;
    t = std::clamp(t, 0.0, 1.0);
    switch (map) {
    case ColourMap::CoolWarm: return divergingAt(kCool, kWarm, t);
    case ColourMap::Viridis: return viridis(t);
    }
    return kUndefinedColour;
}

std::vector<Rgb> sampleColourMap(ColourMap map, int n) {
    n = std::max(n, 2);
    std::vector<Rgb> out(static_cast<std::size_t>(n));
    for (int k = 0; k < n; ++k) out[static_cast<std::size_t>(k)] = colourAt(map, static_cast<double>(k) / (n - 1));
    return out;
}

std::vector<Rgb> fieldColourTable(bool isSigned, double lo, double hi, int n) {
    n = std::max(n, 2);
    std::vector<Rgb> out(static_cast<std::size_t>(n));
    const double m = std::max(std::abs(lo), std::abs(hi));
    for (int k = 0; k < n; ++k) {
        const double s = static_cast<double>(k) / (n - 1);
        const double v = lo + s * (hi - lo);
        out[static_cast<std::size_t>(k)] = isSigned ? colourAt(ColourMap::CoolWarm, m > 0.0 ? 0.5 + 0.5 * v / m : 0.5)
                                                    : colourAt(ColourMap::Viridis, s);
    }
    return out;
}

}  // namespace manifoldlens
