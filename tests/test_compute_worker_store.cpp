// The compute worker's stored result and storage: identical requests
// answered without computing or joining the computation in progress, kernel
// and thread changes computed anew, and grids recycled only when nobody holds
// them (including the arrays of cancelled passes).

#include "compute_worker.h"
#include "compute_worker_fixture.h"
#include "grid.h"
#include "simd_grid.h"

#include <QtTest/QtTest>

#include <algorithm>
#include <memory>
#include <utility>
#include <vector>

using namespace manifoldlens;
using namespace manifoldlens::test;

class TestComputeWorkerStore : public QObject {
    Q_OBJECT

private:
    const std::shared_ptr<const Preset> preset_ = workerPreset();

private slots:
    // Only alpha changed, or the same preset reloaded: the stored grid, no computation.
    void identicalRequestIsAnsweredFromStore() {
        ComputeWorker worker;
        Recorder r(worker);
        ComputeSettings s = settingsAt(129, 0.3);
        const quint64 first = worker.request(preset_, s);
        QTRY_VERIFY_WITH_TIMEOUT(r.finalOf(first) != nullptr, 10000);
        const ComputeWorkerStats before = worker.stats();

        s.alpha = 0.7;
        const quint64 second = worker.request(preset_, s);
        QVERIFY(second > first);
        QTRY_VERIFY_WITH_TIMEOUT(r.finalOf(second) != nullptr, 1000);
        QCOMPARE(r.finalOf(second)->grid, r.finalOf(first)->grid);
        // Delivered as computed for the first request, marked as reused.
        QVERIFY(!r.finalOf(first)->pass.reused);
        QVERIFY(r.finalOf(second)->pass.reused);
        QCOMPARE(r.finalOf(second)->pass.kernel, QString::fromStdString(simdTargetName()));
        QCOMPARE(r.finalOf(second)->pass.milliseconds, r.finalOf(first)->pass.milliseconds);

        const auto reloaded = std::make_shared<const Preset>(loadPreset("logistic-input-dropout"));
        const quint64 third = worker.request(reloaded, s);
        QTRY_VERIFY_WITH_TIMEOUT(r.finalOf(third) != nullptr, 1000);
        QCOMPARE(r.finalOf(third)->grid, r.finalOf(first)->grid);

        const ComputeWorkerStats after = worker.stats();
        QCOMPARE(after.coarsePasses, before.coarsePasses);
        QCOMPARE(after.finalPasses, before.finalPasses);
        QCOMPARE(after.cacheHits, before.cacheHits + 2);

        // Anything that changes the grid is computed.
        s.uHi += 1.0;
        const quint64 fourth = worker.request(preset_, s);
        QTRY_VERIFY_WITH_TIMEOUT(r.finalOf(fourth) != nullptr, 10000);
        QCOMPARE(worker.stats().finalPasses, before.finalPasses + 1);
        checkOrdering(r);
    }

    // The kernel and the thread count are part of the computation: switching
    // either computes anew, and each grid comes with how it was computed.
    void kernelOrThreadsChangeRecomputes() {
        ComputeWorker worker;
        Recorder r(worker);
        const ComputeSettings s = settingsAt(129, 0.3);
        const quint64 simd = worker.request(preset_, s);
        QTRY_VERIFY_WITH_TIMEOUT(r.finalOf(simd) != nullptr, 10000);
        QCOMPARE(r.finalOf(simd)->pass.kernel, QString::fromStdString(simdTargetName()));
        QCOMPARE(r.finalOf(simd)->pass.threads, computeThreads(ComputeControl{}));

        ComputeControl scalar;
        scalar.kernel = ComputeControl::Kernel::Scalar;
        const GridResult expected = *computeGrid(*preset_, s, scalar);
        for (int threads : {1, 2}) {
            worker.setKernel(ComputeControl::Kernel::Scalar, threads);
            const quint64 g = worker.request(preset_, s);
            QTRY_VERIFY_WITH_TIMEOUT(r.finalOf(g) != nullptr, 20000);
            const PassInfo& pass = r.finalOf(g)->pass;
            QCOMPARE(pass.kernel, QStringLiteral("scalar"));
            QCOMPARE(pass.threads, threads);
            QVERIFY(!pass.reused);
            QVERIFY(pass.milliseconds > 0.0);
            checkSameGrid(*r.finalOf(g)->grid, expected);
        }
        QCOMPARE(worker.stats().cacheHits, quint64{0});
        QCOMPARE(worker.stats().finalPasses, quint64{3});
        checkOrdering(r);
    }

