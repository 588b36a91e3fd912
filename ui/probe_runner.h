#pragma once
/// @file probe_runner.h
/// Probes evaluated off the UI thread: one vertex of a large model (2^U masks
/// behind wide layers) takes seconds with the scalar reference, and a probe
/// is re-evaluated at every new grid and while the pointer hovers.

#include "preset.h"
#include "settings.h"
#include "vertex.h"

#include <QObject>
#include <QString>

#include <atomic>
#include <memory>

namespace manifoldlens {

/// Runs evaluateVertex on Qt's global thread pool. The latest request wins:
/// a superseded evaluation stops at its next poll of the cancellation (every
/// passesPerPoll forward passes) or does not start, and only the latest
/// request's outcome is delivered (in the thread of this object).
class ProbeRunner : public QObject {
    Q_OBJECT

public:
    explicit ProbeRunner(QObject* parent = nullptr);
    /// Running evaluations stop at their next poll.
    ~ProbeRunner() override;

    /// Evaluates (u, v) of the preset under the settings. A request equal to
    /// the one in flight leaves it running (every new grid asks again for the
    /// same probe: a slow one would otherwise restart for ever).
    void request(std::shared_ptr<const Preset> preset, const ComputeSettings& settings, double u, double v);
    /// Drops every request made so far: nothing more is delivered for them.
    void cancel();
    /// True from a request until its outcome is delivered or it is cancelled.
    bool busy() const { return delivered_ != latest_->load(); }

signals:
    /// The report of the latest request, with the preset it was made for.
    void reportReady(const VertexReport& report, const Preset& preset);
    /// The latest request could not be evaluated (e.g. out of memory): why.
    void failed(const QString& message);

private:
    struct Request {
        std::shared_ptr<const Preset> preset;
        ComputeSettings settings;
        double u = 0.0, v = 0.0;
        bool operator==(const Request&) const = default;
    };
    Request inFlight_;  ///< the latest request (while busy())
    /// The generation of the latest request, shared with the evaluations so
    /// that a superseded one does not start.
    std::shared_ptr<std::atomic<quint64>> latest_ = std::make_shared<std::atomic<quint64>>(0);
    quint64 delivered_ = 0;
};

}  // namespace manifoldlens
