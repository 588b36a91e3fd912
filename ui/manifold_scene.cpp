#include "manifold_scene.h"

#include "scene_axes.h"
#include "scene_colouring.h"

#include <vtkActor.h>
#include <vtkCamera.h>
#include <vtkCellArray.h>
#include <vtkCellPicker.h>
#include <vtkDoubleArray.h>
#include <vtkFloatArray.h>
#include <vtkLightKit.h>
#include <vtkLookupTable.h>
#include <vtkMath.h>
#include <vtkNew.h>
#include <vtkPointData.h>
#include <vtkPoints.h>
#include <vtkPolyData.h>
#include <vtkPolyDataMapper.h>
#include <vtkProperty.h>
#include <vtkRenderer.h>
#include <vtkScalarBarActor.h>
#include <vtkSmartPointer.h>
#include <vtkSphereSource.h>
#include <vtkTextActor.h>
#include <vtkTextProperty.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace manifoldlens {

namespace {

constexpr int kTableSize = 256;
/// The point array the surface is coloured by: the lookup table's coordinates
/// of the values (see ColourScale::coordinate()).
constexpr const char* kColourArray = "colour coordinates";
/// Grid lines the reference wireframe draws per direction (about).
constexpr int kReferenceLines = 32;
/// Iso-parameter lines per direction (about).
constexpr int kIsoLines = 16;

/// Indices 0, step, 2 step, ... and always the last one, for about count intervals.
std::vector<int> lineIndices(int resolution, int count) {
    const int step = std::max(1, static_cast<int>(std::lround((resolution - 1) / static_cast<double>(count))));
    std::vector<int> out;
    for (int i = 0; i < resolution; i += step) out.push_back(i);
    if (out.back() != resolution - 1) out.push_back(resolution - 1);
    return out;
}

/// Polylines along the grid's rows and columns at the given indices, through
/// points stored at j * resolution + i.
vtkSmartPointer<vtkCellArray> gridLines(int resolution, const std::vector<int>& indices) {
    auto lines = vtkSmartPointer<vtkCellArray>::New();
    lines->AllocateExact(static_cast<vtkIdType>(2 * indices.size()),
                         static_cast<vtkIdType>(2 * indices.size()) * resolution);
    const auto id = [resolution](int i, int j) { return static_cast<vtkIdType>(j) * resolution + i; };
    for (int j : indices) {
        lines->InsertNextCell(resolution);
        for (int i = 0; i < resolution; ++i) lines->InsertCellPoint(id(i, j));
    }
    for (int i : indices) {
        lines->InsertNextCell(resolution);
        for (int j = 0; j < resolution; ++j) lines->InsertCellPoint(id(i, j));
    }
    return lines;
}

/// Copies the grid's x, y, z into a double array of matching size (in place
/// when the size is unchanged).
void copyPoints(const GridResult& g, vtkDoubleArray* coords) {
    const auto n = static_cast<vtkIdType>(g.spec.vertices());
    if (coords->GetNumberOfTuples() != n) coords->SetNumberOfTuples(n);
    double* p = coords->GetPointer(0);
    for (std::size_t k = 0; k < g.spec.vertices(); ++k) {
        p[3 * k] = g.x[k];
        p[3 * k + 1] = g.y[k];
        p[3 * k + 2] = g.z[k];
    }
    coords->Modified();
}

using Vec3 = std::array<double, 3>;

double dot(const Vec3& a, const Vec3& b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }
double norm(const Vec3& a) { return std::sqrt(dot(a, a)); }

Vec3 normalized(const Vec3& a) {
    const double n = norm(a);
    return n > 0.0 ? Vec3{a[0] / n, a[1] / n, a[2] / n} : a;
}

/// The part of a orthogonal to the unit vector n.
Vec3 orthogonalPart(const Vec3& a, const Vec3& n) {
    const double t = dot(a, n);
    return {a[0] - t * n[0], a[1] - t * n[1], a[2] - t * n[2]};
}

/// Calls f(corners, q) for each quad of a res x res grid of interleaved x, y,
/// z coordinates, q the cross product of the quad's diagonals (twice its
/// area vector, along x_u cross x_v).
template <class F>
void forEachQuad(const double* p, std::size_t res, F&& f) {
    for (std::size_t j = 0; j + 1 < res; ++j)
        for (std::size_t i = 0; i + 1 < res; ++i) {
            const std::array<std::size_t, 4> c{j * res + i, j * res + i + 1, (j + 1) * res + i + 1, (j + 1) * res + i};
            Vec3 d1, d2;
            for (std::size_t k = 0; k < 3; ++k) {
                d1[k] = p[3 * c[2] + k] - p[3 * c[0] + k];
                d2[k] = p[3 * c[3] + k] - p[3 * c[1] + k];
            }
            f(c, Vec3{d1[1] * d2[2] - d1[2] * d2[1], d1[2] * d2[0] - d1[0] * d2[2], d1[0] * d2[1] - d1[1] * d2[0]});
        }
}

/// A thin unlit line overlay, hidden until shown.
void setUpLines(vtkPolyData* data, vtkPolyDataMapper* mapper, vtkActor* actor, double opacity) {
    mapper->SetInputData(data);
    mapper->ScalarVisibilityOff();
    actor->SetMapper(mapper);
    vtkProperty* p = actor->GetProperty();
    p->SetOpacity(opacity);
    p->SetLineWidth(1.0f);
    p->LightingOff();
    actor->PickableOff();
    actor->SetVisibility(false);
}

}  // namespace

