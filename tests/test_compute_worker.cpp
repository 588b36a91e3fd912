// The background grid worker: skipping and cancelling superseded requests,
// progressive refinement, delivery order, responsiveness of the GUI thread,
// failures, and clean destruction mid-compute. The stored result and the
// reuse of storage are in test_compute_worker_store.cpp.

#include "builtin_presets.h"
#include "compute_worker.h"
#include "compute_worker_fixture.h"
#include "test_support.h"
#include "grid.h"
#include "settings.h"

#include <QElapsedTimer>
#include <QTimer>
#include <QtTest/QtTest>

#include <memory>
#include <vector>

using namespace manifoldlens;
using namespace manifoldlens::test;

class TestComputeWorker : public QObject {
    Q_OBJECT

private:
    const std::shared_ptr<const Preset> preset_ = workerPreset();

private slots:
    void initTestCase() {
        QElapsedTimer t;
        t.start();
        auto grid = computeGrid(*preset_, settingsAt(129, 0.3));
        QVERIFY(grid);
        qInfo("one 129 x 129 grid on this thread: %lld ms", static_cast<long long>(t.elapsed()));
    }

    void generationsAreMonotonic() {
        ComputeWorker worker;
        QCOMPARE(worker.latestGeneration(), quint64{0});
        QVERIFY(!worker.busy());
        const quint64 a = worker.request(preset_, settingsAt(17, 0.1));
        const quint64 b = worker.request(preset_, settingsAt(17, 0.2));
        QVERIFY(b > a);
        QCOMPARE(worker.latestGeneration(), b);
        QVERIFY(worker.busy());
        Recorder r(worker);
        QTRY_VERIFY_WITH_TIMEOUT(r.finalOf(b) != nullptr, 10000);
        QVERIFY(!worker.busy());
        checkOrdering(r);
    }

    // A receiver in another thread gets the signals queued: the grid pointer type is registered.
    void queuedConnectionCarriesTheGrid() {
        ComputeWorker worker;
        QVERIFY(QMetaType::fromName("std::shared_ptr<const manifoldlens::GridResult>").isValid());
        std::shared_ptr<const GridResult> received;
        QObject::connect(
            &worker, &ComputeWorker::resultReady, &worker,
            [&](quint64, std::shared_ptr<const GridResult> grid, bool final, const PassInfo&) {
                if (final) received = std::move(grid);
            },
            Qt::QueuedConnection);
        worker.request(preset_, settingsAt(17, 0.2));
        QTRY_VERIFY_WITH_TIMEOUT(received != nullptr, 10000);
        QCOMPARE(received->spec.resolution, 17);
    }

    // 200 slider steps in one burst: only the last one matters.
    void rapidRateChanges() {
        ComputeWorker worker;
        Recorder r(worker);
        const int resolution = 129;
        quint64 last = 0;
        for (int step = 0; step < 200; ++step) last = worker.request(preset_, settingsAt(resolution, rateAt(step)));

        QTRY_VERIFY_WITH_TIMEOUT(r.finalOf(last) != nullptr, 20000);
        const std::size_t settled = r.events.size();
        QTest::qWait(500);
        QCOMPARE(r.events.size(), settled);  // nothing after the final of the last generation
        checkOrdering(r);

        const Event* final = r.finalOf(last);
        QCOMPARE(final->kind, Event::Result);
        const auto expected = computeGrid(*preset_, settingsAt(resolution, rateAt(199)));
        QVERIFY(expected);
        checkSameGrid(*final->grid, *expected);

        const ComputeWorkerStats s = worker.stats();
        qInfo("burst: %llu final passes, %llu coarse passes, %llu skipped, %llu cancelled, %llu dropped, %zu results",
              static_cast<unsigned long long>(s.finalPasses), static_cast<unsigned long long>(s.coarsePasses),
              static_cast<unsigned long long>(s.skipped), static_cast<unsigned long long>(s.cancelledPasses),
              static_cast<unsigned long long>(s.dropped), r.count(Event::Result));
        QCOMPARE(s.requests, quint64{200});
        QVERIFY(s.finalPasses <= 5);
        QVERIFY(s.skipped >= 190);
        for (const Event* e : r.results()) QVERIFY(e->generation == last);
    }

