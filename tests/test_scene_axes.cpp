// The scene's axes: VTK's tick spacing, text that follows the presentation
// scale, and text left out where it cannot be read (an axis seen end-on,
// labels crowded on a short axis). Renders under Xvfb.

#include "manifold_scene.h"
#include "scene_axes.h"
#include "scene_test_fixture.h"
#include "vtk_view.h"

#include <QtTest/QtTest>

#include <vtkCamera.h>
#include <vtkCubeAxesActor.h>
#include <vtkPolyData.h>
#include <vtkRenderer.h>

#include <array>
#include <limits>
#include <string>

using namespace manifoldlens;
using namespace manifoldlens::test;

namespace {

const std::array<std::string, 3> kTitles{"phi_1", "phi_2", "phi_3"};

/// Whether each axis's labels and title are drawn (vtkCubeAxesActor draws
/// the title only with the labels).
std::array<bool, 3> textShown(ManifoldScene& scene) {
    vtkCubeAxesActor* a = scene.axesActor();
    return {a->GetXAxisLabelVisibility() != 0, a->GetYAxisLabelVisibility() != 0, a->GetZAxisLabelVisibility() != 0};
}

/// Points the camera at the surface's centre along the given direction.
void lookAlong(ManifoldScene& scene, vtkRenderer* renderer, std::array<double, 3> dir, std::array<double, 3> up) {
    double b[6];
    scene.surface()->GetBounds(b);
    const double c[3] = {(b[0] + b[1]) / 2, (b[2] + b[3]) / 2, (b[4] + b[5]) / 2};
    vtkCamera* camera = renderer->GetActiveCamera();
    camera->SetFocalPoint(c);
    camera->SetPosition(c[0] - dir[0], c[1] - dir[1], c[2] - dir[2]);
    camera->SetViewUp(up.data());
    scene.fitCamera();
}

}  // namespace

class TestSceneAxes : public QObject {
    Q_OBJECT

public:
    static void initMain() { QSurfaceFormat::setDefaultFormat(VtkView::defaultFormat()); }

private slots:
    void initTestCase() { QVERIFY(f_.setUp()); }

    // vtkCubeAxesActor's steps: a power of ten, halved below five of them
    // and divided by five at two or fewer.
    void tickCountsFollowVtkSteps() {
        QCOMPARE(axisTickCount(1.6), 9);    // step 0.2: 0, 0.2, ..., 1.6
        QCOMPARE(axisTickCount(1.0), 6);    // step 0.2
        QCOMPARE(axisTickCount(3.0), 7);    // step 0.5
        QCOMPARE(axisTickCount(7.0), 8);    // step 1
        QCOMPARE(axisTickCount(0.05), 6);   // step 0.01
        QCOMPARE(axisTickCount(250.0), 13);  // step 20
        QCOMPARE(axisTickCount(0.0), 1);
        QCOMPARE(axisTickCount(std::numeric_limits<double>::quiet_NaN()), 1);
    }

    // Seen along y, the y axis's text would be squeezed to nothing: it is
    // left out, the other two axes keep theirs; an oblique view shows all.
    // The images are in /tmp/manifoldlens_scene_axes_*.png.
    void anEndOnAxisLosesItsText() {
        ManifoldScene scene(f_.view->renderer());
        scene.setGrid(f_.logistic);
        scene.setAxes(true, kTitles);
        lookAlong(scene, f_.view->renderer(), {0.15, 1.0, -0.2}, {0.0, 0.0, 1.0});
        const QImage endOn = f_.render();
        save(endOn, "axes_end_on");
        QCOMPARE(textShown(scene), (std::array<bool, 3>{true, false, true}));

        lookAlong(scene, f_.view->renderer(), {-0.75, 1.3, -0.85}, {0.0, 0.0, 1.0});
        save(f_.render(), "axes_oblique");
        QCOMPARE(textShown(scene), (std::array<bool, 3>{true, true, true}));
    }

    // Text three times as large needs three times the room between labels:
    // on a 640 x 480 view there is none, and the axes keep lines and ticks.
    void crowdedLabelsAreLeftOut() {
        ManifoldScene scene(f_.view->renderer());
        scene.setGrid(f_.logistic);
        scene.setAxes(true, kTitles);
        lookAlong(scene, f_.view->renderer(), {-0.75, 1.3, -0.85}, {0.0, 0.0, 1.0});
        f_.render();
        QCOMPARE(textShown(scene), (std::array<bool, 3>{true, true, true}));
        scene.setAxesTextScale(3.0);
        save(f_.render(), "axes_crowded");
        QCOMPARE(textShown(scene), (std::array<bool, 3>{false, false, false}));
        scene.setAxesTextScale(1.0);
        f_.render();
        QCOMPARE(textShown(scene), (std::array<bool, 3>{true, true, true}));
    }

    // Presentation mode's larger text reaches the axes' titles and labels:
    // the axes' dark pixels (with axes less without) grow by a quarter or more
    // at 1.5 times the size, with every label still there.
    void textScaleReachesTitlesAndLabels() {
        ManifoldScene scene(f_.view->renderer());
        scene.setGrid(f_.logistic);
        lookAlong(scene, f_.view->renderer(), {-0.75, 1.3, -0.85}, {0.0, 0.0, 1.0});
        const QSize size(1280, 960);
        const auto ink = [&](double scale) {
            const auto dark = [](QRgb c) { return qGray(c) < 110; };
            scene.setAxes(false, kTitles);
            const int without = countPixels(f_.view->capture(size), dark);
            scene.setAxes(true, kTitles);
            scene.setAxesTextScale(scale);
            const QImage image = f_.view->capture(size);
            save(image, scale == 1.0 ? "axes_text_normal" : "axes_text_large");
            return countPixels(image, dark) - without;
        };
        const int normal = ink(1.0);
        const int large = ink(1.5);
        QCOMPARE(textShown(scene), (std::array<bool, 3>{true, true, true}));
        qInfo("dark pixels of the axes: %d at text scale 1, %d at 1.5", normal, large);
        QVERIFY(normal > 1000);
        QVERIFY(large > normal * 5 / 4);
        QCOMPARE(ink(1.0), normal);
    }

    // Without a grid there is nothing to frame: the axes stay hidden.
    void noAxesWithoutASurface() {
        ManifoldScene scene(f_.view->renderer());
        scene.setAxes(true, kTitles);
        QVERIFY(!scene.axesActor()->GetVisibility());
        scene.setGrid(f_.logistic);
        QVERIFY(scene.axesActor()->GetVisibility());
        scene.setAxes(false, kTitles);
        QVERIFY(!scene.axesActor()->GetVisibility());
    }

private:
    SceneFixture f_;
};

QTEST_MAIN(TestSceneAxes)
#include "test_scene_axes.moc"
