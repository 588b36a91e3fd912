#pragma once
/// @file command_line.h
/// Parsing manifold-lens's arguments into options (no side effects).

#include "fields.h"
#include "settings.h"

#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace manifoldlens {

/// A bad argument; the message names the option and the problem.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// What the user asked for. Optional fields were not given and take the
/// preset's or the declared defaults.
struct CommandLine {
    bool help = false;
    bool version = false;
    bool listPresets = false;
    std::string preset;  ///< name or path; empty = the default preset
    std::optional<double> rate;
    std::optional<Aggregation> aggregation;
    std::optional<double> alpha;
    std::optional<int> resolution;
    std::optional<std::pair<double, double>> uRange, vRange;
    std::optional<std::pair<double, double>> probe;
    std::string exportPath;
    std::string screenshotPath;              ///< save the window as PNG once drawn, then quit
    std::optional<std::pair<int, int>> windowSize;  ///< width, height in pixels
    std::optional<int> threads;  ///< worker threads of grid computations; default all
    bool scalar = false;         ///< compute grids with the scalar reference kernel
    bool benchmark = false;      ///< time full recomputes and print one JSON object
    std::optional<ScalarField> field;  ///< the window's colour field
    bool logScale = false;             ///< the window colours on a log scale

    /// True when the command produces output without opening the window.
    bool isBatch() const { return help || version || listPresets || benchmark || probe || !exportPath.empty(); }
};

/// Parses the arguments after the program name. Accepts "--opt value" and
/// "--opt=value". Throws UsageError for unknown options, missing or malformed
/// values, out-of-range numbers, an option given twice, more than one of
/// --help, --version, --list-presets, --probe, --export, --benchmark and
/// --screenshot, and options the chosen one would ignore.
CommandLine parseCommandLine(const std::vector<std::string>& args);

/// The --help text.
std::string usageText();

}  // namespace manifoldlens
