#include "scene_axes.h"

#include <vtkCamera.h>
#include <vtkCommand.h>
#include <vtkCubeAxesActor.h>
#include <vtkProperty.h>
#include <vtkRenderer.h>
#include <vtkTextProperty.h>

#include <algorithm>
#include <cmath>

namespace manifoldlens {

namespace {

// Height of the text in screen pixels at text scale 1 (VTK's default).
constexpr double kTextPixels = 10.0;
// Tick labels need this many text heights between neighbours on screen: a
// label such as "1.6" is about 1.5 text heights wide, "0.25" about 2.
constexpr double kLabelPitch = 2.0;
// The text of an axis lies along it, so it shrinks on screen by the sine of
// the angle between the axis and the line of sight; below one half (an axis
// within 30 degrees of the line of sight) it is no longer legible.
constexpr double kMinLegibleSine = 0.5;

}  // namespace

int axisTickCount(double range) {
    if (!(range > 0.0) || !std::isfinite(range)) return 1;
    const double power = std::pow(10.0, std::floor(std::log10(range) + 1e-9));
    const double whole = std::floor(range / power);
    const double step = power / (whole <= 2.0 ? 5.0 : whole < 5.0 ? 2.0 : 1.0);
    return static_cast<int>(std::floor(range / step + 1e-9)) + 1;
}

SceneAxes::SceneAxes(vtkRenderer* renderer) : renderer_(renderer), axes_(vtkCubeAxesActor::New()) {
    axes_->SetScreenSize(kTextPixels);
    axes_->SetFlyModeToOuterEdges();
    axes_->SetUse2DMode(0);
    axes_->SetXLabelFormat("%-#6.3g");
    axes_->SetYLabelFormat("%-#6.3g");
    axes_->SetZLabelFormat("%-#6.3g");
    axes_->SetLabelScaling(false, 0, 0, 0);
    axes_->SetTickLocationToOutside();
    axes_->XAxisMinorTickVisibilityOff();
    axes_->YAxisMinorTickVisibilityOff();
    axes_->ZAxisMinorTickVisibilityOff();
    axes_->PickableOff();
    axes_->SetVisibility(false);
    axes_->SetCamera(renderer->GetActiveCamera());
    renderer_->AddViewProp(axes_);
    observer_ = renderer_->AddObserver(vtkCommand::StartEvent, this, &SceneAxes::beforeRender);
}

SceneAxes::~SceneAxes() {
    renderer_->RemoveObserver(observer_);
    renderer_->RemoveViewProp(axes_);
    axes_->Delete();
}

void SceneAxes::setTitles(const std::array<std::string, 3>& titles) {
    axes_->SetXTitle(titles[0].c_str());
    axes_->SetYTitle(titles[1].c_str());
    axes_->SetZTitle(titles[2].c_str());
}

void SceneAxes::setBounds(const double bounds[6]) {
    double b[6];
    std::copy(bounds, bounds + 6, b);
    axes_->SetBounds(b);
    hasBounds_ = true;
    axes_->SetVisibility(wanted_);
}

void SceneAxes::clearBounds() {
    hasBounds_ = false;
    axes_->SetVisibility(false);
}

void SceneAxes::setVisible(bool visible) {
    wanted_ = visible;
    axes_->SetVisibility(visible && hasBounds_);
}

bool SceneAxes::visible() const { return wanted_; }

void SceneAxes::setTextScale(double factor) {
    textScale_ = factor;
    axes_->SetScreenSize(kTextPixels * factor);
}

void SceneAxes::setColours(double text, double line) {
    for (int i = 0; i < 3; ++i) {
        axes_->GetTitleTextProperty(i)->SetColor(text, text, text);
        axes_->GetLabelTextProperty(i)->SetColor(text, text, text);
    }
    for (vtkProperty* p : {axes_->GetXAxesLinesProperty(), axes_->GetYAxesLinesProperty(), axes_->GetZAxesLinesProperty()})
        p->SetColor(line, line, line);
}

void SceneAxes::setCamera(vtkCamera* camera) { axes_->SetCamera(camera); }

std::array<bool, 3> SceneAxes::textShown() const {
    return {axes_->GetXAxisLabelVisibility() != 0, axes_->GetYAxisLabelVisibility() != 0,
            axes_->GetZAxisLabelVisibility() != 0};
}

vtkCubeAxesActor* SceneAxes::actor() const { return axes_; }

void SceneAxes::beforeRender(vtkObject*, unsigned long, void*) {
    if (!axes_->GetVisibility()) return;
    // Each axis through the box's centre, projected to the screen: its text
    // is kept where the axis is not too close to the line of sight and
    // neighbouring labels are far enough apart.
    const double* b = axes_->GetBounds();
    const double centre[3] = {(b[0] + b[1]) / 2, (b[2] + b[3]) / 2, (b[4] + b[5]) / 2};
    const double* sight = renderer_->GetActiveCamera()->GetDirectionOfProjection();
    std::array<bool, 3> shown{};
    for (int k = 0; k < 3; ++k) {
        const bool legible = std::sqrt(std::max(0.0, 1.0 - sight[k] * sight[k])) >= kMinLegibleSine;
        double ends[2][3];
        for (int e = 0; e < 2; ++e) {
            double p[3] = {centre[0], centre[1], centre[2]};
            p[k] = b[2 * k + e];
            renderer_->SetWorldPoint(p[0], p[1], p[2], 1.0);
            renderer_->WorldToDisplay();
            renderer_->GetDisplayPoint(ends[e]);
        }
        const double length = std::hypot(ends[1][0] - ends[0][0], ends[1][1] - ends[0][1]);
        const int ticks = axisTickCount(b[2 * k + 1] - b[2 * k]);
        shown[k] = legible && (ticks < 2 || length / (ticks - 1) >= kLabelPitch * kTextPixels * textScale_);
    }
    if (shown == textShown()) return;
    // vtkCubeAxesActor draws an axis's title only with its labels.
    axes_->SetXAxisLabelVisibility(shown[0]);
    axes_->SetYAxisLabelVisibility(shown[1]);
    axes_->SetZAxisLabelVisibility(shown[2]);
}

}  // namespace manifoldlens
