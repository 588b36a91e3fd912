#pragma once
/// @file grid.h
/// The manifold sampled on an N x N grid over the two free-weight ranges:
/// named per-vertex arrays, computed in blocks with cancellation and progress.

#include "cost.h"
#include "preset.h"
#include "settings.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace manifoldlens {

/// The sampling of the free-weight plane: resolution x resolution vertices,
/// vertex (i, j) at u_i = uLo + (uHi - uLo) i / (resolution - 1) and likewise v_j;
/// stored at index j * resolution + i (u varies fastest).
struct GridSpec {
    int resolution = 2;
    double uLo = 0.0, uHi = 1.0, vLo = 0.0, vHi = 1.0;

    static GridSpec fromSettings(const ComputeSettings& s) { return {s.resolution, s.uLo, s.uHi, s.vLo, s.vHi}; }
    std::size_t vertices() const { return static_cast<std::size_t>(resolution) * static_cast<std::size_t>(resolution); }
    double u(int i) const { return uLo + (uHi - uLo) * i / (resolution - 1); }
    double v(int j) const { return vLo + (vHi - vLo) * j / (resolution - 1); }
    /// u(0) .. u(resolution - 1), and likewise v.
    std::vector<double> us() const;
    std::vector<double> vs() const;
    /// The index j * resolution + i of the vertex nearest (u, v), clamped to the grid.
    std::size_t nearestVertex(double u, double v) const;
};

/// Per-vertex results, one array each (structure of arrays). Curvature arrays
/// hold NaN where valid is 0. The gamma arrays are the e/m coefficients of
/// gamma2 (see embeddingCurvature in geometry.h): any alpha recombines them
/// without recomputing the network.
struct GridResult {
    GridSpec spec;
    std::vector<double> x, y, z;
    std::vector<double> metricDet;
    std::vector<double> gaussian;
    std::vector<double> mean;
    std::vector<double> gammaEE, gammaEM, gammaMM;
    std::vector<double> penaltyExact, penaltyQuadratic;
    std::vector<std::uint8_t> valid;

    std::size_t invalidCount() const;
};

/// Hooks for a long computation. Blocks of vertices run in parallel, so both
/// hooks may be called from several threads at once and must be thread-safe:
/// cancelled is polled before every block (and within blocks and the model's
/// making, every passesPerPoll() forward passes); progress receives the completed
/// fraction in [0, 1] after every block (calls are serialised, the fractions
/// increase).
struct ComputeControl {
    /// The vertex kernel: the vectorised one (simd_grid.h, the best Highway
    /// target of this CPU) or the scalar reference (predictive.cpp, geometry.cpp).
    enum class Kernel { Simd, Scalar };

    std::function<bool()> cancelled;
    std::function<void(double)> progress;
    /// Worker threads: 0 uses every hardware thread. Results do not depend on it.
    int threads = 0;
    Kernel kernel = Kernel::Simd;
    /// With the SIMD kernel: a Highway target bit from simdTargets() to force, 0 for the best.
    std::int64_t simdTarget = 0;
    /// The bytes a computation may take (estimateMemory in cost.h); a larger
    /// one is refused before anything is allocated.
    double memoryLimit = defaultMemoryLimit();
};

/// Highway's name of the SIMD target computeGrid runs on this CPU, e.g. "AVX3".
std::string simdTargetName();

/// Vertices computed between two polls of the cancellation hook: the unit of
/// work of a thread. 256 vertices take 5-40 us with the SIMD kernel on the
/// built-in presets, long enough to amortise the task and the poll, short
/// enough that a cancelled computation stops within a fraction of a
/// millisecond; a 1025 x 1025 grid gives 4105 blocks, plenty to balance two
/// or many threads. Costlier models get smaller blocks (blockVertices()).
inline constexpr int kBlockVertices = 256;

/// The vertices of one block of a computation: kBlockVertices, fewer (down
/// to 8, an AVX-512 row) where a vertex costs more than 1/256 of a block's
/// budget of about a million multiply-adds (vertexWork in cost.h: 2^U masks
/// x N design points x the network's weights and classes), so that a cancelled computation of
/// a large model still stops soon. Results do not depend on it.
int blockVertices(const Preset& preset, const ComputeSettings& settings);

/// Forward passes (one mask at one design point; passWork in cost.h) between
/// two polls of the cancellation hook within a block, and while the SIMD
/// kernel's model is built: a block's budget over a row of 8 vertices, at
/// least 1. A model whose single vertex costs more than a block (2^20 masks
/// behind wide layers take seconds) still stops within about a block's time.
std::size_t passesPerPoll(const Preset& preset);

/// The number of threads computeGrid runs on for the control (threads 0:
/// every hardware thread).
int computeThreads(const ComputeControl& control);

/// The kernel computeGrid runs for the control: the Highway target's name
/// (e.g. "AVX3") or "scalar".
std::string kernelName(const ComputeControl& control);

/// Computes the grid for the settings into out, overwriting its arrays: every
/// entry is written, whatever it held. Reusing the storage of an earlier
/// result of the same size spares allocating and first touching the pages,
/// which at a million vertices costs about as much as a SIMD recompute; an
/// interactive caller keeps its last result or two for this.
///
/// Returns false when cancelled: out then holds no grid (spec.resolution is
/// 0, the arrays' contents are unspecified) but keeps its storage for the next
/// call. Cancellation is also polled before each array is allocated. Throws
/// std::invalid_argument for invalid settings or a computation estimated to
/// need more than control.memoryLimit (checkMemory's message), leaving out
/// unchanged.
bool computeGridInto(GridResult& out, const Preset& preset, const ComputeSettings& settings,
                     const ComputeControl& control = {});

/// The grid in new arrays; nothing when cancelled (no partial result).
/// Throws std::invalid_argument like computeGridInto.
std::optional<GridResult> computeGrid(const Preset& preset, const ComputeSettings& settings,
                                      const ComputeControl& control = {});

}  // namespace manifoldlens
