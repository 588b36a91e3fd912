// The vectorised grid kernel against the scalar reference: every Highway
// target compiled into the binary that this CPU runs, on every built-in and
// reference preset, at grid sizes that are not multiples of any vector width,
// at several rates and both aggregations; cancellation; thread counts.
//
// Tolerances. Both kernels are correct double-precision implementations of
// the same formulas in the same order; they differ only in the elementary
// functions (Highway's exp, log, tanh, atan are within a few ulp of glibc's),
// so a vertex's fields agree to about eps times the condition number of the
// field. The comparison is relative, 1e-12, with these absolute floors, each
// 1e-12 of the quantity's natural scale, for values that are ~0 against it:
//   * metric_det = g11 g22 - g12^2: scale g11 g22 (its terms);
//   * K, |H|, gamma_ee/em/mm (all divide by det g, i.e. multiply by the
//     condition number kappa = g11 g22 / det g of the metric): scale
//     kappa (1/4 + |K| + gamma_ee + gamma_mm) in curvature units (for |H|, a
//     length: kappa times the G-norm of the unprojected (1/2) g^{ab} d_a d_b p / p
//     plus the square root of that curvature); 1/4 is the curvature of the sphere of radius 2 that
//     s = 2 sqrt(p) maps each simplex to, the scale of the ambient space, and
//     matters where a field vanishes identically (K and every gamma of
//     reference-two-point, the gammas of trinomial-simplex, gamma_ee at rate 0).
//     The gammas contract with g^{-1} twice: their scale is kappa^2 times
//     (that curvature plus the squared unprojected norm above).
//     K is a difference of products of projected vectors: kappa times the
//     same sum.
//     Where the metric is well conditioned (kappa ~ 1) this is a floor of
//     1e-12 of the surface's curvature; it only grows near the singular line
//     of single-hidden-unit, where det g -> 0.
// penalty_exact = sum_i E_m A(z_im) - A(E_m z_i) is a difference of
// log-partition values, which both kernels form differently (the SIMD one
// sums logs per group of masks): floor 1e-12 N log 2, N times A(0), the scale
// of the terms where the difference vanishes (small weights).
// Display coordinates and the quadratic penalty are compared without a floor.
// Validity flags must be identical.

#include "builtin_presets.h"
#include "geometry.h"
#include "grid.h"
#include "predictive.h"
#include "simd_grid.h"
#include "test_support.h"
#include "vertex.h"

#include <QtTest/QtTest>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace manifoldlens;

