#include "vtk_view.h"

#include <QElapsedTimer>
#include <QEnterEvent>
#include <QMouseEvent>
#include <QOpenGLContext>
#include <QOpenGLFramebufferObject>
#include <QOpenGLFunctions>
#include <QWheelEvent>

#include <vtkCommand.h>
#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkGenericRenderWindowInteractor.h>
#include <vtkInteractorStyleTrackballCamera.h>
#include <vtkNew.h>
#include <vtkOpenGLState.h>
#include <vtkRenderer.h>

#include <algorithm>
#include <cmath>

namespace manifoldlens {

struct VtkView::Impl {
    explicit Impl(VtkView* view) : owner(view) {}

    VtkView* owner;
    vtkNew<vtkGenericOpenGLRenderWindow> window;
    vtkNew<vtkRenderer> renderer;
    vtkNew<vtkGenericRenderWindowInteractor> interactor;
    vtkNew<vtkInteractorStyleTrackballCamera> style;
    QMetaObject::Connection contextConnection;

    bool inRender = false;  ///< inside renderFrame: frame events must not schedule another paint
    bool leftPressed = false;
    bool dragging = false;  ///< the left press moved beyond kClickSlop
    QPointF pressPos;
    int wheelAngle = 0;  ///< accumulated eighths of a degree not yet forwarded

    void onWindowEvent(vtkObject*, unsigned long event, void* callData) {
        switch (event) {
        case vtkCommand::WindowIsCurrentEvent:
            // Without an answer VTK assumes no current context and draws nothing.
            *static_cast<bool*>(callData) =
                owner->context() != nullptr && QOpenGLContext::currentContext() == owner->context();
            break;
        case vtkCommand::WindowMakeCurrentEvent:
            if (owner->context() != nullptr && QOpenGLContext::currentContext() != owner->context())
                owner->makeCurrent();
            break;
        case vtkCommand::WindowFrameEvent:
            if (!inRender) owner->update();
            break;
        default: break;
        }
    }

