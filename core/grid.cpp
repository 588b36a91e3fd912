#include "grid.h"

#include "geometry.h"
#include "predictive.h"
#include "simd_grid.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace manifoldlens {

std::size_t GridSpec::nearestVertex(double u, double v) const {
    const auto nearest = [&](double x, double lo, double hi) {
        const double t = std::round((x - lo) / (hi - lo) * (resolution - 1));
        return static_cast<std::size_t>(std::clamp(t, 0.0, static_cast<double>(resolution - 1)));
    };
    return nearest(v, vLo, vHi) * static_cast<std::size_t>(resolution) + nearest(u, uLo, uHi);
}

std::vector<double> GridSpec::us() const {
    std::vector<double> x(static_cast<std::size_t>(resolution));
    for (int k = 0; k < resolution; ++k) x[static_cast<std::size_t>(k)] = u(k);
    return x;
}

std::vector<double> GridSpec::vs() const {
    std::vector<double> x(static_cast<std::size_t>(resolution));
    for (int k = 0; k < resolution; ++k) x[static_cast<std::size_t>(k)] = v(k);
    return x;
}

std::size_t GridResult::invalidCount() const {
    return static_cast<std::size_t>(std::count(valid.begin(), valid.end(), std::uint8_t{0}));
}

int computeThreads(const ComputeControl& control) {
    return control.threads > 0 ? control.threads : tbb::this_task_arena::max_concurrency();
}

std::string kernelName(const ComputeControl& control) {
    if (control.kernel == ComputeControl::Kernel::Scalar) return "scalar";
    return control.simdTarget != 0 ? simdTargetName(control.simdTarget) : simdTargetName();
}

namespace {
constexpr double kBlockWork = kBlockVertices * 4096.0;
constexpr int kMinBlockVertices = 8;
}  // namespace

int blockVertices(const Preset& preset, const ComputeSettings& settings) {
    return static_cast<int>(
        std::clamp(kBlockWork / vertexWork(preset, settings), double{kMinBlockVertices}, double{kBlockVertices}));
}

std::size_t passesPerPoll(const Preset& preset) {
    return static_cast<std::size_t>(std::max(1.0, std::floor(kBlockWork / (kMinBlockVertices * passWork(preset)))));
}

