// Full grid recompute of each built-in preset: SIMD kernel vs the scalar
// reference, one thread vs all hardware threads, at 129^2 .. 1025^2 vertices.
// Counters: ns_per_vertex (total wall time / (iterations x vertices)),
// threads, bytes_per_vertex (peak bytes of the result arrays per vertex); the
// label names the kernel and the Highway target that ran. Every iteration
// recomputes every vertex into the previous iteration's arrays (the first one
// allocates them), as the GUI's worker does.
//   build/bench/bench_grid --benchmark_repetitions=5 --benchmark_report_aggregates_only=true

#include "builtin_presets.h"
#include "grid.h"

#include <benchmark/benchmark.h>

#include <chrono>
#include <string>
#include <utility>

namespace {

using namespace manifoldlens;

std::size_t resultBytes(const GridResult& r) {
    std::size_t bytes = r.valid.capacity() * sizeof(std::uint8_t);
    for (const auto* f : {&r.x, &r.y, &r.z, &r.metricDet, &r.gaussian, &r.mean, &r.gammaEE, &r.gammaEM, &r.gammaMM,
                          &r.penaltyExact, &r.penaltyQuadratic})
        bytes += f->capacity() * sizeof(double);
    return bytes;
}

// range(0): resolution; range(1): 1 = SIMD, 0 = scalar; range(2): threads (0 = all).
void fullRecompute(benchmark::State& state, const std::string& presetName) {
    const Preset preset = loadPreset(presetName);
    ComputeSettings settings = defaultSettings(preset);
    settings.resolution = static_cast<int>(state.range(0));
    ComputeControl control;
    control.kernel = state.range(1) ? ComputeControl::Kernel::Simd : ComputeControl::Kernel::Scalar;
    control.threads = static_cast<int>(state.range(2));
    const int threads = computeThreads(control);
    double totalNs = 0.0;
    std::size_t bytes = 0;
    // Each recompute overwrites the arrays of the one before, as the GUI does.
    GridResult grid;
    for (auto _ : state) {
        const auto start = std::chrono::steady_clock::now();
        computeGridInto(grid, preset, settings, control);
        totalNs += std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count();
        bytes = resultBytes(grid);
        benchmark::DoNotOptimize(grid);
    }
    const double vertices = static_cast<double>(settings.resolution) * settings.resolution;
    state.counters["ns_per_vertex"] = totalNs / (static_cast<double>(state.iterations()) * vertices);
    state.counters["threads"] = threads;
    state.counters["bytes_per_vertex"] = static_cast<double>(bytes) / vertices;
    state.SetLabel(kernelName(control));
}

void arguments(benchmark::internal::Benchmark* b) {
    for (int simd : {1, 0})
        for (int threads : {1, 0})
            for (int res : {129, 257, 513, 1025}) b->Args({res, simd, threads});
    b->ArgNames({"res", "simd", "threads"})->Unit(benchmark::kMillisecond)->UseRealTime();
}

}  // namespace

BENCHMARK_CAPTURE(fullRecompute, logistic_input_dropout, std::string("logistic-input-dropout"))->Apply(arguments);
BENCHMARK_CAPTURE(fullRecompute, single_hidden_unit, std::string("single-hidden-unit"))->Apply(arguments);
BENCHMARK_CAPTURE(fullRecompute, trinomial_simplex, std::string("trinomial-simplex"))->Apply(arguments);

BENCHMARK_MAIN();