    void onInteractorRender(vtkObject*, unsigned long, void*) {
        if (!inRender) owner->update();
    }
};

VtkView::VtkView(QWidget* parent) : QOpenGLWidget(parent), d_(std::make_unique<Impl>(this)) {
    vtkGenericOpenGLRenderWindow* w = d_->window;
    w->SetOwnContext(false);
    w->SetFrameBlitModeToBlitToCurrent();  // without it the widget shows one flat colour
    w->SetMultiSamples(0);
    w->SetReadyForRendering(false);  // until initializeGL has a context
    w->AddRenderer(d_->renderer);
    w->AddObserver(vtkCommand::WindowIsCurrentEvent, d_.get(), &Impl::onWindowEvent);
    w->AddObserver(vtkCommand::WindowMakeCurrentEvent, d_.get(), &Impl::onWindowEvent);
    w->AddObserver(vtkCommand::WindowFrameEvent, d_.get(), &Impl::onWindowEvent);

    d_->interactor->SetRenderWindow(w);
    d_->interactor->EnableRenderOff();  // renders happen in paintGL only
    d_->interactor->SetInteractorStyle(d_->style);
    d_->interactor->AddObserver(vtkCommand::RenderEvent, d_.get(), &Impl::onInteractorRender);
    d_->interactor->Initialize();

    setMouseTracking(true);  // Shift-hover needs moves without a button
    setFocusPolicy(Qt::StrongFocus);
    setMinimumSize(64, 64);
}

VtkView::~VtkView() {
    // QOpenGLWidget destroys the context after this destructor: release VTK's
    // resources while the window still exists and stop listening.
    disconnect(d_->contextConnection);
    if (context() != nullptr) releaseGraphics();
}

QSurfaceFormat VtkView::defaultFormat() {
    QSurfaceFormat f;
    f.setRenderableType(QSurfaceFormat::OpenGL);
    f.setVersion(3, 2);
    f.setProfile(QSurfaceFormat::CoreProfile);
    f.setRedBufferSize(8);
    f.setGreenBufferSize(8);
    f.setBlueBufferSize(8);
    f.setAlphaBufferSize(8);
    f.setDepthBufferSize(24);
    f.setStencilBufferSize(8);
    f.setSamples(0);
    f.setSwapBehavior(QSurfaceFormat::DoubleBuffer);
    return f;
}

vtkRenderer* VtkView::renderer() const { return d_->renderer; }


QSize VtkView::deviceSize() const {
    const double dpr = devicePixelRatioF();
    return {std::max(1, static_cast<int>(std::lround(width() * dpr))),
            std::max(1, static_cast<int>(std::lround(height() * dpr)))};
}

QPointF VtkView::toDisplay(QPointF logicalPos) const {
    const double dpr = devicePixelRatioF();
    // The same flip as vtkRenderWindowInteractor::SetEventInformationFlipY.
    return {logicalPos.x() * dpr, deviceSize().height() - 1 - logicalPos.y() * dpr};
}

void VtkView::initializeGL() {
    // A new context (first show, or re-parenting): VTK's resources of an
    // earlier one are gone, release them with it.
    disconnect(d_->contextConnection);
    d_->contextConnection = connect(context(), &QOpenGLContext::aboutToBeDestroyed, this,
                                    &VtkView::releaseGraphics, Qt::DirectConnection);
    d_->window->SetReadyForRendering(true);
    d_->window->OpenGLInitContext();
    d_->window->GetState()->Reset();
    const QSize s = deviceSize();
    d_->interactor->UpdateSize(s.width(), s.height());
    d_->window->SetDPI(baseDpi(1.0));
}

void VtkView::releaseGraphics() {
    if (!d_->window->GetReadyForRendering()) return;
    makeCurrent();
    d_->window->Finalize();
    d_->window->SetReadyForRendering(false);
    doneCurrent();
}

void VtkView::resizeGL(int, int) {
    const QSize s = deviceSize();
    // Sets the render window's size too.
    d_->interactor->UpdateSize(s.width(), s.height());
    d_->window->SetDPI(baseDpi(1.0));
}

int VtkView::baseDpi(double scale) const {
    // VTK sizes text in points at the window's DPI (72 by default): follow the
    // device pixel ratio, and the size of a capture.
    return std::max(1, static_cast<int>(std::lround(72.0 * devicePixelRatioF() * textScale_ * scale)));
}

void VtkView::setTextScale(double factor) {
    textScale_ = factor;
    d_->window->SetDPI(baseDpi(1.0));
    update();
}

void VtkView::paintGL() {
    if (!d_->window->GetReadyForRendering()) return;
    renderFrame();
}

void VtkView::renderFrame() {
    QElapsedTimer timer;
    timer.start();
    d_->inRender = true;
    d_->window->Render();
    QOpenGLFunctions* f = context()->functions();
    // VTK's background alpha is 0: make the image opaque, or the compositor
    // and grabFramebuffer() see through it.
    f->glColorMask(GL_FALSE, GL_FALSE, GL_FALSE, GL_TRUE);
    f->glClearColor(0.0f, 0.0f, 0.0f, 1.0f);
    f->glClear(GL_COLOR_BUFFER_BIT);
    f->glColorMask(GL_TRUE, GL_TRUE, GL_TRUE, GL_TRUE);
    f->glFinish();  // so the reported time includes the rasterisation
    d_->inRender = false;
    emit rendered(static_cast<double>(timer.nsecsElapsed()) * 1e-6);
}

QImage VtkView::capture(QSize size) {
    if (context() == nullptr || !d_->window->GetReadyForRendering()) return {};
    const QSize widgetSize = deviceSize();
    if (size.isEmpty()) size = widgetSize;
    makeCurrent();
    QImage image;
    {
        QOpenGLFramebufferObject fbo(size);
        fbo.bind();
        d_->window->SetSize(size.width(), size.height());
        d_->window->SetDPI(baseDpi(static_cast<double>(size.height()) / widgetSize.height()));
        renderFrame();  // VTK blits into the bound framebuffer object
        image = fbo.toImage();
        fbo.release();
    }
    d_->window->SetSize(widgetSize.width(), widgetSize.height());
    d_->window->SetDPI(baseDpi(1.0));
    d_->interactor->UpdateSize(widgetSize.width(), widgetSize.height());
    doneCurrent();
    update();
    return image.convertToFormat(QImage::Format_RGB32);
}

void VtkView::setInteractorEvent(QPointF logicalPos, Qt::KeyboardModifiers modifiers) {
    const double dpr = devicePixelRatioF();
    d_->interactor->SetEventInformationFlipY(static_cast<int>(std::lround(logicalPos.x() * dpr)),
                                             static_cast<int>(std::lround(logicalPos.y() * dpr)),
                                             modifiers.testFlag(Qt::ControlModifier) ? 1 : 0,
                                             modifiers.testFlag(Qt::ShiftModifier) ? 1 : 0);
    d_->interactor->SetAltKey(modifiers.testFlag(Qt::AltModifier) ? 1 : 0);
}

void VtkView::mousePressEvent(QMouseEvent* event) {
    setInteractorEvent(event->position(), event->modifiers());
    switch (event->button()) {
    case Qt::LeftButton:
        // Held back until the mouse moves: a click must not touch the camera.
        d_->leftPressed = true;
        d_->dragging = false;
        d_->pressPos = event->position();
        break;
    case Qt::MiddleButton: d_->interactor->MiddleButtonPressEvent(); break;
    case Qt::RightButton: d_->interactor->RightButtonPressEvent(); break;
    default: break;
    }
    event->accept();
}

void VtkView::mouseMoveEvent(QMouseEvent* event) {
    const QPointF pos = event->position();
    if (d_->leftPressed && !d_->dragging) {
        const QPointF delta = pos - d_->pressPos;
        if (std::hypot(delta.x(), delta.y()) <= kClickSlop) return;
        d_->dragging = true;
        setInteractorEvent(d_->pressPos, event->modifiers());
        d_->interactor->LeftButtonPressEvent();
    }
    if (event->buttons() == Qt::NoButton) {
        if (event->modifiers().testFlag(Qt::ShiftModifier)) emit hoveredWithModifier(pos);
        return;
    }
    setInteractorEvent(pos, event->modifiers());
    d_->interactor->MouseMoveEvent();
    event->accept();
}

void VtkView::mouseReleaseEvent(QMouseEvent* event) {
    setInteractorEvent(event->position(), event->modifiers());
    switch (event->button()) {
    case Qt::LeftButton:
        if (d_->dragging)
            d_->interactor->LeftButtonReleaseEvent();
        else if (d_->leftPressed)
            emit clicked(d_->pressPos, event->modifiers());
        d_->leftPressed = false;
        d_->dragging = false;
        break;
    case Qt::MiddleButton: d_->interactor->MiddleButtonReleaseEvent(); break;
    case Qt::RightButton: d_->interactor->RightButtonReleaseEvent(); break;
    default: break;
    }
    event->accept();
}

void VtkView::wheelEvent(QWheelEvent* event) {
    // One VTK wheel step per 15 degrees; touchpads send smaller deltas.
    constexpr int kStep = 120;
    d_->wheelAngle += event->angleDelta().y();
    setInteractorEvent(event->position(), event->modifiers());
    while (d_->wheelAngle >= kStep) {
        d_->interactor->MouseWheelForwardEvent();
        d_->wheelAngle -= kStep;
    }
    while (d_->wheelAngle <= -kStep) {
        d_->interactor->MouseWheelBackwardEvent();
        d_->wheelAngle += kStep;
    }
    event->accept();
}

void VtkView::enterEvent(QEnterEvent* event) {
    setInteractorEvent(event->position(), event->modifiers());
    d_->interactor->EnterEvent();
    QOpenGLWidget::enterEvent(event);
}

void VtkView::leaveEvent(QEvent* event) {
    d_->interactor->LeaveEvent();
    QOpenGLWidget::leaveEvent(event);
}

}  // namespace manifoldlens