struct ManifoldScene::Impl {
    vtkRenderer* renderer = nullptr;
    std::shared_ptr<const GridResult> grid;
    int resolution = 0;  // of the topology built

    // Surface: points, scalars (the values) and colour coordinates updated in place.
    vtkNew<vtkPolyData> surface;
    vtkNew<vtkPoints> points;
    vtkNew<vtkDoubleArray> coords;
    vtkNew<vtkDoubleArray> scalars;
    vtkNew<vtkDoubleArray> colourCoords;
    vtkNew<vtkFloatArray> normals;
    vtkNew<vtkLookupTable> lut;
    vtkNew<vtkPolyDataMapper> surfaceMapper;
    vtkNew<vtkActor> surfaceActor;
    vtkSmartPointer<vtkScalarBarActor> scalarBar = vtk::TakeSmartPointer(newColourBar());
    vtkNew<vtkTextActor> barTitle;  // above the bar, right-aligned: long titles stay inside the view
    std::string barTitleText;
    vtkNew<vtkLightKit> lights;

    // Colouring.
    ScalarField field = ScalarField::GaussianCurvature;
    double alpha = 0.0;
    bool logRequested = false;
    std::optional<ValueRange> lockedRange;
    ColourScale scale;
    std::vector<ColourBarLabel> barLabels;
    std::vector<double> values;

    // Overlays.
    vtkNew<vtkPolyData> isoLines;  // shares the surface's points
    vtkNew<vtkPolyDataMapper> isoMapper;
    vtkNew<vtkActor> isoActor;
    bool isoVisible = false;

    vtkNew<vtkPolyData> reference;
    vtkNew<vtkPolyDataMapper> referenceMapper;
    vtkNew<vtkActor> referenceActor;

    std::unique_ptr<SceneAxes> axes;

    vtkNew<vtkSphereSource> markerSource;
    vtkNew<vtkPolyDataMapper> markerMapper;
    vtkNew<vtkActor> markerActor;
    std::optional<std::size_t> marked;

    vtkNew<vtkCellPicker> picker;
    bool dark = false;

    void buildTopology(int res);
    void updateNormals();
    void recolour();
    void updateAxesBounds();
    void updateMarker();
    void applyBackground();
    Vec3 defaultViewDirection() const;

    /// Every prop the scene adds to the renderer.
    std::array<vtkProp*, 6> props() const {
        return {surfaceActor, isoActor, referenceActor, markerActor, scalarBar, barTitle};
    }
};

