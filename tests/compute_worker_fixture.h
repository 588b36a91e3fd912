#pragma once
// Shared by the compute worker tests: a recorder of everything a worker
// emits, the ordering invariants, grid comparison and event-loop helpers.

#include "builtin_presets.h"
#include "compute_worker.h"
#include "grid.h"
#include "settings.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>
#include <QtTest/QtTest>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <memory>
#include <thread>
#include <type_traits>
#include <vector>

namespace manifoldlens::test {

/// The preset of the worker tests, logistic-input-dropout (shared, immutable).
inline std::shared_ptr<const Preset> workerPreset() {
    static const auto preset = std::make_shared<const Preset>(loadPreset("logistic-input-dropout"));
    return preset;
}

/// Its default settings at a resolution and dropout rate.
inline ComputeSettings settingsAt(int resolution, double rate) {
    ComputeSettings s = defaultSettings(*workerPreset());
    s.resolution = resolution;
    s.rate = rate;
    return s;
}

/// One emitted signal of the worker.
struct Event {
    enum Kind { Result, Progress, Failure };
    Kind kind = Result;
    quint64 generation = 0;
    bool final = false;
    std::shared_ptr<const GridResult> grid;
    PassInfo pass;
    double fraction = 0.0;
    QString message;
    qint64 atMs = 0;
};

/// Records everything the worker emits, with arrival times.
class Recorder {
public:
    explicit Recorder(ComputeWorker& worker) {
        clock_.start();
        QObject::connect(&worker, &ComputeWorker::resultReady, &worker,
                         [this](quint64 g, std::shared_ptr<const GridResult> grid, bool final, const PassInfo& pass) {
                             Event e;
                             e.kind = Event::Result;
                             e.generation = g;
                             e.final = final;
                             e.grid = std::move(grid);
                             e.pass = pass;
                             add(std::move(e));
                         });
        QObject::connect(&worker, &ComputeWorker::progress, &worker, [this](quint64 g, double fraction) {
            Event e;
            e.kind = Event::Progress;
            e.generation = g;
            e.fraction = fraction;
            add(std::move(e));
        });
        QObject::connect(&worker, &ComputeWorker::failed, &worker, [this](quint64 g, const QString& message) {
            Event e;
            e.kind = Event::Failure;
            e.generation = g;
            e.final = true;
            e.message = message;
            add(std::move(e));
        });
    }

    std::vector<Event> events;

    const Event* finalOf(quint64 generation) const {
        for (const Event& e : events)
            if (e.generation == generation && e.final) return &e;
        return nullptr;
    }
    std::size_t count(Event::Kind kind) const {
        return static_cast<std::size_t>(
            std::count_if(events.begin(), events.end(), [kind](const Event& e) { return e.kind == kind; }));
    }
    std::vector<const Event*> results() const {
        std::vector<const Event*> out;
        for (const Event& e : events)
            if (e.kind == Event::Result) out.push_back(&e);
        return out;
    }

private:
    void add(Event e) {
        e.atMs = clock_.elapsed();
        events.push_back(std::move(e));
    }
    QElapsedTimer clock_;
};

/// Generations never decrease, nothing of a generation follows its final
/// result or failure, and progress fractions lie in [0, 1].
inline void checkOrdering(const Recorder& r) {
    quint64 generation = 0;
    bool finished = false;
    for (const Event& e : r.events) {
        QVERIFY2(e.generation >= generation, "a result of an older generation arrived after a newer one");
        if (e.generation > generation) {
            generation = e.generation;
            finished = false;
        }
        QVERIFY2(!finished, "something of a generation arrived after its final result");
        if (e.final) finished = true;
        if (e.kind == Event::Progress) QVERIFY(e.fraction >= 0.0 && e.fraction <= 1.0);
    }
}

/// Element-wise identity, NaN equal to NaN (curvatures are NaN at invalid vertices).
template <typename T>
inline bool sameValues(const std::vector<T>& a, const std::vector<T>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i] == b[i]) continue;
        if constexpr (std::is_floating_point_v<T>) {
            if (std::isnan(a[i]) && std::isnan(b[i])) continue;
        }
        return false;
    }
    return true;
}

inline void checkSameGrid(const GridResult& actual, const GridResult& expected) {
    QCOMPARE(actual.spec.resolution, expected.spec.resolution);
    QCOMPARE(actual.spec.uLo, expected.spec.uLo);
    QCOMPARE(actual.spec.vHi, expected.spec.vHi);
    QVERIFY(sameValues(actual.x, expected.x));
    QVERIFY(sameValues(actual.y, expected.y));
    QVERIFY(sameValues(actual.z, expected.z));
    QVERIFY(sameValues(actual.gaussian, expected.gaussian));
    QVERIFY(sameValues(actual.gammaEE, expected.gammaEE));
    QVERIFY(sameValues(actual.penaltyExact, expected.penaltyExact));
    QVERIFY(sameValues(actual.valid, expected.valid));
}

inline double rateAt(int step) { return 0.004 * step; }

/// Runs a real event loop until done() holds or timeoutMs passed; returns
/// done(). (QTest::qWait sleeps 10 ms between rounds of event processing,
/// which would both pace timers and hide the latency of the loop.)
inline bool runEventLoopUntil(const std::function<bool()>& done, int timeoutMs) {
    if (done()) return true;
    QEventLoop loop;
    QTimer poll;
    poll.setInterval(1);
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (done()) loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    poll.start();
    loop.exec();
    return done();
}

/// Blocks the GUI thread until the worker has completed that many passes, so
/// that their results are queued but not delivered.
inline bool waitWithoutEvents(const ComputeWorker& worker, quint64 completedPasses) {
    QElapsedTimer t;
    t.start();
    while (worker.stats().completedPasses < completedPasses) {
        if (t.elapsed() > 10000) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return true;
}

}  // namespace manifoldlens::test
