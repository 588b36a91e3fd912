// Scene colouring: the colour maps, diverging maps centred at 0, locked
// ranges, log10 and symmetric-log scales with real-unit labels, the colour
// bar's title. Renders under Xvfb; images go to /tmp/manifoldlens_scene_*.png.

#include "builtin_presets.h"
#include "colour_maps.h"
#include "fields.h"
#include "grid.h"
#include "manifold_scene.h"
#include "scene_colouring.h"
#include "settings.h"
#include "vtk_view.h"
#include "scene_test_fixture.h"

#include <QtTest/QtTest>

#include <vtkCamera.h>
#include <vtkCellArray.h>
#include <vtkDataArray.h>
#include <vtkDoubleArray.h>
#include <vtkActor.h>
#include <vtkLookupTable.h>
#include <vtkMapper.h>
#include <vtkPointData.h>
#include <vtkPoints.h>
#include <vtkPolyData.h>
#include <vtkRenderer.h>
#include <vtkScalarBarActor.h>
#include <vtkSmartPointer.h>
#include <vtkUnsignedCharArray.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <memory>
#include <string>

using namespace manifoldlens;
using namespace manifoldlens::test;

class TestSceneColouring : public QObject {
    Q_OBJECT

public:
    static void initMain() { QSurfaceFormat::setDefaultFormat(VtkView::defaultFormat()); }

private slots:
    void initTestCase() { QVERIFY(f_.setUp()); }
    void colourMaps();
    void signedFieldsAreCentred();
    void lockedRangeIsHonoured();
    void logScale();
    void symmetricLogScale();
    void symmetricLogKeepsUndefinedGrey();
    void symmetricLogWithALockedRange();
    void scalarBarIsTitled();

private:
    SceneFixture f_;
};

void TestSceneColouring::colourMaps() {
    const Rgb mid = colourAt(ColourMap::CoolWarm, 0.5);
    for (double c : mid) QVERIFY2(std::abs(c - 0.865) < 0.01, "cool-warm's centre is not its light grey");
    const Rgb cool = colourAt(ColourMap::CoolWarm, 0.0), warm = colourAt(ColourMap::CoolWarm, 1.0);
    QVERIFY(std::abs(cool[0] - 0.230) < 0.005 && std::abs(cool[2] - 0.754) < 0.005);
    QVERIFY(std::abs(warm[0] - 0.706) < 0.005 && std::abs(warm[1] - 0.016) < 0.005);
    QCOMPARE(colourAt(ColourMap::Viridis, 0.0), (Rgb{0.267004, 0.004874, 0.329415}));
    QCOMPARE(colourAt(ColourMap::Viridis, 1.0), (Rgb{0.993248, 0.906157, 0.143936}));
    const Rgb half = colourAt(ColourMap::Viridis, 128.0 / 255.0);
    QVERIFY(std::abs(half[1] - 0.566949) < 1e-9);
    // Viridis brightens monotonically.
    double previous = -1.0;
    for (const Rgb& c : sampleColourMap(ColourMap::Viridis, 64)) {
        const double luma = 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
        QVERIFY(luma > previous);
        previous = luma;
    }
    QCOMPARE(colourAt(ColourMap::Viridis, std::numeric_limits<double>::quiet_NaN()), kUndefinedColour);
}

void TestSceneColouring::signedFieldsAreCentred() {
    ManifoldScene scene(f_.view->renderer());
    scene.setGrid(f_.logistic);
    scene.setColouring(ScalarField::GaussianCurvature, 0.0, false, std::nullopt);
    const ValueRange r = scene.currentRange();
    QVERIFY(r.hi > 0.0);
    QCOMPARE(r.lo, -r.hi);
    const std::optional<ValueRange> expected = robustRange(scene.values(), true, false);
    QVERIFY(expected.has_value());
    QCOMPARE(r.hi, expected->hi);
    vtkLookupTable* lut = scene.lookupTable();
    QCOMPARE(lut->GetRange()[0], r.lo);
    QCOMPARE(lut->GetRange()[1], r.hi);
    const auto zero = lutColour(lut, 0.0), low = lutColour(lut, r.lo), high = lutColour(lut, r.hi);
    QVERIFY(std::abs(zero[0] - zero[2]) < 0.03 && zero[1] > 0.8);  // light neutral at 0
    QVERIFY(low[2] > low[0] + 0.3);                                 // blue below
    QVERIFY(high[0] > high[2] + 0.3);                               // red above
    // A log scale makes it a symmetric log scale, over the same range.
    scene.setColouring(ScalarField::GaussianCurvature, 0.0, true, std::nullopt);
    QVERIFY(scene.logScaleActive());
    QCOMPARE(scene.colourScale().kind, ColourScaleKind::SymmetricLog);
    QCOMPARE(scene.currentRange().lo, r.lo);
    QCOMPARE(scene.currentRange().hi, r.hi);
}

