#include "desktop_app.h"

#include "atomic_file.h"
#include "batch.h"
#include "main_window.h"
#include "output_path.h"
#include "vtk_view.h"

#include <QApplication>
#include <QBuffer>
#include <QSurfaceFormat>
#include <QTemporaryDir>
#include <QTimer>

#include <iostream>

namespace manifoldlens {

namespace {

// How long --screenshot waits for the final frame before giving up.
constexpr int kScreenshotTimeoutMs = 120000;

// The state the window opens on: the saved one (or the command line's preset),
// with the command line's overrides. Throws UsageError on bad input.
ViewState initialState(const AppSettings& settings, const CommandLine& cl) {
    ViewState state = settings.loadViewState();
    Preset preset;
    if (!cl.preset.empty()) {
        state.presetSource = cl.preset;
        preset = presetFor(cl);
    } else {
        try {
            preset = loadPreset(state.presetSource);
        } catch (const std::exception&) {
            state.presetSource = kDefaultPresetName;  // the remembered preset is gone: start on the default
            preset = loadPreset(state.presetSource);
        }
    }
    if (!cl.preset.empty() || !settings.hasSavedState()) {
        // A preset named on the command line, or the first run, starts with the preset's own settings.
        const ComputeSettings fromPreset = defaultSettings(preset);
        state.compute.rate = fromPreset.rate;
        state.compute.aggregation = fromPreset.aggregation;
    }
    const ComputeSettings overridden = settingsFor(preset, cl);
    if (cl.rate) state.compute.rate = overridden.rate;
    if (cl.aggregation) state.compute.aggregation = overridden.aggregation;
    if (cl.alpha) state.compute.alpha = overridden.alpha;
    if (cl.resolution) state.compute.resolution = overridden.resolution;
    if (cl.scalar) state.kernel.kernel = ComputeControl::Kernel::Scalar;
    if (cl.threads) state.kernel.threads = *cl.threads;
    if (cl.field) state.display.field = *cl.field;
    if (cl.logScale) state.display.logScale = true;
    return state;
}

// Without a display the X11 platform aborts inside QApplication: say so
// instead. Where the platform is Qt's default, it falls back to offscreen when
// the display cannot be opened (no X server there), which checkPlatform()
// reports. Returns whether that fallback was set.
bool prepareDisplay() {
    const QByteArray platform = qgetenv("QT_QPA_PLATFORM");
    if ((platform.isEmpty() || platform == "xcb") && qEnvironmentVariableIsEmpty("DISPLAY") &&
        qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY"))
        throw UsageError("no display to open the window on (DISPLAY is not set); run it under xvfb-run, or use --probe / --export");
    if (!platform.isEmpty()) return false;
    qputenv("QT_QPA_PLATFORM", "xcb;offscreen");
    return true;
}

// Platforms without OpenGL windows cannot host the view.
void checkPlatform(bool fellBack) {
    const QString platform = QGuiApplication::platformName();
    if (fellBack && platform == QStringLiteral("offscreen"))
        throw UsageError("cannot open the display '" + qEnvironmentVariable("DISPLAY").toStdString() +
                         "' (is an X server running there?); run it under xvfb-run, or use --probe / --export");
    if (platform == QStringLiteral("offscreen") || platform == QStringLiteral("minimal"))
        throw UsageError("the Qt platform '" + platform.toStdString() +
                         "' (QT_QPA_PLATFORM) cannot show the OpenGL view; run it under xvfb-run, or use --probe / --export");
}

void saveScreenshot(MainWindow& window, const std::string& path) {
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    if (!window.grab().toImage().save(&buffer, "PNG")) throw FileError("cannot encode the window as PNG");
    writeFileAtomically(path, [&](std::ostream& out) { out.write(png.constData(), png.size()); });
}

// Everything after the command line's values are checked and before the event loop.
int openWindow(int argc, char** argv, const CommandLine& cl) {
    // A screenshot starts from the defaults and leaves the user's settings alone.
    const bool screenshot = !cl.screenshotPath.empty();
    QTemporaryDir scratch;
    auto settings = screenshot ? std::make_shared<AppSettings>(scratch.filePath(QStringLiteral("settings.ini")))
                               : std::make_shared<AppSettings>();
    const ViewState state = initialState(*settings, cl);
    if (screenshot) checkOutputPath("--screenshot", cl.screenshotPath, ".png");
    const bool fellBack = prepareDisplay();

    QSurfaceFormat::setDefaultFormat(VtkView::defaultFormat());
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("manifold-lens"));
    QApplication::setOrganizationName(QStringLiteral("ManifoldLens"));
    QApplication::setApplicationVersion(QStringLiteral(MANIFOLDLENS_VERSION));
    checkPlatform(fellBack);

    MainWindow window(state, settings);
    if (cl.uRange || cl.vRange) {
        const ComputeSettings& c = window.state().compute;
        const auto [uLo, uHi] = cl.uRange.value_or(std::make_pair(c.uLo, c.uHi));
        const auto [vLo, vHi] = cl.vRange.value_or(std::make_pair(c.vLo, c.vHi));
        window.setRanges(uLo, uHi, vLo, vHi);
    }
    if (cl.windowSize) window.resize(cl.windowSize->first, cl.windowSize->second);
    window.show();
    if (!screenshot) return QApplication::exec();

    int status = kExitInternal;
    // Queued: the frame signal comes from inside the view's paint, where grabbing would paint again.
    QObject::connect(&window, &MainWindow::finalFrameShown, &window, [&] {
        try {
            saveScreenshot(window, cl.screenshotPath);
            status = kExitOk;
        } catch (const FileError& e) {
            std::cerr << "manifold-lens: --screenshot: " << e.what() << '\n';
            status = kExitBadInput;
        }
        window.close();
    }, Qt::QueuedConnection);
    QObject::connect(&window, &MainWindow::computationFailed, &window, [&](const QString& message) {
        std::cerr << "manifold-lens: --screenshot: the surface was not computed: " << message.toStdString() << '\n';
        status = kExitBadInput;
        window.close();
    });
    QTimer::singleShot(kScreenshotTimeoutMs, &window, [&] {
        std::cerr << "manifold-lens: --screenshot: the surface was not drawn within " << kScreenshotTimeoutMs / 1000 << " s\n";
        window.close();
    });
    QApplication::exec();
    return status;
}

}  // namespace

int runDesktopApp(int argc, char** argv, const CommandLine& cl) {
    try {
        return openWindow(argc, argv, cl);
    } catch (const UsageError& e) {
        std::cerr << "manifold-lens: " << e.what() << '\n';
        return kExitBadInput;
    }
}

}  // namespace manifoldlens
