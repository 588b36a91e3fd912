#pragma once
/// @file cost.h
/// What a grid computation will cost, estimated from the model's structure
/// before anything is allocated: the work per vertex, which sets the size of
/// a block (grid.h), and the memory, which is checked against a limit so that
/// a model too large for the machine is refused with a message instead of
/// being killed by the system halfway through.

#include "preset.h"
#include "settings.h"

#include <optional>
#include <string>

namespace manifoldlens {

/// The masks a computation enumerates: 2^U at a positive rate, 1 at rate 0.
double maskCount(const Preset& preset, const ComputeSettings& settings);

/// Multiply-adds of one forward pass (one mask at one design point) of one
/// vertex: the network's weights + classes.
double passWork(const Preset& preset);

/// Multiply-adds of one vertex's forward passes: masks x N design points x passWork.
double vertexWork(const Preset& preset, const ComputeSettings& settings);

/// The memory of a grid computation, in bytes.
struct MemoryEstimate {
    double model = 0.0;    ///< the kernel's tables: masks, and for the SIMD kernel every (point, mask)'s constants
    double scratch = 0.0;  ///< the SIMD kernel's buffers, one per thread (every mask's logit jets, ...)
    double grid = 0.0;     ///< the result arrays (89 bytes per vertex)
    double total() const { return model + scratch + grid; }
};

/// Estimates the memory of computing the grid of the settings with the SIMD
/// kernel (simd = true, simd_model.h) on `threads` threads or with the
/// scalar reference; within a factor of two of what is allocated (the tables
/// of the SIMD kernel grow with N x 2^U x the network's units, its scratch
/// with threads x 2^U).
MemoryEstimate estimateMemory(const Preset& preset, const ComputeSettings& settings, bool simd, int threads);

/// The machine's physical memory in bytes (0 when it cannot be read).
double physicalMemoryBytes();

/// The memory limit of the container the process runs in (cgroup v2
/// memory.max or v1 memory.limit_in_bytes), 0 where there is none.
double containerMemoryBytes();

/// The default memory limit of a computation: three quarters of the physical
/// memory or of the container's limit, whichever is less, leaving the rest to
/// the system and to the results already held (no limit where neither can be
/// read).
double defaultMemoryLimit();

/// Checks an estimate against a limit in bytes; returns a message saying
/// what needs the memory and what to reduce, nothing when it fits.
std::optional<std::string> checkMemory(const Preset& preset, const ComputeSettings& settings, bool simd, int threads,
                                       double limit);

/// A byte count for messages: "512 bytes", "3.2 MB", "26.1 GB" (powers of 1000).
std::string formatBytes(double bytes);

}  // namespace manifoldlens