void TestSceneColouring::lockedRangeIsHonoured() {
    ManifoldScene scene(f_.view->renderer());
    scene.setGrid(f_.logistic);
    scene.setColouring(ScalarField::GaussianCurvature, 0.0, false, ValueRange{-0.5, 2.0});
    QCOMPARE(scene.currentRange().lo, -0.5);
    QCOMPARE(scene.currentRange().hi, 2.0);
    vtkLookupTable* lut = scene.lookupTable();
    QCOMPARE(lut->GetRange()[0], -0.5);
    QCOMPARE(lut->GetRange()[1], 2.0);
    // Still centred at 0: white there, the short negative side only a pale blue.
    const auto zero = lutColour(lut, 0.0), low = lutColour(lut, -0.5), high = lutColour(lut, 2.0);
    QVERIFY(std::abs(zero[0] - zero[2]) < 0.05);
    QVERIFY(low[2] > low[0] && low[0] > 0.5);
    QVERIFY(high[0] > high[2] + 0.3);

    scene.setColouring(ScalarField::VolumeElement, 0.0, false, ValueRange{0.1, 0.2});
    QCOMPARE(scene.currentRange().lo, 0.1);
    QCOMPARE(lut->GetRange()[1], 0.2);
    // Unlocking returns to the automatic range.
    scene.setColouring(ScalarField::VolumeElement, 0.0, false, std::nullopt);
    QCOMPARE(scene.currentRange().hi, robustRange(scene.values(), false, false)->hi);
}

void TestSceneColouring::logScale() {
    ManifoldScene scene(f_.view->renderer());
    scene.setGrid(f_.logistic);
    scene.setColouring(ScalarField::VolumeElement, 0.0, true, std::nullopt);
    QVERIFY(scene.logScaleActive());
    QCOMPARE(scene.lookupTable()->GetScale(), VTK_SCALE_LOG10);
    const std::optional<ValueRange> expected = robustRange(scene.values(), false, true);
    QCOMPARE(scene.currentRange().lo, expected->lo);
    QCOMPARE(scene.currentRange().hi, expected->hi);
    // The geometric mean of the range sits in the middle of the map.
    const double mid = std::sqrt(expected->lo * expected->hi);
    const auto c = lutColour(scene.lookupTable(), mid);
    const Rgb v = colourAt(ColourMap::Viridis, 0.5);
    QVERIFY(std::abs(c[1] - v[1]) < 0.02);
    save(f_.render(), "log_volume");

    scene.setColouring(ScalarField::VolumeElement, 0.0, false, std::nullopt);
    QVERIFY(!scene.logScaleActive());
    QCOMPARE(scene.lookupTable()->GetScale(), VTK_SCALE_LINEAR);
}

