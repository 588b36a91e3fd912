#include "batch.h"

#include "atomic_file.h"
#include "builtin_presets.h"
#include "grid.h"
#include "grid_csv.h"
#include "vertex.h"
#include "vertex_json.h"

#include <algorithm>
#include <filesystem>
#include <tuple>

namespace manifoldlens {

namespace {

void listPresets(std::ostream& out) {
    for (const std::string& name : builtinPresetNames()) {
        const Preset p = loadPreset(name);
        out << name << (name == kDefaultPresetName ? " (default)" : "") << "  " << p.title << '\n';
    }
}

void exportGrid(const Preset& preset, const ComputeSettings& settings, const std::string& path) {
    const std::string ext = std::filesystem::path(path).extension().string();
    if (ext != ".csv") throw UsageError("--export: unsupported file type '" + ext + "' for '" + path + "' (supported: .csv)");
    const GridResult grid = *computeGrid(preset, settings);
    writeFileAtomically(path, [&](std::ostream& out) { writeGridCsv(out, grid, settings.alpha); });
}

}  // namespace

ComputeSettings settingsFor(const Preset& preset, const CommandLine& cl) {
    ComputeSettings s = defaultSettings(preset);
    if (cl.rate) {
        const bool hasSites = std::find(preset.dropout.sites.begin(), preset.dropout.sites.end(), true) !=
                              preset.dropout.sites.end();
        if (!hasSites && *cl.rate != 0.0)
            throw UsageError("--dropout: preset '" + preset.name + "' lists no dropout sites, so a rate has no effect");
        s.rate = *cl.rate;
    }
    if (cl.aggregation) s.aggregation = *cl.aggregation;
    if (cl.alpha) s.alpha = *cl.alpha;
    if (cl.resolution) s.resolution = *cl.resolution;
    if (cl.uRange) std::tie(s.uLo, s.uHi) = *cl.uRange;
    if (cl.vRange) std::tie(s.vLo, s.vHi) = *cl.vRange;
    return s;
}

int runBatch(const CommandLine& cl, std::ostream& out, std::ostream& err) {
    if (cl.help) {
        out << usageText();
        return kExitOk;
    }
    if (cl.version) {
        out << "manifold-lens " << MANIFOLDLENS_VERSION << '\n';
        return kExitOk;
    }
    if (cl.listPresets) {
        listPresets(out);
        return kExitOk;
    }
    const std::string presetName = cl.preset.empty() ? std::string(kDefaultPresetName) : cl.preset;
    Preset preset;
    try {
        preset = loadPreset(presetName);
    } catch (const PresetError& e) {
        err << "manifold-lens: preset '" << presetName << "': " << (e.path().empty() ? "" : e.path() + ": ")
            << e.what() << '\n';
        return kExitBadInput;
    } catch (const std::runtime_error& e) {
        err << "manifold-lens: --preset: " << e.what() << '\n';
        return kExitBadInput;
    }
    try {
        const ComputeSettings settings = settingsFor(preset, cl);
        if (cl.probe) out << vertexReportToJson(evaluateVertex(preset, settings, cl.probe->first, cl.probe->second)).dump(2) << '\n';
        if (!cl.exportPath.empty()) exportGrid(preset, settings, cl.exportPath);
    } catch (const UsageError& e) {
        err << "manifold-lens: " << e.what() << '\n';
        return kExitBadInput;
    } catch (const FileError& e) {
        err << "manifold-lens: --export: " << e.what() << '\n';
        return kExitBadInput;
    }
    return kExitOk;
}

}  // namespace manifoldlens