Vec3 ManifoldScene::Impl::defaultViewDirection() const {
    // The classic oblique view of a 3-D plot, turned towards the surface's
    // face: a surface seen edge-on shows nothing. The face direction is the
    // one maximising the projected area, sum over quads of A (n . d)^2: the
    // top eigenvector of sum A n n^T (sign-blind, so folded and twisted
    // sheets count fully).
    const Vec3 classic = normalized({0.75, -1.3, 0.85});
    double tensor[3][3] = {};
    forEachQuad(coords->GetPointer(0), static_cast<std::size_t>(resolution), [&](const auto&, const Vec3& q) {
        const double area = norm(q);
        if (!(area > 0.0) || !std::isfinite(area)) return;
        for (std::size_t r = 0; r < 3; ++r)
            for (std::size_t k = 0; k < 3; ++k) tensor[r][k] += q[r] * q[k] / area;
    });
    double eigenvalues[3], vectors[3][3];
    vtkMath::Diagonalize3x3(tensor, eigenvalues, vectors);
    std::array<std::size_t, 3> order{0, 1, 2};
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return eigenvalues[a] > eigenvalues[b]; });
    if (!(eigenvalues[order[0]] > 0.0)) return classic;
    const auto column = [&](std::size_t k) { return Vec3{vectors[0][k], vectors[1][k], vectors[2][k]}; };
    Vec3 face = column(order[0]);
    if (dot(face, classic) < 0.0) face = {-face[0], -face[1], -face[2]};
    // Tilt about 25 degrees for depth, the way that loses the least area.
    Vec3 tilt = column(order[1]);
    if (dot(tilt, classic) < 0.0) tilt = {-tilt[0], -tilt[1], -tilt[2]};
    return normalized({face[0] + 0.47 * tilt[0], face[1] + 0.47 * tilt[1], face[2] + 0.47 * tilt[2]});
}

void ManifoldScene::Impl::buildTopology(int res) {
    resolution = res;
    vtkNew<vtkCellArray> quads;
    const vtkIdType cells = static_cast<vtkIdType>(res - 1) * (res - 1);
    quads->AllocateExact(cells, 4 * cells);
    for (int j = 0; j + 1 < res; ++j)
        for (int i = 0; i + 1 < res; ++i) {
            const vtkIdType a = static_cast<vtkIdType>(j) * res + i;
            // Counter-clockwise in (u, v): the normal is along x_u cross x_v.
            const vtkIdType quad[4] = {a, a + 1, a + 1 + res, a + res};
            quads->InsertNextCell(4, quad);
        }
    surface->SetPolys(quads);
    isoLines->SetLines(gridLines(res, lineIndices(res, kIsoLines)));
}

void ManifoldScene::Impl::updateNormals() {
    // Area-weighted quad normals (cross product of the diagonals) summed at the
    // corners: robust where a grid line collapses to a point.
    const auto n = static_cast<std::size_t>(resolution) * static_cast<std::size_t>(resolution);
    std::vector<Vec3> acc(n, Vec3{});
    forEachQuad(coords->GetPointer(0), static_cast<std::size_t>(resolution), [&](const auto& corners, const Vec3& q) {
        if (!std::isfinite(q[0] + q[1] + q[2])) return;
        for (std::size_t c : corners)
            for (std::size_t k = 0; k < 3; ++k) acc[c][k] += q[k];
    });
    if (normals->GetNumberOfTuples() != static_cast<vtkIdType>(n)) normals->SetNumberOfTuples(static_cast<vtkIdType>(n));
    float* out = normals->GetPointer(0);
    for (std::size_t k = 0; k < n; ++k) {
        const Vec3 u = norm(acc[k]) > 0.0 ? normalized(acc[k]) : Vec3{0.0, 0.0, 1.0};
        for (std::size_t c = 0; c < 3; ++c) out[3 * k + c] = static_cast<float>(u[c]);
    }
    normals->Modified();
}

void ManifoldScene::Impl::recolour() {
    if (!grid) return;
    const FieldInfo& info = fieldInfo(field);
    fieldValues(*grid, field, alpha, values);
    scale = chooseColourScale(values, info.isSigned, logRequested, lockedRange);

    const auto n = static_cast<vtkIdType>(values.size());
    for (vtkDoubleArray* a : {scalars.Get(), colourCoords.Get()})
        if (a->GetNumberOfTuples() != n) a->SetNumberOfTuples(n);
    std::copy(values.begin(), values.end(), scalars->GetPointer(0));
    std::transform(values.begin(), values.end(), colourCoords->GetPointer(0),
                   [this](double v) { return scale.coordinate(v); });
    scalars->Modified();
    colourCoords->Modified();

    fillLookupTable(lut, scale, info.isSigned, kTableSize);
    barLabels = symmetricLogLabels(scale);
    setColourBarLabels(scalarBar, barLabels);
    const bool anyUndefined = std::any_of(values.begin(), values.end(), [](double v) { return std::isnan(v); });
    barTitleText = colourBarTitle(info, scale, anyUndefined);
    barTitle->SetInput(barTitleText.c_str());
    scalarBar->SetVisibility(true);
    barTitle->SetVisibility(true);
}