void TestSceneColouring::symmetricLogScale() {
    ManifoldScene scene(f_.view->renderer());
    scene.setGrid(f_.logistic);
    scene.resetCamera();
    scene.setColouring(ScalarField::GaussianCurvature, 0.0, false, std::nullopt);
    const std::vector<double> values = scene.values();
    const ValueRange linearRange = scene.currentRange();
    vtkLookupTable* lut = scene.lookupTable();
    const auto coordinates = [&] {
        return vtkDoubleArray::SafeDownCast(scene.surface()->GetPointData()->GetArray("colour coordinates"));
    };
    QVERIFY(coordinates() != nullptr);
    QVERIFY(!scene.scalarBar()->GetUseCustomLabels());
    QVERIFY(scene.colourBarLabels().empty());

    // The vertex whose |K| is nearest the median |K| (the threshold).
    const double c = symlogThreshold(values);
    std::size_t k = 0;
    for (std::size_t i = 0; i < values.size(); ++i)
        if (std::isfinite(values[i]) && std::abs(std::abs(values[i]) - c) < std::abs(std::abs(values[k]) - c)) k = i;
    const auto vk = static_cast<vtkIdType>(k);
    QCOMPARE(coordinates()->GetValue(vk), values[k]);
    const auto linear = lutColour(lut, coordinates()->GetValue(vk));
    const auto linearWhite = lutColour(lut, 0.0);
    save(f_.render(), "gaussian_linear");
    const QImage linearImage = f_.render();

    scene.setColouring(ScalarField::GaussianCurvature, 0.0, true, std::nullopt);
    QVERIFY(scene.logScaleActive());
    const ColourScale& scale = scene.colourScale();
    QCOMPARE(scale.kind, ColourScaleKind::SymmetricLog);
    QCOMPARE(scale.threshold, c);
    QCOMPARE(scene.currentRange().lo, linearRange.lo);  // field units, not transformed
    QCOMPARE(scene.currentRange().hi, linearRange.hi);
    QCOMPARE(scene.lookupTable()->GetScale(), VTK_SCALE_LINEAR);
    const double bound = symlog(linearRange.hi, c);
    QCOMPARE(lut->GetRange()[0], -bound);
    QCOMPARE(lut->GetRange()[1], bound);
    // The surface is coloured by symlog of the values; its scalars stay the values.
    QCOMPARE(coordinates()->GetValue(vk), symlog(values[k], c));
    QCOMPARE(scene.surface()->GetPointData()->GetScalars()->GetTuple1(vk), values[k]);
    QCOMPARE(scale.coordinate(values[k]), symlog(values[k], c));

    // A median vertex is clearly coloured rather than near-white.
    const auto white = lutColour(lut, 0.0);
    const auto distance = [](const std::array<double, 3>& a, const std::array<double, 3>& b) {
        return std::hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
    };
    const auto symmetricLog = lutColour(lut, coordinates()->GetValue(vk));
    const double dLinear = distance(linear, linearWhite), dLog = distance(symmetricLog, white);
    QVERIFY2(dLog > 0.1 && dLog > 5.0 * dLinear,
             qPrintable(QStringLiteral("median |K| = %1: %2 from white on symlog, %3 linear").arg(c).arg(dLog).arg(dLinear)));
    // Centred: white at 0, blue and red at the ends.
    const Rgb centre = colourAt(ColourMap::CoolWarm, 0.5);
    for (std::size_t i = 0; i < 3; ++i) QVERIFY(std::abs(white[i] - centre[i]) < 0.01);
    const auto low = lutColour(lut, -bound), high = lutColour(lut, bound);
    QVERIFY(low[2] > low[0] + 0.3);
    QVERIFY(high[0] > high[2] + 0.3);

    // The bar: labels in the field's units, placed at their symlog coordinates.
    const QString title = QString::fromStdString(scene.scalarBarTitle());
    QVERIFY2(title.contains(QStringLiteral("symmetric log")), qPrintable(title));
    const std::vector<ColourBarLabel>& labels = scene.colourBarLabels();
    QVERIFY(labels.size() >= 5);
    QVERIFY(scene.scalarBar()->GetUseCustomLabels());
    vtkDoubleArray* custom = scene.scalarBar()->GetCustomLabels();
    QCOMPARE(custom->GetNumberOfValues(), static_cast<vtkIdType>(labels.size()));
    const std::vector<std::string> texts = colourBarLabelTexts(scene.scalarBar());
    QCOMPARE(texts.size(), labels.size());
    QCOMPARE(labels.front().value, linearRange.lo);
    QCOMPARE(labels.back().value, linearRange.hi);
    bool zero = false, decade = false;
    for (std::size_t i = 0; i < labels.size(); ++i) {
        const ColourBarLabel& l = labels[i];
        QCOMPARE(l.coordinate, symlog(l.value, c));
        QCOMPARE(custom->GetValue(static_cast<vtkIdType>(i)), l.coordinate);
        QCOMPARE(texts[i], l.text);
        const double shown = std::stod(l.text);
        QVERIFY2(std::abs(shown - l.value) <= 0.005 * std::abs(l.value), l.text.c_str());
        if (i > 0) QVERIFY(l.value > labels[i - 1].value);
        zero = zero || l.value == 0.0;
        // A round value beyond the linear core, shown as itself (not as its coordinate).
        if (l.value > c && l.value < linearRange.hi && l.text == std::to_string(std::lround(l.value)))
            decade = decade || std::lround(l.value) % 10 == 0;
    }
    QVERIFY(zero);
    QVERIFY(decade);

    // On screen: far more of the surface is visibly coloured (the bar, at the
    // right, left out).
    const QImage logImage = f_.render();
    save(logImage, "gaussian_symlog");
    const auto saturated = [](QRgb p) {
        return std::max({qRed(p), qGreen(p), qBlue(p)}) - std::min({qRed(p), qGreen(p), qBlue(p)}) > 25;
    };
    const int surfaceWidth = linearImage.width() * 17 / 20;
    const int before = countPixels(linearImage.copy(0, 0, surfaceWidth, linearImage.height()), saturated);
    const int after = countPixels(logImage.copy(0, 0, surfaceWidth, logImage.height()), saturated);
    QVERIFY2(after > 4 * before, qPrintable(QStringLiteral("%1 coloured pixels, %2 linear").arg(after).arg(before)));
    save(f_.view->capture(QSize(1400, 880)), "gaussian_symlog_large");

    // Back to linear: VTK's own labels.
    scene.setColouring(ScalarField::GaussianCurvature, 0.0, false, std::nullopt);
    QVERIFY(!scene.logScaleActive());
    QVERIFY(!scene.scalarBar()->GetUseCustomLabels());
    QVERIFY(scene.colourBarLabels().empty());
    QVERIFY(!QString::fromStdString(scene.scalarBarTitle()).contains(QStringLiteral("log")));

    // The penalty gap is signed too.
    scene.setColouring(ScalarField::PenaltyGap, 0.0, true, std::nullopt);
    QCOMPARE(scene.colourScale().kind, ColourScaleKind::SymmetricLog);
    QVERIFY(scene.colourScale().threshold > 0.0);
}

