#pragma once
/// @file view_state.h
/// What the desktop app shows, as plain data: the preset, the computation
/// settings and the display options. The window renders it; settings persist it.

#include "builtin_presets.h"
#include "fields.h"
#include "grid.h"
#include "settings.h"

#include <string>

namespace manifoldlens {

/// Display options that do not change the computed grid.
struct DisplayOptions {
    ScalarField field = ScalarField::GaussianCurvature;
    bool logScale = false;
    bool lockRange = false;
    ValueRange lockedRange;
    bool referenceOverlay = false;
    bool isoLines = true;
    bool axes = true;
    bool darkBackground = false;
};

/// How grids are computed (does not change the results beyond rounding).
struct KernelOptions {
    ComputeControl::Kernel kernel = ComputeControl::Kernel::Simd;
    int threads = 0;  ///< 0 = every hardware thread
};

/// The whole state of a view.
struct ViewState {
    std::string presetSource = kDefaultPresetName;  ///< a built-in name or a file path
    ComputeSettings compute;
    KernelOptions kernel;
    DisplayOptions display;
};

}  // namespace manifoldlens