namespace {

std::vector<std::string> presetsUnderTest() {
    std::vector<std::string> names = builtinPresetNames();
    for (const auto& entry : std::filesystem::directory_iterator(MANIFOLDLENS_TEST_DATA_DIR)) {
        const std::string file = entry.path().filename().string();
        if (file.rfind("reference-", 0) == 0 && entry.path().extension() == ".json") names.push_back(entry.path().string());
    }
    std::sort(names.begin(), names.end());
    return names;
}


std::vector<const std::vector<double>*> fields(const GridResult& r) {
    return {&r.x, &r.y, &r.z, &r.metricDet, &r.gaussian, &r.mean, &r.gammaEE, &r.gammaEM, &r.gammaMM, &r.penaltyExact,
            &r.penaltyQuadratic};
}

constexpr const char* kFieldNames[] = {"x", "y", "z", "metric_det", "gaussian", "mean", "gamma_ee", "gamma_em",
                                       "gamma_mm", "penalty_exact", "penalty_quadratic"};

// Compares a SIMD grid with the scalar one; returns an empty string or the first failure.
std::string compareGrids(const Preset& p, const ComputeSettings& s, const GridResult& simd, const GridResult& ref) {
    const auto a = fields(simd), b = fields(ref);
    const int res = ref.spec.resolution;
    const double penaltyFloor = p.designPoints() * std::log(2.0);
    // An empty string, or what differs beyond the tolerance.
    const auto differs = [&](std::size_t f, std::size_t idx, double floor) -> std::string {
        const double x = (*a[f])[idx], y = (*b[f])[idx];
        if (test::close(x, y, 1e-12, 1e-12 * floor) || (std::isnan(x) && std::isnan(y))) return {};
        std::ostringstream msg;
        msg.precision(17);
        msg << kFieldNames[f] << " at vertex " << idx << ": " << x << " vs scalar " << y << " (floor " << 1e-12 * floor
            << ")";
        return msg.str();
    };
    for (std::size_t idx = 0; idx < ref.valid.size(); ++idx) {
        if (simd.valid[idx] != ref.valid[idx]) return "validity differs at vertex " + std::to_string(idx);
        if (!ref.valid[idx]) {
            for (std::size_t f = 4; f <= 8; ++f)
                if (!std::isnan((*a[f])[idx])) return std::string(kFieldNames[f]) + " is not NaN at an invalid vertex";
            // The display coordinates and the penalties are defined there too.
            for (std::size_t f : {0, 1, 2, 9, 10})
                if (std::string problem = differs(f, idx, f == 9 ? penaltyFloor : 0.0); !problem.empty()) return problem;
            continue;
        }
        // The natural scales need g11 and g22: the scalar probe of the same vertex.
        double detScale = 0.0, curvScale = 0.0, meanScale = 0.0, gammaScale = 0.0;
        bool scalesKnown = false;
        for (std::size_t f = 0; f < a.size(); ++f) {
            const double x = (*a[f])[idx], y = (*b[f])[idx];
            if (x == y) continue;
            if (!scalesKnown && f >= 3 && f <= 8) {
                const VertexReport v = evaluateVertex(p, s, ref.spec.u(static_cast<int>(idx % res)),
                                                      ref.spec.v(static_cast<int>(idx / res)));
                const VertexGeometry& g = v.geometry;
                detScale = g.g11 * g.g22;
                const double kappa = std::max(1.0, detScale / g.metricDet);
                const double curvature = 0.25 + std::abs(g.gaussian) + std::abs(g.gammaEE) + std::abs(g.gammaMM);
                // |H| is the norm of a projected vector: its rounding is relative to the
                // vector before projection, (1/2) g^{ab} (d_a d_b p) / p in the G-norm.
                const DropoutModel model = makeDropoutModel(p, s.rate, s.aggregation);
                const Predictive pred = predictive(model, v.u, v.v);
                const double det = g.metricDet;
                const double gi[3] = {std::abs(g.g22 / det), std::abs(g.g12 / det), std::abs(g.g11 / det)};
                double norm2 = 0.0;
                for (const Jet2& pj : pred.p) {
                    const double t0 = pj.du / pj.v, t1 = pj.dv / pj.v;
                    const double h = gi[0] * (std::abs(pj.duu / pj.v) + t0 * t0) +
                                     2.0 * gi[1] * (std::abs(pj.duv / pj.v) + std::abs(t0 * t1)) +
                                     gi[2] * (std::abs(pj.dvv / pj.v) + t1 * t1);
                    norm2 += pj.v * h * h;
                }
                meanScale = kappa * (std::sqrt(curvature) + std::sqrt(norm2));
                curvScale = kappa * (curvature + norm2);
                gammaScale = kappa * kappa * (curvature + norm2);

                scalesKnown = true;
            }
            double floor = 0.0;
            if (f == 9) floor = penaltyFloor;
            if (f == 3) floor = detScale;
            if (f == 4) floor = curvScale;
            if (f >= 6 && f <= 8) floor = gammaScale;
            if (f == 5) floor = meanScale;
            if (std::string problem = differs(f, idx, floor); !problem.empty()) return problem;
        }
    }
    return {};
}

GridResult scalarGrid(const Preset& p, const ComputeSettings& s) {
    ComputeControl c;
    c.kernel = ComputeControl::Kernel::Scalar;
    return *computeGrid(p, s, c);
}

GridResult targetGrid(const Preset& p, const ComputeSettings& s, std::int64_t target) {
    ComputeControl c;
    c.simdTarget = target;
    return *computeGrid(p, s, c);
}

bool bitIdentical(const GridResult& a, const GridResult& b) {
    const auto fa = fields(a), fb = fields(b);
    for (std::size_t f = 0; f < fa.size(); ++f)
        if (std::memcmp(fa[f]->data(), fb[f]->data(), fa[f]->size() * sizeof(double)) != 0) return false;
    return a.valid == b.valid;
}

}  // namespace

