#pragma once
// The labelled box axes around the manifold's surface: a vtkCubeAxesActor
// on the outer edges of the surface's bounds, with text of a fixed size on
// screen. The text (labels and title) of an axis seen nearly end-on, squeezed
// out of legibility, is left out, and so is that of an axis too short on
// screen for its labels to stand apart; decided afresh before every render,
// as the camera moves.

#include <array>
#include <string>

class vtkCamera;
class vtkCubeAxesActor;
class vtkObject;
class vtkRenderer;

namespace manifoldlens {

class SceneAxes {
public:
    /// Adds the axes (hidden) to the renderer and watches its renders.
    explicit SceneAxes(vtkRenderer* renderer);
    ~SceneAxes();
    SceneAxes(const SceneAxes&) = delete;
    SceneAxes& operator=(const SceneAxes&) = delete;

    /// Titles of the x, y and z axes.
    void setTitles(const std::array<std::string, 3>& titles);

    /// Frames the box (xmin, xmax, ymin, ymax, zmin, zmax) and shows the axes
    /// when wanted; nothing is shown without bounds.
    void setBounds(const double bounds[6]);
    void clearBounds();
    void setVisible(bool visible);
    bool visible() const;

    /// Scales titles and labels (1 = 10 pixels high).
    void setTextScale(double factor);

    /// Grey levels of the text and the lines, for the background in use.
    void setColours(double text, double line);

    /// The camera the labels face; follows the renderer's active camera.
    void setCamera(vtkCamera* camera);

    /// Whether the text (labels and title) of axis 0, 1, 2 (x, y, z) is
    /// drawn, as decided for the last render.
    std::array<bool, 3> textShown() const;

    vtkCubeAxesActor* actor() const;

private:
    void beforeRender(vtkObject*, unsigned long, void*);

    vtkRenderer* renderer_;
    vtkCubeAxesActor* axes_;
    unsigned long observer_ = 0;
    double textScale_ = 1.0;
    bool wanted_ = false;
    bool hasBounds_ = false;
};

/// How many tick labels vtkCubeAxesActor puts on an axis spanning the given
/// range: the powers of ten that fit, or twice or five times as many where
/// those are fewer than five (its AdjustTicksComputeRange()).
int axisTickCount(double range);

}  // namespace manifoldlens
