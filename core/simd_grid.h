#pragma once
/// @file simd_grid.h
/// The vectorised grid kernel (Google Highway, dynamic dispatch). This header
/// has no SIMD in it: it declares the output of one block of vertices and the
/// entry points that run the best target of the CPU or a chosen one; the
/// model the kernel reads is simd_model.h's. The per-target code is in
/// simd_grid.cpp (with the -inl.h parts it lists).
///
/// The kernel computes the quantities of the scalar reference (predictive.cpp,
/// geometry.cpp) up to rounding: the same formulas, or equivalent ones that
/// save exps, logs and divisions without losing relative accuracy
/// (simd_grid.cpp lists them); the elementary functions come from
/// hwy/contrib/math, accurate to a few ulp. Lanes are vertices: every lane
/// runs the identical sequence of operations, so a vertex's result does not
/// depend on the lane or the block it lands in, nor on the thread count. (One
/// exception, at the rounding level: a row with a lane beyond the affine
/// plan's limits takes the general path for all its lanes.)

#include "cancel_poll.h"
#include "simd_model.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace manifoldlens {

/// Where a block's results go: count consecutive entries of each array
/// (typically pointers into a GridResult at the block's first vertex).
struct SimdBlockOutput {
    double* x;
    double* y;
    double* z;
    double* metricDet;
    double* gaussian;
    double* mean;
    double* gammaEE;
    double* gammaEM;
    double* gammaMM;
    double* penaltyExact;
    double* penaltyQuadratic;
    std::uint8_t* valid;
};

/// Evaluates the grid vertices first .. first + count - 1 of the model's grid
/// (vertex k at (us[k % resolution], vs[k / resolution])) and writes their
/// results. target 0 runs the best target of this CPU (HWY_DYNAMIC_DISPATCH);
/// otherwise one of simdTargets(). Writes exactly count entries of every
/// output array, or returns false when the poll stopped it: the forward
/// passes of the general path (one mask at one design point for a row of
/// vertices) are its units of work, and the outputs are then partly written. Throws std::invalid_argument for
/// vertices beyond the grid or a target this CPU cannot run.
[[nodiscard]] bool simdEvaluate(const SimdModel& model, std::size_t first, std::size_t count,
                                const SimdBlockOutput& out, std::int64_t target = 0, CancelPoll poll = {});

// simdTargetName(), the name of the target simdEvaluate runs by default, is
// declared in grid.h.

/// The name of a Highway target bit (e.g. HWY_AVX2 -> "AVX2").
std::string simdTargetName(std::int64_t target);

/// Every target compiled into this binary that this CPU can run, best first.
std::vector<std::int64_t> simdTargets();

}  // namespace manifoldlens
