// The Qt/VTK bridge: it renders, a drag rotates the camera, a click is a
// click, captures of another size are whole images, and a re-parented view
// still renders. Runs under Xvfb (a QOpenGLWidget needs a real platform).

#include "vtk_view.h"

#include <QtTest/QtTest>

#include <QApplication>
#include <QMouseEvent>
#include <QScreen>
#include <QSet>
#include <QVBoxLayout>

#include <vtkActor.h>
#include <vtkCamera.h>
#include <vtkNew.h>
#include <vtkPolyDataMapper.h>
#include <vtkProperty.h>
#include <vtkRenderWindow.h>
#include <vtkRenderer.h>
#include <vtkSphereSource.h>

#include <array>
#include <cmath>

using manifoldlens::VtkView;

namespace {

constexpr std::array<double, 3> kBackground{0.9, 0.9, 0.9};

// A lit, shaded sphere in the middle of the view.
void addSphere(VtkView& view) {
    vtkNew<vtkSphereSource> sphere;
    sphere->SetThetaResolution(48);
    sphere->SetPhiResolution(48);
    vtkNew<vtkPolyDataMapper> mapper;
    mapper->SetInputConnection(sphere->GetOutputPort());
    vtkNew<vtkActor> actor;
    actor->SetMapper(mapper);
    actor->GetProperty()->SetColor(0.8, 0.3, 0.1);
    actor->GetProperty()->SetSpecular(0.4);
    view.renderer()->AddActor(actor);
    view.renderer()->SetBackground(kBackground[0], kBackground[1], kBackground[2]);
    view.renderer()->ResetCamera();
}

// Shows a view of a sphere at a size and waits until it is on screen.
bool showSphere(VtkView& view, int width, int height) {
    addSphere(view);
    view.resize(width, height);
    view.show();
    return QTest::qWaitForWindowExposed(&view);
}

bool isBackground(QRgb c) {
    auto near = [](int v, double ref) { return std::abs(v - static_cast<int>(std::lround(ref * 255))) <= 2; };
    return near(qRed(c), kBackground[0]) && near(qGreen(c), kBackground[1]) && near(qBlue(c), kBackground[2]);
}

struct ImageStats {
    int foreground = 0;
    int distinctColours = 0;
    QRectF box;  // bounding box of the foreground
    QPointF centroid;
};

ImageStats stats(const QImage& image) {
    ImageStats s;
    QSet<QRgb> colours;
    double sx = 0, sy = 0;
    int x0 = image.width(), y0 = image.height(), x1 = -1, y1 = -1;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x) {
            const QRgb c = image.pixel(x, y);
            colours.insert(c & 0xffffffu);
            if (isBackground(c)) continue;
            ++s.foreground;
            sx += x;
            sy += y;
            x0 = std::min(x0, x), y0 = std::min(y0, y), x1 = std::max(x1, x), y1 = std::max(y1, y);
        }
    s.distinctColours = static_cast<int>(colours.size());
    if (s.foreground > 0) {
        s.centroid = {sx / s.foreground, sy / s.foreground};
        s.box = QRectF(x0, y0, x1 - x0 + 1, y1 - y0 + 1);
    }
    return s;
}

void sendMouse(QWidget* w, QEvent::Type type, QPointF pos, Qt::MouseButton button, Qt::MouseButtons buttons,
               Qt::KeyboardModifiers modifiers = Qt::NoModifier) {
    QMouseEvent e(type, pos, w->mapToGlobal(pos), button, buttons, modifiers);
    QApplication::sendEvent(w, &e);
}

std::array<double, 3> cameraPosition(VtkView& view) {
    std::array<double, 3> p{};
    view.renderer()->GetActiveCamera()->GetPosition(p.data());
    return p;
}

double distance(const std::array<double, 3>& a, const std::array<double, 3>& b) {
    return std::hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}

}  // namespace

class TestVtkView : public QObject {
    Q_OBJECT

public:
    static void initMain() { QSurfaceFormat::setDefaultFormat(VtkView::defaultFormat()); }

private slots:
    void rendersShadedImage();
    void captureOfAnotherSizeIsOneImage();
    void captureIsUpright();
    void dragRotatesAndDoesNotClick();
    void clickWithoutDragEmitsClicked();
    void shiftHoverIsReported();
    void wheelZooms();
    void keysAreNotForwarded();
    void displayCoordinatesFlipY();
    void reparentedViewStillRenders();
};

