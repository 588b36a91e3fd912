// Full grid recompute of each built-in preset: nanoseconds per vertex.
//   build/bench/bench_grid --benchmark_repetitions=5 --benchmark_report_aggregates_only=true

#include "builtin_presets.h"
#include "grid.h"

#include <benchmark/benchmark.h>

#include <string>

namespace {

using namespace manifoldlens;

void fullRecompute(benchmark::State& state, const std::string& presetName) {
    const Preset preset = loadPreset(presetName);
    ComputeSettings settings = defaultSettings(preset);
    settings.resolution = static_cast<int>(state.range(0));
    for (auto _ : state) {
        auto grid = computeGrid(preset, settings);
        benchmark::DoNotOptimize(grid);
    }
    const double vertices = static_cast<double>(settings.resolution) * settings.resolution;
    state.counters["ns_per_vertex"] =
        benchmark::Counter(vertices * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
    state.counters["ns_per_vertex"].value *= 1e9;
}

}  // namespace

BENCHMARK_CAPTURE(fullRecompute, logistic_input_dropout, std::string("logistic-input-dropout"))
    ->Arg(129)->Arg(257)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(fullRecompute, single_hidden_unit, std::string("single-hidden-unit"))
    ->Arg(129)->Arg(257)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(fullRecompute, trinomial_simplex, std::string("trinomial-simplex"))
    ->Arg(129)->Arg(257)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