    // A drag: one step every 2 ms with the event loop running in between, and
    // a pause of 60 ms every 20 steps, so that some intermediate results are
    // delivered and others overtaken. The scalar kernel on one thread, so that
    // a 129 x 129 pass (tens of ms) is overtaken by the next steps.
    void pacedRateChanges() {
        ComputeWorker worker;
        worker.setKernel(ComputeControl::Kernel::Scalar, 1);
        Recorder r(worker);
        const int resolution = 129;
        int step = 0;
        quint64 last = 0;
        QTimer slider;
        slider.setTimerType(Qt::PreciseTimer);
        slider.setInterval(2);
        QElapsedTimer drag;
        drag.start();
        QObject::connect(&slider, &QTimer::timeout, &worker, [&] {
            last = worker.request(preset_, settingsAt(resolution, rateAt(step)));
            if (++step == 200) slider.stop();
            slider.setInterval(step % 20 == 0 ? 60 : 2);
        });
        slider.start();
        QVERIFY(runEventLoopUntil([&] { return step == 200; }, 20000));
        const qint64 dragMs = drag.elapsed();
        QVERIFY(runEventLoopUntil([&] { return r.finalOf(last) != nullptr; }, 20000));
        const std::size_t settled = r.events.size();
        QTest::qWait(500);
        QCOMPARE(r.events.size(), settled);
        checkOrdering(r);

        ComputeControl scalar;
        scalar.kernel = ComputeControl::Kernel::Scalar;
        const auto expected = computeGrid(*preset_, settingsAt(resolution, rateAt(199)), scalar);
        QVERIFY(expected);
        checkSameGrid(*r.finalOf(last)->grid, *expected);

        const ComputeWorkerStats s = worker.stats();
        qInfo("paced: 200 steps in %lld ms, %llu final passes (%llu completed passes), %llu coarse passes, %llu skipped, %llu cancelled, "
              "%llu dropped, %zu results delivered",
              static_cast<long long>(dragMs), static_cast<unsigned long long>(s.finalPasses),
              static_cast<unsigned long long>(s.completedPasses), static_cast<unsigned long long>(s.coarsePasses),
              static_cast<unsigned long long>(s.skipped), static_cast<unsigned long long>(s.cancelledPasses),
              static_cast<unsigned long long>(s.dropped), r.count(Event::Result));
        // How many passes complete depends on the machine's load; every pass
        // started either completes or is cancelled.
        QCOMPARE(s.completedPasses + s.cancelledPasses, s.coarsePasses + s.finalPasses);
        QVERIFY(s.cancelledPasses > 0);
        QVERIFY(r.count(Event::Result) < 200);
    }

    // Back and forth between two rates (and alpha changes): requests that take
    // over the running or pending computation, and answers from the store.
    void alternatingRequests() {
        // The scalar kernel, so that a 129 x 129 pass outlasts a few requests
        // (the SIMD one takes about a millisecond).
        ComputeWorker worker;
        worker.setKernel(ComputeControl::Kernel::Scalar);
        Recorder r(worker);
        int step = 0;
        quint64 last = 0;
        QTimer slider;
        slider.setTimerType(Qt::PreciseTimer);
        slider.setInterval(1);
        QObject::connect(&slider, &QTimer::timeout, &worker, [&] {
            ComputeSettings s = settingsAt(129, step % 3 == 0 ? 0.3 : 0.2);
            s.alpha = (step % 7) / 7.0;
            last = worker.request(preset_, s);
            if (++step == 200) slider.stop();
            slider.setInterval(step % 50 == 0 ? 80 : 1);
        });
        slider.start();
        QVERIFY(runEventLoopUntil([&] { return step == 200; }, 20000));
        QVERIFY(runEventLoopUntil([&] { return r.finalOf(last) != nullptr; }, 20000));
        QTest::qWait(300);
        checkOrdering(r);
        ComputeControl scalar;
        scalar.kernel = ComputeControl::Kernel::Scalar;
        const auto expected = computeGrid(*preset_, settingsAt(129, 199 % 3 == 0 ? 0.3 : 0.2), scalar);
        QVERIFY(expected);
        checkSameGrid(*r.finalOf(last)->grid, *expected);
        const ComputeWorkerStats s = worker.stats();
        qInfo("alternating: %llu joined, %llu from store, %llu skipped, %llu final passes, %zu results delivered",
              static_cast<unsigned long long>(s.joined), static_cast<unsigned long long>(s.cacheHits),
              static_cast<unsigned long long>(s.skipped), static_cast<unsigned long long>(s.finalPasses),
              r.count(Event::Result));
        QCOMPARE(s.completedPasses + s.cancelledPasses, s.coarsePasses + s.finalPasses);
        QVERIFY(s.joined > 0);
    }

