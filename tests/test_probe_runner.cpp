// Tests of the probe runner: its report is the core's, the latest request
// wins, a cancelled request delivers nothing, a failure says why, and a slow
// probe leaves the event loop running.

#include "builtin_presets.h"
#include "probe_runner.h"
#include "test_support.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QThread>
#include <QThreadPool>
#include <QTimer>
#include <QtTest/QtTest>

#include <algorithm>
#include <memory>

using namespace manifoldlens;

namespace {

std::shared_ptr<const Preset> builtin(const char* name) { return std::make_shared<const Preset>(loadPreset(name)); }

}  // namespace

class TestProbeRunner : public QObject {
    Q_OBJECT

private slots:
    // A slow probe and a quick one run side by side (the pool has as many threads as cores).
    void initTestCase() { QThreadPool::globalInstance()->setMaxThreadCount(std::max(2, QThread::idealThreadCount())); }

    void theReportIsTheCores() {
        const auto p = builtin("single-hidden-unit");
        const ComputeSettings s = defaultSettings(*p);
        ProbeRunner runner;
        VertexReport got;
        const Preset* gotPreset = nullptr;
        connect(&runner, &ProbeRunner::reportReady, this, [&](const VertexReport& r, const Preset& preset) {
            got = r;
            gotPreset = &preset;
        });
        runner.request(p, s, 0.7, -1.3);
        QVERIFY(runner.busy());
        QTRY_VERIFY(!runner.busy());
        const VertexReport expected = evaluateVertex(*p, s, 0.7, -1.3);
        QCOMPARE(gotPreset, p.get());
        QCOMPARE(got.u, 0.7);
        QCOMPARE(got.v, -1.3);
        QCOMPARE(got.geometry.gaussian, expected.geometry.gaussian);
        QCOMPARE(got.penaltyExact, expected.penaltyExact);
        QCOMPARE(got.probabilities, expected.probabilities);
    }

    // A slow probe (seconds) under way, then quick ones: requests return at
    // once, the slow evaluation is abandoned at its next poll, and only the
    // last request's report arrives, soon.
    void theLatestRequestWins() {
        const auto slow = std::make_shared<const Preset>(test::slowPreset(16, 2));  // a vertex takes seconds
        const auto quick = builtin("logistic-input-dropout");
        const ComputeSettings s = defaultSettings(*quick);
        ProbeRunner runner;
        QList<double> us;
        connect(&runner, &ProbeRunner::reportReady, this, [&](const VertexReport& r, const Preset&) { us << r.u; });
        runner.request(slow, defaultSettings(*slow), 0.1, 0.1);
        QTest::qWait(100);  // its evaluation has started
        QElapsedTimer t;
        t.start();
        for (const double u : {1.0, 2.0, 3.0}) runner.request(quick, s, u, 0.5);
        QVERIFY2(t.elapsed() < 100, "a request blocked the caller");
        QTRY_VERIFY_WITH_TIMEOUT(!runner.busy(), 5000);
        QVERIFY2(t.elapsed() < 1000, "the latest probe came late");
        QTest::qWait(50);
        QCOMPARE(us, QList<double>{3.0});
    }

    // Every new grid asks again for the probe on screen: a request equal to
    // the one in flight leaves it running, so a probe that takes longer than
    // the interval between grids still arrives.
    void repeatedRequestsDoNotRestartTheProbe() {
        const auto slow = std::make_shared<const Preset>(test::slowPreset(12, 2));  // a vertex takes a few hundred ms
        const ComputeSettings s = defaultSettings(*slow);
        ProbeRunner runner;
        QSignalSpy reports(&runner, &ProbeRunner::reportReady);
        QTimer again;
        connect(&again, &QTimer::timeout, &runner, [&] { runner.request(slow, s, 0.5, -0.5); });
        runner.request(slow, s, 0.5, -0.5);
        again.start(20);
        QVERIFY(reports.wait(10000));
        again.stop();
        QCOMPARE(reports.count(), 1);
    }

    void aCancelledRequestDeliversNothing() {
        const auto p = builtin("trinomial-simplex");
        ProbeRunner runner;
        QSignalSpy reports(&runner, &ProbeRunner::reportReady);
        QSignalSpy failures(&runner, &ProbeRunner::failed);
        runner.request(p, defaultSettings(*p), 0.2, 0.3);
        runner.cancel();
        QVERIFY(!runner.busy());
        QTest::qWait(200);
        QCOMPARE(reports.count(), 0);
        QCOMPARE(failures.count(), 0);
    }

    void aFailureSaysWhy() {
        const auto p = builtin("single-hidden-unit");
        ComputeSettings s = defaultSettings(*p);
        s.rate = 1.0;  // refused by the settings' check
        ProbeRunner runner;
        QSignalSpy failures(&runner, &ProbeRunner::failed);
        runner.request(p, s, 0.0, 0.0);
        QVERIFY(failures.wait(5000));
        const QString message = failures.first().first().toString();
        QVERIFY2(message.contains(QStringLiteral("dropout must be in [0, 1), got 1")), qPrintable(message));
        QVERIFY(!runner.busy());
    }
};

QTEST_GUILESS_MAIN(TestProbeRunner)
#include "test_probe_runner.moc"
