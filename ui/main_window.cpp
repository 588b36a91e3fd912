#include "main_window.h"

#include "builtin_presets.h"
#include "colour_dock.h"
#include "compute_worker.h"
#include "dropout_dock.h"
#include "geometry.h"
#include "grid.h"
#include "manifold_scene.h"
#include "model_dock.h"
#include "probe_dock.h"
#include "view_dock.h"
#include "vtk_view.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QFileDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QSignalBlocker>
#include <QStatusBar>
#include <QTimer>

#include <algorithm>
#include <cmath>

namespace manifoldlens {

namespace {

// Presentation mode enlarges every text, Qt's and the view's, by this factor.
constexpr double kPresentationTextScale = 1.5;

// How long a probe may take before the probe dock says it is on its way.
constexpr int kProbePendingMs = 200;

// How long a computation runs before the status bar estimates the time left.
constexpr double kEstimateAfterMs = 2000.0;

// " (about 40 s left)", " (about 3 min left)": the time so far scaled by the
// fraction still to do, once a computation has run a while; empty before.
QString timeLeft(double elapsedMs, double fraction) {
    if (elapsedMs < kEstimateAfterMs || fraction < 0.01 || fraction >= 1.0) return {};
    const double seconds = elapsedMs * 1e-3 * (1.0 - fraction) / fraction;
    if (seconds < 90.0) return MainWindow::tr(" (about %1 s left)").arg(std::max(1, static_cast<int>(std::ceil(seconds))));
    if (seconds < 5400.0) return MainWindow::tr(" (about %1 min left)").arg(static_cast<int>(std::ceil(seconds / 60.0)));
    return MainWindow::tr(" (about %1 h left)").arg(seconds / 3600.0, 0, 'f', 1);
}

}  // namespace

MainWindow::MainWindow(const ViewState& state, std::shared_ptr<AppSettings> settings, QWidget* parent)
    : QMainWindow(parent),
      state_(state),
      settings_(std::move(settings)),
      view_(new VtkView(this)),
      worker_(new ComputeWorker(this)),
      referenceWorker_(new ComputeWorker(this)),
      probeRunner_(new ProbeRunner(this)),
      statusGrid_(new QLabel),
      statusTimes_(new QLabel),
      statusInvalid_(new QLabel),
      statusMessage_(new QLabel) {
    setWindowTitle(QStringLiteral("Manifold Lens"));
    setCentralWidget(view_);
    scene_ = std::make_unique<ManifoldScene>(view_->renderer());
    buildDocks();
    buildActions();
    connectDocks();
    for (QLabel* label : {statusGrid_, statusTimes_, statusInvalid_}) statusBar()->addPermanentWidget(label);
    statusBar()->addWidget(statusMessage_, 1);
    resize(1400, 900);
    defaultLayout_ = saveState();
    if (!settings_->windowGeometry().isEmpty()) restoreGeometry(settings_->windowGeometry());
    if (!settings_->windowState().isEmpty()) restoreState(settings_->windowState());
    modelDock_->setRecentFiles(settings_->recentFiles());

    connect(worker_, &ComputeWorker::resultReady, this, &MainWindow::onResult);
    connect(worker_, &ComputeWorker::failed, this, &MainWindow::onFailed);
    connect(worker_, &ComputeWorker::progress, this, [this](quint64, double f) {
        const double elapsedMs = static_cast<double>(sinceRequest_.nsecsElapsed()) * 1e-6;
        setStatusMessage(tr("Computing... %1%%2").arg(int(f * 100)).arg(timeLeft(elapsedMs, f)));
    });
    connect(probeRunner_, &ProbeRunner::reportReady, probeDock_, &ProbeDock::showReport);
    connect(probeRunner_, &ProbeRunner::failed, this,
            [this](const QString& message) { probeDock_->showMessage(tr("Not probed: %1").arg(message)); });
    connect(referenceWorker_, &ComputeWorker::resultReady, this, &MainWindow::onReference);
    connect(referenceWorker_, &ComputeWorker::failed, this, [this] { onReference(0, nullptr); });
    connect(view_, &VtkView::rendered, this, [this](double ms) {
        renderMs_ = ms;
        const bool frameAwaited = awaitingFrame_;
        if (awaitingFrame_) {
            awaitingFrame_ = false;
            latencyMs_ = static_cast<double>(sinceRequest_.nsecsElapsed()) * 1e-6;
        }
        updateStatus();  // before the signal: its receivers see the status of the frame
        if (frameAwaited && gridIsFinal_) emit finalFrameShown(displayedGeneration_);
    });
    connect(view_, &VtkView::clicked, this, [this](QPointF pos) { probeAt(pos); });
    connect(view_, &VtkView::hoveredWithModifier, this, [this](QPointF pos) { probeAt(pos); });

    applyPreset(std::make_shared<const Preset>(loadPreset(state_.presetSource)), QString::fromStdString(state_.presetSource),
                true);
    colourDock_->showOptions(state_.display, state_.compute.alpha);
    viewDock_->showOptions(state_.display);
    applyDisplayOptions();
    setComputeKernel(state_.kernel.kernel, state_.kernel.threads);  // requests the first grid
    requestReference();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildDocks() {
    modelDock_ = new ModelDock(this);
    dropoutDock_ = new DropoutDock(this);
    colourDock_ = new ColourDock(this);
    viewDock_ = new ViewDock(this);
    probeDock_ = new ProbeDock(this);
    addDockWidget(Qt::LeftDockWidgetArea, modelDock_);
    addDockWidget(Qt::LeftDockWidgetArea, dropoutDock_);
    addDockWidget(Qt::RightDockWidgetArea, colourDock_);
    addDockWidget(Qt::RightDockWidgetArea, viewDock_);
    addDockWidget(Qt::RightDockWidgetArea, probeDock_);
}

void MainWindow::buildActions() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("&Open preset..."), this, &MainWindow::openPresetDialog);
    open->setShortcut(QKeySequence::Open);
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));

    QMenu* viewMenu = menuBar()->addMenu(tr("&View"));
    QAction* reset = viewMenu->addAction(tr("&Reset camera"), this, [this] {
        scene_->resetCamera();
        view_->update();
    });
    reset->setShortcut(Qt::Key_R);
    QAction* presentation = viewMenu->addAction(tr("&Presentation mode"), this, [this] { setPresentationMode(!presentation_.active); });
    presentation->setShortcut(Qt::Key_F11);
    viewMenu->addAction(tr("Reset &layout"), this, [this] {
        for (QDockWidget* dock : findChildren<QDockWidget*>()) dock->setFloating(false);
        restoreState(defaultLayout_);
    });
    viewMenu->addSeparator();
    for (QDockWidget* dock : findChildren<QDockWidget*>()) viewMenu->addAction(dock->toggleViewAction());

    QMenu* dropout = menuBar()->addMenu(tr("&Dropout"));
    QAction* up = dropout->addAction(tr("Rate +0.05"), this, [this] { dropoutDock_->stepRate(0.05); });
    up->setShortcuts({QKeySequence(Qt::Key_Plus), QKeySequence(Qt::Key_Equal)});
    QAction* down = dropout->addAction(tr("Rate -0.05"), this, [this] { dropoutDock_->stepRate(-0.05); });
    down->setShortcut(Qt::Key_Minus);
    QAction* play = dropout->addAction(tr("Play / pause"), this, [this] { dropoutDock_->togglePlaying(); });
    play->setShortcut(Qt::Key_Space);
    // The window's own shortcuts work wherever focus is, docks included, and
    // also in presentation mode, where the menu bar holding them is hidden.
    for (QAction* a : {open, quit, reset, presentation, up, down, play}) {
        a->setShortcutContext(Qt::WindowShortcut);
        addAction(a);
    }
}

