#pragma once
/// @file main_window.h
/// The main window: wires the docks, the 3-D view, the scene and the
/// background workers together. It computes no geometry itself.

#include "app_settings.h"
#include "compute_worker.h"
#include "grid.h"
#include "preset.h"
#include "probe_runner.h"
#include "view_state.h"

#include <QElapsedTimer>
#include <QMainWindow>

#include <memory>
#include <optional>

class QAction;
class QLabel;

namespace manifoldlens {

class ColourDock;
class DropoutDock;
class ManifoldScene;
class ModelDock;
class ProbeDock;
class ViewDock;
class VtkView;

class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    /// Opens on state: its preset (which must load; the caller falls back to
    /// the default preset otherwise) with the preset's ranges and the state's
    /// rate, aggregation, alpha, resolution and display options. settings
    /// persists the layout and state.
    MainWindow(const ViewState& state, std::shared_ptr<AppSettings> settings, QWidget* parent = nullptr);
    ~MainWindow() override;

    /// Loads a preset (a built-in name or a file); on failure shows an error
    /// dialog naming the problem and keeps the current model. Returns success.
    bool openPreset(const QString& source);

    const ViewState& state() const { return state_; }
    const Preset& preset() const { return *preset_; }
    /// The grid on screen (null before the first result).
    std::shared_ptr<const GridResult> displayedGrid() const { return grid_; }
    bool displayedGridIsFinal() const { return gridIsFinal_; }

    VtkView* view() const { return view_; }
    ManifoldScene& scene() const { return *scene_; }
    DropoutDock* dropoutDock() const { return dropoutDock_; }
    ProbeDock* probeDock() const { return probeDock_; }
    ComputeWorker* worker() const { return worker_; }

    /// Probes the vertex under a position of the view (logical pixels).
    /// Returns the grid index probed, nothing when no surface is there.
    std::optional<std::size_t> probeAt(QPointF viewPos);

    /// The ranges of the two free weights (until another preset is opened).
    void setRanges(double uLo, double uHi, double vLo, double vHi);

    /// The kernel and threads of the background computations (--scalar, --threads).
    void setComputeKernel(ComputeControl::Kernel kernel, int threads);

    void setPresentationMode(bool on);
    bool presentationMode() const { return presentation_.active; }

signals:
    /// A final grid of the latest request reached the screen.
    void finalFrameShown(quint64 generation);
    /// The latest request could not be computed (the status bar shows why).
    void computationFailed(const QString& message);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void buildDocks();
    void buildActions();
    void connectDocks();
    /// Shows a preset with its ranges; its dropout rate and aggregation too unless keepDropout.
    void applyPreset(std::shared_ptr<const Preset> preset, const QString& source, bool keepDropout);
    void requestCompute();
    void requestReference();
    void onResult(quint64 generation, std::shared_ptr<const GridResult> grid, bool final, const PassInfo& pass);
    void onReference(quint64 generation, std::shared_ptr<const GridResult> grid);
    void onFailed(quint64 generation, const QString& message);
    void setStatusMessage(const QString& text);
    /// Probes the weights of a vertex of the grid on screen.
    void probeVertex(std::size_t index);
    /// Shows the probe at the probed weights under the current settings and marks the nearest vertex.
    void showProbe();
    void recolour();
    void applyDisplayOptions();
    void updateStatus();
    void openPresetDialog();
    void saveSettings();

    ViewState state_;
    std::shared_ptr<AppSettings> settings_;
    std::shared_ptr<const Preset> preset_;
    std::shared_ptr<const GridResult> grid_;
    std::shared_ptr<const GridResult> reference_;
    bool gridIsFinal_ = false;
    std::optional<std::pair<double, double>> probed_;  ///< the probed (u, v)
    /// What the next grid does to the camera: a new preset looks at it
    /// afresh, new ranges frame it from the same direction.
    enum class CameraUpdate { Keep, Fit, Reset };
    CameraUpdate cameraOnNextGrid_ = CameraUpdate::Keep;

    VtkView* view_;
    std::unique_ptr<ManifoldScene> scene_;
    ComputeWorker* worker_;
    ComputeWorker* referenceWorker_;
    ProbeRunner* probeRunner_;
    ModelDock* modelDock_ = nullptr;
    DropoutDock* dropoutDock_ = nullptr;
    ColourDock* colourDock_ = nullptr;
    ViewDock* viewDock_ = nullptr;
    ProbeDock* probeDock_ = nullptr;
    QByteArray defaultLayout_;

    QLabel* statusGrid_;
    QLabel* statusTimes_;
    QLabel* statusInvalid_;
    QLabel* statusMessage_;
    PassInfo pass_;  ///< how grid_ was computed
    double renderMs_ = 0.0;
    double latencyMs_ = 0.0;
    QElapsedTimer sinceRequest_;
    bool awaitingFrame_ = false;
    quint64 displayedGeneration_ = 0;  ///< the worker's generation of grid_

    struct Presentation {
        bool active = false;
        QByteArray dockState;
        QFont font;
    } presentation_;
};

}  // namespace manifoldlens