    // The arrays of a cancelled pass are overwritten by the next pass of their
    // size; grids that are held are never written again.
    void cancelledStorageIsReusedAndHeldGridsAreKept() {
        ComputeWorker worker;
        worker.setKernel(ComputeControl::Kernel::Scalar, 1);  // a 513 x 513 pass takes most of a second
        std::vector<std::pair<quint64, std::shared_ptr<const GridResult>>> held;  // every final grid
        quint64 inFinalPass = 0;  // generation whose final pass has reported progress
        connect(&worker, &ComputeWorker::resultReady, this,
                [&](quint64 generation, std::shared_ptr<const GridResult> grid, bool final, const PassInfo&) {
                    if (final) held.emplace_back(generation, std::move(grid));
                });
        // Progress covers both passes: the 65 x 65 preview is 1.6 % of the work.
        connect(&worker, &ComputeWorker::progress, this, [&](quint64 generation, double fraction) {
            if (fraction > 0.02) inFinalPass = generation;
        });
        const auto heldOf = [&](quint64 generation) {
            return std::any_of(held.begin(), held.end(), [&](const auto& h) { return h.first == generation; });
        };
        const int res = 513;
        const quint64 first = worker.request(preset_, settingsAt(res, 0.1));
        QTRY_VERIFY_WITH_TIMEOUT(heldOf(first), 30000);
        const quint64 cancelled = worker.request(preset_, settingsAt(res, 0.2));
        QTRY_VERIFY_WITH_TIMEOUT(inFinalPass == cancelled, 30000);
        const quint64 last = worker.request(preset_, settingsAt(res, 0.3));
        QTRY_VERIFY_WITH_TIMEOUT(heldOf(last), 30000);

        const ComputeWorkerStats stats = worker.stats();
        QCOMPARE(stats.cancelledPasses, quint64{1});
        // Each preview overwrites the one before; the last final pass
        // overwrites the cancelled pass's arrays, as the first grid is held.
        QCOMPARE(stats.recycled, quint64{3});
        QCOMPARE(held.size(), std::size_t{2});
        ComputeControl scalar;
        scalar.kernel = ComputeControl::Kernel::Scalar;
        checkSameGrid(*held[0].second, *computeGrid(*preset_, settingsAt(res, 0.1), scalar));
        checkSameGrid(*held[1].second, *computeGrid(*preset_, settingsAt(res, 0.3), scalar));
    }

    // A grid the GUI no longer shows is overwritten by the next pass of its size.
    void unheldGridsAreRecycled() {
        ComputeWorker worker;
        worker.setKernel(ComputeControl::Kernel::Scalar, 1);  // passes slow enough to keep their previews
        std::shared_ptr<const GridResult> shown;
        quint64 shownGeneration = 0;
        connect(&worker, &ComputeWorker::resultReady, this,
                [&](quint64 generation, std::shared_ptr<const GridResult> grid, bool final, const PassInfo&) {
                    if (!final) return;
                    shown = std::move(grid);
                    shownGeneration = generation;
                });
        for (int step = 10; step < 14; ++step) {
            const quint64 generation = worker.request(preset_, settingsAt(257, rateAt(step)));
            QTRY_VERIFY_WITH_TIMEOUT(shownGeneration == generation, 10000);
        }
        // Four requests: the coarse grid of the last three and the final grid
        // of the last two (the one before is still shown when a pass starts).
        QCOMPARE(worker.stats().recycled, quint64{5});
        ComputeControl scalar;
        scalar.kernel = ComputeControl::Kernel::Scalar;
        checkSameGrid(*shown, *computeGrid(*preset_, settingsAt(257, rateAt(13)), scalar));

        // Grids of a resolution no longer requested are let go: after a
        // 513 x 513 request the next 257 x 257 pass allocates anew (only its
        // coarse pass recycles).
        for (int resolution : {513, 257}) {
            const quint64 generation = worker.request(preset_, settingsAt(resolution, rateAt(20)));
            QTRY_VERIFY_WITH_TIMEOUT(shownGeneration == generation, 10000);
        }
        QCOMPARE(worker.stats().recycled, quint64{7});
    }

    // An alpha change while the same grid is being computed takes the computation over.
    void identicalRequestJoinsRunningComputation() {
        ComputeWorker worker;
        worker.setKernel(ComputeControl::Kernel::Scalar, 1);  // still running when the second request comes
        Recorder r(worker);
        ComputeSettings s = settingsAt(257, 0.3);
        const quint64 first = worker.request(preset_, s);
        QTest::qWait(20);
        s.alpha = -0.5;
        const quint64 second = worker.request(preset_, s);
        QTRY_VERIFY_WITH_TIMEOUT(r.finalOf(second) != nullptr, 20000);
        QTest::qWait(100);
        QVERIFY(r.finalOf(first) == nullptr);
        const ComputeWorkerStats stats = worker.stats();
        QCOMPARE(stats.finalPasses, quint64{1});
        QCOMPARE(stats.joined, quint64{1});
        checkOrdering(r);
    }
};

QTEST_MAIN(TestComputeWorkerStore)
#include "test_compute_worker_store.moc"
