#include "compute_worker.h"

#include <QMetaObject>
#include <QThread>

#include <algorithm>
#include <atomic>
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
    qRegisterMetaType<manifoldlens::PassInfo>();
    thread_ = std::thread([this] { run(); });
}

ComputeWorker::~ComputeWorker() {
    {
        std::lock_guard lock(mutex_);
        stop_.store(true);
        pending_.reset();
    }
    wake_.notify_all();
    // The running pass sees stop_ at its next poll, so this waits for at most
    // a block's budget of work (grid.h) or one array's allocation per thread.
    if (thread_.joinable()) thread_.join();
    // Deliveries still queued for this object are discarded by ~QObject.
}

quint64 ComputeWorker::request(std::shared_ptr<const Preset> preset, const ComputeSettings& settings) {
    Q_ASSERT(QThread::currentThread() == thread());
    std::optional<std::string> problem =
        preset ? checkSettings(settings) : std::optional<std::string>(std::string("no preset loaded"));

    std::lock_guard lock(mutex_);
    const quint64 generation = latest_.load() + 1;
    Job job{generation, std::move(preset), settings, kernel_, threads_};
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
    if (cache_ && sameComputation(cache_->job, job)) {
        dropPending();
        ++stats_.cacheHits;
        latest_.store(generation);
        PassInfo pass = cache_->pass;
        pass.reused = true;
        postResult(generation, cache_->grid, true, pass);
        return generation;
    }
    if (running_ && sameComputation(*running_, job)) {
        // Take over the running computation instead of restarting it: relabel it
        // before publishing the new generation so that it is never seen as stale
        // by the locked check of the cancellation hook.
        dropPending();
        ++stats_.joined;
        runningGeneration_.store(generation);
        latest_.store(generation);
        return generation;
    }
    if (pending_ && sameComputation(*pending_, job)) {
        ++stats_.joined;
        pending_->generation = generation;
    } else {
        dropPending();
        pending_ = std::move(job);
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

bool ComputeWorker::sameComputation(const Job& a, const Job& b) {
    const ComputeSettings& s = a.settings;
    const ComputeSettings& t = b.settings;
    if (s.rate != t.rate || s.aggregation != t.aggregation || s.resolution != t.resolution || s.uLo != t.uLo ||
        s.uHi != t.uHi || s.vLo != t.vLo || s.vHi != t.vHi || a.kernel != b.kernel || a.threads != b.threads)
        return false;
    if (a.preset == b.preset) return true;
    // A reloaded preset is a new object; compare what defines it.
    return a.preset && b.preset && presetToJson(*a.preset) == presetToJson(*b.preset);
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

bool ComputeWorker::expectedQuick(const Job& job) const {
    if (!cache_) return false;
    const Job& last = cache_->job;
    const bool sameCost = last.preset == job.preset && last.kernel == job.kernel && last.threads == job.threads &&
                          last.settings.aggregation == job.settings.aggregation &&
                          maskCount(*last.preset, last.settings) == maskCount(*job.preset, job.settings);
    const double msPerVertex = cache_->pass.milliseconds / vertexCount(last.settings.resolution);
    return sameCost && msPerVertex * vertexCount(job.settings.resolution) < kQuickPassMs;
}

void ComputeWorker::runJob(const Job& job) {
    bool quick = false;
    {
        std::lock_guard lock(mutex_);
        quick = expectedQuick(job);
    }
    const bool progressive = job.settings.resolution > kCoarseResolution && !quick;
    ComputeSettings coarse = job.settings;
    coarse.resolution = kCoarseResolution;

    // Progress covers both passes, weighted by their vertex counts.
    const double coarseVertices = progressive ? vertexCount(kCoarseResolution) : 0.0;
    const double totalVertices = coarseVertices + vertexCount(job.settings.resolution);
    double passOffset = 0.0;
    double passVertices = 0.0;
    Clock::time_point lastReport = Clock::now();

    ComputeControl control;
    control.kernel = job.kernel;
    control.threads = job.threads;
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
        auto grid = std::make_shared<GridResult>(takeStorage(settings.resolution));
        bool completed = false;
        QString error;
        try {
            completed = computeGridInto(*grid, *job.preset, settings, control);
        } catch (const std::exception& e) {
            error = QString::fromUtf8(e.what());
            if (error.isEmpty()) error = QStringLiteral("computation failed");
        } catch (...) {
            error = QStringLiteral("computation failed with an unknown error");
        }
        const PassInfo info{millisecondsSince(start), QString::fromStdString(kernelName(control)),
                            computeThreads(control), false};

        std::lock_guard lock(mutex_);
        if (!error.isEmpty()) {
            running_.reset();
            postFailure(runningGeneration_.load(), error);
            return;
        }
        if (!completed) {
            ++stats_.cancelledPasses;
            keepStorage(std::move(grid), job.settings.resolution);  // holds no grid; never delivered
            running_.reset();
            // request() may have taken this job over between the hook's answer
            // and here: then it is still wanted, so run it again.
            const quint64 current = runningGeneration_.load();
            if (!stop_.load() && !pending_ && latest_.load() == current && cancelledUpTo_.load() < current) {
                pending_ = job;
                pending_->generation = current;
            }
            return;
        }
        ++stats_.completedPasses;
        keepStorage(grid, job.settings.resolution);
        if (final) {
            cache_ = CachedResult{job, grid, info};
            running_.reset();
        }
        // Posted with mutex_ held so that a request() taking over or answering
        // from cache_ posts after this (deliveries keep their order).
        postResult(runningGeneration_.load(), std::move(grid), final, info);
        passOffset += passVertices;
    }
}

GridResult ComputeWorker::takeStorage(int resolution) {
    const std::size_t vertices = static_cast<std::size_t>(resolution) * static_cast<std::size_t>(resolution);
    std::lock_guard lock(mutex_);
    for (auto it = storage_.begin(); it != storage_.end(); ++it) {
        // use_count 1: only this list holds it, and nobody can copy it from us
        // while the mutex is held. The count is read relaxed: the fence orders
        // the other threads' last reads of the arrays (before their releasing
        // decrement) before our writes.
        if ((*it)->x.size() != vertices || it->use_count() != 1) continue;
        std::atomic_thread_fence(std::memory_order_acquire);
        GridResult storage = std::move(**it);
        storage_.erase(it);
        ++stats_.recycled;
        return storage;
    }
    return {};
}

void ComputeWorker::keepStorage(std::shared_ptr<GridResult> storage, int resolution) {
    const auto sizeOf = [](int r) { return static_cast<std::size_t>(r) * static_cast<std::size_t>(r); };
    const auto stale = [&](const std::shared_ptr<GridResult>& g) {
        return g->x.size() != sizeOf(resolution) && g->x.size() != sizeOf(kCoarseResolution);
    };
    storage_.erase(std::remove_if(storage_.begin(), storage_.end(), stale), storage_.end());
    if (stale(storage)) return;  // a pass cancelled before its arrays were allocated
    const std::size_t size = storage->x.size();
    const auto sameSize = [size](const std::shared_ptr<GridResult>& g) { return g->x.size() == size; };
    if (std::count_if(storage_.begin(), storage_.end(), sameSize) >= 2)
        storage_.erase(std::find_if(storage_.begin(), storage_.end(), sameSize));
    storage_.push_back(std::move(storage));
}

void ComputeWorker::postResult(quint64 generation, std::shared_ptr<const GridResult> grid, bool final,
                               const PassInfo& pass) {
    QMetaObject::invokeMethod(
        this, [this, generation, grid = std::move(grid), final, pass] { deliverResult(generation, grid, final, pass); },
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
                                  const PassInfo& pass) {
    if (acceptDelivery(generation, final)) emit resultReady(generation, grid, final, pass);
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
