#include "compute_worker.h"

#include <QMetaObject>
#include <QThread>

#include <algorithm>
#include <chrono>
#include <exception>
#include <string>
#include <utility>

namespace manifoldlens {

namespace {

using Clock = std::chrono::steady_clock;

double millisecondsSince(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

double vertexCount(int resolution) {
    return static_cast<double>(resolution) * static_cast<double>(resolution);
}

}  // namespace

ComputeWorker::ComputeWorker(QObject* parent) : QObject(parent) {
    qRegisterMetaType<std::shared_ptr<const manifoldlens::GridResult>>();
    thread_ = std::thread([this] { run(); });
}

ComputeWorker::~ComputeWorker() {
    {
        std::lock_guard lock(mutex_);
        stop_.store(true);
        pending_.reset();
    }
    wake_.notify_all();
    // The running pass sees stop_ at its next poll, so this waits for at most one block.
    if (thread_.joinable()) thread_.join();
    // Deliveries still queued for this object are discarded by ~QObject.
}

quint64 ComputeWorker::request(std::shared_ptr<const Preset> preset, const ComputeSettings& settings) {
    Q_ASSERT(QThread::currentThread() == thread());
    std::optional<std::string> problem =
        preset ? checkSettings(settings) : std::optional<std::string>(std::string("no preset loaded"));

    std::lock_guard lock(mutex_);
    const quint64 generation = latest_.load() + 1;
    ++stats_.requests;
    busy_.store(true);

    const auto dropPending = [this] {
        if (pending_) ++stats_.skipped;
        pending_.reset();
    };

    if (problem) {
        dropPending();
        ++stats_.rejected;
        latest_.store(generation);  // cancels the running computation
        postFailure(generation, QString::fromStdString(*problem));
        return generation;
    }
    if (cache_ && sameComputation(cache_->job, preset, settings)) {
        dropPending();
        ++stats_.cacheHits;
        latest_.store(generation);
        postResult(generation, cache_->grid, true, 0.0);
        return generation;
    }
    if (running_ && sameComputation(*running_, preset, settings)) {
        // Take over the running computation instead of restarting it: relabel it
        // before publishing the new generation so that it is never seen as stale
        // by the locked check of the cancellation hook.
        dropPending();
        ++stats_.joined;
        runningGeneration_.store(generation);
        latest_.store(generation);
        return generation;
    }
    if (pending_ && sameComputation(*pending_, preset, settings)) {
        ++stats_.joined;
        pending_->generation = generation;
    } else {
        dropPending();
        pending_ = Job{generation, std::move(preset), settings};
    }
    latest_.store(generation);
    wake_.notify_one();
    return generation;
}

void ComputeWorker::cancel() {
    Q_ASSERT(QThread::currentThread() == thread());
    std::lock_guard lock(mutex_);
    if (pending_) ++stats_.skipped;
    pending_.reset();
    cancelledUpTo_.store(latest_.load());
    busy_.store(false);
}

ComputeWorkerStats ComputeWorker::stats() const {
    std::lock_guard lock(mutex_);
    return stats_;
}

bool ComputeWorker::sameComputation(const Job& a, const std::shared_ptr<const Preset>& preset,
                                    const ComputeSettings& settings) {
    const ComputeSettings& s = a.settings;
    if (s.rate != settings.rate || s.aggregation != settings.aggregation || s.resolution != settings.resolution ||
        s.uLo != settings.uLo || s.uHi != settings.uHi || s.vLo != settings.vLo || s.vHi != settings.vHi)
        return false;
    if (a.preset == preset) return true;
    // A reloaded preset is a new object; compare what defines it.
    return a.preset && preset && presetToJson(*a.preset) == presetToJson(*preset);
}

// ---- worker thread ---------------------------------------------------------

void ComputeWorker::run() {
    for (;;) {
        Job job;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stop_.load() || pending_.has_value(); });
            if (stop_.load()) return;
            job = std::move(*pending_);
            pending_.reset();
            running_ = job;
            runningGeneration_.store(job.generation);
        }
        runJob(job);
    }
}

bool ComputeWorker::cancelRequested() const {
    if (stop_.load()) return true;
    const quint64 running = runningGeneration_.load();
    if (latest_.load() == running && cancelledUpTo_.load() < running) return false;
    // Possibly in the middle of request() relabelling the running job: decide
    // on a consistent view.
    std::lock_guard lock(mutex_);
    const quint64 current = runningGeneration_.load();
    return stop_.load() || latest_.load() != current || cancelledUpTo_.load() >= current;
}

