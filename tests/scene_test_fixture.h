#pragma once
// Shared by the scene tests: real grids from the core, a shown view to render
// into, and pixel helpers. Images go to /tmp/manifoldlens_scene_*.png.

#include "builtin_presets.h"
#include "colour_maps.h"
#include "fields.h"
#include "grid.h"
#include "settings.h"
#include "vtk_view.h"

#include <QImage>
#include <QtTest/QtTest>

#include <vtkLookupTable.h>
#include <vtkRenderer.h>

#include <array>
#include <cmath>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace manifoldlens::test {

inline GridResult computeTestGrid(const std::string& preset, int resolution, std::optional<double> rate = std::nullopt) {
    const Preset p = loadPreset(preset);
    ComputeSettings s = defaultSettings(p);
    s.resolution = resolution;
    if (rate) s.rate = *rate;
    std::optional<GridResult> g = computeGrid(p, s);
    if (!g) qFatal("grid computation cancelled");
    return *g;
}

inline bool sameValue(double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

inline std::array<double, 3> lutColour(vtkLookupTable* lut, double v) {
    std::array<double, 3> c{};
    lut->GetColor(v, c.data());
    return c;
}

/// Display position (VTK convention) of a world point.
inline std::array<double, 3> toDisplay(vtkRenderer* renderer, double x, double y, double z) {
    renderer->SetWorldPoint(x, y, z, 1.0);
    renderer->WorldToDisplay();
    std::array<double, 3> d{};
    renderer->GetDisplayPoint(d.data());
    return d;
}

inline bool isNeutral(QRgb c, int tolerance = 10) {
    return std::abs(qRed(c) - qGreen(c)) <= tolerance && std::abs(qGreen(c) - qBlue(c)) <= tolerance;
}

inline int differingPixels(const QImage& a, const QImage& b) {
    int n = 0;
    for (int y = 0; y < a.height(); ++y)
        for (int x = 0; x < a.width(); ++x) {
            const QRgb p = a.pixel(x, y), q = b.pixel(x, y);
            if (std::abs(qRed(p) - qRed(q)) + std::abs(qGreen(p) - qGreen(q)) + std::abs(qBlue(p) - qBlue(q)) > 24)
                ++n;
        }
    return n;
}

inline int countPixels(const QImage& image, const std::function<bool(QRgb)>& predicate) {
    int n = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            if (predicate(image.pixel(x, y))) ++n;
    return n;
}

inline void save(const QImage& image, const char* name) {
    image.save(QStringLiteral("/tmp/manifoldlens_scene_%1.png").arg(QLatin1String(name)));
}


/// A shown 640 x 480 view and the grids the scene tests draw.
struct SceneFixture {
    std::unique_ptr<VtkView> view;
    GridResult logistic, logisticRate0, logistic17, singular;

    /// Computes the grids and shows the view; false when the view never appeared.
    bool setUp() {
        logistic = computeTestGrid("logistic-input-dropout", 33);
        logisticRate0 = computeTestGrid("logistic-input-dropout", 33, 0.0);
        logistic17 = computeTestGrid("logistic-input-dropout", 17);
        singular = computeTestGrid("single-hidden-unit", 33);
        view = std::make_unique<VtkView>();
        view->resize(640, 480);
        view->show();
        return QTest::qWaitForWindowExposed(view.get());
    }
    QImage render() { return view->capture(); }
};

}  // namespace manifoldlens::test
