// The desktop window end to end under Xvfb: rendering, the dropout slider and
// the worker, probing, preset errors and persisted settings.

#include "app_settings.h"
#include "builtin_presets.h"
#include "colour_dock.h"
#include "compute_worker.h"
#include "dropout_dock.h"
#include "fields.h"
#include "main_window.h"
#include "manifold_scene.h"
#include "probe_dock.h"
#include "simd_grid.h"
#include "vertex.h"
#include "test_support.h"
#include "vtk_view.h"

#include <QApplication>
#include <QDockWidget>
#include <QLabel>
#include <QRegularExpression>
#include <QSpinBox>
#include <QStatusBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QSurfaceFormat>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest/QtTest>

#include <vtkActor.h>
#include <vtkCamera.h>
#include <vtkPoints.h>
#include <vtkPolyData.h>
#include <vtkRenderer.h>

#include <array>
#include <cmath>
#include <cstring>
#include <set>

using namespace manifoldlens;

namespace {

// Waits until the window shows the final grid of the latest request.
bool waitForFinalFrame(MainWindow& w, int timeoutMs = 60000) {
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < timeoutMs) {
        const auto grid = w.displayedGrid();
        if (grid && w.displayedGridIsFinal() && !w.worker()->busy()) {
            QTest::qWait(50);  // let the frame render
            return true;
        }
        QTest::qWait(10);
    }
    return false;
}

int distinctColours(const QImage& image) {
    std::set<QRgb> colours;
    for (int y = 0; y < image.height(); y += 3)
        for (int x = 0; x < image.width(); x += 3) colours.insert(image.pixel(x, y));
    return static_cast<int>(colours.size());
}

double pixelDifference(const QImage& a, const QImage& b) {
    long changed = 0, total = 0;
    for (int y = 0; y < std::min(a.height(), b.height()); y += 2)
        for (int x = 0; x < std::min(a.width(), b.width()); x += 2, ++total) changed += a.pixel(x, y) != b.pixel(x, y);
    return total ? static_cast<double>(changed) / static_cast<double>(total) : 0.0;
}

QString statusText(MainWindow& w) {
    QStringList texts;
    for (const QLabel* label : w.statusBar()->findChildren<QLabel*>()) texts << label->text();
    return texts.join(QStringLiteral(" | "));
}

ViewState initialState(int resolution) {
    ViewState s;
    s.presetSource = kDefaultPresetName;
    s.compute.rate = 0.5;
    s.compute.resolution = resolution;
    return s;
}

}  // namespace

class TestMainWindow : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    std::shared_ptr<AppSettings> settings() { return std::make_shared<AppSettings>(dir_.filePath(QStringLiteral("settings.ini"))); }

