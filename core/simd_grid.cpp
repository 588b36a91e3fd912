// The vectorised grid kernel, compiled once per Highway target (Highway's
// dynamic-dispatch skeleton: per-target code in the HWY_NAMESPACE block,
// export and dispatch under HWY_ONCE). See simd_grid.h for the contract.
//
// Layout. Lanes are vertices: all vertices of a grid share the network, the
// masks and every loop bound, only (u, v) differ. The caller hands over a
// block of grid vertices (blockVertices() in grid.cpp, 256 for the built-in
// presets: the unit of scheduling, cancellation and progress, 5-40 us of
// work, fewer vertices for costlier models, whose forward passes also poll
// the cancellation: CancelPoll); the kernel walks
// it in rows of Lanes(d) vertices (8 doubles with AVX-512) and takes each row
// through the whole pipeline: forward 2-jets for every design point and mask,
// aggregation, penalties, metric, projections, curvatures. Every intermediate
// quantity is a vector over the row's lanes (structure of arrays), held in
// registers where the compiler can, else in the block's scratch (Work):
// running a row through all stages keeps its working set in L1 (a few KB per
// row for the presets), where staging a whole block per quantity (B x a few
// hundred doubles) would spill to L2. A row's lanes are usually consecutive
// columns of one grid row (u loaded, v broadcast); where a row wraps to the
// next grid row, or a block's last row is padded by repeating its last
// vertex, the coordinates are gathered. Padding lanes are computed and
// discarded, never stored.
//
// Work that does not depend on the lanes is done once, in makeSimdModel
// (simd_model.h): which units vary across vertices, the values of the others
// for every (point, mask), and for Bernoulli models without hidden layers
// under arithmetic aggregation (logistic regression with input dropout) the
// affine plan, where every logit is affine in (u, v) and its exponentials are
// tables over the grid's columns and rows (simd_affine-inl.h).
//
// Numerics. The general path uses the formulas of predictive.cpp and
// geometry.cpp in the same order of operations; the affine plan and the
// Bernoulli geometry use equivalent formulas (listed in their files). All
// differences from the scalar reference are rounding: the compiler may
// contract a*b+c into FMAs on targets that have them; the elementary
// functions are Highway's (exp, log, log1p, tanh and atan within a few ulp of
// glibc's); and rearrangements that save transcendental calls and divisions
// preserve relative accuracy: softmax probabilities as
// exp(z_j - m) / sum_l exp(z_l - m) instead of exp(z_j - lse) (Bernoulli:
// e / (1 + e) as e times 1 / (1 + e)); for Bernoulli with arithmetic
// aggregation the jets of sigmoid(z) from sigma' = p0 p1 and
// sigma'' = p0 p1 (p0 - p1) instead of through the log-softmax (see
// BernoulliAggregate). The files:
//   simd_forward-inl.h    jets, activations, forward pass, log-sum-exp;
//   simd_affine-inl.h     the affine plan's predictive and penalties;
//   simd_geometry-inl.h   metric, projections, curvatures (categorical);
//   simd_bernoulli-inl.h  the Bernoulli geometry in arc-length coordinates;
//   simd_grid.cpp         the general aggregation and penalties per row, rows,
//                         blocks and dispatch.

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "simd_grid.cpp"
// Jets are structs of vectors, which the sizeless vector types of SVE and RVV
// do not allow; those CPUs run the NEON or scalar target instead.
#ifndef HWY_DISABLED_TARGETS
#define HWY_DISABLED_TARGETS (HWY_SVE | HWY_SVE2 | HWY_SVE_256 | HWY_SVE2_128 | HWY_RVV)
#endif
#include <hwy/foreach_target.h>  // IWYU pragma: keep

#include <hwy/aligned_allocator.h>
#include <hwy/highway.h>

#include "grid.h"
#include "simd_affine-inl.h"
#include "simd_bernoulli-inl.h"
#include "simd_forward-inl.h"
#include "simd_geometry-inl.h"
#include "simd_grid.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <vector>

