// The scene: the surface is the core's grid, its colours the core's field
// values, arrays are updated in place, undefined vertices are grey, maps and
// ranges are as declared, overlays draw, picking finds the vertex under the
// cursor. Renders under Xvfb; images go to /tmp/manifoldlens_scene_*.png.

#include "builtin_presets.h"
#include "colour_maps.h"
#include "fields.h"
#include "grid.h"
#include "manifold_scene.h"
#include "scene_colouring.h"
#include "settings.h"
#include "vtk_view.h"

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

namespace {

GridResult computeTestGrid(const std::string& preset, int resolution, std::optional<double> rate = std::nullopt) {
    const Preset p = loadPreset(preset);
    ComputeSettings s = defaultSettings(p);
    s.resolution = resolution;
    if (rate) s.rate = *rate;
    std::optional<GridResult> g = computeGrid(p, s);
    if (!g) qFatal("grid computation cancelled");
    return *g;
}

bool sameValue(double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

std::array<double, 3> lutColour(vtkLookupTable* lut, double v) {
    std::array<double, 3> c{};
    lut->GetColor(v, c.data());
    return c;
}

/// Display position (VTK convention) of a world point.
std::array<double, 3> toDisplay(vtkRenderer* renderer, double x, double y, double z) {
    renderer->SetWorldPoint(x, y, z, 1.0);
    renderer->WorldToDisplay();
    std::array<double, 3> d{};
    renderer->GetDisplayPoint(d.data());
    return d;
}

bool isNeutral(QRgb c, int tolerance = 10) {
    return std::abs(qRed(c) - qGreen(c)) <= tolerance && std::abs(qGreen(c) - qBlue(c)) <= tolerance;
}

int differingPixels(const QImage& a, const QImage& b) {
    int n = 0;
    for (int y = 0; y < a.height(); ++y)
        for (int x = 0; x < a.width(); ++x) {
            const QRgb p = a.pixel(x, y), q = b.pixel(x, y);
            if (std::abs(qRed(p) - qRed(q)) + std::abs(qGreen(p) - qGreen(q)) + std::abs(qBlue(p) - qBlue(q)) > 24)
                ++n;
        }
    return n;
}

int countPixels(const QImage& image, const std::function<bool(QRgb)>& predicate) {
    int n = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            if (predicate(image.pixel(x, y))) ++n;
    return n;
}

void save(const QImage& image, const char* name) {
    image.save(QStringLiteral("/tmp/manifoldlens_scene_%1.png").arg(QLatin1String(name)));
}

}  // namespace

class TestManifoldScene : public QObject {
    Q_OBJECT

public:
    static void initMain() { QSurfaceFormat::setDefaultFormat(VtkView::defaultFormat()); }

private slots:
    void initTestCase();
    void colourMaps();
    void pointsAndScalarsComeFromTheCore();
    void arraysAreReusedInPlace();
    void topologyIsRebuiltForANewResolution();
    void invalidVerticesAreGrey();
    void signedFieldsAreCentred();
    void lockedRangeIsHonoured();
    void logScale();
    void symmetricLogScale();
    void symmetricLogKeepsUndefinedGrey();
    void symmetricLogWithALockedRange();
    void scalarBarIsTitled();
    void differentRateChangesTheImage();
    void pickingTheCentre();
    void overlaysDraw();
    void galleryForReview();

private:
    std::unique_ptr<VtkView> view_;
    GridResult logistic_, logisticRate0_, logistic17_, singular_;

