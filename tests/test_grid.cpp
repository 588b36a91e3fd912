// The grid: vertex placement, agreement with single-vertex evaluation,
// cancellation and progress, and the CSV writer.

#include "builtin_presets.h"
#include "grid.h"
#include "grid_csv.h"
#include "test_support.h"
#include "vertex.h"

#include <QtTest/QtTest>

#include <atomic>
#include <cmath>
#include <cstring>
#include <sstream>

using namespace manifoldlens;
using namespace manifoldlens::test;

namespace {

ComputeSettings smallGrid(const Preset& p, int resolution) {
    ComputeSettings s = defaultSettings(p);
    s.resolution = resolution;
    return s;
}

std::vector<std::string> split(const std::string& line) {
    std::vector<std::string> cells;
    std::stringstream in(line);
    for (std::string cell; std::getline(in, cell, ',');) cells.push_back(cell);
    return cells;
}

}  // namespace

class TestGrid : public QObject {
    Q_OBJECT

private slots:
    void verticesSpanTheRangesWithUFastest() {
        const GridSpec g{5, -4.0, 4.0, -1.0, 3.0};
        QCOMPARE(g.vertices(), std::size_t{25});
        QCOMPARE(g.u(0), -4.0);
        QCOMPARE(g.u(4), 4.0);
        QCOMPARE(g.u(2), 0.0);
        QCOMPARE(g.v(4), 3.0);
    }

    void nearestVertexInvertsThePlacement() {
        const GridSpec g{9, -2.0, 6.0, 1.0, 3.0};
        for (int j = 0; j < 9; ++j)
            for (int i = 0; i < 9; ++i) QCOMPARE(g.nearestVertex(g.u(i), g.v(j)), std::size_t(j * 9 + i));
        QCOMPARE(g.nearestVertex(-1.6, 1.0), std::size_t{0});      // 0.4 of a step: vertex 0
        QCOMPARE(g.nearestVertex(-1.4, 1.0), std::size_t{1});      // 0.6 of a step: vertex 1
        QCOMPARE(g.nearestVertex(-50.0, 40.0), std::size_t{8 * 9});  // clamped to the corner
        QCOMPARE(g.nearestVertex(7.0, -3.0), std::size_t{8});
    }

    void everyVertexMatchesTheProbe() {
        for (const std::string& name : builtinPresetNames()) {
            const Preset p = loadPreset(name);
            const ComputeSettings s = smallGrid(p, 9);
            const GridResult r = *computeGrid(p, s);
            for (int j = 0; j < 9; ++j) {
                for (int i = 0; i < 9; ++i) {
                    const std::size_t idx = static_cast<std::size_t>(j * 9 + i);
                    const VertexReport v = evaluateVertex(p, s, r.spec.u(i), r.spec.v(j));
                    QCOMPARE(r.valid[idx] != 0, v.geometry.valid);
                    QCOMPARE(r.x[idx], v.geometry.point[0]);
                    QCOMPARE(r.metricDet[idx], v.geometry.metricDet);
                    QCOMPARE(r.penaltyQuadratic[idx], v.penaltyQuadratic);
                    if (v.geometry.valid) {
                        QCOMPARE(r.gaussian[idx], v.geometry.gaussian);
                        QCOMPARE(r.gammaEE[idx], v.geometry.gammaEE);
                    } else {
                        QVERIFY(std::isnan(r.gaussian[idx]));
                    }
                }
            }
        }
    }

    void singularLineShowsInTheGrid() {
        // single-hidden-unit, a in [-3, 3] and v in [-4, 4]: at 129 vertices the middle column is a = 0
        // and the middle row v = 0, the two singular lines; every other vertex is regular.
        const Preset p = loadPreset("single-hidden-unit");
        const GridResult r = *computeGrid(p, smallGrid(p, 129));
        QCOMPARE(r.spec.u(64), 0.0);
        QCOMPARE(r.spec.v(64), 0.0);
        for (int k = 0; k < 129; ++k) {
            QCOMPARE(r.valid[static_cast<std::size_t>(k * 129 + 64)], std::uint8_t{0});
            QCOMPARE(r.valid[static_cast<std::size_t>(64 * 129 + k)], std::uint8_t{0});
        }
        QCOMPARE(r.invalidCount(), std::size_t{129 + 129 - 1});
    }

    void cancellationReturnsNothing() {
        const Preset p = loadPreset("logistic-input-dropout");
        for (int threads : {1, 3}) {
            std::atomic<int> blocks{0};
            ComputeControl control;
            control.threads = threads;
            control.progress = [&](double) { ++blocks; };
            control.cancelled = [&] { return blocks >= 3; };
            QVERIFY(!computeGrid(p, smallGrid(p, 129), control).has_value());
            // After the first "cancelled" answer each thread finishes at most the block it is in
            // and starts no other: 129^2 vertices are 65 blocks.
            QVERIFY2(blocks >= 3 && blocks <= 3 + threads, qPrintable(QString::number(blocks)));
        }
    }

    void cancelledComputationKeepsTheStorage() {
        const Preset p = loadPreset("single-hidden-unit");
        const ComputeSettings s = smallGrid(p, 129);
        const GridResult fresh = *computeGrid(p, s);
        GridResult r = *computeGrid(p, smallGrid(p, 129));
        const double* storage = r.gaussian.data();
        ComputeControl control;
        std::atomic<int> blocks{0};
        control.progress = [&](double) { ++blocks; };
        control.cancelled = [&] { return blocks >= 2; };
        QVERIFY(!computeGridInto(r, p, s, control));
        QCOMPARE(r.spec.resolution, 0);  // no grid
        QCOMPARE(r.gaussian.data(), storage);
        QVERIFY(computeGridInto(r, p, s));
        QCOMPARE(r.spec.resolution, 129);
        QVERIFY(std::memcmp(r.gaussian.data(), fresh.gaussian.data(), r.gaussian.size() * sizeof(double)) == 0);
        QVERIFY(r.valid == fresh.valid);

        // Cancelled before the arrays are allocated: nothing is allocated.
        GridResult empty;
        control.cancelled = [] { return true; };
        QVERIFY(!computeGridInto(empty, p, s, control));
        QVERIFY(empty.gaussian.empty() && empty.valid.empty());
        QCOMPARE(empty.spec.resolution, 0);
    }