HWY_BEFORE_NAMESPACE();
namespace manifoldlens {
namespace HWY_NAMESPACE {

// Scratch of one block, sized for the model, in one allocation.
struct Work {
    Work(const SimdModel& m, std::size_t lanes, CancelPoll& cancelPoll) : poll(cancelPoll) {
        const auto c = static_cast<std::size_t>(m.classes);
        const auto n = static_cast<std::size_t>(m.points) * c;
        widest = static_cast<std::size_t>(*std::max_element(m.width.begin(), m.width.end()));
        const std::size_t pairs = static_cast<std::size_t>(m.points) * m.maskWeight.size();
        batched = pairs <= SimdModel::kBatchPairs;
        const std::size_t sizes[] = {2 * widest * 6 * lanes,
                                     6 * n * lanes,
                                     kAmbientArrays * n * lanes,
                                     (batched ? pairs : m.maskWeight.size()) * 9 * lanes,
                                     static_cast<std::size_t>(m.points) * 3 * lanes,
                                     static_cast<std::size_t>(m.points) * m.groupWeight.size() * 2 * lanes,
                                     kFields * lanes};
        std::size_t total = 0;
        for (std::size_t size : sizes) total += size;
        storage = hwy::AllocateAligned<double>(total);
        double* next = storage.get();
        double** const slots[] = {&units, &pbar, &geo, &masked, &penalty, &logs, &fields};
        for (std::size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); ++k) {
            *slots[k] = next;
            next += sizes[k];
        }
    }
    CancelPoll& poll;      // counts the forward passes of the general path
    std::size_t widest = 0;
    bool batched = false;  // the first Bernoulli pass covers all points at once
    hwy::AlignedFreeUniquePtr<double[]> storage;
    double* units = nullptr;    // two layers of varying units, 6 rows of lanes each
    double* pbar = nullptr;     // n jets of the predictive
    double* geo = nullptr;      // kAmbientArrays arrays of n rows of lanes
    double* masked = nullptr;   // per (point, mask): logit jet, p0, p1, lse (Bernoulli)
    double* penalty = nullptr;  // per point: mean logit, cov_11, E_m A (Bernoulli)
    double* logs = nullptr;     // per point and group: sum of logs, last product (affine plan)
    double* fields = nullptr;   // the fields of a partial row
};

// Bernoulli with arithmetic aggregation, in two passes: first the logit jet,
// probabilities and log-sum-exp of every (point, mask) of a range of points
// (independent, so their exp/div/log chains overlap), then each point's
// running sums in mask order (West's update and the penalty term as in the
// general path).
HWY_INLINE void BernoulliLogits(D d, const SimdModel& m, Work& w, const MJet (&freeJet)[2], std::size_t firstPoint,
                                std::size_t points) {
    const std::size_t lanes = hn::Lanes(d);
    const std::size_t masks = m.maskWeight.size();
    const std::size_t pairs = points * masks;
    // kGroup pairs at a time, stage by stage, so that the long dependency
    // chains of exp, 1 / (1 + e) and log of different pairs are interleaved
    // in the instruction stream (a short tail group repeats its last pair and
    // stores nothing for the repeats).
    constexpr std::size_t kGroup = 4;
    const V one = hn::Set(d, 1.0), zero = hn::Zero(d);
    for (std::size_t first = 0; first < pairs; first += kGroup) {
        if (w.poll.stop(kGroup)) return;
        Jet z[kGroup];
        for (std::size_t k = 0; k < kGroup; ++k) {
            const std::size_t pair = std::min(first + k, pairs - 1);
            Forward(d, m, freeJet, firstPoint + pair / masks, pair % masks, w.units, w.widest, &z[k]);
        }
        V e[kGroup], s[kGroup], big[kGroup], lse[kGroup];
        for (std::size_t k = 0; k < kGroup; ++k) e[k] = hn::Exp(d, hn::Neg(hn::Abs(z[k].v)));
        for (std::size_t k = 0; k < kGroup; ++k) s[k] = hn::Add(one, e[k]);
        for (std::size_t k = 0; k < kGroup; ++k) big[k] = hn::Div(one, s[k]);
        for (std::size_t k = 0; k < kGroup; ++k) lse[k] = hn::Log(d, s[k]);
        for (std::size_t k = 0; k < kGroup && first + k < pairs; ++k) {
            // BernoulliLse's probabilities and log-sum-exp.
            double* q = w.masked + (first + k) * 9 * lanes;
            const V small = hn::Mul(e[k], big[k]);
            const auto positive = hn::Ge(z[k].v, zero);
            StoreJet(d, z[k], q);
            hn::Store(hn::IfThenElse(positive, small, big[k]), d, q + 6 * lanes);
            hn::Store(hn::IfThenElse(positive, big[k], small), d, q + 7 * lanes);
            hn::Store(hn::Add(hn::Max(z[k].v, zero), lse[k]), d, q + 8 * lanes);
        }
    }
}

// The penalties at the mean logits of every point (BernoulliLse and the trace
// of the general path), kGroup points stage by stage, summed in point order.
// cov_00 = cov_01 = cov_10 = 0 exactly (class 0's logit is 0 for every mask),
// so the reference's trace reduces to p0 p1 cov_11 / W.
HWY_INLINE void BernoulliPenalties(D d, const SimdModel& m, const Work& w, V& penaltyExact, V& penaltyQuadratic) {
    const std::size_t lanes = hn::Lanes(d);
    const auto points = static_cast<std::size_t>(m.points);
    constexpr std::size_t kGroup = 4;
    const V one = hn::Set(d, 1.0), zero = hn::Zero(d), half = hn::Set(d, 0.5);
    const V weight = hn::Set(d, m.totalWeight);
    for (std::size_t first = 0; first < points; first += kGroup) {
        V z[kGroup], e[kGroup], s[kGroup], big[kGroup], lse[kGroup];
        for (std::size_t k = 0; k < kGroup; ++k)
            z[k] = hn::Load(d, w.penalty + std::min(first + k, points - 1) * 3 * lanes);
        for (std::size_t k = 0; k < kGroup; ++k) e[k] = hn::Exp(d, hn::Neg(hn::Abs(z[k])));
        for (std::size_t k = 0; k < kGroup; ++k) s[k] = hn::Add(one, e[k]);
        for (std::size_t k = 0; k < kGroup; ++k) big[k] = hn::Div(one, s[k]);
        for (std::size_t k = 0; k < kGroup; ++k) lse[k] = hn::Add(hn::Max(z[k], zero), hn::Log(d, s[k]));
        for (std::size_t k = 0; k < kGroup && first + k < points; ++k) {
            const double* q = w.penalty + (first + k) * 3 * lanes;
            const V small = hn::Mul(e[k], big[k]);
            const auto positive = hn::Ge(z[k], zero);
            const V p0 = hn::IfThenElse(positive, small, big[k]), p1 = hn::IfThenElse(positive, big[k], small);
            const V c11 = hn::Load(d, q + lanes), meanA = hn::Load(d, q + 2 * lanes);
            const V trace = hn::Div(hn::Mul(hn::Mul(p0, p1), c11), weight);
            penaltyExact = hn::Add(penaltyExact, hn::Sub(meanA, lse[k]));
            penaltyQuadratic = hn::Add(penaltyQuadratic, hn::Mul(half, trace));
        }
    }
}

// The class probabilities' jets of a mask, summed with the mask's weight. With
// class logits (0, z), p1 = sigmoid(z) and p0 = 1 - p1, the chain rule through
// the log-softmax collapses to sigma' = p0 p1 and sigma'' = p0 p1 (p0 - p1):
//   d p1 = p0 p1 dz,  d2 p1 = p0 p1 d2z + p0 p1 (p0 - p1) dz dz,  d p0 = -d p1,
// products of the accurately computed p0, p1 (nothing cancels when one class
// takes almost all the mass). Class 0's derivatives are the negated sums of
// class 1's, set once after the last mask.
HWY_INLINE void BernoulliAggregate(D d, const SimdModel& m, const double* q, Jet* accum, V& mean1, V& cov11,
                                   V& meanA) {
    const std::size_t lanes = hn::Lanes(d);
    const std::size_t masks = m.maskWeight.size();
    Jet& a0 = accum[0];
    Jet& a1 = accum[1];
    for (std::size_t mk = 0; mk < masks; ++mk, q += 9 * lanes) {
        const V wv = hn::Set(d, m.maskWeight[mk]);
        const V f = hn::Set(d, m.maskFraction[mk]);
        const Jet z = LoadJet(d, q);
        const V p0 = hn::Load(d, q + 6 * lanes), p1 = hn::Load(d, q + 7 * lanes);
        const V lse = hn::Load(d, q + 8 * lanes);
        const V delta1 = hn::Sub(z.v, mean1);
        mean1 = hn::Add(mean1, hn::Mul(f, delta1));
        cov11 = hn::Add(cov11, hn::Mul(hn::Mul(wv, delta1), hn::Sub(z.v, mean1)));
        meanA = hn::Add(meanA, hn::Mul(f, hn::Sub(lse, meanA)));
        const V s1 = hn::Mul(p0, p1);
        const V s2 = hn::Mul(s1, hn::Sub(p0, p1));
        const Jet dp = Compose(z, p1, s1, s2);
        a0.v = hn::Add(a0.v, hn::Mul(p0, wv));
        a1.v = hn::Add(a1.v, hn::Mul(dp.v, wv));
        a1.du = hn::Add(a1.du, hn::Mul(dp.du, wv));
        a1.dv = hn::Add(a1.dv, hn::Mul(dp.dv, wv));
        a1.duu = hn::Add(a1.duu, hn::Mul(dp.duu, wv));
        a1.duv = hn::Add(a1.duv, hn::Mul(dp.duv, wv));
        a1.dvv = hn::Add(a1.dvv, hn::Mul(dp.dvv, wv));
    }
    a0.du = hn::Neg(a1.du);
    a0.dv = hn::Neg(a1.dv);
    a0.duu = hn::Neg(a1.duu);
    a0.duv = hn::Neg(a1.duv);
    a0.dvv = hn::Neg(a1.dvv);
}

// The predictive's jets into w.pbar and the penalties of a row, through the
// network for every mask (any model). kBernoulli fixes the number of classes
// at two (class logits (0, z)).
template <bool kBernoulli>
HWY_NOINLINE void Predictive(D d, const SimdModel& m, Work& w, V u, V v, V& penaltyExact, V& penaltyQuadratic) {
    constexpr std::size_t kC = kBernoulli ? 2 : 0;
    const std::size_t lanes = hn::Lanes(d);
    const V zero = hn::Zero(d), one = hn::Set(d, 1.0);
    const std::size_t c = kBernoulli ? 2 : static_cast<std::size_t>(m.classes);
    const std::size_t masks = m.maskWeight.size();
    const MJet freeJet[2] = {Varying(Jet{u, one, zero, zero, zero, zero}), Varying(Jet{v, zero, one, zero, zero, zero})};
    penaltyExact = zero;
    penaltyQuadratic = zero;
    const bool geometric = m.aggregation == Aggregation::Geometric;
    const Jet zeroJet{zero, zero, zero, zero, zero, zero};

    Jet accum[kMaxClasses], logProb[kMaxClasses], cls[kMaxClasses];
    // Bernoulli: class 0's logit is 0 for every mask, so its running mean stays
    // 0 and its covariances vanish; only cov_11 is kept.
    V mean[kMaxClasses], delta[kMaxClasses], prob[kMaxClasses], cov[kBernoulli ? 1 : kMaxClasses * kMaxClasses];
    if (kBernoulli && !geometric && w.batched) BernoulliLogits(d, m, w, freeJet, 0, static_cast<std::size_t>(m.points));
    for (std::size_t i = 0; i < static_cast<std::size_t>(m.points) && !w.poll.stopped(); ++i) {
        for (std::size_t k = 0; k < c; ++k) {
            accum[k] = zeroJet;
            mean[k] = zero;
        }
        for (V& x : cov) x = zero;
        V meanA = zero;
        if (kBernoulli && !geometric) {
            if (!w.batched) BernoulliLogits(d, m, w, freeJet, i, 1);
            if (w.poll.stopped()) return;
            const double* q = w.masked + (w.batched ? i * masks * 9 * lanes : 0);
            BernoulliAggregate(d, m, q, accum, mean[1], cov[0], meanA);
        }
        for (std::size_t mk = 0; mk < (kBernoulli && !geometric ? 0 : masks); ++mk) {
            if (w.poll.stop()) return;
            // Forward pass; class logits (0, z) for Bernoulli, z otherwise.
            if (kBernoulli) {
                cls[0] = zeroJet;
                Forward(d, m, freeJet, i, mk, w.units, w.widest, cls + 1);
            } else {
                Forward(d, m, freeJet, i, mk, w.units, w.widest, cls);
            }
            const V wv = hn::Set(d, m.maskWeight[mk]);
            const V f = hn::Set(d, m.maskFraction[mk]);
            V zv[kMaxClasses];
            for (V& x : zv) x = zero;
            for (std::size_t k = 0; k < c; ++k) zv[k] = cls[k].v;
            V* p = geometric ? nullptr : prob;
            const V lse = kBernoulli ? BernoulliLse(d, zv[1], p) : LogSumExp(d, zv, c, p);
            // West's weighted update of the mean and covariance of the class logits, and E_m A(z).
            if (kBernoulli) {
                delta[1] = hn::Sub(zv[1], mean[1]);
                mean[1] = hn::Add(mean[1], hn::Mul(f, delta[1]));
                cov[0] = hn::Add(cov[0], hn::Mul(hn::Mul(wv, delta[1]), hn::Sub(zv[1], mean[1])));
            } else {
                for (std::size_t k = 0; k < c; ++k) {
                    delta[k] = hn::Sub(zv[k], mean[k]);
                    mean[k] = hn::Add(mean[k], hn::Mul(f, delta[k]));
                }
                for (std::size_t k = 0; k < c; ++k)
                    for (std::size_t l = 0; l < c; ++l)
                        cov[k * c + l] =
                            hn::Add(cov[k * c + l], hn::Mul(hn::Mul(wv, delta[k]), hn::Sub(zv[l], mean[l])));
            }
            meanA = hn::Add(meanA, hn::Mul(f, hn::Sub(lse, meanA)));
            if (geometric) {
                for (std::size_t k = 0; k < c; ++k) AddTo(accum[k], Scale(cls[k], wv));
            } else {
                LogSoftmax<kC>(d, cls, prob, lse, c, logProb);
                for (std::size_t k = 0; k < c; ++k) {
                    const V pk = prob[k];
                    AddTo(accum[k], Scale(Compose(logProb[k], pk, pk, pk), wv));
                }
            }
        }
        const V inv = hn::Set(d, 1.0 / m.totalWeight);
        for (std::size_t k = 0; k < c; ++k) accum[k] = Scale(accum[k], inv);
        double* pi = w.pbar + i * c * 6 * lanes;
        if (geometric) {
            V zv[kMaxClasses];
            for (V& x : zv) x = zero;
            for (std::size_t k = 0; k < c; ++k) zv[k] = accum[k].v;
            const V lse = kBernoulli ? BernoulliLse(d, zv[1], prob) : LogSumExp(d, zv, c, prob);
            LogSoftmax<kC>(d, accum, prob, lse, c, logProb);
            for (std::size_t k = 0; k < c; ++k)
                StoreJet(d, Compose(logProb[k], prob[k], prob[k], prob[k]), pi + k * 6 * lanes);
        } else {
            for (std::size_t k = 0; k < c; ++k) StoreJet(d, accum[k], pi + k * 6 * lanes);
        }
        // Penalties at the mean logits.
        V trace = zero;
        const V weight = hn::Set(d, m.totalWeight);
        V pm[kMaxClasses];
        if (kBernoulli) {
            // Deferred to BernoulliPenalties, which interleaves the points.
            double* q = w.penalty + i * 3 * lanes;
            hn::Store(mean[1], d, q);
            hn::Store(cov[0], d, q + lanes);
            hn::Store(meanA, d, q + 2 * lanes);
            continue;
        } else {
            const V lse = LogSumExp(d, mean, c, pm);
            for (std::size_t k = 0; k < c; ++k)
                for (std::size_t l = k + 1; l < c; ++l) {
                    const V var = hn::Sub(hn::Add(cov[k * c + k], cov[l * c + l]), hn::Add(cov[k * c + l], cov[l * c + k]));
                    trace = hn::Add(trace, hn::Div(hn::Mul(hn::Mul(pm[k], pm[l]), var), weight));
                }
            penaltyExact = hn::Add(penaltyExact, hn::Sub(meanA, lse));
        }
        penaltyQuadratic = hn::Add(penaltyQuadratic, hn::Mul(hn::Set(d, 0.5), trace));
    }

    if (kBernoulli && !w.poll.stopped()) BernoulliPenalties(d, m, w, penaltyExact, penaltyQuadratic);
}

// One row of Lanes(d) vertices: the affine plan where it applies, else the
// general forward passes; then the geometry. Writes fields[0 .. kFields).
template <bool kBernoulli>
HWY_INLINE void EvaluateRow(D d, const SimdModel& m, Work& w, const RowPlace<D>& place, V u, V v, V (&fields)[kFields]) {
    V penaltyExact, penaltyQuadratic;
    const bool affine =
        kBernoulli && m.affine && AffineRow(d, m, place, u, v, w.pbar, w.logs, penaltyExact, penaltyQuadratic);
    if (!affine) Predictive<kBernoulli>(d, m, w, u, v, penaltyExact, penaltyQuadratic);
    if (w.poll.stopped()) return;  // the row's predictive is incomplete
    // With a single mask (rate 0) E_m A(z) = A(E_m z) and Cov_m z = 0: both
    // penalties are exactly 0, as in the reference, however A is formed.
    if (m.maskWeight.size() == 1) penaltyExact = penaltyQuadratic = hn::Zero(d);
    if (kBernoulli && m.points == 3)
        BernoulliGeometry<3>(d, m, w.pbar, w.geo, fields);
    else if (kBernoulli)
        BernoulliGeometry<0>(d, m, w.pbar, w.geo, fields);
    else
        Geometry<0>(d, m, w.pbar, w.geo, fields);
    fields[9] = penaltyExact;
    fields[10] = penaltyQuadratic;
}

void EvaluateBlock(const SimdModel& m, std::size_t firstVertex, std::size_t count, const SimdBlockOutput& out,
                   CancelPoll& poll) {
    if (count == 0) return;
    const D d;
    const hn::RebindToSigned<D> di;
    const hn::Rebind<std::int32_t, D> di32;
    const hn::Rebind<std::uint8_t, D> du8;
    const std::size_t lanes = hn::Lanes(d);
    Work w(m, lanes, poll);
    HWY_ALIGN std::int64_t columns[hn::MaxLanes(di)];
    HWY_ALIGN std::int64_t gridRows[hn::MaxLanes(di)];
    double* const dst[11] = {out.x,        out.y,       out.z,       out.metricDet,    out.gaussian,        out.mean,
                             out.gammaEE,  out.gammaEM, out.gammaMM, out.penaltyExact, out.penaltyQuadratic};
    const std::size_t res0 = m.resolution;
    for (std::size_t first = 0; first < count; first += lanes) {
        const std::size_t used = std::min(lanes, count - first);
        const std::size_t vertex = firstVertex + first;
        RowPlace<D> place;
        place.column = vertex % res0;
        place.gridRow = vertex / res0;
        place.contiguous = used == lanes && place.column + lanes <= res0;
        place.columns = place.gridRows = hn::Zero(di);
        V uv, vv;
        if (place.contiguous) {
            uv = hn::LoadU(d, m.us.data() + place.column);
            vv = hn::Set(d, m.vs[place.gridRow]);
        } else {
            for (std::size_t k = 0; k < lanes; ++k) {
                const std::size_t at = vertex + std::min(k, used - 1);  // pad with the last vertex
                columns[k] = static_cast<std::int64_t>(at % res0);
                gridRows[k] = static_cast<std::int64_t>(at / res0);
            }
            place.columns = hn::Load(di, columns);
            place.gridRows = hn::Load(di, gridRows);
            uv = hn::GatherIndex(d, m.us.data(), place.columns);
            vv = hn::GatherIndex(d, m.vs.data(), place.gridRows);
        }
        V fields[kFields];
        if (m.bernoulli)
            EvaluateRow<true>(d, m, w, place, uv, vv, fields);
        else
            EvaluateRow<false>(d, m, w, place, uv, vv, fields);
        if (poll.stopped()) return;
        if (used == lanes) {
            for (std::size_t f = 0; f < 11; ++f) hn::StoreU(fields[f], d, dst[f] + first);
            hn::StoreU(hn::DemoteTo(du8, hn::DemoteTo(di32, fields[11])), du8, out.valid + first);
        } else {
            for (std::size_t f = 0; f < kFields; ++f) hn::Store(fields[f], d, w.fields + f * lanes);
            for (std::size_t f = 0; f < 11; ++f)
                for (std::size_t k = 0; k < used; ++k) dst[f][first + k] = w.fields[f * lanes + k];
            for (std::size_t k = 0; k < used; ++k) out.valid[first + k] = w.fields[11 * lanes + k] != 0.0 ? 1 : 0;
        }
    }
}

// NOLINTNEXTLINE(google-readability-namespace-comments)
}  // namespace HWY_NAMESPACE
}  // namespace manifoldlens
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace manifoldlens {

HWY_EXPORT(EvaluateBlock);

namespace {

// Index of a target's entry in an HWY_EXPORT table (Highway 1.0.3 layout:
// entry 0 initialises the dispatcher, then one entry per dynamic target in
// ChosenTarget bit order, the last one is the scalar/emu128 fallback).
std::size_t tableIndex(std::int64_t target) {
    if (target & (HWY_SCALAR | HWY_EMU128)) return HWY_MAX_DYNAMIC_TARGETS + 1;
    return hwy::Num0BitsBelowLS1Bit_Nonzero64(static_cast<std::uint64_t>(HWY_CHOSEN_TARGET_SHIFT(target)));
}

}  // namespace

bool simdEvaluate(const SimdModel& model, std::size_t first, std::size_t count, const SimdBlockOutput& out,
                  std::int64_t target, CancelPoll poll) {
    if (first + count > model.resolution * model.resolution)
        throw std::invalid_argument("vertices beyond the model's grid");
    if (target == 0) {
        HWY_DYNAMIC_DISPATCH(EvaluateBlock)(model, first, count, out, poll);
        return !poll.stopped();
    }
    const auto targets = simdTargets();
    if (std::find(targets.begin(), targets.end(), target) == targets.end())
        throw std::invalid_argument("SIMD target " + simdTargetName(target) + " is not available");
    HWY_DISPATCH_TABLE(EvaluateBlock)[tableIndex(target)](model, first, count, out, poll);
    return !poll.stopped();
}

std::vector<std::int64_t> simdTargets() { return hwy::SupportedAndGeneratedTargets(); }

std::string simdTargetName(std::int64_t target) { return hwy::TargetName(target); }

std::string simdTargetName() {
    const auto targets = simdTargets();
    return targets.empty() ? std::string("SCALAR") : simdTargetName(targets.front());
}

}  // namespace manifoldlens
#endif  // HWY_ONCE