void ManifoldScene::Impl::updateAxesBounds() {
    if (!grid) {
        axes->clearBounds();
        return;
    }
    double b[6];
    surface->GetBounds(b);
    axes->setBounds(b);
    axes->setCamera(renderer->GetActiveCamera());
}

void ManifoldScene::Impl::updateMarker() {
    if (!grid || !marked || *marked >= grid->spec.vertices()) {
        marked.reset();
        markerActor->SetVisibility(false);
        return;
    }
    const std::size_t k = *marked;
    const double diagonal = surface->GetLength();
    markerActor->SetPosition(grid->x[k], grid->y[k], grid->z[k]);
    markerActor->SetScale(0.012 * (diagonal > 0.0 ? diagonal : 1.0));
    markerActor->SetVisibility(true);
}

void ManifoldScene::Impl::applyBackground() {
    if (dark) {
        renderer->SetBackground(0.08, 0.09, 0.11);
        renderer->SetBackground2(0.22, 0.24, 0.29);
    } else {
        renderer->SetBackground(0.80, 0.83, 0.88);
        renderer->SetBackground2(0.99, 0.99, 1.0);
    }
    renderer->GradientBackgroundOn();
    const double text = dark ? 0.95 : 0.08;
    for (vtkTextProperty* t : {barTitle->GetTextProperty(), scalarBar->GetLabelTextProperty(),
                               scalarBar->GetAnnotationTextProperty()})
        t->SetColor(text, text, text);
    axes->setColours(text, dark ? 0.8 : 0.25);
    const double ref = dark ? 0.9 : 0.15;
    referenceActor->GetProperty()->SetColor(ref, ref, ref);
}

ManifoldScene::ManifoldScene(vtkRenderer* renderer) : d_(std::make_unique<Impl>()) {
    Impl& d = *d_;
    d.renderer = renderer;

    d.coords->SetNumberOfComponents(3);
    d.points->SetData(d.coords);
    d.surface->SetPoints(d.points);
    d.scalars->SetName("values");
    d.surface->GetPointData()->SetScalars(d.scalars);
    d.colourCoords->SetName(kColourArray);
    d.surface->GetPointData()->AddArray(d.colourCoords);
    d.normals->SetNumberOfComponents(3);
    d.normals->SetName("Normals");
    d.surface->GetPointData()->SetNormals(d.normals);

    d.surfaceMapper->SetInputData(d.surface);
    d.surfaceMapper->SetLookupTable(d.lut);
    d.surfaceMapper->UseLookupTableScalarRangeOn();
    d.surfaceMapper->SetScalarModeToUsePointFieldData();
    d.surfaceMapper->SelectColorArray(kColourArray);
    d.surfaceMapper->SetColorModeToMapScalars();
    d.surfaceMapper->ScalarVisibilityOn();
    // Interpolating values rather than colours keeps the map's colours exact
    // across a quad (RGB interpolation would grey out a diverging map).
    d.surfaceMapper->InterpolateScalarsBeforeMappingOn();
    // Push the surface back and the iso lines forward: they run along the
    // quads' edges and would otherwise be broken up by depth fighting.
    d.surfaceMapper->SetResolveCoincidentTopologyToPolygonOffset();
    d.surfaceMapper->SetRelativeCoincidentTopologyPolygonOffsetParameters(2.0, 4.0);
    d.surfaceActor->SetMapper(d.surfaceMapper);
    vtkProperty* sp = d.surfaceActor->GetProperty();
    sp->SetInterpolationToPhong();
    sp->SetAmbient(0.12);
    sp->SetDiffuse(0.85);
    sp->SetSpecular(0.25);
    sp->SetSpecularPower(30.0);
    sp->SetSpecularColor(1.0, 1.0, 1.0);
    d.surfaceActor->SetVisibility(false);

    d.isoLines->SetPoints(d.points);
    setUpLines(d.isoLines, d.isoMapper, d.isoActor, 0.55);
    d.isoActor->GetProperty()->SetColor(0.05, 0.05, 0.05);
    d.isoMapper->SetRelativeCoincidentTopologyLineOffsetParameters(-2.0, -8.0);
    setUpLines(d.reference, d.referenceMapper, d.referenceActor, 0.35);

    d.markerSource->SetRadius(1.0);
    d.markerSource->SetThetaResolution(24);
    d.markerSource->SetPhiResolution(16);
    d.markerMapper->SetInputConnection(d.markerSource->GetOutputPort());
    d.markerActor->SetMapper(d.markerMapper);
    d.markerActor->GetProperty()->SetColor(0.95, 0.1, 0.85);
    d.markerActor->GetProperty()->SetSpecular(0.4);
    d.markerActor->PickableOff();
    d.markerActor->SetVisibility(false);

    d.scalarBar->SetLookupTable(d.lut);
    vtkTextProperty* tp = d.barTitle->GetTextProperty();
    tp->SetFontFamilyToArial();
    tp->BoldOff();
    tp->ItalicOff();
    tp->ShadowOff();
    tp->SetFontSize(14);
    tp->SetJustificationToRight();
    tp->SetVerticalJustificationToTop();
    d.barTitle->GetPositionCoordinate()->SetCoordinateSystemToNormalizedViewport();
    d.barTitle->SetPosition(0.985, 0.975);
    d.barTitle->PickableOff();
    d.barTitle->SetVisibility(false);

    d.picker->SetTolerance(0.0005);
    d.picker->PickFromListOn();
    d.picker->AddPickList(d.surfaceActor);

    renderer->TwoSidedLightingOn();
    renderer->RemoveAllLights();
    d.lights->SetKeyLightIntensity(0.85);
    d.lights->AddLightsToRenderer(renderer);
    for (vtkProp* prop : d.props()) renderer->AddViewProp(prop);
    d.axes = std::make_unique<SceneAxes>(renderer);
    d.applyBackground();
}

