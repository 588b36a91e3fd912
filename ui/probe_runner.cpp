#include "probe_runner.h"

#include "grid.h"

#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

#include <exception>
#include <functional>
#include <new>
#include <optional>
#include <utility>

namespace manifoldlens {

namespace {

// What an evaluation hands back: a report, nothing (superseded before it
// started), or why it failed.
struct Outcome {
    std::optional<VertexReport> report;
    QString error;
};

}  // namespace

ProbeRunner::ProbeRunner(QObject* parent) : QObject(parent) {}

ProbeRunner::~ProbeRunner() { cancel(); }

void ProbeRunner::request(std::shared_ptr<const Preset> preset, const ComputeSettings& settings, double u, double v) {
    Request next{preset, settings, u, v};
    if (busy() && next == inFlight_) return;
    inFlight_ = std::move(next);
    const quint64 generation = latest_->load() + 1;
    latest_->store(generation);
    auto* watcher = new QFutureWatcher<Outcome>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation, preset] {
        watcher->deleteLater();
        if (generation != latest_->load()) return;
        delivered_ = generation;
        const Outcome outcome = watcher->result();
        if (outcome.report)
            emit reportReady(*outcome.report, *preset);
        else
            emit failed(outcome.error);
    });
    watcher->setFuture(QtConcurrent::run([latest = latest_, generation, preset, settings, u, v] {
        Outcome outcome;
        // A superseded evaluation stops at its next poll (or does not start).
        const std::function<bool()> superseded = [&] { return generation != latest->load(); };
        CancelPoll poll(superseded, passesPerPoll(*preset));
        if (superseded()) return outcome;
        try {
            outcome.report = evaluateVertex(*preset, settings, u, v, poll);
        } catch (const std::bad_alloc&) {
            outcome.error = tr("out of memory");
        } catch (const std::exception& e) {
            outcome.error = QString::fromUtf8(e.what());
        } catch (...) {
            outcome.error = tr("internal error");
        }
        return outcome;
    }));
}

void ProbeRunner::cancel() {
    const quint64 generation = latest_->load() + 1;
    latest_->store(generation);
    delivered_ = generation;
}

}  // namespace manifoldlens