    void progressiveRefinement() {
        ComputeWorker worker;
        Recorder r(worker);
        const quint64 g = worker.request(preset_, settingsAt(257, 0.25));
        QTRY_VERIFY_WITH_TIMEOUT(r.finalOf(g) != nullptr, 20000);
        const auto results = r.results();
        QCOMPARE(results.size(), std::size_t{2});
        QCOMPARE(results[0]->final, false);
        QCOMPARE(results[0]->grid->spec.resolution, ComputeWorker::kCoarseResolution);
        QCOMPARE(results[1]->final, true);
        QCOMPARE(results[1]->grid->spec.resolution, 257);
        const auto coarse = computeGrid(*preset_, settingsAt(ComputeWorker::kCoarseResolution, 0.25));
        QVERIFY(coarse);
        checkSameGrid(*results[0]->grid, *coarse);
        checkOrdering(r);
        for (const Event& e : r.events)
            if (e.kind == Event::Progress) QCOMPARE(e.generation, g);

        // The same model again at other rates: a warm 257 x 257 pass takes a
        // few milliseconds, so once one has run no preview comes first.
        const quint64 warm = worker.request(preset_, settingsAt(257, 0.3));
        QTRY_VERIFY_WITH_TIMEOUT(r.finalOf(warm) != nullptr, 20000);
        Recorder quick(worker);
        const quint64 k = worker.request(preset_, settingsAt(257, 0.4));
        QTRY_VERIFY_WITH_TIMEOUT(quick.finalOf(k) != nullptr, 20000);
        QCOMPARE(quick.results().size(), std::size_t{1});
        QCOMPARE(quick.results()[0]->grid->spec.resolution, 257);

        // At or below the coarse resolution there is one pass only.
        Recorder small(worker);
        const quint64 h = worker.request(preset_, settingsAt(ComputeWorker::kCoarseResolution, 0.25));
        QTRY_VERIFY_WITH_TIMEOUT(small.finalOf(h) != nullptr, 20000);
        QCOMPARE(small.results().size(), std::size_t{1});
        QCOMPARE(small.results()[0]->grid->spec.resolution, ComputeWorker::kCoarseResolution);

        // A slow pass keeps its preview: the scalar kernel on one thread at 513
        // x 513 (hundreds of ms), first unknown, then known to be slow.
        worker.setKernel(ComputeControl::Kernel::Scalar, 1);
        Recorder slow(worker);  // alive as long as the worker: it stays connected
        for (const double rate : {0.3, 0.35}) {
            const std::size_t before = slow.results().size();
            const quint64 l = worker.request(preset_, settingsAt(513, rate));
            QTRY_VERIFY_WITH_TIMEOUT(slow.finalOf(l) != nullptr, 20000);
            QCOMPARE(slow.results().size(), before + 2);
            QCOMPARE(slow.results()[before]->final, false);
        }
    }

    void guiStaysResponsive() {
        auto worker = std::make_unique<ComputeWorker>();
        worker->setKernel(ComputeControl::Kernel::Scalar, 1);  // seconds of work, to measure latency during
        Recorder r(*worker);
        const quint64 g = worker->request(preset_, settingsAt(1025, 0.3));

        QElapsedTimer clock;
        clock.start();
        qint64 previous = 0;
        qint64 worstLatency = 0;
        int ticks = 0;
        QTimer timer;
        timer.setTimerType(Qt::PreciseTimer);
        timer.setInterval(10);
        QObject::connect(&timer, &QTimer::timeout, &timer, [&] {
            const qint64 now = clock.elapsed();
            worstLatency = std::max(worstLatency, now - previous - 10);
            previous = now;
            ++ticks;
        });
        previous = clock.elapsed();
        timer.start();
        runEventLoopUntil([&] { return r.finalOf(g) != nullptr; }, 1500);
        timer.stop();
        qInfo("1025 grid: %d ticks in %lld ms, worst event-loop latency %lld ms, %zu progress reports, coarse %s",
              ticks, static_cast<long long>(clock.elapsed()), static_cast<long long>(worstLatency),
              r.count(Event::Progress), r.results().empty() ? "not yet" : "delivered");
        QVERIFY2(worstLatency < 100, "the GUI thread was blocked");
        QVERIFY(ticks > 50);
        QVERIFY(r.count(Event::Progress) > 0);

        QElapsedTimer stopping;
        stopping.start();
        worker->cancel();
        QVERIFY(!worker->busy());
        worker.reset();
        const qint64 stopMs = stopping.elapsed();
        qInfo("cancel() + destruction: %lld ms", static_cast<long long>(stopMs));
        QVERIFY(stopMs < 500);
        checkOrdering(r);
    }