void TestSceneColouring::symmetricLogKeepsUndefinedGrey() {
    ManifoldScene scene(f_.view->renderer());
    scene.setGrid(f_.singular);
    scene.setColouring(ScalarField::GaussianCurvature, 0.0, true, std::nullopt);
    QCOMPARE(scene.colourScale().kind, ColourScaleKind::SymmetricLog);
    vtkDataArray* coordinates = scene.surface()->GetPointData()->GetArray("colour coordinates");
    vtkSmartPointer<vtkUnsignedCharArray> colours =
        vtk::TakeSmartPointer(scene.lookupTable()->MapScalars(coordinates, VTK_COLOR_MODE_MAP_SCALARS, -1));
    const auto grey = static_cast<int>(std::lround(kUndefinedColour[0] * 255));
    int undefined = 0;
    for (std::size_t k = 0; k < f_.singular.spec.vertices(); ++k) {
        const unsigned char* c = colours->GetPointer(static_cast<vtkIdType>(4 * k));
        const bool neutral = std::abs(c[0] - grey) <= 1 && std::abs(c[1] - grey) <= 1 && std::abs(c[2] - grey) <= 1;
        const bool defined = std::isfinite(scene.values()[k]);
        QCOMPARE(neutral, !defined);
        undefined += defined ? 0 : 1;
    }
    QVERIFY(undefined > 0);
    QVERIFY(QString::fromStdString(scene.scalarBarTitle()).contains(QStringLiteral("grey: undefined")));
    scene.resetCamera();
    save(f_.render(), "singular_symlog");
}

void TestSceneColouring::symmetricLogWithALockedRange() {
    ManifoldScene scene(f_.view->renderer());
    scene.setGrid(f_.logistic);
    const ValueRange locked{-0.5, 2.0};
    scene.setColouring(ScalarField::GaussianCurvature, 0.0, true, locked);
    const ColourScale& scale = scene.colourScale();
    QCOMPARE(scale.kind, ColourScaleKind::SymmetricLog);
    QCOMPARE(scene.currentRange().lo, -0.5);
    QCOMPARE(scene.currentRange().hi, 2.0);
    // The threshold follows from the locked bounds, not from the frame's values.
    QCOMPARE(scale.threshold, symlogThresholdForRange(locked));
    vtkLookupTable* lut = scene.lookupTable();
    QCOMPARE(lut->GetRange()[0], symlog(-0.5, scale.threshold));
    QCOMPARE(lut->GetRange()[1], symlog(2.0, scale.threshold));
    const auto zero = lutColour(lut, 0.0), low = lutColour(lut, lut->GetRange()[0]),
               high = lutColour(lut, lut->GetRange()[1]);
    QVERIFY(std::abs(zero[0] - zero[2]) < 0.05);
    QVERIFY(low[2] > low[0] + 0.1);  // the shorter side: blue, a little paler
    QVERIFY(high[0] > high[2] + 0.3);
    const std::vector<ColourBarLabel>& labels = scene.colourBarLabels();
    QVERIFY(labels.size() >= 3);
    QCOMPARE(labels.front().text, std::string("-0.5"));
    QCOMPARE(labels.back().text, std::string("2"));
    // The same lock on another frame gives the same colours.
    const auto before = lutColour(lut, scale.coordinate(1.0));
    scene.setGrid(f_.logisticRate0);
    QCOMPARE(scene.colourScale().threshold, symlogThresholdForRange(locked));
    QCOMPARE(lutColour(lut, scene.colourScale().coordinate(1.0)), before);
}

void TestSceneColouring::scalarBarIsTitled() {
    ManifoldScene scene(f_.view->renderer());
    scene.setGrid(f_.logistic);
    scene.setColouring(ScalarField::PenaltyExact, 0.0, false, std::nullopt);
    const QString title = QString::fromStdString(scene.scalarBarTitle());
    QVERIFY(title.contains(QString::fromUtf8(fieldInfo(ScalarField::PenaltyExact).name)));
    QVERIFY(title.contains(QString::fromUtf8(fieldInfo(ScalarField::PenaltyExact).units)));
    QVERIFY(scene.scalarBar()->GetVisibility());
    QCOMPARE(scene.scalarBar()->GetLookupTable(), scene.lookupTable());
}

QTEST_MAIN(TestSceneColouring)
#include "test_scene_colouring.moc"
