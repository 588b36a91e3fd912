#pragma once
/// @file desktop_app.h
/// Entry point of the desktop app.

#include "command_line.h"

namespace manifoldlens {

/// Opens the main window on the preset and settings the command line names and
/// runs the event loop; returns the exit status.
int runDesktopApp(int argc, char** argv, const CommandLine& cl);

}  // namespace manifoldlens