bool computeGridInto(GridResult& r, const Preset& preset, const ComputeSettings& settings,
                     const ComputeControl& control) {
    if (auto problem = checkSettings(settings)) throw std::invalid_argument(*problem);
    if (control.threads < 0) throw std::invalid_argument("threads must be >= 0, got " + std::to_string(control.threads));
    const bool simd = control.kernel == ComputeControl::Kernel::Simd;
    const int threads = computeThreads(control);
    if (auto problem = checkMemory(preset, settings, simd, threads, control.memoryLimit))
        throw std::invalid_argument(*problem);
    if (simd && control.simdTarget != 0) {
        const auto targets = simdTargets();
        if (std::find(targets.begin(), targets.end(), control.simdTarget) == targets.end())
            throw std::invalid_argument("SIMD target " + simdTargetName(control.simdTarget) + " is not available");
    }
    // Once the hook has answered true it is not asked again.
    std::atomic<bool> cancelled{false};
    const std::function<bool()> poll = [&] {
        if (!cancelled.load(std::memory_order_relaxed) && control.cancelled && control.cancelled()) cancelled = true;
        return cancelled.load(std::memory_order_relaxed);
    };
    const std::size_t every = passesPerPoll(preset);
    // Each kernel enumerates the masks into its own model (which may throw: out is still unchanged).
    const std::optional<DropoutModel> model =
        simd ? std::nullopt : std::optional(makeDropoutModel(preset, settings.rate, settings.aggregation));
    std::optional<SimdModel> simdModel;
    if (simd) {
        CancelPoll planPoll(poll, every);
        simdModel = makeSimdModel(preset, settings, planPoll);
    }
    r.spec.resolution = 0;  // no grid until every block is written (also if an allocation throws)
    if (simd && !simdModel) return false;
    const GridSpec spec = GridSpec::fromSettings(settings);
    const std::size_t count = spec.vertices();

    const std::vector<double> us = spec.us(), vs = spec.vs();  // each coordinate computed once
    const auto blockSize = static_cast<std::size_t>(blockVertices(preset, settings));
    const std::size_t blocks = (count + blockSize - 1) / blockSize;
    std::mutex progressMutex;
    std::size_t blocksDone = 0;
    auto runBlock = [&](std::size_t block, Predictive& pred, PredictiveScratch& predScratch, GeometryScratch& geoScratch) {
        if (poll()) return;
        CancelPoll inner(poll, every);  // within the block, for models whose vertex costs more than a block
        const auto res = static_cast<std::size_t>(spec.resolution);
        const std::size_t begin = block * blockSize;
        const std::size_t end = std::min(count, begin + blockSize);
        if (simd) {
            const SimdBlockOutput out{&r.x[begin],       &r.y[begin],       &r.z[begin],       &r.metricDet[begin],
                                      &r.gaussian[begin], &r.mean[begin],    &r.gammaEE[begin], &r.gammaEM[begin],
                                      &r.gammaMM[begin],  &r.penaltyExact[begin], &r.penaltyQuadratic[begin],
                                      &r.valid[begin]};
            if (!simdEvaluate(*simdModel, begin, end - begin, out, control.simdTarget, inner)) return;
        }
        for (std::size_t idx = simd ? end : begin; idx < end; ++idx) {
            const double u = us[idx % res];
            const double v = vs[idx / res];
            predictive(*model, u, v, pred, predScratch, &inner);
            if (inner.stopped()) return;
            const VertexGeometry g = geometry(pred, preset.bernoulli, geoScratch);
            r.x[idx] = g.point[0];
            r.y[idx] = g.point[1];
            r.z[idx] = g.point[2];
            r.metricDet[idx] = g.metricDet;
            r.gaussian[idx] = g.gaussian;
            r.mean[idx] = g.mean;
            r.gammaEE[idx] = g.gammaEE;
            r.gammaEM[idx] = g.gammaEM;
            r.gammaMM[idx] = g.gammaMM;
            r.penaltyExact[idx] = pred.penaltyExact;
            r.penaltyQuadratic[idx] = pred.penaltyQuadratic;
            r.valid[idx] = g.valid ? 1 : 0;
        }
        if (control.progress) {
            const std::lock_guard lock(progressMutex);
            control.progress(static_cast<double>(++blocksDone) / static_cast<double>(blocks));
        }
    };

    tbb::task_arena arena(threads);
    arena.execute([&] {
        // The result arrays are sized one per task: at a million vertices first
        // touching new pages costs about half as much as the kernel, and would
        // otherwise run on one thread (recycled arrays of the same size are
        // kept). A 4097 x 4097 array takes tens of ms: cancellation is polled
        // before each.
        std::vector<double>* const fields[] = {&r.x,       &r.y,       &r.z,       &r.metricDet,    &r.gaussian,
                                               &r.mean,    &r.gammaEE, &r.gammaEM, &r.gammaMM,      &r.penaltyExact,
                                               &r.penaltyQuadratic};
        constexpr std::size_t kFields = sizeof(fields) / sizeof(fields[0]);
        tbb::parallel_for(std::size_t{0}, kFields + 1, [&](std::size_t f) {
            if (poll()) return;
            if (f < kFields)
                fields[f]->resize(count);
            else
                r.valid.resize(count);
        });
        // One block per task: each vertex is independent, so the partition does not change any result.
        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, blocks, 1), [&](const tbb::blocked_range<std::size_t>& range) {
            Predictive pred;
            PredictiveScratch predScratch;
            GeometryScratch geoScratch;
            for (std::size_t block = range.begin(); block != range.end(); ++block) runBlock(block, pred, predScratch, geoScratch);
        });
    });
    if (cancelled) return false;
    r.spec = spec;
    return true;
}

std::optional<GridResult> computeGrid(const Preset& preset, const ComputeSettings& settings,
                                      const ComputeControl& control) {
    GridResult r;
    if (!computeGridInto(r, preset, settings, control)) return std::nullopt;
    return r;
}

}  // namespace manifoldlens
