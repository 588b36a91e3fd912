#include "desktop_app.h"

#include "batch.h"
#include "main_window.h"
#include "vtk_view.h"

#include <QApplication>
#include <QMessageBox>
#include <QSurfaceFormat>

#include <iostream>

namespace manifoldlens {

int runDesktopApp(int argc, char** argv, const CommandLine& cl) {
    QSurfaceFormat::setDefaultFormat(VtkView::defaultFormat());
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("manifold-lens"));
    QApplication::setOrganizationName(QStringLiteral("ManifoldLens"));
    QApplication::setApplicationVersion(QStringLiteral(MANIFOLDLENS_VERSION));

    auto settings = std::make_shared<AppSettings>();
    ViewState state = settings->loadViewState();
    if (!cl.preset.empty()) state.presetSource = cl.preset;
    Preset preset;
    try {
        preset = loadPreset(state.presetSource);
    } catch (const std::exception& e) {
        if (!cl.preset.empty()) {
            std::cerr << "manifold-lens: preset '" << cl.preset << "': " << e.what() << '\n';
            return kExitBadInput;
        }
        state.presetSource = kDefaultPresetName;  // the remembered preset is gone: start on the default
        preset = loadPreset(state.presetSource);
    }
    if (!cl.preset.empty() || !settings->hasSavedState()) {
        // A preset named on the command line, or the first run, starts with the preset's own settings.
        const ComputeSettings fromPreset = defaultSettings(preset);
        state.compute.rate = fromPreset.rate;
        state.compute.aggregation = fromPreset.aggregation;
    }
    try {
        const ComputeSettings overridden = settingsFor(preset, cl);
        if (cl.rate) state.compute.rate = overridden.rate;
        if (cl.aggregation) state.compute.aggregation = overridden.aggregation;
        if (cl.alpha) state.compute.alpha = overridden.alpha;
        if (cl.resolution) state.compute.resolution = overridden.resolution;
    } catch (const std::exception& e) {
        std::cerr << "manifold-lens: " << e.what() << '\n';
        return kExitBadInput;
    }

    MainWindow window(state, settings);
    window.show();
    return QApplication::exec();
}

}  // namespace manifoldlens