void MainWindow::connectDocks() {
    connect(modelDock_, &ModelDock::presetChosen, this, &MainWindow::openPreset);
    connect(modelDock_, &ModelDock::openPresetFileRequested, this, &MainWindow::openPresetDialog);
    connect(modelDock_, &ModelDock::rangesChanged, this, &MainWindow::setRanges);
    connect(modelDock_, &ModelDock::kernelChanged, this, &MainWindow::setComputeKernel);
    connect(modelDock_, &ModelDock::resolutionChanged, this, [this](int n) {
        state_.compute.resolution = n;
        requestCompute();
    });
    connect(dropoutDock_, &DropoutDock::rateChanged, this, [this](double rate) {
        state_.compute.rate = rate;
        requestCompute();
    });
    connect(dropoutDock_, &DropoutDock::aggregationChanged, this, [this](Aggregation a) {
        state_.compute.aggregation = a;
        requestCompute();
    });
    connect(colourDock_, &ColourDock::fieldChanged, this, [this](ScalarField f) {
        state_.display.field = f;
        recolour();
    });
    connect(colourDock_, &ColourDock::alphaChanged, this, [this](double alpha) {
        state_.compute.alpha = alpha;
        recolour();
    });
    connect(colourDock_, &ColourDock::logScaleChanged, this, [this](bool on) {
        state_.display.logScale = on;
        recolour();
    });
    connect(colourDock_, &ColourDock::rangeChanged, this, [this](bool locked, ValueRange range) {
        state_.display.lockRange = locked;
        state_.display.lockedRange = range;
        recolour();
    });
    connect(viewDock_, &ViewDock::referenceOverlayChanged, this, [this](bool on) {
        state_.display.referenceOverlay = on;
        applyDisplayOptions();
        requestReference();
    });
    connect(viewDock_, &ViewDock::isoLinesChanged, this, [this](bool on) {
        state_.display.isoLines = on;
        applyDisplayOptions();
    });
    connect(viewDock_, &ViewDock::axesChanged, this, [this](bool on) {
        state_.display.axes = on;
        applyDisplayOptions();
    });
    connect(viewDock_, &ViewDock::darkBackgroundChanged, this, [this](bool on) {
        state_.display.darkBackground = on;
        applyDisplayOptions();
    });
    connect(viewDock_, &ViewDock::resetCameraRequested, this, [this] {
        scene_->resetCamera();
        view_->update();
    });
}

