#include "batch.h"

#include "atomic_file.h"
#include "builtin_presets.h"
#include "grid.h"
#include "grid_csv.h"
#include "output_path.h"
#include "vertex.h"
#include "vertex_json.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <tuple>
#include <utility>
#include <vector>

namespace manifoldlens {

namespace {

void listPresets(std::ostream& out) {
    for (const std::string& name : builtinPresetNames()) {
        const Preset p = loadPreset(name);
        out << name << (name == kDefaultPresetName ? " (default)" : "") << "  " << p.title << '\n';
    }
}

void exportGrid(const Preset& preset, const ComputeSettings& settings, const std::string& path,
                const ComputeControl& control) {
    checkOutputPath("--export", path, ".csv");
    const GridResult grid = *computeGrid(preset, settings, control);
    writeFileAtomically(path, [&](std::ostream& out) { writeGridCsv(out, grid, settings.alpha); });
}

// Median wall time in ms of full recomputes: one warm-up, then `runs` timed
// ones, each into the arrays of the one before, as the GUI recomputes.
double medianMilliseconds(const Preset& preset, const ComputeSettings& settings, const ComputeControl& control,
                          int runs) {
    GridResult grid;
    computeGridInto(grid, preset, settings, control);
    std::vector<double> ms;
    for (int k = 0; k < runs; ++k) {
        const auto start = std::chrono::steady_clock::now();
        computeGridInto(grid, preset, settings, control);
        ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    }
    std::sort(ms.begin(), ms.end());
    return ms[ms.size() / 2];
}

// --benchmark: medians after a warm-up, of the SIMD kernel on the requested
// threads (default all) and on one thread over 15 runs each (a few ms each;
// more runs steady the median on a shared machine), and of the scalar
// reference on the requested threads over 5 runs.
void runBenchmark(const Preset& preset, ComputeSettings settings, const CommandLine& cl, std::ostream& out) {
    constexpr int kSimdRuns = 15;
    constexpr int kScalarRuns = 5;
    if (!cl.resolution) settings.resolution = 1025;
    ComputeControl all = controlFor(cl);
    all.kernel = ComputeControl::Kernel::Simd;
    const int threads = computeThreads(all);
    all.threads = threads;
    ComputeControl one = all;
    one.threads = 1;
    ComputeControl scalar = all;
    scalar.kernel = ComputeControl::Kernel::Scalar;
    const double simdMs = medianMilliseconds(preset, settings, all, kSimdRuns);
    const double oneMs = threads == 1 ? simdMs : medianMilliseconds(preset, settings, one, kSimdRuns);
    const double scalarMs = medianMilliseconds(preset, settings, scalar, kScalarRuns);
    const std::size_t vertices = GridSpec::fromSettings(settings).vertices();
    const double nsPerMs = 1e6 / static_cast<double>(vertices);
    const nlohmann::ordered_json j = {{"preset", preset.name},
                                      {"resolution", settings.resolution},
                                      {"vertices", vertices},
                                      {"simd_target", simdTargetName()},
                                      {"threads", threads},
                                      {"ms_median", simdMs},
                                      {"ns_per_vertex", simdMs * nsPerMs},
                                      {"scalar_ns_per_vertex", scalarMs * nsPerMs},
                                      {"speedup_simd", scalarMs / simdMs},
                                      {"speedup_threads", oneMs / simdMs}};
    out << j.dump(2) << '\n';
}

}  // namespace

ComputeControl controlFor(const CommandLine& cl) {
    ComputeControl c;
    c.threads = cl.threads.value_or(0);
    c.kernel = cl.scalar ? ComputeControl::Kernel::Scalar : ComputeControl::Kernel::Simd;
    return c;
}

ComputeSettings settingsFor(const Preset& preset, const CommandLine& cl) {
    ComputeSettings s = defaultSettings(preset);
    // A preset without dropout sites has one model whatever the rate (0 is its own) and aggregation.
    auto requireDropoutSites = [&](const std::string& option, const std::string& what) {
        if (!preset.hasDropoutSites())
            throw UsageError(option + ": preset '" + preset.name + "' lists no dropout sites, so " + what + " has no effect");
    };
    if (cl.rate) {
        if (*cl.rate != 0.0) requireDropoutSites("--dropout", "a rate");
        s.rate = *cl.rate;
    }
    if (cl.aggregation) {
        requireDropoutSites("--aggregation", "an aggregation");
        s.aggregation = *cl.aggregation;
    }
    if (cl.alpha) s.alpha = *cl.alpha;
    if (cl.resolution) s.resolution = *cl.resolution;
    if (cl.uRange) std::tie(s.uLo, s.uHi) = *cl.uRange;
    if (cl.vRange) std::tie(s.vLo, s.vHi) = *cl.vRange;
    // What the options cannot see alone: a range too wide for a double, or too narrow for the resolution.
    if (auto problem = checkSettings(s)) throw UsageError(*problem);
    return s;
}

Preset presetFor(const CommandLine& cl) {
    const std::string name = cl.preset.empty() ? std::string(kDefaultPresetName) : cl.preset;
    try {
        return loadPreset(name);
    } catch (const PresetError& e) {
        throw UsageError("preset '" + name + "': " + (e.path().empty() ? "" : e.path() + ": ") + e.what());
    } catch (const std::filesystem::filesystem_error& e) {
        throw UsageError("--preset: " + shownPath(name) + ": " + e.code().message());
    } catch (const std::runtime_error& e) {
        throw UsageError(std::string("--preset: ") + e.what());
    }
}

int runBatch(const CommandLine& cl, std::ostream& out, std::ostream& err) {
    try {
        if (cl.help) {
            out << usageText();
        } else if (cl.version) {
            out << "manifold-lens " << MANIFOLDLENS_VERSION << '\n';
        } else if (cl.listPresets) {
            listPresets(out);
        } else {
            const Preset preset = presetFor(cl);
            const ComputeSettings settings = settingsFor(preset, cl);
            if (cl.probe) out << vertexReportToJson(evaluateVertex(preset, settings, cl.probe->first, cl.probe->second)).dump(2) << '\n';
            if (!cl.exportPath.empty()) exportGrid(preset, settings, cl.exportPath, controlFor(cl));
            if (cl.benchmark) runBenchmark(preset, settings, cl, out);
        }
    } catch (const UsageError& e) {
        err << "manifold-lens: " << e.what() << '\n';
        return kExitBadInput;
    } catch (const FileError& e) {
        err << "manifold-lens: --export: " << e.what() << '\n';
        return kExitBadInput;
    } catch (const std::invalid_argument& e) {
        // The settings were checked; what is left is a computation over its memory limit (checkMemory).
        err << "manifold-lens: " << e.what() << '\n';
        return kExitBadInput;
    }
    if (!out.flush()) {
        err << "manifold-lens: cannot write to standard output\n";
        return kExitBadInput;
    }
    return kExitOk;
}

}  // namespace manifoldlens
