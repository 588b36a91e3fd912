#pragma once
/// @file manifold_scene.h
/// The 3-D scene: the manifold's surface coloured by a scalar field, its
/// colour bar, the rate-0 reference wireframe, iso-parameter lines, axes, a
/// marked vertex, and picking.

#include "fields.h"
#include "grid.h"
#include "scene_colouring.h"

#include <array>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

class vtkActor;
class vtkCubeAxesActor;
class vtkLookupTable;
class vtkPolyData;
class vtkRenderer;
class vtkScalarBarActor;

namespace manifoldlens {

/// Owns the VTK objects of the scene and adds them to a renderer (usually
/// VtkView::renderer()). Geometry and colour values come from the core (the
/// grid's x, y, z and fieldValues()); the scene only draws them. Call the
/// view's update() after changing the scene.
class ManifoldScene {
public:
    /// Adds the scene's props to renderer, which must outlive the scene.
    explicit ManifoldScene(vtkRenderer* renderer);
    ~ManifoldScene();

    ManifoldScene(const ManifoldScene&) = delete;
    ManifoldScene& operator=(const ManifoldScene&) = delete;

    /// Shows a grid: the surface through its x, y, z (quads over the grid,
    /// smooth normals), recoloured with the current colouring. The scene keeps
    /// the grid (shared, not copied) to recolour it later. Same resolution as
    /// before: the VTK arrays are updated in place; otherwise the topology is
    /// rebuilt. The camera is reset for the first grid only. A marked vertex
    /// stays marked (at its new position) when the resolution is unchanged, and
    /// is cleared otherwise. A null or malformed grid is ignored.
    void setGrid(std::shared_ptr<const GridResult> grid);

    /// As above, with a copy of the grid.
    void setGrid(const GridResult& grid);

    /// The grid shown, or nullptr before the first setGrid().
    const GridResult* grid() const;

    /// Recolours the surface without touching its geometry. Signed fields use
    /// the cool-warm map centred at 0 (white at 0, saturation proportional to
    /// |t| / max(|t(lo)|, |t(hi)|)), where t is the value itself or, when
    /// logScale is set, its symmetric logarithm symlog(value, c) (c from
    /// symlogThreshold(), see chooseColourScale()); the colour bar then shows
    /// labels in the field's units at their symlog places. Non-negative fields
    /// use viridis, on a log10 scale when logScale is set and the range is
    /// positive. The range is lockedRange when given (field units on every
    /// scale), otherwise robustRange() of the values (1st..99th percentile).
    /// Vertices with NaN values are grey.
    void setColouring(ScalarField field, double alpha, bool logScale, std::optional<ValueRange> lockedRange);

    /// The colour range in use (field units, never transformed).
    ValueRange currentRange() const;

    /// The field shown.
    ScalarField field() const;

    /// Whether the colours are on a logarithmic scale: log10 (non-negative
    /// field, positive range) or symmetric log (signed field), as requested.
    bool logScaleActive() const;

    /// The colour scale in use: kind, range and symlog threshold. The lookup
    /// table maps colourScale().coordinate(value), which is what the surface's
    /// "colour coordinates" point array holds (its scalars stay the values).
    const ColourScale& colourScale() const;

    /// The colour bar's labels on a symmetric log scale (empty otherwise, when
    /// VTK labels the bar evenly in value).
    const std::vector<ColourBarLabel>& colourBarLabels() const;

    /// The per-vertex values the surface is coloured by (fieldValues() of the grid).
    const std::vector<double>& values() const;

    /// The colour bar's title (colourBarTitle()): the field's name and, on a
    /// second line, its units and the scale when logarithmic.
    const std::string& scalarBarTitle() const;

    /// Shows the rate-0 manifold as a translucent wireframe (about 33 lines per
    /// direction); nullptr hides it. The grid is copied.
    void setReferenceGrid(const GridResult* grid);

    /// Shows thin dark iso-parameter lines of the two free weights on the
    /// surface, about every 1/16 of each range.
    void setIsoLines(bool visible);

    /// Shows labelled axes around the surface's bounds with the given titles
    /// (x, y, z display coordinates).
    void setAxes(bool visible, std::array<std::string, 3> titles);

    /// Scales the axes' titles and labels, which are drawn in the 3-D scene
    /// and so do not follow VtkView::setTextScale (1 = normal size).
    void setAxesTextScale(double factor);

    /// A dark (true) or light gradient background; text and lines adapt.
    void setDarkBackground(bool dark);

    /// Looks at the whole surface from an oblique angle, z up.
    void resetCamera();

    /// Frames the whole surface from the current direction of view (after
    /// the surface has changed its extent, as with new ranges).
    void fitCamera();

    /// The grid index of the surface vertex nearest the surface point under a
    /// display position, or nothing when no surface is there. Display
    /// coordinates are VTK's: device pixels, origin at the bottom left (see
    /// VtkView::toDisplay()). Only the surface is pickable.
    std::optional<std::size_t> pickVertex(double displayX, double displayY) const;

    /// Shows a small sphere at a grid vertex (scaled to the surface), or hides it.
    void markVertex(std::optional<std::size_t> index);
    std::optional<std::size_t> markedVertex() const;

    /// @name The VTK objects, for inspection (tests) and export.
    ///@{
    vtkPolyData* surface() const;
    vtkLookupTable* lookupTable() const;
    vtkScalarBarActor* scalarBar() const;
    vtkActor* referenceActor() const;
    vtkActor* isoLinesActor() const;
    vtkActor* markerActor() const;
    vtkCubeAxesActor* axesActor() const;
    ///@}

private:
    struct Impl;
    std::unique_ptr<Impl> d_;
};

}  // namespace manifoldlens