bool MainWindow::openPreset(const QString& source) {
    std::shared_ptr<const Preset> preset;
    try {
        preset = std::make_shared<const Preset>(loadPreset(source.toStdString()));
    } catch (const PresetError& e) {
        const QString where = e.path().empty() ? QString() : tr("At %1: ").arg(QString::fromStdString(e.path()));
        QMessageBox::critical(this, tr("Invalid preset"),
                              tr("The preset %1 is not valid and was not opened.\n\n%2%3")
                                  .arg(source, where, QString::fromStdString(e.what())));
        modelDock_->showPreset(*preset_, QString::fromStdString(state_.presetSource));
        return false;
    } catch (const std::exception& e) {
        QMessageBox::critical(this, tr("Cannot open preset"), QString::fromStdString(e.what()));
        modelDock_->showPreset(*preset_, QString::fromStdString(state_.presetSource));
        return false;
    }
    if (!builtinPresetText(source.toStdString())) {
        settings_->addRecentFile(source);
        modelDock_->setRecentFiles(settings_->recentFiles());
    }
    applyPreset(std::move(preset), source, false);
    cameraOnNextGrid_ = CameraUpdate::Reset;
    requestCompute();
    requestReference();
    return true;
}

void MainWindow::applyPreset(std::shared_ptr<const Preset> preset, const QString& source, bool keepDropout) {
    preset_ = std::move(preset);
    state_.presetSource = source.toStdString();
    const ComputeSettings fromPreset = defaultSettings(*preset_);
    if (!keepDropout) {
        state_.compute.rate = fromPreset.rate;
        state_.compute.aggregation = fromPreset.aggregation;
    }
    state_.compute.uLo = fromPreset.uLo;
    state_.compute.uHi = fromPreset.uHi;
    state_.compute.vLo = fromPreset.vLo;
    state_.compute.vHi = fromPreset.vHi;
    grid_.reset();
    reference_.reset();
    scene_->setReferenceGrid(nullptr);
    probed_.reset();
    probeRunner_->cancel();
    probeDock_->clear();
    modelDock_->showPreset(*preset_, source);
    modelDock_->showSettings(state_.compute);
    {
        // Shown, not requested: the callers request the computation.
        const QSignalBlocker block(dropoutDock_);
        dropoutDock_->setHasSites(preset_->hasDropoutSites());
        dropoutDock_->setRate(state_.compute.rate);
        dropoutDock_->showAggregation(state_.compute.aggregation);
    }
    scene_->setAxes(state_.display.axes, displayCoordinateNames(*preset_));
    setWindowTitle(QStringLiteral("Manifold Lens - %1").arg(QString::fromStdString(preset_->title.empty() ? preset_->name : preset_->title)));
}