    void recycledArraysAreOverwritten() {
        const Preset p = loadPreset("single-hidden-unit");
        const Preset other = loadPreset("logistic-input-dropout");
        const ComputeSettings s = smallGrid(p, 67);
        const GridResult fresh = *computeGrid(p, s);
        for (int oldResolution : {33, 67, 129}) {
            GridResult r = *computeGrid(other, smallGrid(other, oldResolution));
            const double* storage = r.gaussian.data();
            QVERIFY(computeGridInto(r, p, s));
            QCOMPARE(r.spec.resolution, 67);
            QCOMPARE(r.gaussian.size(), fresh.gaussian.size());
            // The same bits as a computation into new arrays: nothing of the old grid survives.
            QVERIFY(std::memcmp(r.gaussian.data(), fresh.gaussian.data(), r.gaussian.size() * sizeof(double)) == 0);
            QVERIFY(std::memcmp(r.gammaMM.data(), fresh.gammaMM.data(), r.gammaMM.size() * sizeof(double)) == 0);
            QVERIFY(r.x == fresh.x && r.z == fresh.z && r.metricDet == fresh.metricDet);
            QVERIFY(r.penaltyExact == fresh.penaltyExact && r.penaltyQuadratic == fresh.penaltyQuadratic);
            QVERIFY(r.valid == fresh.valid);
            // Storage at least as large is reused, not reallocated.
            if (oldResolution >= 67) QCOMPARE(r.gaussian.data(), storage);
        }
    }

    void threadCountsGiveIdenticalResults() {
        const Preset p = loadPreset("single-hidden-unit");
        const ComputeSettings s = smallGrid(p, 67);
        std::vector<GridResult> results;
        for (int threads : {1, 2, 3}) {
            ComputeControl control;
            control.threads = threads;
            results.push_back(*computeGrid(p, s, control));
        }
        for (const GridResult& r : results) {
            QVERIFY(std::memcmp(r.gaussian.data(), results[0].gaussian.data(), r.gaussian.size() * sizeof(double)) == 0);
            QVERIFY(std::memcmp(r.gammaEM.data(), results[0].gammaEM.data(), r.gammaEM.size() * sizeof(double)) == 0);
            QVERIFY(r.valid == results[0].valid);
            QVERIFY(r.x == results[0].x && r.penaltyExact == results[0].penaltyExact);
        }
        ComputeControl bad;
        bad.threads = -1;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, computeGrid(p, s, bad));
    }

    void progressRisesToOne() {
        const Preset p = loadPreset("logistic-input-dropout");
        std::vector<double> seen;
        ComputeControl control;
        control.progress = [&](double f) { seen.push_back(f); };
        QVERIFY(computeGrid(p, smallGrid(p, 33), control).has_value());
        QCOMPARE(seen.size(), std::size_t{(33 * 33 + kBlockVertices - 1) / kBlockVertices});
        QVERIFY(std::is_sorted(seen.begin(), seen.end()));
        QCOMPARE(seen.back(), 1.0);
    }

    void invalidSettingsAreRefused() {
        const Preset p = loadPreset("logistic-input-dropout");
        ComputeSettings s = smallGrid(p, 9);
        s.rate = 1.0;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, computeGrid(p, s));
    }

    void csvHasTheHeaderAndOneRowPerVertex() {
        const Preset p = loadPreset("single-hidden-unit");
        ComputeSettings s = smallGrid(p, 5);
        s.alpha = 0.5;
        const GridResult r = *computeGrid(p, s);
        std::stringstream out;
        writeGridCsv(out, r, s.alpha);
        std::string line;
        std::getline(out, line);
        QCOMPARE(line, std::string(kGridCsvHeader));
        std::vector<std::vector<std::string>> rows;
        while (std::getline(out, line)) rows.push_back(split(line));
        QCOMPARE(rows.size(), std::size_t{25});
        for (std::size_t idx = 0; idx < rows.size(); ++idx) {
            const auto& row = rows[idx];
            QCOMPARE(row.size(), std::size_t{15});
            QCOMPARE(std::stod(row[0]), r.spec.u(static_cast<int>(idx % 5)));
            QCOMPARE(std::stod(row[1]), r.spec.v(static_cast<int>(idx / 5)));
            QCOMPARE(std::stod(row[2]), r.x[idx]);  // shortest round-trip form reads back exactly
            QCOMPARE(row[14], std::string(r.valid[idx] ? "1" : "0"));
            if (r.valid[idx]) {
                const double ee = r.gammaEE[idx], em = r.gammaEM[idx], mm = r.gammaMM[idx];
                QCOMPARE(std::stod(row[8]), ee);
                ML_COMPARE_CLOSE(std::stod(row[11]), 0.5625 * ee + 0.375 * em + 0.0625 * mm, 1e-15, 0.0);
            } else {
                QCOMPARE(row[6], std::string("nan"));
            }
        }
        // The middle column (a = 0) is singular.
        QCOMPARE(rows[2][14], std::string("0"));
    }
};

QTEST_APPLESS_MAIN(TestGrid)
#include "test_grid.moc"