    void invalidSettingsFail() {
        ComputeWorker worker;
        Recorder r(worker);
        // Invalid while a computation runs: it is cancelled, the failure is reported.
        const quint64 running = worker.request(preset_, settingsAt(513, 0.2));
        const quint64 bad = worker.request(preset_, settingsAt(129, 1.0));
        QTRY_VERIFY_WITH_TIMEOUT(r.finalOf(bad) != nullptr, 10000);
        const Event* failure = r.finalOf(bad);
        QCOMPARE(failure->kind, Event::Failure);
        QVERIFY(!failure->message.isEmpty());
        qInfo("failure message: %s", qPrintable(failure->message));
        QVERIFY(!worker.busy());
        QTest::qWait(100);
        QVERIFY(r.finalOf(running) == nullptr);

        const quint64 badResolution = worker.request(preset_, settingsAt(1, 0.2));
        QTRY_VERIFY_WITH_TIMEOUT(r.finalOf(badResolution) != nullptr, 10000);
        QCOMPARE(r.finalOf(badResolution)->kind, Event::Failure);
        const quint64 noPreset = worker.request(nullptr, settingsAt(17, 0.2));
        QTRY_VERIFY_WITH_TIMEOUT(r.finalOf(noPreset) != nullptr, 10000);
        QCOMPARE(r.finalOf(noPreset)->kind, Event::Failure);

        // The worker still works afterwards.
        const quint64 good = worker.request(preset_, settingsAt(33, 0.2));
        QTRY_VERIFY_WITH_TIMEOUT(r.finalOf(good) != nullptr, 10000);
        QCOMPARE(r.finalOf(good)->kind, Event::Result);
        checkOrdering(r);
    }

    void cancelDropsEverything() {
        ComputeWorker worker;
        Recorder r(worker);
        worker.request(preset_, settingsAt(257, 0.1));
        worker.request(preset_, settingsAt(257, 0.2));
        worker.cancel();
        QVERIFY(!worker.busy());
        QTest::qWait(300);
        QCOMPARE(r.results().size(), std::size_t{0});
        // Results computed but not yet delivered at cancel() are dropped as well.
        const quint64 completed = worker.stats().completedPasses;
        worker.request(preset_, settingsAt(17, 0.1));
        QVERIFY(waitWithoutEvents(worker, completed + 1));
        worker.cancel();
        QTest::qWait(100);
        QCOMPARE(r.results().size(), std::size_t{0});
        QVERIFY(worker.stats().dropped > 0);
    }

    void destroyDuringCompute() {
        // Right after the request, before the worker thread picked it up.
        {
            ComputeWorker worker;
            worker.request(preset_, settingsAt(1025, 0.1));
        }
        // In the middle of the computation (the scalar kernel: the SIMD one
        // finishes a 1025 x 1025 grid before the first progress report).
        {
            auto worker = std::make_unique<ComputeWorker>();
            worker->setKernel(ComputeControl::Kernel::Scalar);
            Recorder r(*worker);
            worker->request(preset_, settingsAt(1025, 0.1));
            QTRY_VERIFY_WITH_TIMEOUT(r.count(Event::Progress) > 0, 10000);
            QElapsedTimer t;
            t.start();
            worker.reset();
            qInfo("destroyed mid-compute in %lld ms", static_cast<long long>(t.elapsed()));
            QVERIFY(t.elapsed() < 500);
        }
        // In the middle of a block of a model whose single row of vertices
        // takes seconds (after making its model, about half a second):
        // cancellation is polled within blocks.
        {
            auto worker = std::make_unique<ComputeWorker>();
            const auto slow = std::make_shared<const Preset>(slowPreset(16, 2));
            worker->request(slow, defaultSettings(*slow));
            QTest::qWait(1200);
            QVERIFY(worker->busy());
            QElapsedTimer t;
            t.start();
            worker.reset();
            qInfo("destroyed in a costly block in %lld ms", static_cast<long long>(t.elapsed()));
            QVERIFY(t.elapsed() < 500);
        }
        // With results queued for delivery: they are discarded with the object.
        {
            auto worker = std::make_unique<ComputeWorker>();
            int delivered = 0;
            QObject::connect(worker.get(), &ComputeWorker::resultReady, worker.get(), [&] { ++delivered; });
            worker->request(preset_, settingsAt(17, 0.1));
            QVERIFY(waitWithoutEvents(*worker, 1));
            worker.reset();
            QTest::qWait(50);
            QCOMPARE(delivered, 0);
        }
    }
};

QTEST_MAIN(TestComputeWorker)
#include "test_compute_worker.moc"