void ComputeWorker::runJob(const Job& job) {
    const bool progressive = job.settings.resolution > kCoarseResolution;
    ComputeSettings coarse = job.settings;
    coarse.resolution = kCoarseResolution;

    // Progress covers both passes, weighted by their vertex counts.
    const double coarseVertices = progressive ? vertexCount(kCoarseResolution) : 0.0;
    const double totalVertices = coarseVertices + vertexCount(job.settings.resolution);
    double passOffset = 0.0;
    double passVertices = 0.0;
    Clock::time_point lastReport = Clock::now();

    ComputeControl control;
    control.kernel = kernel_.load();
    control.threads = threads_.load();
    control.cancelled = [this] { return cancelRequested(); };
    control.progress = [&](double fraction) {
        const Clock::time_point now = Clock::now();
        if (now - lastReport < std::chrono::milliseconds(kProgressIntervalMs)) return;
        lastReport = now;
        postProgress(runningGeneration_.load(), (passOffset + fraction * passVertices) / totalVertices);
    };

    for (int pass = progressive ? 0 : 1; pass < 2; ++pass) {
        const bool final = pass == 1;
        const ComputeSettings& settings = final ? job.settings : coarse;
        passVertices = vertexCount(settings.resolution);
        {
            std::lock_guard lock(mutex_);
            ++(final ? stats_.finalPasses : stats_.coarsePasses);
        }

        const Clock::time_point start = Clock::now();
        std::optional<GridResult> grid;
        QString error;
        try {
            grid = computeGrid(*job.preset, settings, control, takeRecyclable(settings.resolution));
        } catch (const std::exception& e) {
            error = QString::fromUtf8(e.what());
            if (error.isEmpty()) error = QStringLiteral("computation failed");
        } catch (...) {
            error = QStringLiteral("computation failed with an unknown error");
        }
        const double ms = millisecondsSince(start);

        std::lock_guard lock(mutex_);
        if (!error.isEmpty()) {
            running_.reset();
            postFailure(runningGeneration_.load(), error);
            return;
        }
        if (!grid) {
            ++stats_.cancelledPasses;
            running_.reset();
            // request() may have taken this job over between the hook's answer
            // and here: then it is still wanted, so run it again.
            const quint64 current = runningGeneration_.load();
            if (!stop_.load() && !pending_ && latest_.load() == current && cancelledUpTo_.load() < current)
                pending_ = Job{current, job.preset, job.settings};
            return;
        }
        ++stats_.completedPasses;
        std::shared_ptr<const GridResult> shared = std::make_shared<GridResult>(std::move(*grid));
        remember(shared, job.settings.resolution);
        if (final) {
            cache_ = CachedResult{job, shared};
            running_.reset();
        }
        // Posted with mutex_ held so that a request() taking over or answering
        // from cache_ posts after this (deliveries keep their order).
        postResult(runningGeneration_.load(), std::move(shared), final, ms);
        passOffset += passVertices;
    }
}

GridResult ComputeWorker::takeRecyclable(int resolution) {
    std::lock_guard lock(mutex_);
    for (auto it = delivered_.begin(); it != delivered_.end(); ++it) {
        // use_count 1: only this list holds it, and nobody can copy it from us
        // while the mutex is held. runJob creates every grid non-const
        // (make_shared<GridResult>), so moving its arrays out is allowed.
        if ((*it)->spec.resolution != resolution || it->use_count() != 1) continue;
        GridResult recycled = std::move(const_cast<GridResult&>(**it));
        delivered_.erase(it);
        ++stats_.recycled;
        return recycled;
    }
    return {};
}

void ComputeWorker::remember(const std::shared_ptr<const GridResult>& grid, int resolution) {
    const auto stale = [resolution](const std::shared_ptr<const GridResult>& g) {
        return g->spec.resolution != resolution && g->spec.resolution != kCoarseResolution;
    };
    delivered_.erase(std::remove_if(delivered_.begin(), delivered_.end(), stale), delivered_.end());
    const int size = grid->spec.resolution;
    const auto sameSize = [size](const std::shared_ptr<const GridResult>& g) { return g->spec.resolution == size; };
    if (std::count_if(delivered_.begin(), delivered_.end(), sameSize) >= 2)
        delivered_.erase(std::find_if(delivered_.begin(), delivered_.end(), sameSize));
    delivered_.push_back(grid);
}

void ComputeWorker::postResult(quint64 generation, std::shared_ptr<const GridResult> grid, bool final, double ms) {
    QMetaObject::invokeMethod(
        this, [this, generation, grid = std::move(grid), final, ms] { deliverResult(generation, grid, final, ms); },
        Qt::QueuedConnection);
}

void ComputeWorker::postProgress(quint64 generation, double fraction) {
    QMetaObject::invokeMethod(
        this, [this, generation, fraction] { deliverProgress(generation, fraction); }, Qt::QueuedConnection);
}

void ComputeWorker::postFailure(quint64 generation, const QString& message) {
    QMetaObject::invokeMethod(
        this, [this, generation, message] { deliverFailure(generation, message); }, Qt::QueuedConnection);
}

// ---- GUI thread ------------------------------------------------------------

bool ComputeWorker::acceptDelivery(quint64 generation, bool final) {
    const bool stale = generation < latest_.load() || generation <= cancelledUpTo_.load() ||
                       generation < lastEmittedGeneration_ ||
                       (generation == lastEmittedGeneration_ && lastEmittedFinal_);
    if (stale) {
        std::lock_guard lock(mutex_);
        ++stats_.dropped;
        return false;
    }
    if (generation != lastEmittedGeneration_) {
        lastEmittedGeneration_ = generation;
        lastEmittedFinal_ = false;
    }
    if (final) {
        lastEmittedFinal_ = true;
        busy_.store(false);
    }
    return true;
}

void ComputeWorker::deliverResult(quint64 generation, const std::shared_ptr<const GridResult>& grid, bool final,
                                  double ms) {
    if (acceptDelivery(generation, final)) emit resultReady(generation, grid, final, ms);
}

void ComputeWorker::deliverProgress(quint64 generation, double fraction) {
    if (acceptDelivery(generation, false)) emit progress(generation, fraction);
}

void ComputeWorker::deliverFailure(quint64 generation, const QString& message) {
    if (acceptDelivery(generation, true)) emit failed(generation, message);
}

void ComputeWorker::setKernel(ComputeControl::Kernel kernel, int threads) {
    kernel_ = kernel;
    threads_ = threads;
}

}  // namespace manifoldlens
