// The scene: the surface is the core's grid, its colours the core's field
// values, arrays are updated in place, undefined vertices are grey, overlays
// draw, picking finds the vertex under the cursor (the colour maps, ranges and
// scales are in test_scene_colouring.cpp). Renders under Xvfb.

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


class TestManifoldScene : public QObject {
    Q_OBJECT

public:
    static void initMain() { QSurfaceFormat::setDefaultFormat(VtkView::defaultFormat()); }

private slots:
    void initTestCase();
    void pointsAndScalarsComeFromTheCore();
    void arraysAreReusedInPlace();
    void topologyIsRebuiltForANewResolution();
    void invalidVerticesAreGrey();
    void differentRateChangesTheImage();
    void pickingTheCentre();
    void overlaysDraw();
    void fitCameraKeepsTheDirection();
    void galleryForReview();

private:
    test::SceneFixture f_;
};

void TestManifoldScene::initTestCase() { QVERIFY(f_.setUp()); }

void TestManifoldScene::pointsAndScalarsComeFromTheCore() {
    ManifoldScene scene(f_.view->renderer());
    scene.setGrid(f_.logistic);
    vtkPolyData* pd = scene.surface();
    const std::size_t n = f_.logistic.spec.vertices();
    QCOMPARE(pd->GetNumberOfPoints(), static_cast<vtkIdType>(n));
    QCOMPARE(pd->GetNumberOfPolys(), static_cast<vtkIdType>(32 * 32));
    for (std::size_t k = 0; k < n; ++k) {
        double p[3];
        pd->GetPoint(static_cast<vtkIdType>(k), p);
        QCOMPARE(p[0], f_.logistic.x[k]);
        QCOMPARE(p[1], f_.logistic.y[k]);
        QCOMPARE(p[2], f_.logistic.z[k]);
    }
    vtkDataArray* scalars = pd->GetPointData()->GetScalars();
    QVERIFY(scalars != nullptr);
    QVERIFY(pd->GetPointData()->GetNormals() != nullptr);

    std::vector<double> expected;
    fieldValues(f_.logistic, ScalarField::GaussianCurvature, 0.0, expected);
    for (std::size_t k = 0; k < n; ++k) QVERIFY(sameValue(scalars->GetTuple1(static_cast<vtkIdType>(k)), expected[k]));

    scene.setColouring(ScalarField::EmbeddingCurvature, 1.0, false, std::nullopt);
    fieldValues(f_.logistic, ScalarField::EmbeddingCurvature, 1.0, expected);
    for (std::size_t k = 0; k < n; ++k) QVERIFY(sameValue(scalars->GetTuple1(static_cast<vtkIdType>(k)), expected[k]));
    QCOMPARE(scene.values().size(), n);
    QCOMPARE(scene.field(), ScalarField::EmbeddingCurvature);
}

void TestManifoldScene::arraysAreReusedInPlace() {
    ManifoldScene scene(f_.view->renderer());
    scene.setGrid(f_.logistic);
    vtkPolyData* pd = scene.surface();
    vtkPoints* points = pd->GetPoints();
    vtkDataArray* coords = points->GetData();
    void* coordsData = coords->GetVoidPointer(0);
    vtkDataArray* scalars = pd->GetPointData()->GetScalars();
    void* scalarsData = scalars->GetVoidPointer(0);
    vtkDataArray* normals = pd->GetPointData()->GetNormals();
    vtkCellArray* polys = pd->GetPolys();
    const vtkMTimeType before = coords->GetMTime();

    const auto shared = std::make_shared<const GridResult>(f_.logisticRate0);
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
    QCOMPARE(p[0], f_.logisticRate0.x[100]);
    QCOMPARE(p[2], f_.logisticRate0.z[100]);
}