ManifoldScene::~ManifoldScene() {
    Impl& d = *d_;
    d.lights->RemoveLightsFromRenderer(d.renderer);
    for (vtkProp* prop : d.props()) d.renderer->RemoveViewProp(prop);
}

void ManifoldScene::setGrid(const GridResult& grid) { setGrid(std::make_shared<const GridResult>(grid)); }

void ManifoldScene::setGrid(std::shared_ptr<const GridResult> grid) {
    Impl& d = *d_;
    if (!grid || grid->spec.resolution < 2 || grid->x.size() != grid->spec.vertices()) return;
    const bool first = d.grid == nullptr;
    const int res = grid->spec.resolution;
    d.grid = std::move(grid);
    const bool sameTopology = res == d.resolution;
    copyPoints(*d.grid, d.coords);
    d.points->Modified();
    if (!sameTopology) {
        d.buildTopology(res);
        d.marked.reset();
    }
    d.updateNormals();
    d.recolour();
    d.surface->Modified();
    d.isoLines->Modified();
    d.surfaceActor->SetVisibility(true);
    d.isoActor->SetVisibility(d.isoVisible);
    d.updateAxesBounds();
    d.updateMarker();
    if (first)
        resetCamera();
    else
        d.renderer->ResetCameraClippingRange();
}

const GridResult* ManifoldScene::grid() const { return d_->grid.get(); }

void ManifoldScene::setColouring(ScalarField field, double alpha, bool logScale,
                                 std::optional<ValueRange> lockedRange) {
    Impl& d = *d_;
    d.field = field;
    d.alpha = alpha;
    d.logRequested = logScale;
    d.lockedRange = lockedRange;
    d.recolour();
}

ValueRange ManifoldScene::currentRange() const { return d_->scale.range; }

ScalarField ManifoldScene::field() const { return d_->field; }

bool ManifoldScene::logScaleActive() const { return d_->scale.logarithmic(); }

const ColourScale& ManifoldScene::colourScale() const { return d_->scale; }

const std::vector<ColourBarLabel>& ManifoldScene::colourBarLabels() const { return d_->barLabels; }

const std::vector<double>& ManifoldScene::values() const { return d_->values; }