    QImage render() { return view_->capture(); }
};

void TestManifoldScene::initTestCase() {
    logistic_ = computeTestGrid("logistic-input-dropout", 33);
    logisticRate0_ = computeTestGrid("logistic-input-dropout", 33, 0.0);
    logistic17_ = computeTestGrid("logistic-input-dropout", 17);
    singular_ = computeTestGrid("single-hidden-unit", 33);
    view_ = std::make_unique<VtkView>();
    view_->resize(640, 480);
    view_->show();
    QVERIFY(QTest::qWaitForWindowExposed(view_.get()));
}

void TestManifoldScene::colourMaps() {
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

void TestManifoldScene::pointsAndScalarsComeFromTheCore() {
    ManifoldScene scene(view_->renderer());
    scene.setGrid(logistic_);
    vtkPolyData* pd = scene.surface();
    const std::size_t n = logistic_.spec.vertices();
    QCOMPARE(pd->GetNumberOfPoints(), static_cast<vtkIdType>(n));
    QCOMPARE(pd->GetNumberOfPolys(), static_cast<vtkIdType>(32 * 32));
    for (std::size_t k = 0; k < n; ++k) {
        double p[3];
        pd->GetPoint(static_cast<vtkIdType>(k), p);
        QCOMPARE(p[0], logistic_.x[k]);
        QCOMPARE(p[1], logistic_.y[k]);
        QCOMPARE(p[2], logistic_.z[k]);
    }
    vtkDataArray* scalars = pd->GetPointData()->GetScalars();
    QVERIFY(scalars != nullptr);
    QVERIFY(pd->GetPointData()->GetNormals() != nullptr);

    std::vector<double> expected;
    fieldValues(logistic_, ScalarField::GaussianCurvature, 0.0, expected);
    for (std::size_t k = 0; k < n; ++k) QVERIFY(sameValue(scalars->GetTuple1(static_cast<vtkIdType>(k)), expected[k]));

    scene.setColouring(ScalarField::EmbeddingCurvature, 1.0, false, std::nullopt);
    fieldValues(logistic_, ScalarField::EmbeddingCurvature, 1.0, expected);
    for (std::size_t k = 0; k < n; ++k) QVERIFY(sameValue(scalars->GetTuple1(static_cast<vtkIdType>(k)), expected[k]));
    QCOMPARE(scene.values().size(), n);
    QCOMPARE(scene.field(), ScalarField::EmbeddingCurvature);
}

void TestManifoldScene::arraysAreReusedInPlace() {
    ManifoldScene scene(view_->renderer());
    scene.setGrid(logistic_);
    vtkPolyData* pd = scene.surface();
    vtkPoints* points = pd->GetPoints();
    vtkDataArray* coords = points->GetData();
    void* coordsData = coords->GetVoidPointer(0);
    vtkDataArray* scalars = pd->GetPointData()->GetScalars();
    void* scalarsData = scalars->GetVoidPointer(0);
    vtkDataArray* normals = pd->GetPointData()->GetNormals();
    vtkCellArray* polys = pd->GetPolys();
    const vtkMTimeType before = coords->GetMTime();

    const auto shared = std::make_shared<const GridResult>(logisticRate0_);
    scene.setGrid(shared);
    QCOMPARE(scene.grid(), shared.get());  // kept, not copied
    QCOMPARE(pd->GetPoints(), points);
    QCOMPARE(points->GetData(), coords);
    QCOMPARE(coords->GetVoidPointer(0), coordsData);
    QCOMPARE(pd->GetPointData()->GetScalars(), scalars);
    QCOMPARE(scalars->GetVoidPointer(0), scalarsData);
    QCOMPARE(pd->GetPointData()->GetNormals(), normals);
    QCOMPARE(pd->GetPolys(), polys);
    QVERIFY(coords->GetMTime() > before);
    double p[3];
    pd->GetPoint(100, p);
    QCOMPARE(p[0], logisticRate0_.x[100]);
    QCOMPARE(p[2], logisticRate0_.z[100]);
}

void TestManifoldScene::topologyIsRebuiltForANewResolution() {
    ManifoldScene scene(view_->renderer());
    scene.setGrid(logistic_);
    vtkPolyData* pd = scene.surface();
    vtkCellArray* polys = pd->GetPolys();
    scene.markVertex(5);

    scene.setGrid(logistic17_);
    QVERIFY(pd->GetPolys() != polys);
    QCOMPARE(pd->GetNumberOfPoints(), static_cast<vtkIdType>(17 * 17));
    QCOMPARE(pd->GetNumberOfPolys(), static_cast<vtkIdType>(16 * 16));
    QCOMPARE(pd->GetPointData()->GetScalars()->GetNumberOfTuples(), static_cast<vtkIdType>(17 * 17));
    for (std::size_t k = 0; k < logistic17_.spec.vertices(); k += 7) {
        double p[3];
        pd->GetPoint(static_cast<vtkIdType>(k), p);
        QCOMPARE(p[1], logistic17_.y[k]);
    }
    QVERIFY(!scene.markedVertex().has_value());  // the index meant another vertex
    // The last quad joins the last four vertices.
    vtkIdType count = 0;
    const vtkIdType* ids = nullptr;
    pd->GetPolys()->GetCellAtId(pd->GetNumberOfPolys() - 1, count, ids);
    QCOMPARE(count, vtkIdType{4});
    QCOMPARE(ids[2], vtkIdType{17 * 17 - 1});
}

void TestManifoldScene::invalidVerticesAreGrey() {
    QVERIFY2(singular_.invalidCount() > 0, "the single-hidden-unit grid should have singular vertices");
    ManifoldScene scene(view_->renderer());
    scene.setGrid(singular_);
    // A sequential field: viridis has no neutral colour, so grey means undefined.
    scene.setColouring(ScalarField::VolumeElement, 0.0, false, std::nullopt);
    vtkDataArray* scalars = scene.surface()->GetPointData()->GetScalars();
    std::vector<std::size_t> invalid;
    for (std::size_t k = 0; k < singular_.spec.vertices(); ++k)
        if (!singular_.valid[k]) {
            invalid.push_back(k);
            QVERIFY(std::isnan(scalars->GetTuple1(static_cast<vtkIdType>(k))));
        }
    const double* nan = scene.lookupTable()->GetNanColor();
    for (int c = 0; c < 3; ++c) QCOMPARE(nan[c], kUndefinedColour[static_cast<std::size_t>(c)]);

    // The colours the mapper draws with.
    vtkSmartPointer<vtkUnsignedCharArray> colours =
        vtk::TakeSmartPointer(scene.lookupTable()->MapScalars(scalars, VTK_COLOR_MODE_MAP_SCALARS, -1));
    const auto grey = static_cast<int>(std::lround(kUndefinedColour[0] * 255));
    for (std::size_t k = 0; k < singular_.spec.vertices(); ++k) {
        const unsigned char* c = colours->GetPointer(static_cast<vtkIdType>(4 * k));
        const bool neutral = std::abs(c[0] - grey) <= 1 && std::abs(c[1] - grey) <= 1 && std::abs(c[2] - grey) <= 1;
        QCOMPARE(neutral, !singular_.valid[k]);
    }

    // On screen: every singular vertex is the same point (all p = 1/2), where
    // the sheets meet; close up, grey surrounds it.
    const std::size_t k = invalid.front();
    scene.setDarkBackground(true);
    vtkCamera* camera = view_->renderer()->GetActiveCamera();
    double position[3], focal[3];
    camera->GetPosition(position);
    camera->GetFocalPoint(focal);
    const double target[3] = {singular_.x[k], singular_.y[k], singular_.z[k]};
    camera->SetFocalPoint(target);
    camera->SetPosition(target[0] + (position[0] - focal[0]) * 0.08, target[1] + (position[1] - focal[1]) * 0.08,
                        target[2] + (position[2] - focal[2]) * 0.08);
    view_->renderer()->ResetCameraClippingRange();
    const QImage image = render();
    save(image, "invalid_grey");
    // The grey fans narrow to the pinch, so count them over the view left of the colour bar.
    const QImage surfaceArea = image.copy(0, 0, image.width() * 3 / 4, image.height());
    const int greyPixels = countPixels(surfaceArea, [](QRgb c) { return isNeutral(c, 6) && qGray(c) > 50; });
    QVERIFY2(greyPixels > 1000, qPrintable(QStringLiteral("%1 grey pixels around the singular point").arg(greyPixels)));
}

void TestManifoldScene::signedFieldsAreCentred() {
    ManifoldScene scene(view_->renderer());
    scene.setGrid(logistic_);
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

void TestManifoldScene::lockedRangeIsHonoured() {
    ManifoldScene scene(view_->renderer());
    scene.setGrid(logistic_);
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

void TestManifoldScene::logScale() {
    ManifoldScene scene(view_->renderer());
    scene.setGrid(logistic_);
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
    save(render(), "log_volume");

    scene.setColouring(ScalarField::VolumeElement, 0.0, false, std::nullopt);
    QVERIFY(!scene.logScaleActive());
    QCOMPARE(scene.lookupTable()->GetScale(), VTK_SCALE_LINEAR);
}

void TestManifoldScene::symmetricLogScale() {
    ManifoldScene scene(view_->renderer());
    scene.setGrid(logistic_);
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
    save(render(), "gaussian_linear");
    const QImage linearImage = render();

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
    const QImage logImage = render();
    save(logImage, "gaussian_symlog");
    const auto saturated = [](QRgb p) {
        return std::max({qRed(p), qGreen(p), qBlue(p)}) - std::min({qRed(p), qGreen(p), qBlue(p)}) > 25;
    };
    const int surfaceWidth = linearImage.width() * 17 / 20;
    const int before = countPixels(linearImage.copy(0, 0, surfaceWidth, linearImage.height()), saturated);
    const int after = countPixels(logImage.copy(0, 0, surfaceWidth, logImage.height()), saturated);
    QVERIFY2(after > 4 * before, qPrintable(QStringLiteral("%1 coloured pixels, %2 linear").arg(after).arg(before)));
    save(view_->capture(QSize(1400, 880)), "gaussian_symlog_large");

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

void TestManifoldScene::symmetricLogKeepsUndefinedGrey() {
    ManifoldScene scene(view_->renderer());
    scene.setGrid(singular_);
    scene.setColouring(ScalarField::GaussianCurvature, 0.0, true, std::nullopt);
    QCOMPARE(scene.colourScale().kind, ColourScaleKind::SymmetricLog);
    vtkDataArray* coordinates = scene.surface()->GetPointData()->GetArray("colour coordinates");
    vtkSmartPointer<vtkUnsignedCharArray> colours =
        vtk::TakeSmartPointer(scene.lookupTable()->MapScalars(coordinates, VTK_COLOR_MODE_MAP_SCALARS, -1));
    const auto grey = static_cast<int>(std::lround(kUndefinedColour[0] * 255));
    int undefined = 0;
    for (std::size_t k = 0; k < singular_.spec.vertices(); ++k) {
        const unsigned char* c = colours->GetPointer(static_cast<vtkIdType>(4 * k));
        const bool neutral = std::abs(c[0] - grey) <= 1 && std::abs(c[1] - grey) <= 1 && std::abs(c[2] - grey) <= 1;
        const bool defined = std::isfinite(scene.values()[k]);
        QCOMPARE(neutral, !defined);
        undefined += defined ? 0 : 1;
    }
    QVERIFY(undefined > 0);
    QVERIFY(QString::fromStdString(scene.scalarBarTitle()).contains(QStringLiteral("grey: undefined")));
    scene.resetCamera();
    save(render(), "singular_symlog");
}

void TestManifoldScene::symmetricLogWithALockedRange() {
    ManifoldScene scene(view_->renderer());
    scene.setGrid(logistic_);
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
    scene.setGrid(logisticRate0_);
    QCOMPARE(scene.colourScale().threshold, symlogThresholdForRange(locked));
    QCOMPARE(lutColour(lut, scene.colourScale().coordinate(1.0)), before);
}

void TestManifoldScene::scalarBarIsTitled() {
    ManifoldScene scene(view_->renderer());
    scene.setGrid(logistic_);
    scene.setColouring(ScalarField::PenaltyExact, 0.0, false, std::nullopt);
    const QString title = QString::fromStdString(scene.scalarBarTitle());
    QVERIFY(title.contains(QString::fromUtf8(fieldInfo(ScalarField::PenaltyExact).name)));
    QVERIFY(title.contains(QString::fromUtf8(fieldInfo(ScalarField::PenaltyExact).units)));
    QVERIFY(scene.scalarBar()->GetVisibility());
    QCOMPARE(scene.scalarBar()->GetLookupTable(), scene.lookupTable());
}

void TestManifoldScene::differentRateChangesTheImage() {
    ManifoldScene scene(view_->renderer());
    scene.setGrid(logistic_);
    scene.resetCamera();
    const QImage withDropout = render();
    scene.setGrid(logisticRate0_);  // the camera stays
    const QImage withoutDropout = render();
    save(withDropout, "rate_default");
    save(withoutDropout, "rate_0");
    const int changed = differingPixels(withDropout, withoutDropout);
    QVERIFY2(changed > withDropout.width() * withDropout.height() / 50,
             qPrintable(QStringLiteral("%1 pixels changed").arg(changed)));
}

void TestManifoldScene::pickingTheCentre() {
    ManifoldScene scene(view_->renderer());
    scene.setGrid(logistic_);
    scene.resetCamera();
    (void)render();
    const QPointF centre = view_->toDisplay(QPointF(view_->width() / 2.0, view_->height() / 2.0));
    const std::optional<std::size_t> k = scene.pickVertex(centre.x(), centre.y());
    QVERIFY2(k.has_value(), "nothing picked at the centre of the view");
    QVERIFY(*k < logistic_.spec.vertices());
    const auto d = toDisplay(view_->renderer(), logistic_.x[*k], logistic_.y[*k], logistic_.z[*k]);
    const double off = std::hypot(d[0] - centre.x(), d[1] - centre.y());
    QVERIFY2(off < 25.0, qPrintable(QStringLiteral("picked vertex projects %1 px from the centre").arg(off)));

    // Nothing but background in a corner.
    QVERIFY(!scene.pickVertex(2.0, 2.0).has_value());
    scene.markVertex(k);
    QCOMPARE(scene.markedVertex(), k);
    double pos[3];
    scene.markerActor()->GetPosition(pos);
    QCOMPARE(pos[0], logistic_.x[*k]);
    QVERIFY(scene.markerActor()->GetVisibility());
    scene.markVertex(std::nullopt);
    QVERIFY(!scene.markerActor()->GetVisibility());
}

void TestManifoldScene::overlaysDraw() {
    ManifoldScene scene(view_->renderer());
    scene.setGrid(logistic_);
    scene.resetCamera();
    const QImage plain = render();

    scene.setIsoLines(true);
    const QImage iso = render();
    QVERIFY(scene.isoLinesActor()->GetVisibility());
    QVERIFY(differingPixels(plain, iso) > 500);
    scene.setIsoLines(false);

    scene.setReferenceGrid(&logisticRate0_);
    const QImage reference = render();
    QVERIFY(differingPixels(plain, reference) > 500);
    QCOMPARE(scene.referenceActor()->GetMapper()->GetInput()->GetNumberOfCells(), vtkIdType{2 * 33});
    // A fine reference grid is thinned to about 33 lines per direction.
    GridResult fine;
    fine.spec = GridSpec{257, 0.0, 1.0, 0.0, 1.0};
    for (int j = 0; j < 257; ++j)
        for (int i = 0; i < 257; ++i) {
            fine.x.push_back(fine.spec.u(i));
            fine.y.push_back(fine.spec.v(j));
            fine.z.push_back(0.0);
        }
    scene.setReferenceGrid(&fine);
    QCOMPARE(scene.referenceActor()->GetMapper()->GetInput()->GetNumberOfCells(), vtkIdType{2 * 33});
    QCOMPARE(scene.referenceActor()->GetMapper()->GetInput()->GetNumberOfPoints(), vtkIdType{257 * 257});
    scene.setReferenceGrid(nullptr);
    QVERIFY(!scene.referenceActor()->GetVisibility());

    scene.setAxes(true, {"phi_1", "phi_2", "phi_3"});
    const QImage axes = render();
    QVERIFY(differingPixels(plain, axes) > 500);
    scene.setAxes(false, {"phi_1", "phi_2", "phi_3"});

    scene.markVertex(logistic_.spec.vertices() / 2);
    const QImage marked = render();
    const auto magenta = [](QRgb c) { return qRed(c) > 150 && qBlue(c) > 130 && qGreen(c) < 90; };
    QVERIFY(countPixels(marked, magenta) > 20);
    QCOMPARE(countPixels(plain, magenta), 0);

    scene.setDarkBackground(true);
    const QImage dark = render();
    const QRgb corner = dark.pixel(2, 2);
    QVERIFY(qRed(corner) < 80 && qGreen(corner) < 80 && qBlue(corner) < 80);
    QVERIFY(qGray(plain.pixel(2, 2)) > 170);
}

void TestManifoldScene::galleryForReview() {
    ManifoldScene scene(view_->renderer());
    const std::array<std::string, 3> titles{"phi_1 = 2 asin sqrt(p_1)", "phi_2 = 2 asin sqrt(p_2)",
                                            "phi_3 = 2 asin sqrt(p_3)"};
    scene.setGrid(logistic_);
    scene.setReferenceGrid(&logisticRate0_);
    scene.setIsoLines(true);
    scene.setAxes(true, titles);
    scene.markVertex(logistic_.spec.vertices() / 3);
    save(render(), "gallery_light");
    save(view_->capture(QSize(1600, 1200)), "gallery_light_large");
    scene.setDarkBackground(true);
    scene.setColouring(ScalarField::EmbeddingCurvature, 1.0, true, std::nullopt);
    save(render(), "gallery_dark");

    scene.setDarkBackground(false);
    scene.setReferenceGrid(nullptr);
    scene.setIsoLines(false);
    scene.setAxes(false, titles);
    scene.markVertex(std::nullopt);
    scene.setGrid(singular_);
    scene.setColouring(ScalarField::GaussianCurvature, 0.0, false, std::nullopt);
    scene.resetCamera();
    save(render(), "gallery_singular");

    scene.setGrid(logistic_);
    scene.setColouring(ScalarField::GaussianCurvature, 0.0, true, std::nullopt);
    scene.resetCamera();
    save(render(), "gallery_symlog");
    scene.setDarkBackground(true);
    save(view_->capture(QSize(1600, 1200)), "gallery_symlog_dark_large");
}

QTEST_MAIN(TestManifoldScene)
#include "test_manifold_scene.moc"
