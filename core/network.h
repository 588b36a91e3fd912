#pragma once
/// @file network.h
/// The network's forward pass as second-order jets in the two free weights.

#include "jet.h"
#include "masks.h"
#include "preset.h"

#include <cstdint>
#include <vector>

namespace manifoldlens {

/// The network's weights at one point (u, v) of the free-weight plane: every
/// weight a constant jet except the two free ones, seeded as u and v.
struct JetWeights {
    std::vector<std::vector<Jet2>> weights;  ///< weights[l], row-major like Preset::weights[l]
    std::vector<std::vector<Jet2>> biases;   ///< biases[l]
};

/// Seeds the preset's weights at the point (u, v).
JetWeights seedWeights(const Preset& preset, double u, double v);

/// Moves weights seeded by seedWeights for the same preset to the point (u, v):
/// only the two free entries change.
void moveFreeWeights(const Preset& preset, JetWeights& weights, double u, double v);

/// Scratch space of a forward pass, reused across calls to avoid allocation.
struct ForwardScratch {
    std::vector<Jet2> a, b;
};

/// The logits z(x_point, mask) as jets. logits is resized to preset.outputs.
/// q = 1 - rate divides the masked activations (inverted dropout); bits of mask
/// follow MaskSet's numbering.
void forwardLogits(const Preset& preset, const JetWeights& weights, const MaskSet& masks, std::uint32_t mask,
                   double q, int point, std::vector<Jet2>& logits, ForwardScratch& scratch);

/// act(x) as a jet, with the activation's exact first and second derivatives.
Jet2 activate(Activation activation, const Jet2& x);

}  // namespace manifoldlens