// Invalid settings are requested too: the worker cancels the computation in
// progress (its grid would no longer match the settings) and answers failed().
void MainWindow::requestCompute() {
    sinceRequest_.start();
    worker_->request(preset_, state_.compute);
}

void MainWindow::requestReference() {
    if (!state_.display.referenceOverlay) return;
    ComputeSettings reference = state_.compute;
    reference.rate = 0.0;
    reference.resolution = spec::kPreviewResolution;
    referenceWorker_->request(preset_, reference);
}

// The worker emits results of its latest request only.
void MainWindow::onResult(quint64 generation, std::shared_ptr<const GridResult> grid, bool final, const PassInfo& pass) {
    displayedGeneration_ = generation;
    grid_ = std::move(grid);
    gridIsFinal_ = final;
    pass_ = pass;
    if (final) setStatusMessage({});
    scene_->setGrid(grid_);
    if (cameraOnNextGrid_ == CameraUpdate::Reset) scene_->resetCamera();
    if (cameraOnNextGrid_ == CameraUpdate::Fit) scene_->fitCamera();
    cameraOnNextGrid_ = CameraUpdate::Keep;
    recolour();
    showProbe();  // the probed weights under the new settings
    awaitingFrame_ = true;
    view_->update();
}

void MainWindow::onReference(quint64, std::shared_ptr<const GridResult> grid) {
    reference_ = std::move(grid);
    applyDisplayOptions();
}

// The message's tooltip holds the whole text where the status bar cuts it.
void MainWindow::setStatusMessage(const QString& text) {
    statusMessage_->setText(text);
    statusMessage_->setToolTip(text);
}

void MainWindow::onFailed(quint64, const QString& message) {
    setStatusMessage(tr("Not computed: %1").arg(message));
    emit computationFailed(message);
}

void MainWindow::recolour() {
    if (!grid_) return;
    const DisplayOptions& d = state_.display;
    scene_->setColouring(d.field, state_.compute.alpha, d.logScale, d.lockRange ? std::optional<ValueRange>(d.lockedRange) : std::nullopt);
    colourDock_->showCurrentRange(scene_->currentRange());
    view_->update();
}

void MainWindow::applyDisplayOptions() {
    const DisplayOptions& d = state_.display;
    scene_->setReferenceGrid(d.referenceOverlay && reference_ ? reference_.get() : nullptr);
    scene_->setIsoLines(d.isoLines);
    scene_->setAxes(d.axes, displayCoordinateNames(*preset_));
    scene_->setDarkBackground(d.darkBackground);
    view_->update();
}

std::optional<std::size_t> MainWindow::probeAt(QPointF viewPos) {
    if (!grid_) return std::nullopt;
    const QPointF display = view_->toDisplay(viewPos);
    const std::optional<std::size_t> index = scene_->pickVertex(display.x(), display.y());
    if (index) probeVertex(*index);
    return index;
}

void MainWindow::probeVertex(std::size_t index) {
    const auto res = static_cast<std::size_t>(grid_->spec.resolution);
    probed_ = std::make_pair(grid_->spec.u(static_cast<int>(index % res)), grid_->spec.v(static_cast<int>(index / res)));
    showProbe();
}

