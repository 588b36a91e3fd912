#pragma once
/// @file vtk_view.h
/// The bridge between Qt 6 and VTK: a QOpenGLWidget that hosts a VTK render
/// window, forwards mouse interaction to a trackball camera and reports clicks.

#include <QImage>
#include <QOpenGLWidget>
#include <QPointF>
#include <QSize>
#include <QSurfaceFormat>

#include <memory>

class vtkRenderer;

namespace manifoldlens {

/// A widget showing one VTK renderer.
///
/// VTK renders into the widget's own OpenGL context (Debian's VTK Qt module is
/// built against Qt 5, so this replaces QVTKOpenGLNativeWidget). Call
/// QSurfaceFormat::setDefaultFormat(VtkView::defaultFormat()) before the
/// QApplication is constructed.
///
/// To redraw after changing the scene, call update(); never call
/// the render window's Render() directly (use capture() for a synchronous image).
///
/// Mouse: left drag rotates, Shift+left or middle drag pans, right drag and
/// the wheel zoom, Ctrl+left drag spins. A left press and release without a
/// drag emits clicked() instead of moving the camera. Keyboard events are not
/// forwarded to VTK: they propagate to the parent widget as usual.
class VtkView : public QOpenGLWidget {
    Q_OBJECT

public:
    explicit VtkView(QWidget* parent = nullptr);
    ~VtkView() override;

    VtkView(const VtkView&) = delete;
    VtkView& operator=(const VtkView&) = delete;

    /// The surface format VTK needs: OpenGL 3.2 core, depth 24, stencil 8,
    /// alpha 8, no multisampling.
    static QSurfaceFormat defaultFormat();

    /// The renderer showing the scene (owned by the view).
    vtkRenderer* renderer() const;

    /// Renders the scene synchronously into an image of deviceSize pixels (the
    /// widget's size in device pixels when empty) and returns it; what the
    /// widget shows is unchanged; text scales with the image height. Needs the
    /// widget to have been shown once (its OpenGL context to exist); returns a
    /// null image otherwise.
    QImage capture(QSize deviceSize = {});

    /// VTK display coordinates of a position in widget (logical) coordinates:
    /// device pixels, origin at the bottom left, as vtkPicker::Pick expects.
    QPointF toDisplay(QPointF logicalPos) const;

    /// The widget's size in device pixels (what VTK renders).
    QSize deviceSize() const;

    /// Scales all VTK text (colour bar, axes) by factor, e.g. 1.5 for a lecture hall.
    void setTextScale(double factor);
    double textScale() const { return textScale_; }

    /// Logical pixels a left press may move before it counts as a drag.
    static constexpr double kClickSlop = 4.0;

signals:
    /// A left press and release without a drag, at the press position.
    void clicked(QPointF logicalPos, Qt::KeyboardModifiers modifiers);

    /// The mouse moved with Shift held and no button pressed.
    void hoveredWithModifier(QPointF logicalPos);

    /// A frame was rendered; its wall time in milliseconds.
    void rendered(double milliseconds);

protected:
    void initializeGL() override;
    void resizeGL(int w, int h) override;
    void paintGL() override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void enterEvent(QEnterEvent* event) override;
    void leaveEvent(QEvent* event) override;

private:
    struct Impl;
    std::unique_ptr<Impl> d_;
    double textScale_ = 1.0;

    void releaseGraphics();
    int baseDpi(double scale) const;
    void renderFrame();
    void setInteractorEvent(QPointF logicalPos, Qt::KeyboardModifiers modifiers);
};

}  // namespace manifoldlens