void ManifoldScene::setReferenceGrid(const GridResult* grid) {
    Impl& d = *d_;
    if (grid == nullptr || grid->spec.resolution < 2) {
        d.referenceActor->SetVisibility(false);
        return;
    }
    vtkNew<vtkPoints> points;
    vtkNew<vtkDoubleArray> coords;
    coords->SetNumberOfComponents(3);
    copyPoints(*grid, coords);
    points->SetData(coords);
    d.reference->SetPoints(points);
    const int res = grid->spec.resolution;
    d.reference->SetLines(gridLines(res, lineIndices(res, kReferenceLines)));
    d.reference->Modified();
    d.referenceActor->SetVisibility(true);
    d.renderer->ResetCameraClippingRange();
}

void ManifoldScene::setIsoLines(bool visible) {
    d_->isoVisible = visible;
    d_->isoActor->SetVisibility(visible && d_->grid != nullptr);
}

void ManifoldScene::setAxes(bool visible, std::array<std::string, 3> titles) {
    Impl& d = *d_;
    d.axes->setVisible(visible);
    d.axes->setTitles(titles);
    d.updateAxesBounds();
}

void ManifoldScene::setAxesTextScale(double factor) {
    d_->axes->setTextScale(factor);
}

void ManifoldScene::setDarkBackground(bool dark) {
    d_->dark = dark;
    d_->applyBackground();
}

void ManifoldScene::resetCamera() {
    Impl& d = *d_;
    if (d.grid) {
        double b[6];
        d.surface->GetBounds(b);
        const double c[3] = {(b[0] + b[1]) / 2, (b[2] + b[3]) / 2, (b[4] + b[5]) / 2};
        const Vec3 dir = d.defaultViewDirection();
        Vec3 up = orthogonalPart({0.0, 0.0, 1.0}, dir);
        if (norm(up) < 0.2) up = orthogonalPart({0.0, 1.0, 0.0}, dir);
        vtkCamera* camera = d.renderer->GetActiveCamera();
        camera->SetFocalPoint(c);
        camera->SetPosition(c[0] + dir[0], c[1] + dir[1], c[2] + dir[2]);
        camera->SetViewUp(up.data());
    }
    fitCamera();
}

void ManifoldScene::fitCamera() {
    Impl& d = *d_;
    if (!d.grid) {
        d.renderer->ResetCamera();
        return;
    }
    double b[6];
    d.surface->GetBounds(b);
    d.renderer->ResetCamera(b);
    vtkCamera* camera = d.renderer->GetActiveCamera();
    // Closer without axes; with them, room for their titles beside the surface.
    camera->Zoom(d.axes->visible() ? 0.9 : 1.1);
    d.renderer->ResetCameraClippingRange();
    d.axes->setCamera(camera);
}

std::optional<std::size_t> ManifoldScene::pickVertex(double displayX, double displayY) const {
    const Impl& d = *d_;
    if (!d.grid || !d.surfaceActor->GetVisibility()) return std::nullopt;
    if (d.picker->Pick(displayX, displayY, 0.0, d.renderer) == 0) return std::nullopt;
    if (d.picker->GetActor() != d.surfaceActor.Get()) return std::nullopt;
    // The cell picker reports the picked cell's point nearest the pick position.
    const vtkIdType id = d.picker->GetPointId();
    if (id < 0 || static_cast<std::size_t>(id) >= d.grid->spec.vertices()) return std::nullopt;
    return static_cast<std::size_t>(id);
}

void ManifoldScene::markVertex(std::optional<std::size_t> index) {
    d_->marked = index;
    d_->updateMarker();
}

std::optional<std::size_t> ManifoldScene::markedVertex() const { return d_->marked; }

vtkPolyData* ManifoldScene::surface() const { return d_->surface; }
vtkLookupTable* ManifoldScene::lookupTable() const { return d_->lut; }
vtkScalarBarActor* ManifoldScene::scalarBar() const { return d_->scalarBar; }
const std::string& ManifoldScene::scalarBarTitle() const { return d_->barTitleText; }
vtkActor* ManifoldScene::referenceActor() const { return d_->referenceActor; }
vtkActor* ManifoldScene::isoLinesActor() const { return d_->isoActor; }
vtkActor* ManifoldScene::markerActor() const { return d_->markerActor; }
vtkCubeAxesActor* ManifoldScene::axesActor() const { return d_->axes->actor(); }

}  // namespace manifoldlens