private slots:
    void rendersTheSurfaceAndARateChangeChangesIt() {
        MainWindow w(initialState(65), settings());
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(waitForFinalFrame(w));
        const QImage before = w.view()->grabFramebuffer();
        before.save(QStringLiteral("/tmp/manifold-lens-window-before.png"));
        QVERIFY2(distinctColours(before) > 50, "the view looks blank");
        w.dropoutDock()->setRate(0.9);
        QVERIFY(waitForFinalFrame(w));
        const QImage after = w.view()->grabFramebuffer();
        after.save(QStringLiteral("/tmp/manifold-lens-window-after.png"));
        QVERIFY2(pixelDifference(before, after) > 0.02, "a rate change left the picture unchanged");
    }

    void rapidRateChangesEndInTheLastState() {
        MainWindow w(initialState(129), settings());
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(waitForFinalFrame(w));
        QSignalSpy shown(&w, &MainWindow::finalFrameShown);
        for (int k = 1; k <= 200; ++k) {
            w.dropoutDock()->setRate(0.9 * k / 200.0);
            if (k % 10 == 0) QCoreApplication::processEvents();
        }
        const double finalRate = w.dropoutDock()->rate();
        QCOMPARE(finalRate, 0.9);
        QVERIFY(waitForFinalFrame(w));
        QTest::qWait(300);  // nothing older may arrive afterwards
        QVERIFY(!shown.isEmpty());
        QCOMPARE(shown.last().at(0).toULongLong(), w.worker()->latestGeneration());
        for (const QList<QVariant>& args : shown) QVERIFY(args.at(0).toULongLong() <= w.worker()->latestGeneration());

        const Preset p = loadPreset(kDefaultPresetName);
        ComputeSettings s = defaultSettings(p);
        s.rate = finalRate;
        s.resolution = 129;
        const GridResult expected = *computeGrid(p, s);
        const auto shownGrid = w.displayedGrid();
        QCOMPARE(shownGrid->spec.resolution, 129);
        std::vector<double> values;
        fieldValues(expected, ScalarField::GaussianCurvature, s.alpha, values);
        const std::vector<double>& drawn = w.scene().values();
        vtkPoints* points = w.scene().surface()->GetPoints();
        QCOMPARE(static_cast<std::size_t>(points->GetNumberOfPoints()), expected.spec.vertices());
        for (std::size_t i = 0; i < expected.spec.vertices(); i += 7) {
            double xyz[3];
            points->GetPoint(static_cast<vtkIdType>(i), xyz);
            QCOMPARE(xyz[0], expected.x[i]);
            QCOMPARE(xyz[2], expected.z[i]);
            QVERIFY(drawn[i] == values[i] || (std::isnan(drawn[i]) && std::isnan(values[i])));
        }
    }

    // The status bar says how the grid on screen was computed; choosing
    // another kernel or thread count computes it anew.
    void statusBarNamesTheKernelAndComputeTime() {
        MainWindow w(initialState(65), settings());
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(waitForFinalFrame(w));
        const QRegularExpression simd(QStringLiteral("compute \\d+\\.\\d ms \\(%1, %2 threads?\\)")
                                          .arg(QString::fromStdString(simdTargetName()))
                                          .arg(computeThreads(ComputeControl{})));
        QTRY_VERIFY2(statusText(w).contains(simd), qPrintable(statusText(w)));
        const auto simdGrid = w.displayedGrid();

        w.setComputeKernel(ComputeControl::Kernel::Scalar, 1);
        QTRY_VERIFY_WITH_TIMEOUT(w.displayedGrid() != simdGrid, 10000);
        QVERIFY(waitForFinalFrame(w));
        QTRY_VERIFY2(statusText(w).contains(QRegularExpression(QStringLiteral("compute \\d+\\.\\d ms \\(scalar, 1 thread\\)"))),
                     qPrintable(statusText(w)));
        ComputeSettings s = defaultSettings(w.preset());
        s.rate = 0.5;
        s.resolution = 65;
        ComputeControl scalar;
        scalar.kernel = ComputeControl::Kernel::Scalar;
        const GridResult expected = *computeGrid(w.preset(), s, scalar);
        QVERIFY(std::memcmp(w.displayedGrid()->gaussian.data(), expected.gaussian.data(),
                            expected.gaussian.size() * sizeof(double)) == 0);
    }

    // --screenshot grabs the window when the final frame is shown (a queued
    // connection): by then the status bar holds the frame's texts, laid out
    // at their full width.
    void theFinalFrameSignalFindsTheStatusLaidOut() {
        MainWindow w(initialState(33), settings());
        w.resize(1400, 880);
        w.show();
        QStringList squeezed;
        bool seen = false;
        connect(&w, &MainWindow::finalFrameShown, &w, [&] {
            for (const QLabel* l : w.statusBar()->findChildren<QLabel*>())
                if (!l->text().isEmpty() && l->width() < l->sizeHint().width())
                    squeezed << QStringLiteral("'%1' (%2 < %3 px)").arg(l->text()).arg(l->width()).arg(l->sizeHint().width());
            seen = true;
        }, Qt::QueuedConnection);
        QTRY_VERIFY_WITH_TIMEOUT(seen, 60000);
        QVERIFY2(squeezed.isEmpty(), qPrintable(squeezed.join(QStringLiteral(", "))));
        QVERIFY(statusText(w).contains(QStringLiteral("33 x 33")));
    }

    // Settings the core rejects cancel the computation in progress, whose
    // grid would no longer match them, and the status bar says why.
    void invalidRangesCancelTheComputation() {
        MainWindow w(initialState(513), settings());
        w.setComputeKernel(ComputeControl::Kernel::Scalar, 1);  // most of a second for the 513 x 513 pass
        w.show();
        w.setRanges(4.0, -4.0, -4.0, 4.0);
        QTRY_VERIFY_WITH_TIMEOUT(!w.worker()->busy(), 5000);
        QTest::qWait(1500);
        QVERIFY2(!w.displayedGrid() || !w.displayedGridIsFinal(), "a grid of the superseded ranges was shown");
        QVERIFY2(statusText(w).contains(QStringLiteral("Not computed")) && statusText(w).contains(QStringLiteral("u range")),
                 qPrintable(statusText(w)));
    }

    // New ranges change the surface's extent: the camera keeps its
    // direction and frames the whole new surface.
    void newRangesKeepTheViewAndFrameTheSurface() {
        MainWindow w(initialState(65), settings());
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(waitForFinalFrame(w));
        vtkRenderer* renderer = w.view()->renderer();
        vtkCamera* camera = renderer->GetActiveCamera();
        camera->Azimuth(35.0);
        camera->Dolly(4.0);
        std::array<double, 3> before{};
        camera->GetDirectionOfProjection(before.data());
        w.setRanges(-1.0, 12.0, -12.0, 1.0);
        QVERIFY(waitForFinalFrame(w));
        std::array<double, 3> after{};
        camera->GetDirectionOfProjection(after.data());
        for (int k = 0; k < 3; ++k) QVERIFY(std::abs(after[k] - before[k]) < 1e-9);
        double b[6];
        w.scene().surface()->GetBounds(b);
        // Within the view, give or take a tenth of its size: the docks and
        // the status bar may still settle the view's size after the fit (the
        // close-up before it put corners several view sizes away).
        const int* size = renderer->GetSize();
        const double mx = 0.1 * size[0], my = 0.1 * size[1];
        for (int corner = 0; corner < 8; ++corner) {
            renderer->SetWorldPoint(b[corner & 1], b[2 + ((corner >> 1) & 1)], b[4 + (corner >> 2)], 1.0);
            renderer->WorldToDisplay();
            const double* d = renderer->GetDisplayPoint();
            QVERIFY2(d[0] > -mx && d[0] < size[0] + mx && d[1] > -my && d[1] < size[1] + my,
                     qPrintable(QStringLiteral("corner %1 at (%2, %3) of %4 x %5, grid %6")
                                    .arg(corner)
                                    .arg(d[0])
                                    .arg(d[1])
                                    .arg(size[0])
                                    .arg(size[1])
                                    .arg(w.displayedGrid()->spec.resolution)));
        }
    }

    void aProbeClickReportsTheCoreValues() {
        MainWindow w(initialState(65), settings());
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(waitForFinalFrame(w));
        const QPointF centre(w.view()->width() / 2.0, w.view()->height() / 2.0);
        QTest::mouseClick(w.view(), Qt::LeftButton, Qt::NoModifier, centre.toPoint());
        QTest::qWait(50);
        const auto index = w.scene().markedVertex();
        QVERIFY2(index.has_value(), "clicking the middle of the surface probed nothing");
        const GridResult& g = *w.displayedGrid();
        const auto res = static_cast<std::size_t>(g.spec.resolution);
        const double u = g.spec.u(static_cast<int>(*index % res)), v = g.spec.v(static_cast<int>(*index / res));
        const VertexReport r = evaluateVertex(w.preset(), w.state().compute, u, v);
        QTRY_COMPARE(w.probeDock()->valueText(QStringLiteral("u")), QString::number(u, 'g', 10));  // evaluated off the UI thread
        QCOMPARE(w.probeDock()->valueText(QStringLiteral("gaussian_curvature")), QString::number(r.geometry.gaussian, 'g', 10));
        QCOMPARE(w.probeDock()->valueText(QStringLiteral("dropout_penalty_exact")), QString::number(r.penaltyExact, 'g', 10));
        QCOMPARE(g.gaussian[*index], r.geometry.gaussian);

        // The probe follows the same weights through a rate change, previews included.
        w.dropoutDock()->setRate(0.2);
        QVERIFY(waitForFinalFrame(w));
        const VertexReport later = evaluateVertex(w.preset(), w.state().compute, u, v);
        QTRY_COMPARE(w.probeDock()->valueText(QStringLiteral("gaussian_curvature")),
                     QString::number(later.geometry.gaussian, 'g', 10));
        QCOMPARE(w.probeDock()->valueText(QStringLiteral("u")), QString::number(u, 'g', 10));
        QCOMPARE(w.scene().markedVertex(), index);

        // Invalid ranges: the grid on screen stays, a probe says why it has no values.
        w.setRanges(4.0, -4.0, -4.0, 4.0);
        QTest::mouseClick(w.view(), Qt::LeftButton, Qt::NoModifier, centre.toPoint());
        QTest::qWait(50);
        QVERIFY(w.probeDock()->valueText(QStringLiteral("u")).isEmpty());
        const auto labels = w.probeDock()->findChildren<QLabel*>();
        QVERIFY(std::any_of(labels.begin(), labels.end(), [](const QLabel* l) {
            return l->text().startsWith(QStringLiteral("Not probed")) && l->text().contains(QStringLiteral("u range"));
        }));
        w.setRanges(-4.0, 4.0, -4.0, 4.0);
        QVERIFY(waitForFinalFrame(w));
        QTRY_COMPARE(w.probeDock()->valueText(QStringLiteral("u")), QString::number(u, 'g', 10));
    }

    // The rate-0 wireframe belongs to its preset and ranges: it goes with a
    // new preset until that preset's own arrives, and with ranges it cannot
    // be computed for.
    void theReferenceWireframeFollowsTheModel() {
        ViewState s = initialState(33);
        s.display.referenceOverlay = true;
        MainWindow w(s, settings());
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(waitForFinalFrame(w));
        vtkActor* reference = w.scene().referenceActor();
        QTRY_VERIFY(reference->GetVisibility());
        QVERIFY(w.openPreset(QStringLiteral("trinomial-simplex")));
        QVERIFY(!reference->GetVisibility());
        QTRY_VERIFY(reference->GetVisibility());
        w.setRanges(1.0, -1.0, -1.0, 1.0);
        QTRY_VERIFY(!reference->GetVisibility());
    }

    // The command line may ask for more than the controls offer: a rate of
    // 0.99 and 17 vertices per side are computed and shown as they are.
    void valuesBeyondTheControlsAreKept() {
        ViewState s = initialState(17);
        s.compute.rate = 0.99;
        s.kernel = {ComputeControl::Kernel::Scalar, 1};
        MainWindow w(s, settings());
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(waitForFinalFrame(w));
        QCOMPARE(w.dropoutDock()->rate(), 0.99);
        QCOMPARE(w.state().compute.rate, 0.99);
        QCOMPARE(w.displayedGrid()->spec.resolution, 17);
        const auto boxes = w.findChildren<QSpinBox*>();
        QVERIFY(std::any_of(boxes.begin(), boxes.end(), [](const QSpinBox* b) { return b->value() == 17; }));
        // Only the requested kernel ever ran: the preset's values were shown, not requested.
        QCOMPARE(statusText(w).contains(QStringLiteral("scalar")), true);
        QCOMPARE(w.worker()->latestGeneration(), quint64{1});
        // A step up from 0.99 stays at the box's end, a valid rate.
        w.dropoutDock()->setRate(0.99);
        QTest::keyClick(&w, Qt::Key_Plus);
        QCOMPARE(w.dropoutDock()->rate(), 0.99);
    }

    void keysDriveTheWindow() {
        MainWindow w(initialState(33), settings());
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(waitForFinalFrame(w));
        w.activateWindow();  // without a window manager, xcb sets the input focus itself
        QVERIFY(QTest::qWaitForWindowActive(&w));
        QTest::keyClick(&w, Qt::Key_Plus);
        QCOMPARE(w.dropoutDock()->rate(), 0.55);
        QTest::keyClick(&w, Qt::Key_Minus);
        QTest::keyClick(&w, Qt::Key_Minus);
        QCOMPARE(w.dropoutDock()->rate(), 0.45);
        QTest::keyClick(&w, Qt::Key_Space);
        QVERIFY(w.dropoutDock()->isPlaying());
        QTest::qWait(3 * DropoutDock::kPlayIntervalMs);
        QVERIFY(w.dropoutDock()->rate() > 0.45);
        QTest::keyClick(&w, Qt::Key_Space);
        QVERIFY(!w.dropoutDock()->isPlaying());

        QTest::keyClick(&w, Qt::Key_F11);
        QVERIFY(w.presentationMode());
        QCOMPARE(w.view()->textScale(), 1.5);
        QVERIFY(waitForFinalFrame(w));
        QTest::qWait(300);
        for (QDockWidget* dock : w.findChildren<QDockWidget*>()) QVERIFY(!dock->isVisible());
        w.grab().save(QStringLiteral("/tmp/manifold-lens-presentation.png"));
        QTest::keyClick(&w, Qt::Key_F11);
        QVERIFY(!w.presentationMode());
        QTest::qWait(100);
        for (QDockWidget* dock : w.findChildren<QDockWidget*>()) QVERIFY(dock->isVisible());
    }

    void anInvalidPresetFileKeepsTheModel() {
        MainWindow w(initialState(33), settings());
        w.show();
        QVERIFY(waitForFinalFrame(w));
        const QString path = dir_.filePath(QStringLiteral("bad.json"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"format": 1, "name": "bad", "design": [[1, 2]], "network": {"output": "bernoulli"},
                   "free": [{"weight": "output[0][5]", "range": [-1, 1]}, {"weight": "output[0][0]", "range": [-1, 1]}]})");
        f.close();
        QString dialogText;
        QTimer::singleShot(200, [&] {
            if (auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget())) {
                dialogText = box->text();
                box->accept();
            }
        });
        const auto gridBefore = w.displayedGrid();
        QVERIFY(!w.openPreset(path));
        QVERIFY2(dialogText.contains(QStringLiteral("free[0].weight")), qPrintable(dialogText));
        QCOMPARE(w.preset().name, std::string(kDefaultPresetName));
        QCOMPARE(w.state().presetSource, std::string(kDefaultPresetName));
        QCOMPARE(w.displayedGrid(), gridBefore);
    }

    // A computation that runs for a while says in the status bar how long
    // it has left (16 dropped inputs behind two layers: seconds per row of
    // vertices, minutes for the grid).
    void aLongComputationEstimatesItsTimeLeft() {
        QTemporaryDir presets;
        const QString path = presets.filePath(QStringLiteral("slow.json"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray::fromStdString(presetToJson(test::slowPreset(16, 2)).dump()));
        f.close();
        MainWindow w(initialState(33), settings());
        w.show();
        auto summary = [&w] { return w.findChild<QPlainTextEdit*>()->toPlainText(); };
        QVERIFY2(summary().contains(QStringLiteral("  w1 = output[0][0] in [-4, 4]\n")), qPrintable(summary()));
        QVERIFY(w.openPreset(path));
        // Free weights without labels of their own are named once.
        QVERIFY2(summary().contains(QStringLiteral("  hidden1[0][0] in [-2, 2]\n  output[0][0] in [-2, 2]\n")),
                 qPrintable(summary()));
        const QRegularExpression estimate(QStringLiteral(R"(Computing\.\.\. \d+% \(about \d+ (s|min) left\))"));
        QTRY_VERIFY_WITH_TIMEOUT(estimate.match(statusText(w)).hasMatch(), 20000);
        QVERIFY(w.worker()->busy());
    }

    // A model too large for the machine's memory is refused before anything
    // is allocated: the status bar says why (its tooltip holds the whole
    // message), and the next model computes as usual.
    void aModelTooLargeForTheMemoryIsRefused() {
        MainWindow w(initialState(33), settings());
        w.show();
        QVERIFY(waitForFinalFrame(w));
        QString design;  // 50 points in R^20 behind three layers of 1024 units, the inputs dropped: 2^20 masks
        for (int i = 0; i < 50; ++i) {
            QStringList x;
            for (int j = 0; j < 20; ++j) x << QString::number(0.01 * ((7 * i + 3 * j) % 11));
            design += (i ? QStringLiteral(", [") : QStringLiteral("[")) + x.join(QStringLiteral(", ")) + QStringLiteral("]");
        }
        const QString path = dir_.filePath(QStringLiteral("huge.json"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QStringLiteral(R"({"format": 1, "name": "huge", "design": [%1],
            "network": {"hidden": [{"units": 1024, "activation": "tanh"}, {"units": 1024, "activation": "tanh"},
                                   {"units": 1024, "activation": "tanh"}], "output": "bernoulli"},
            "free": [{"weight": "hidden1[0][0]", "range": [-1, 1]}, {"weight": "output_bias[0]", "range": [-1, 1]}],
            "dropout": {"sites": ["input"], "rate": 0.3}})")
                    .arg(design)
                    .toUtf8());
        f.close();
        QSignalSpy failed(&w, &MainWindow::computationFailed);
        QVERIFY(w.openPreset(path));
        QVERIFY(failed.wait(5000));
        const QString message = failed.first().first().toString();
        QVERIFY2(message.startsWith(QStringLiteral("this computation needs about 1.3 TB of memory")), qPrintable(message));
        QVERIFY2(statusText(w).contains(QStringLiteral("Not computed: ") + message), qPrintable(statusText(w)));
        const auto labels = w.statusBar()->findChildren<QLabel*>();
        QVERIFY(std::any_of(labels.begin(), labels.end(), [&](const QLabel* l) { return l->toolTip().endsWith(message); }));
        QVERIFY(!w.displayedGrid());

        QVERIFY(w.openPreset(QString::fromLatin1(kDefaultPresetName)));
        QVERIFY(waitForFinalFrame(w));
        QVERIFY(!statusText(w).contains(QStringLiteral("Not computed")));
    }

    void settingsRoundTrip() {
        const QString ini = dir_.filePath(QStringLiteral("roundtrip.ini"));
        ViewState s;
        s.presetSource = "single-hidden-unit";
        s.compute.rate = 0.37;
        s.compute.alpha = -0.25;
        s.compute.resolution = 257;
        s.compute.aggregation = Aggregation::Geometric;
        s.display.field = ScalarField::PenaltyGap;
        s.display.logScale = true;
        s.display.lockRange = true;
        s.display.lockedRange = {-0.5, 2.5};
        s.display.referenceOverlay = true;
        s.display.isoLines = false;
        s.display.axes = false;
        s.display.darkBackground = true;
        s.kernel = {ComputeControl::Kernel::Scalar, 3};
        {
            AppSettings out(ini);
            out.saveViewState(s);
            out.addRecentFile(QStringLiteral("/a.json"));
            out.addRecentFile(QStringLiteral("/b.json"));
            out.addRecentFile(QStringLiteral("/a.json"));
            out.sync();
        }
        const AppSettings in(ini);
        const ViewState r = in.loadViewState();
        QCOMPARE(r.presetSource, s.presetSource);
        QCOMPARE(r.compute.rate, s.compute.rate);
        QCOMPARE(r.compute.alpha, s.compute.alpha);
        QCOMPARE(r.compute.resolution, s.compute.resolution);
        QVERIFY(r.compute.aggregation == s.compute.aggregation);
        QVERIFY(r.display.field == s.display.field);
        QCOMPARE(r.display.logScale, true);
        QCOMPARE(r.display.lockRange, true);
        QCOMPARE(r.display.lockedRange.lo, -0.5);
        QCOMPARE(r.display.lockedRange.hi, 2.5);
        QCOMPARE(r.display.referenceOverlay, true);
        QCOMPARE(r.display.isoLines, false);
        QCOMPARE(r.display.axes, false);
        QCOMPARE(r.display.darkBackground, true);
        QVERIFY(r.kernel.kernel == ComputeControl::Kernel::Scalar);
        QCOMPARE(r.kernel.threads, 3);
        QCOMPARE(in.recentFiles(), (QStringList{QStringLiteral("/a.json"), QStringLiteral("/b.json")}));
    }

    void malformedSettingsFallBackToDefaults() {
        const QString ini = dir_.filePath(QStringLiteral("malformed.ini"));
        {
            QSettings raw(ini, QSettings::IniFormat);
            raw.setValue(QStringLiteral("compute/rate"), 1.5);
            raw.setValue(QStringLiteral("compute/resolution"), QStringLiteral("lots"));
            raw.setValue(QStringLiteral("display/field"), QStringLiteral("colourfulness"));
        }
        const ViewState r = AppSettings(ini).loadViewState();
        QCOMPARE(r.compute.rate, spec::kRate.defaultValue);
        QCOMPARE(r.compute.resolution, static_cast<int>(spec::kResolution.defaultValue));
        QVERIFY(r.display.field == ScalarField::GaussianCurvature);
    }

    void closingTheWindowSavesItsState() {
        const auto store = settings();
        {
            MainWindow w(initialState(33), store);
            w.show();
            QVERIFY(waitForFinalFrame(w));
            w.dropoutDock()->setRate(0.21);
            w.close();
        }
        QCOMPARE(AppSettings(dir_.filePath(QStringLiteral("settings.ini"))).loadViewState().compute.rate, 0.21);
    }
};

int main(int argc, char** argv) {
    QSurfaceFormat::setDefaultFormat(VtkView::defaultFormat());
    QApplication app(argc, argv);
    TestMainWindow test;
    return QTest::qExec(&test, argc, argv);
}

#include "test_main_window.moc"