class TestSimdGrid : public QObject {
    Q_OBJECT

private slots:
    void targetsAreListedBestFirst() {
        const auto targets = simdTargets();
        QVERIFY(!targets.empty());
        QCOMPARE(simdTargetName(), simdTargetName(targets.front()));
        QVERIFY(!simdTargetName().empty());
        ComputeSettings s = defaultSettings(loadPreset(kDefaultPresetName));
        s.resolution = 5;
        ComputeControl c;
        c.simdTarget = 3;  // two target bits: no single target
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, computeGrid(loadPreset(kDefaultPresetName), s, c));
    }

    void everyTargetMatchesTheScalarReference() {
        int grids = 0;
        for (const std::string& name : presetsUnderTest()) {
            const Preset p = loadPreset(name);
            const ComputeSettings preset = defaultSettings(p);
            std::vector<double> rates = {preset.rate};
            if (p.hasDropoutSites())
                for (double r : {0.0, 0.3, 0.8})
                    if (r != preset.rate) rates.push_back(r);
            for (double rate : rates) {
                for (Aggregation agg : {Aggregation::Arithmetic, Aggregation::Geometric}) {
                    // 13 and 67 are no multiple of 2, 4 or 8 lanes; the preset's own settings also at 67.
                    for (int res : {13, 67}) {
                        if (res == 67 && (rate != preset.rate || agg != preset.aggregation)) continue;
                        ComputeSettings s = preset;
                        s.rate = rate;
                        s.aggregation = agg;
                        s.resolution = res;
                        const GridResult ref = scalarGrid(p, s);
                        for (std::int64_t target : simdTargets()) {
                            const GridResult simd = targetGrid(p, s, target);
                            const std::string problem = compareGrids(p, s, simd, ref);
                            const std::string where = p.name + " rate " + std::to_string(rate) + " " +
                                                      aggregationName(agg) + " " + std::to_string(res) + "^2 on " +
                                                      simdTargetName(target) + ": ";
                            QVERIFY2(problem.empty(), (where + problem).c_str());
                            ++grids;
                        }
                    }
                }
            }
        }
        qInfo("%d grids compared on %zu targets", grids, simdTargets().size());
    }

    void affinePlanAndItsLimits() {
        // logistic-input-dropout takes the affine plan. At rate 0.8 its largest
        // coefficient is 1 / 0.2, so rows with |u| > 230 / 5 take the general
        // path: u in [-60, 60] mixes both kinds of rows (and saturated vertices).
        const Preset p = loadPreset("logistic-input-dropout");
        ComputeSettings s = defaultSettings(p);
        s.rate = 0.8;
        s.uLo = -60.0;
        s.uHi = 60.0;
        s.resolution = 67;
        const SimdModel model = makeSimdModel(p, s);
        QVERIFY(model.affine);
        QCOMPARE(model.uLimit, 46.0);
        QCOMPARE(model.vLimit, 4.0);
        ComputeSettings geometric = s;
        geometric.aggregation = Aggregation::Geometric;
        QVERIFY(!makeSimdModel(p, geometric).affine);
        const Preset hidden = loadPreset("single-hidden-unit");
        QVERIFY(!makeSimdModel(hidden, defaultSettings(hidden)).affine);
        // At rate 1/2 all masks weigh the same: one group, whose product of
        // factors 1 + e^z is cut into chunks below e^700. The first point,
        // x = (1, 0.2), has z = 2 u + 0.4 v: |z| <= 9.6 on the preset's ranges
        // (chunks of 700 / (9.6 + log 2) = 68 factors), and on [-200, 200]^2,
        // limited to |u|, |v| <= 230 / 2, |z| <= 276: chunks of 2 of its 3
        // varying masks.
        ComputeSettings wide = defaultSettings(p);
        QCOMPARE(makeSimdModel(p, wide).affinePoints[0].chunk, 68);
        wide.uLo = wide.vLo = -200.0;
        wide.uHi = wide.vHi = 200.0;
        wide.resolution = 67;
        const SimdModel wideModel = makeSimdModel(p, wide);
        QCOMPARE(wideModel.groupWeight.size(), std::size_t{1});
        QCOMPARE(wideModel.affinePoints[0].chunk, 2);
        // At rate 0.3 the masks form three groups; the mask keeping both inputs
        // is a group of its own, whose ratios (up to e^300 each here) the last
        // pass cannot multiply over all three points: it takes two logs.
        ComputeSettings split = wide;
        split.rate = 0.3;
        const SimdModel splitModel = makeSimdModel(p, split);
        QCOMPARE(splitModel.groupWeight.size(), std::size_t{3});
        const auto logs = std::count(splitModel.logAfter.begin(), splitModel.logAfter.end(), 1);
        QVERIFY2(logs > 3, std::to_string(logs).c_str());
        for (const ComputeSettings& settings : {s, wide, split}) {
            const GridResult ref = scalarGrid(p, settings);
            for (std::int64_t target : simdTargets()) {
                const std::string problem = compareGrids(p, settings, targetGrid(p, settings, target), ref);
                QVERIFY2(problem.empty(), (simdTargetName(target) + ": " + problem).c_str());
            }
        }
    }

    // Weights of +-1000 saturate the logits (|z| in the hundreds or
    // thousands): probabilities of exactly 0 and 1, invalid vertices, display
    // coordinates at 0 and pi, penalties that vanish or stay finite.
    void saturatedModelsMatchTheReference() {
        for (const std::string& name : {std::string("logistic-input-dropout"), std::string("single-hidden-unit")}) {
            const Preset p = loadPreset(name);
            for (double rate : {0.0, 0.5}) {
                for (Aggregation agg : {Aggregation::Arithmetic, Aggregation::Geometric}) {
                    ComputeSettings s = defaultSettings(p);
                    s.rate = rate;
                    s.aggregation = agg;
                    s.uLo = s.vLo = -1000.0;
                    s.uHi = s.vHi = 1000.0;
                    s.resolution = 29;
                    const GridResult ref = scalarGrid(p, s);
                    QVERIFY(ref.invalidCount() > 0);
                    for (std::int64_t target : simdTargets()) {
                        const GridResult simd = targetGrid(p, s, target);
                        const std::string where = name + " rate " + std::to_string(rate) + " " + aggregationName(agg) +
                                                  " on " + simdTargetName(target) + ": ";
                        const std::string problem = compareGrids(p, s, simd, ref);
                        QVERIFY2(problem.empty(), (where + problem).c_str());
                        for (const std::vector<double>* f : {&simd.x, &simd.y, &simd.z})
                            QVERIFY2(std::none_of(f->begin(), f->end(), [](double x) { return std::isnan(x); }),
                                     (where + "NaN display coordinate").c_str());
                    }
                }
            }
        }
    }

    void invalidVerticesAreFlaggedAlike() {
        // single-hidden-unit is singular on a = 0, a grid line at odd resolutions.
        const Preset p = loadPreset("single-hidden-unit");
        ComputeSettings s = defaultSettings(p);
        s.resolution = 13;
        const GridResult ref = scalarGrid(p, s);
        QVERIFY(ref.invalidCount() > 0);
        for (std::int64_t target : simdTargets()) {
            QVERIFY(targetGrid(p, s, target).valid == ref.valid);
        }
    }

    void threadCountsGiveBitIdenticalResults() {
        for (const std::string& name : builtinPresetNames()) {
            const Preset p = loadPreset(name);
            ComputeSettings s = defaultSettings(p);
            s.resolution = 67;
            ComputeControl c;
            c.threads = 1;
            const GridResult one = *computeGrid(p, s, c);
            for (int t : {2, 3}) {
                c.threads = t;
                QVERIFY2(bitIdentical(one, *computeGrid(p, s, c)), name.c_str());
            }
        }
    }

    void cancelledComputeReturnsPromptlyWithoutResult() {
        const Preset p = loadPreset(kDefaultPresetName);
        ComputeSettings s = defaultSettings(p);
        s.resolution = 1025;
        for (int threads : {1, 2, 3}) {
            std::atomic<int> progressCalls{0};
            ComputeControl c;
            c.threads = threads;
            // Cancel after the third block: at most one more block per thread may run.
            c.cancelled = [&] { return progressCalls >= 3; };
            c.progress = [&](double) { ++progressCalls; };
            const auto start = std::chrono::steady_clock::now();
            const auto result = computeGrid(p, s, c);
            const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
            QVERIFY(!result.has_value());
            QVERIFY2(progressCalls >= 3 && progressCalls <= 3 + threads, std::to_string(progressCalls.load()).c_str());
            // A full grid takes tens of ms at least; a few blocks take microseconds.
            QVERIFY2(ms < 500.0, std::to_string(ms).c_str());
        }
    }

    // Where one vertex costs more than a block, the hook is also polled
    // within blocks and while the kernel's model is made: a computation
    // cancelled in the middle of its first block, or of the model, stops
    // there with no result, and the hook is not asked again.
    void costlyVerticesArePolledWithinABlock_data() {
        QTest::addColumn<bool>("simd");
        QTest::addRow("simd") << true;
        QTest::addRow("scalar") << false;
    }
    void costlyVerticesArePolledWithinABlock() {
        QFETCH(bool, simd);
        const Preset p = test::slowPreset(12, 1);  // a vertex costs more than a block (not the affine plan)
        ComputeSettings s = defaultSettings(p);
        s.resolution = 3;  // 9 vertices: blocks of 8
        QCOMPARE(blockVertices(p, s), 8);
        QCOMPARE(passesPerPoll(p), std::size_t{1048576 / (8 * (12 * 64 + 64 + 2))});
        ComputeControl c;
        c.threads = 1;
        c.kernel = simd ? ComputeControl::Kernel::Simd : ComputeControl::Kernel::Scalar;
        std::atomic<int> calls{0}, blocks{0};
        c.cancelled = [&] {
            ++calls;
            return false;
        };
        c.progress = [&](double) { ++blocks; };
        QVERIFY(computeGrid(p, s, c));
        QCOMPARE(blocks.load(), 2);
        // Polls before the 12 arrays and the 2 blocks, and at least one per
        // passesPerPoll forward passes of a vertex (of a row of them for SIMD).
        const int total = calls.load();
        const int passes = 3 * (1 << 12);
        QVERIFY2(total >= 12 + 2 + passes / static_cast<int>(passesPerPoll(p)), std::to_string(total).c_str());

        for (const int stopAt : {5, total - 5}) {  // while the SIMD model is made (or the first block), in the last block
            calls = 0;
            blocks = 0;
            c.cancelled = [&] { return ++calls >= stopAt; };
            QVERIFY(!computeGrid(p, s, c));
            QCOMPARE(calls.load(), stopAt);
            QCOMPARE(blocks.load(), stopAt == 5 ? 0 : 1);
        }
    }

    // Logistic regression with d dropped inputs at three design points.
    static Preset droppedInputs(int d) {
        nlohmann::json design = nlohmann::json::array(), weights = nlohmann::json::array();
        for (int i = 0; i < 3; ++i) {
            nlohmann::json x = nlohmann::json::array();
            for (int j = 0; j < d; ++j) x.push_back(0.1 * ((5 * i + 3 * j) % 7) - 0.3);
            design.push_back(x);
        }
        for (int j = 0; j < d; ++j) weights.push_back(0.2);
        const nlohmann::json preset = {
            {"format", 1},
            {"name", "dropped-inputs"},
            {"design", design},
            {"network", {{"output", "bernoulli"}}},
            {"weights", {{"output", {weights}}}},
            {"free", {{{"weight", "output[0][0]"}, {"range", {-2, 2}}}, {{"weight", "output[0][1]"}, {"range", {-2, 2}}}}},
            {"dropout", {{"sites", {"input"}}, {"rate", 0.5}}}};
        return parsePreset(preset.dump());
    }

    // A costlier model gets smaller blocks (polls of the cancellation hook),
    // and the partition changes no result: the grid equals the kernel run
    // over all vertices at once.
    void blocksShrinkWithTheModelsCost() {
        for (const std::string& name : builtinPresetNames()) {
            const Preset p = loadPreset(name);
            QCOMPARE(blockVertices(p, defaultSettings(p)), kBlockVertices);
        }
        const Preset eight = droppedInputs(8);  // 2^8 masks x 3 points x (8 + 2): 1048576 / 7680 vertices
        ComputeSettings s = defaultSettings(eight);
        QCOMPARE(blockVertices(eight, s), 136);
        const Preset twelve = droppedInputs(12);
        QCOMPARE(blockVertices(twelve, defaultSettings(twelve)), 8);
        ComputeSettings noDropout = defaultSettings(twelve);
        noDropout.rate = 0.0;  // one mask
        QCOMPARE(blockVertices(twelve, noDropout), kBlockVertices);

        s.resolution = 33;
        std::atomic<int> blocks{0};
        ComputeControl c;
        c.progress = [&](double) { ++blocks; };
        const GridResult grid = *computeGrid(eight, s, c);
        QCOMPARE(blocks.load(), (33 * 33 + 135) / 136);
        GridResult whole = grid;  // overwritten below, from a sentinel
        for (std::vector<double>* f : {&whole.x, &whole.y, &whole.z, &whole.metricDet, &whole.gaussian, &whole.mean,
                                       &whole.gammaEE, &whole.gammaEM, &whole.gammaMM, &whole.penaltyExact,
                                       &whole.penaltyQuadratic})
            std::fill(f->begin(), f->end(), -7.0);
        std::fill(whole.valid.begin(), whole.valid.end(), std::uint8_t{7});
        const SimdModel model = makeSimdModel(eight, s);
        QVERIFY(simdEvaluate(model, 0, grid.spec.vertices(),
                             SimdBlockOutput{whole.x.data(), whole.y.data(), whole.z.data(), whole.metricDet.data(),
                                             whole.gaussian.data(), whole.mean.data(), whole.gammaEE.data(),
                                             whole.gammaEM.data(), whole.gammaMM.data(), whole.penaltyExact.data(),
                                             whole.penaltyQuadratic.data(), whole.valid.data()}));
        QVERIFY(bitIdentical(grid, whole));
    }
};

QTEST_APPLESS_MAIN(TestSimdGrid)
#include "test_simd_grid.moc"