void TestManifoldScene::topologyIsRebuiltForANewResolution() {
    ManifoldScene scene(f_.view->renderer());
    scene.setGrid(f_.logistic);
    vtkPolyData* pd = scene.surface();
    vtkCellArray* polys = pd->GetPolys();
    scene.markVertex(5);

    scene.setGrid(f_.logistic17);
    QVERIFY(pd->GetPolys() != polys);
    QCOMPARE(pd->GetNumberOfPoints(), static_cast<vtkIdType>(17 * 17));
    QCOMPARE(pd->GetNumberOfPolys(), static_cast<vtkIdType>(16 * 16));
    QCOMPARE(pd->GetPointData()->GetScalars()->GetNumberOfTuples(), static_cast<vtkIdType>(17 * 17));
    for (std::size_t k = 0; k < f_.logistic17.spec.vertices(); k += 7) {
        double p[3];
        pd->GetPoint(static_cast<vtkIdType>(k), p);
        QCOMPARE(p[1], f_.logistic17.y[k]);
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
    QVERIFY2(f_.singular.invalidCount() > 0, "the single-hidden-unit grid should have singular vertices");
    ManifoldScene scene(f_.view->renderer());
    scene.setGrid(f_.singular);
    // A sequential field: viridis has no neutral colour, so grey means undefined.
    scene.setColouring(ScalarField::VolumeElement, 0.0, false, std::nullopt);
    vtkDataArray* scalars = scene.surface()->GetPointData()->GetScalars();
    std::vector<std::size_t> invalid;
    for (std::size_t k = 0; k < f_.singular.spec.vertices(); ++k)
        if (!f_.singular.valid[k]) {
            invalid.push_back(k);
            QVERIFY(std::isnan(scalars->GetTuple1(static_cast<vtkIdType>(k))));
        }
    const double* nan = scene.lookupTable()->GetNanColor();
    for (int c = 0; c < 3; ++c) QCOMPARE(nan[c], kUndefinedColour[static_cast<std::size_t>(c)]);

    // The colours the mapper draws with.
    vtkSmartPointer<vtkUnsignedCharArray> colours =
        vtk::TakeSmartPointer(scene.lookupTable()->MapScalars(scalars, VTK_COLOR_MODE_MAP_SCALARS, -1));
    const auto grey = static_cast<int>(std::lround(kUndefinedColour[0] * 255));
    for (std::size_t k = 0; k < f_.singular.spec.vertices(); ++k) {
        const unsigned char* c = colours->GetPointer(static_cast<vtkIdType>(4 * k));
        const bool neutral = std::abs(c[0] - grey) <= 1 && std::abs(c[1] - grey) <= 1 && std::abs(c[2] - grey) <= 1;
        QCOMPARE(neutral, !f_.singular.valid[k]);
    }

    // On screen: every singular vertex is the same point (all p = 1/2), where
    // the sheets meet; close up, grey surrounds it.
    const std::size_t k = invalid.front();
    scene.setDarkBackground(true);
    vtkCamera* camera = f_.view->renderer()->GetActiveCamera();
    double position[3], focal[3];
    camera->GetPosition(position);
    camera->GetFocalPoint(focal);
    const double target[3] = {f_.singular.x[k], f_.singular.y[k], f_.singular.z[k]};
    camera->SetFocalPoint(target);
    camera->SetPosition(target[0] + (position[0] - focal[0]) * 0.08, target[1] + (position[1] - focal[1]) * 0.08,
                        target[2] + (position[2] - focal[2]) * 0.08);
    f_.view->renderer()->ResetCameraClippingRange();
    const QImage image = f_.render();
    save(image, "invalid_grey");
    // The grey fans narrow to the pinch, so count them over the view left of the colour bar.
    const QImage surfaceArea = image.copy(0, 0, image.width() * 3 / 4, image.height());
    const int greyPixels = countPixels(surfaceArea, [](QRgb c) { return isNeutral(c, 6) && qGray(c) > 50; });
    QVERIFY2(greyPixels > 1000, qPrintable(QStringLiteral("%1 grey pixels around the singular point").arg(greyPixels)));
}

void TestManifoldScene::differentRateChangesTheImage() {
    ManifoldScene scene(f_.view->renderer());
    scene.setGrid(f_.logistic);
    scene.resetCamera();
    const QImage withDropout = f_.render();
    scene.setGrid(f_.logisticRate0);  // the camera stays
    const QImage withoutDropout = f_.render();
    save(withDropout, "rate_default");
    save(withoutDropout, "rate_0");
    const int changed = differingPixels(withDropout, withoutDropout);
    QVERIFY2(changed > withDropout.width() * withDropout.height() / 50,
             qPrintable(QStringLiteral("%1 pixels changed").arg(changed)));
}

void TestManifoldScene::pickingTheCentre() {
    ManifoldScene scene(f_.view->renderer());
    scene.setGrid(f_.logistic);
    scene.resetCamera();
    (void)f_.render();
    const QPointF centre = f_.view->toDisplay(QPointF(f_.view->width() / 2.0, f_.view->height() / 2.0));
    const std::optional<std::size_t> k = scene.pickVertex(centre.x(), centre.y());
    QVERIFY2(k.has_value(), "nothing picked at the centre of the view");
    QVERIFY(*k < f_.logistic.spec.vertices());
    const auto d = toDisplay(f_.view->renderer(), f_.logistic.x[*k], f_.logistic.y[*k], f_.logistic.z[*k]);
    const double off = std::hypot(d[0] - centre.x(), d[1] - centre.y());
    QVERIFY2(off < 25.0, qPrintable(QStringLiteral("picked vertex projects %1 px from the centre").arg(off)));

    // Nothing but background in a corner.
    QVERIFY(!scene.pickVertex(2.0, 2.0).has_value());
    scene.markVertex(k);
    QCOMPARE(scene.markedVertex(), k);
    double pos[3];
    scene.markerActor()->GetPosition(pos);
    QCOMPARE(pos[0], f_.logistic.x[*k]);
    QVERIFY(scene.markerActor()->GetVisibility());
    scene.markVertex(std::nullopt);
    QVERIFY(!scene.markerActor()->GetVisibility());
}

void TestManifoldScene::overlaysDraw() {
    ManifoldScene scene(f_.view->renderer());
    scene.setGrid(f_.logistic);
    scene.resetCamera();
    const QImage plain = f_.render();

    scene.setIsoLines(true);
    const QImage iso = f_.render();
    QVERIFY(scene.isoLinesActor()->GetVisibility());
    QVERIFY(differingPixels(plain, iso) > 500);
    scene.setIsoLines(false);

    scene.setReferenceGrid(&f_.logisticRate0);
    const QImage reference = f_.render();
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
    const QImage axes = f_.render();
    QVERIFY(differingPixels(plain, axes) > 500);
    scene.setAxes(false, {"phi_1", "phi_2", "phi_3"});

    scene.markVertex(f_.logistic.spec.vertices() / 2);
    const QImage marked = f_.render();
    const auto magenta = [](QRgb c) { return qRed(c) > 150 && qBlue(c) > 130 && qGreen(c) < 90; };
    QVERIFY(countPixels(marked, magenta) > 20);
    QCOMPARE(countPixels(plain, magenta), 0);

    scene.setDarkBackground(true);
    const QImage dark = f_.render();
    const QRgb corner = dark.pixel(2, 2);
    QVERIFY(qRed(corner) < 80 && qGreen(corner) < 80 && qBlue(corner) < 80);
    QVERIFY(qGray(plain.pixel(2, 2)) > 170);
}

// New ranges change the surface's extent: fitCamera() frames all of it
// again without turning the view.
void TestManifoldScene::fitCameraKeepsTheDirection() {
    ManifoldScene scene(f_.view->renderer());
    scene.setGrid(f_.logistic);
    scene.resetCamera();
    vtkCamera* camera = f_.view->renderer()->GetActiveCamera();
    camera->Azimuth(40.0);
    camera->Dolly(3.0);  // close up: part of the surface out of view
    std::array<double, 3> before{};
    camera->GetDirectionOfProjection(before.data());

    const Preset p = loadPreset("logistic-input-dropout");
    ComputeSettings s = defaultSettings(p);
    s.resolution = 33;
    s.uLo = s.vLo = -1.0;
    s.uHi = s.vHi = 9.0;
    scene.setGrid(*computeGrid(p, s));
    scene.fitCamera();
    f_.render();
    std::array<double, 3> after{};
    camera->GetDirectionOfProjection(after.data());
    for (int k = 0; k < 3; ++k) QVERIFY(std::abs(after[k] - before[k]) < 1e-12);
    double b[6];
    scene.surface()->GetBounds(b);
    const int* size = f_.view->renderer()->GetSize();
    for (int corner = 0; corner < 8; ++corner) {
        const auto d = toDisplay(f_.view->renderer(), b[corner & 1], b[2 + ((corner >> 1) & 1)], b[4 + (corner >> 2)]);
        QVERIFY2(d[0] > 0 && d[0] < size[0] && d[1] > 0 && d[1] < size[1], qPrintable(QString::number(corner)));
    }
}

void TestManifoldScene::galleryForReview() {
    ManifoldScene scene(f_.view->renderer());
    const std::array<std::string, 3> titles{"phi_1 = 2 asin sqrt(p_1)", "phi_2 = 2 asin sqrt(p_2)",
                                            "phi_3 = 2 asin sqrt(p_3)"};
    scene.setGrid(f_.logistic);
    scene.setReferenceGrid(&f_.logisticRate0);
    scene.setIsoLines(true);
    scene.setAxes(true, titles);
    scene.markVertex(f_.logistic.spec.vertices() / 3);
    save(f_.render(), "gallery_light");
    save(f_.view->capture(QSize(1600, 1200)), "gallery_light_large");
    scene.setDarkBackground(true);
    scene.setColouring(ScalarField::EmbeddingCurvature, 1.0, true, std::nullopt);
    save(f_.render(), "gallery_dark");

    scene.setDarkBackground(false);
    scene.setReferenceGrid(nullptr);
    scene.setIsoLines(false);
    scene.setAxes(false, titles);
    scene.markVertex(std::nullopt);
    scene.setGrid(f_.singular);
    scene.setColouring(ScalarField::GaussianCurvature, 0.0, false, std::nullopt);
    scene.resetCamera();
    save(f_.render(), "gallery_singular");

    scene.setGrid(f_.logistic);
    scene.setColouring(ScalarField::GaussianCurvature, 0.0, true, std::nullopt);
    scene.resetCamera();
    save(f_.render(), "gallery_symlog");
    scene.setDarkBackground(true);
    save(f_.view->capture(QSize(1600, 1200)), "gallery_symlog_dark_large");
}

QTEST_MAIN(TestManifoldScene)
#include "test_manifold_scene.moc"