void TestVtkView::rendersShadedImage() {
    VtkView view;
    addSphere(view);
    QSignalSpy renderedSpy(&view, &VtkView::rendered);
    view.resize(400, 300);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));

    const QImage grabbed = view.grabFramebuffer();
    grabbed.save(QStringLiteral("/tmp/manifoldlens_vtk_view_grab.png"));
    const ImageStats g = stats(grabbed);
    QVERIFY2(g.foreground > grabbed.width() * grabbed.height() / 10, "the sphere is missing");
    QVERIFY2(g.distinctColours > 100, "the sphere is not shaded");
    QVERIFY(!renderedSpy.isEmpty());
    QVERIFY(renderedSpy.last().at(0).toDouble() > 0.0);

    // What the X server shows (the composited widget), not only the FBO.
    QTest::qWait(100);
    const QImage onScreen = view.screen()->grabWindow(view.winId()).toImage();
    onScreen.save(QStringLiteral("/tmp/manifoldlens_vtk_view_screen.png"));
    const ImageStats sc = stats(onScreen.convertToFormat(QImage::Format_RGB32));
    QVERIFY2(sc.foreground > g.foreground / 2, "the window on screen does not show the sphere");
    QVERIFY(sc.distinctColours > 100);

    const QImage captured = view.capture();
    captured.save(QStringLiteral("/tmp/manifoldlens_vtk_view_capture.png"));
    QCOMPARE(captured.size(), view.deviceSize());
    const ImageStats c = stats(captured);
    QVERIFY(c.distinctColours > 100);
    QVERIFY(std::abs(c.foreground - g.foreground) < g.foreground / 50);
}

void TestVtkView::captureOfAnotherSizeIsOneImage() {
    VtkView view;
    QVERIFY(showSphere(view, 320, 240));
    const ImageStats small = stats(view.capture());

    const QSize big(1000, 750);
    const QImage image = view.capture(big);
    image.save(QStringLiteral("/tmp/manifoldlens_vtk_view_capture_big.png"));
    QCOMPARE(image.size(), big);
    const ImageStats s = stats(image);
    // One sphere in the middle, scaled with the image (a tiled capture would
    // show several copies spread over the image).
    QVERIFY(std::abs(s.centroid.x() - big.width() / 2.0) < 10);
    QVERIFY(std::abs(s.centroid.y() - big.height() / 2.0) < 10);
    const double scale = static_cast<double>(big.height()) / view.deviceSize().height();
    QVERIFY2(std::abs(s.box.height() - small.box.height() * scale) < 0.05 * s.box.height(),
             qPrintable(QStringLiteral("box %1 vs %2").arg(s.box.height()).arg(small.box.height() * scale)));
    QVERIFY(std::abs(s.box.width() - s.box.height()) < 4);  // a circle, not a stretched tile
    QVERIFY(s.foreground < big.width() * big.height() / 2);

    // The widget itself is left at its own size.
    const QImage after = view.grabFramebuffer();
    QCOMPARE(after.size(), view.deviceSize());
    QVERIFY(std::abs(stats(after).foreground - small.foreground) < small.foreground / 50);
}

void TestVtkView::captureIsUpright() {
    VtkView view;
    addSphere(view);
    // A blue sphere above the orange one (VTK's y points up).
    vtkNew<vtkSphereSource> top;
    top->SetCenter(0.0, 1.0, 0.0);
    top->SetRadius(0.2);
    vtkNew<vtkPolyDataMapper> mapper;
    mapper->SetInputConnection(top->GetOutputPort());
    vtkNew<vtkActor> actor;
    actor->SetMapper(mapper);
    actor->GetProperty()->SetColor(0.1, 0.2, 0.9);
    view.renderer()->AddActor(actor);
    view.renderer()->ResetCamera();
    view.resize(400, 300);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));

    const auto blueCentroidY = [](const QImage& image) {
        double sum = 0;
        int n = 0;
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x) {
                const QRgb c = image.pixel(x, y);
                if (qBlue(c) > qRed(c) + 60) sum += y, ++n;
            }
        return n > 0 ? sum / n / image.height() : -1.0;
    };
    const QImage grabbed = view.grabFramebuffer().convertToFormat(QImage::Format_RGB32);
    const QImage captured = view.capture();
    const QImage large = view.capture(QSize(800, 600));
    for (const QImage* image : {&grabbed, &captured, &large}) {
        const double y = blueCentroidY(*image);
        QVERIFY2(y > 0.0 && y < 0.4, qPrintable(QStringLiteral("blue sphere at relative height %1").arg(y)));
    }
    int differing = 0;
    for (int y = 0; y < grabbed.height(); ++y)
        for (int x = 0; x < grabbed.width(); ++x)
            if (grabbed.pixel(x, y) != captured.pixel(x, y)) ++differing;
    QVERIFY2(differing < grabbed.width() * grabbed.height() / 100,
             qPrintable(QStringLiteral("%1 pixels differ between capture() and grabFramebuffer()").arg(differing)));
}

void TestVtkView::dragRotatesAndDoesNotClick() {
    VtkView view;
    QVERIFY(showSphere(view, 400, 300));
    QSignalSpy clickedSpy(&view, &VtkView::clicked);
    const auto before = cameraPosition(view);

    const QPointF start(200, 150);
    sendMouse(&view, QEvent::MouseButtonPress, start, Qt::LeftButton, Qt::LeftButton);
    for (int k = 1; k <= 10; ++k)
        sendMouse(&view, QEvent::MouseMove, start + QPointF(8.0 * k, 2.0 * k), Qt::NoButton, Qt::LeftButton);
    sendMouse(&view, QEvent::MouseButtonRelease, start + QPointF(80, 20), Qt::LeftButton, Qt::NoButton);

    const auto after = cameraPosition(view);
    QVERIFY2(distance(before, after) > 0.1, "the camera did not rotate");
    QCOMPARE(clickedSpy.count(), 0);
    QTRY_VERIFY(stats(view.grabFramebuffer()).foreground > 0);
}

