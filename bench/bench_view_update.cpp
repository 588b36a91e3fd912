// How long a dropout-rate change takes to reach the screen in the desktop app:
// from the slider's new value to the rendered frame, for the quick preview and
// for the full grid. Needs a display:
//   xvfb-run -a -s '-screen 0 1600x1000x24' build/bench/bench_view_update --benchmark_repetitions=5

#include "app_settings.h"
#include "dropout_dock.h"
#include "main_window.h"
#include "vtk_view.h"

#include <benchmark/benchmark.h>

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QSurfaceFormat>
#include <QTemporaryDir>
#include <QTimer>

#include <memory>

namespace {

using namespace manifoldlens;

// Runs the event loop until the window has rendered a frame of the latest request
// (final or not, as asked) and returns the milliseconds since start.
double waitForFrame(MainWindow& window, const QElapsedTimer& start, bool final) {
    QEventLoop loop;
    double ms = -1.0;
    auto done = [&] {
        ms = static_cast<double>(start.nsecsElapsed()) * 1e-6;
        loop.quit();
    };
    const auto frame = QObject::connect(window.view(), &VtkView::rendered, &loop, [&] {
        if (window.displayedGrid() && (!final || window.displayedGridIsFinal())) done();
    });
    QTimer::singleShot(60000, &loop, &QEventLoop::quit);
    loop.exec();
    QObject::disconnect(frame);
    return ms;
}

void rateChangeToScreen(benchmark::State& state) {
    QTemporaryDir dir;
    ViewState view;
    view.compute.rate = 0.5;
    view.compute.resolution = static_cast<int>(state.range(0));
    MainWindow window(view, std::make_shared<AppSettings>(dir.filePath(QStringLiteral("settings.ini"))));
    window.resize(1400, 880);
    window.show();
    QElapsedTimer start;
    start.start();
    waitForFrame(window, start, true);

    double previewTotal = 0.0;
    int step = 0;
    for (auto _ : state) {
        start.start();
        window.dropoutDock()->setRate(0.3 + 0.01 * (step++ % 40));
        const double first = waitForFrame(window, start, false);
        const double final = window.displayedGridIsFinal() ? first : waitForFrame(window, start, true);
        previewTotal += first;
        state.SetIterationTime(final * 1e-3);
    }
    state.counters["first_frame_ms"] = benchmark::Counter(previewTotal / static_cast<double>(state.iterations()));
}

}  // namespace

BENCHMARK(rateChangeToScreen)->Arg(129)->Arg(257)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(20);

int main(int argc, char** argv) {
    QSurfaceFormat::setDefaultFormat(VtkView::defaultFormat());
    QApplication app(argc, argv);
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