void MainWindow::showProbe() {
    if (!probed_ || !grid_) return;
    const auto [u, v] = *probed_;
    if (auto problem = checkSettings(state_.compute)) {
        probeRunner_->cancel();
        probeDock_->showMessage(tr("Not probed: %1").arg(QString::fromStdString(*problem)));
        return;
    }
    probeRunner_->request(preset_, state_.compute, u, v);
    // The values shown are of the previous probe until the new ones come:
    // where they take long (a large model), say so instead.
    QTimer::singleShot(kProbePendingMs, probeRunner_, [this] {
        if (probeRunner_->busy()) probeDock_->showMessage(tr("Evaluating the probed vertex..."));
    });
    // Mark the vertex of the grid on screen nearest the probed weights (the preview grid is coarser).
    scene_->markVertex(grid_->spec.nearestVertex(u, v));
    view_->update();
}

void MainWindow::updateStatus() {
    if (!grid_) return;
    statusGrid_->setText(tr("%1 x %1%2").arg(grid_->spec.resolution).arg(gridIsFinal_ ? QString() : tr(" (preview)")));
    // How the grid on screen was computed: the SIMD target (e.g. AVX3) or the scalar reference.
    const QString compute = tr("compute %1 ms (%2, %3)")
                                .arg(pass_.milliseconds, 0, 'f', 1)
                                .arg(pass_.kernel, pass_.threads == 1 ? tr("1 thread") : tr("%1 threads").arg(pass_.threads));
    statusTimes_->setText(tr("%1%2 | render %3 ms | update %4 ms")
                              .arg(compute, pass_.reused ? tr(", reused") : QString())
                              .arg(renderMs_, 0, 'f', 1)
                              .arg(latencyMs_, 0, 'f', 0));
    const std::size_t invalid = grid_->invalidCount();
    statusInvalid_->setText(invalid == 1 ? tr("1 invalid vertex") : tr("%1 invalid vertices").arg(invalid));
}

void MainWindow::openPresetDialog() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Open preset"), QString(), tr("Presets (*.json);;All files (*)"));
    if (!path.isEmpty()) openPreset(path);
}

void MainWindow::setRanges(double uLo, double uHi, double vLo, double vHi) {
    state_.compute.uLo = uLo;
    state_.compute.uHi = uHi;
    state_.compute.vLo = vLo;
    state_.compute.vHi = vHi;
    modelDock_->showSettings(state_.compute);
    if (cameraOnNextGrid_ == CameraUpdate::Keep) cameraOnNextGrid_ = CameraUpdate::Fit;
    requestCompute();
    requestReference();
}

void MainWindow::setComputeKernel(ComputeControl::Kernel kernel, int threads) {
    state_.kernel = {kernel, threads};
    modelDock_->showKernel(kernel, threads);
    worker_->setKernel(kernel, threads);
    referenceWorker_->setKernel(kernel, threads);
    requestCompute();
}

void MainWindow::setPresentationMode(bool on) {
    if (on == presentation_.active) return;
    presentation_.active = on;
    if (on) {
        presentation_.dockState = saveState();
        presentation_.font = QApplication::font();
        for (QDockWidget* dock : findChildren<QDockWidget*>()) dock->hide();
        menuBar()->hide();
        QFont large = presentation_.font;
        large.setPointSizeF(large.pointSizeF() * kPresentationTextScale);
        QApplication::setFont(large);
        view_->setTextScale(kPresentationTextScale);
        scene_->setAxesTextScale(kPresentationTextScale);
        showFullScreen();
    } else {
        QApplication::setFont(presentation_.font);
        view_->setTextScale(1.0);
        scene_->setAxesTextScale(1.0);
        menuBar()->show();
        showNormal();
        restoreState(presentation_.dockState);
    }
}

void MainWindow::saveSettings() {
    settings_->saveViewState(state_);
    settings_->saveWindow(saveGeometry(), presentation_.active ? presentation_.dockState : saveState());
    settings_->sync();
}

void MainWindow::closeEvent(QCloseEvent* event) {
    dropoutDock_->setPlaying(false);
    saveSettings();
    event->accept();
}

}  // namespace manifoldlens