void TestVtkView::clickWithoutDragEmitsClicked() {
    VtkView view;
    QVERIFY(showSphere(view, 400, 300));
    QSignalSpy clickedSpy(&view, &VtkView::clicked);
    const auto before = cameraPosition(view);

    const QPointF at(120, 90);
    sendMouse(&view, QEvent::MouseButtonPress, at, Qt::LeftButton, Qt::LeftButton, Qt::ShiftModifier);
    // A jitter within the slop is still a click.
    sendMouse(&view, QEvent::MouseMove, at + QPointF(1, 1), Qt::NoButton, Qt::LeftButton, Qt::ShiftModifier);
    sendMouse(&view, QEvent::MouseButtonRelease, at + QPointF(1, 1), Qt::LeftButton, Qt::NoButton,
              Qt::ShiftModifier);

    QCOMPARE(clickedSpy.count(), 1);
    QCOMPARE(clickedSpy.at(0).at(0).toPointF(), at);
    QCOMPARE(clickedSpy.at(0).at(1).value<Qt::KeyboardModifiers>(), Qt::KeyboardModifiers(Qt::ShiftModifier));
    QCOMPARE(distance(before, cameraPosition(view)), 0.0);
}

void TestVtkView::shiftHoverIsReported() {
    VtkView view;
    QVERIFY(showSphere(view, 400, 300));
    QSignalSpy hoverSpy(&view, &VtkView::hoveredWithModifier);

    sendMouse(&view, QEvent::MouseMove, QPointF(50, 60), Qt::NoButton, Qt::NoButton);
    QCOMPARE(hoverSpy.count(), 0);
    sendMouse(&view, QEvent::MouseMove, QPointF(70, 80), Qt::NoButton, Qt::NoButton, Qt::ShiftModifier);
    QCOMPARE(hoverSpy.count(), 1);
    QCOMPARE(hoverSpy.at(0).at(0).toPointF(), QPointF(70, 80));
}

void TestVtkView::wheelZooms() {
    VtkView view;
    QVERIFY(showSphere(view, 400, 300));
    vtkCamera* camera = view.renderer()->GetActiveCamera();
    const double before = camera->GetDistance();
    const QPointF at(200, 150);
    QWheelEvent e(at, view.mapToGlobal(at), QPoint(), QPoint(0, 120), Qt::NoButton, Qt::NoModifier,
                  Qt::NoScrollPhase, false);
    QApplication::sendEvent(&view, &e);
    QVERIFY(camera->GetDistance() < before);
}

void TestVtkView::keysAreNotForwarded() {
    VtkView view;
    QVERIFY(showSphere(view, 400, 300));
    vtkActor* actor = vtkActor::SafeDownCast(view.renderer()->GetActors()->GetLastProp());
    QVERIFY(actor != nullptr);
    const auto before = cameraPosition(view);
    // VTK's default keys: w wireframe, r reset camera, e/q quit.
    for (char key : {'w', 'r', 'e', 'q'}) QTest::keyClick(&view, key);
    QCOMPARE(actor->GetProperty()->GetRepresentation(), VTK_SURFACE);
    QCOMPARE(distance(before, cameraPosition(view)), 0.0);
    QVERIFY(view.isVisible());
}

void TestVtkView::displayCoordinatesFlipY() {
    VtkView view;
    view.resize(400, 300);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const double dpr = view.devicePixelRatioF();
    const QPointF top = view.toDisplay(QPointF(10, 0));
    QCOMPARE(top.x(), 10 * dpr);
    QCOMPARE(top.y(), view.deviceSize().height() - 1.0);
    QCOMPARE(view.toDisplay(QPointF(0, 299)).y(), view.deviceSize().height() - 1 - 299 * dpr);
}

void TestVtkView::reparentedViewStillRenders() {
    QWidget first, second;
    first.resize(400, 300);
    second.resize(400, 300);
    (void)new QVBoxLayout(&first);
    (void)new QVBoxLayout(&second);
    auto* view = new VtkView;
    addSphere(*view);
    first.layout()->addWidget(view);
    first.show();
    QVERIFY(QTest::qWaitForWindowExposed(&first));
    QVERIFY(stats(view->grabFramebuffer()).foreground > 1000);

    second.layout()->addWidget(view);  // a new top-level window: a new context
    first.hide();
    second.show();
    QVERIFY(QTest::qWaitForWindowExposed(&second));
    const QImage image = view->grabFramebuffer();
    image.save(QStringLiteral("/tmp/manifoldlens_vtk_view_reparented.png"));
    const ImageStats s = stats(image);
    QVERIFY(s.foreground > 1000);
    QVERIFY(s.distinctColours > 100);
}

QTEST_MAIN(TestVtkView)
#include "test_vtk_view.moc"
