#pragma once
/// @file batch.h
/// The command line's non-interactive work: listing presets, probing a point,
/// exporting the grid.

#include "command_line.h"
#include "grid.h"
#include "preset.h"

#include <ostream>

namespace manifoldlens {

/// Exit statuses of manifold-lens.
enum ExitStatus : int { kExitOk = 0, kExitInternal = 1, kExitBadInput = 2 };

/// The preset the command line names (--preset), or the default one. Throws
/// UsageError naming the problem (for a preset file's content, its key path).
Preset presetFor(const CommandLine& cl);

/// The preset's settings with the command line's overrides applied.
/// Throws UsageError when an override does not fit the preset.
ComputeSettings settingsFor(const Preset& preset, const CommandLine& cl);

/// The kernel and thread count the command line asks for (--scalar, --threads).
ComputeControl controlFor(const CommandLine& cl);

/// Runs a batch command (cl.isBatch()) writing to out, the standard output;
/// messages go to err. Returns the exit status: kExitBadInput also when out
/// fails.
int runBatch(const CommandLine& cl, std::ostream& out, std::ostream& err);

}  // namespace manifoldlens
