#pragma once
/// @file compute_worker.h
/// The background grid computation behind the dropout slider: every settings
/// change becomes a numbered request, a newer request cancels the running one,
/// and only results of the latest request reach the GUI.

#include "grid.h"
#include "preset.h"
#include "settings.h"

#include <QObject>
#include <QString>
#include <QtGlobal>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace manifoldlens {

/// Counters of a ComputeWorker, for diagnostics and tests.
struct ComputeWorkerStats {
    quint64 requests = 0;         ///< calls of request()
    quint64 skipped = 0;          ///< pending requests replaced by a newer one before they started
    quint64 cacheHits = 0;        ///< requests answered from the last final result without computing
    quint64 joined = 0;           ///< requests identical to the running or pending computation, which took it over
    quint64 rejected = 0;         ///< requests with invalid settings, failed without computing
    quint64 coarsePasses = 0;     ///< coarse (preview) passes started
    quint64 finalPasses = 0;      ///< passes at the requested resolution started
    quint64 completedPasses = 0;  ///< passes that ran to the end
    quint64 cancelledPasses = 0;  ///< passes abandoned because a newer request or cancel() came
    quint64 recycled = 0;         ///< passes that overwrote the arrays of an earlier grid nobody held any more,
                                  ///< or of a cancelled pass
    quint64 dropped = 0;          ///< results, progress reports and failures dropped as stale in the GUI thread
};

/// How a delivered grid was computed.
struct PassInfo {
    double milliseconds = 0.0;  ///< wall time of the pass on the worker thread
    QString kernel;             ///< kernelName(): the SIMD target (e.g. "AVX3") or "scalar"
    int threads = 0;            ///< threads the pass ran on
    bool reused = false;        ///< answered from the stored result of an earlier, identical request
};

/**
 * Computes grids on a background thread for the GUI.
 *
 * Each request() gets a new generation number (1, 2, ...). Only the latest
 * request is kept: a pending one that has not started yet is replaced (never
 * computed), a running one is cancelled at its next poll (before every block
 * of blockVertices() vertices, and within blocks every passesPerPoll()
 * forward passes), because the cancellation hook compares the generation it
 * runs for with the latest requested one.
 *
 * When the requested resolution exceeds kCoarseResolution, a coarse grid over
 * the same ranges is computed and delivered first (final = false), then the
 * requested one (final = true) -- unless the requested pass is expected to
 * take less than kQuickPassMs, judging by the last final pass of the same
 * preset, kernel, threads, aggregation and number of masks (its time per
 * vertex): then the preview would only delay the final grid by its own
 * computation and drawing.
 *
 * Delivery guarantees, as seen by slots connected to the signals:
 * - nothing of a generation older than the latest requested one is emitted
 *   (the check runs in the GUI thread right before emitting);
 * - generations of emitted signals never decrease;
 * - after the final result (or failed()) of a generation, nothing more of that
 *   generation is emitted, in particular no coarse result.
 *
 * A request identical to the last completed final computation in preset
 * (pointer or content), rate, aggregation, resolution, ranges, kernel and
 * threads, e.g. one where only alpha changed, is answered with the stored
 * grid without computing; one identical to the computation in progress takes
 * it over. Alpha does not enter the grid (the gamma arrays are recombined for
 * any alpha).
 *
 * Storage: a pass overwrites the arrays of a grid delivered earlier that
 * nobody outside the worker holds any more, or of a cancelled pass (which
 * never leave the worker), instead of allocating new ones.
 *
 * Thread-safety: the object lives in the thread that creates it (the GUI
 * thread) and its signals are emitted there. request(), cancel() and the
 * destructor must be called from that thread; latestGeneration(), busy() and
 * stats() may be called from any thread. The preset passed to request() is
 * shared with the worker thread and must not be modified afterwards (it is
 * const behind the pointer for that reason). Delivered grids are immutable
 * while any shared_ptr to them exists, and may be shared freely as
 * shared_ptrs; a raw pointer or weak_ptr must not outlive the last shared_ptr
 * (the storage is then reused).
 */
class ComputeWorker : public QObject {
    Q_OBJECT

public:
    /// Requests above this resolution get a coarse preview at this resolution
    /// first, unless they are expected to be quick (kQuickPassMs).
    static constexpr int kCoarseResolution = spec::kPreviewResolution;
    /// A pass expected to be quicker than this gets no preview (about a frame).
    static constexpr double kQuickPassMs = 25.0;
    /// Minimum interval between two progress() signals of a computation.
    static constexpr int kProgressIntervalMs = 50;

    /// Starts the worker thread (idle until the first request).
    explicit ComputeWorker(QObject* parent = nullptr);
    /// Cancels any computation and joins the worker thread; pending deliveries are discarded.
    ~ComputeWorker() override;

    ComputeWorker(const ComputeWorker&) = delete;
    ComputeWorker& operator=(const ComputeWorker&) = delete;

    /// Requests the grid of the preset for the settings and returns the new
    /// generation, computed with the kernel and threads of setKernel().
    /// Cancels the running computation and replaces a pending one unless it
    /// is the same computation. Invalid settings (or a null preset)
    /// are answered with failed() for the new generation, without computing.
    quint64 request(std::shared_ptr<const Preset> preset, const ComputeSettings& settings);

    /// Drops the pending request and cancels the running one: nothing of the
    /// generations requested so far is emitted any more.
    void cancel();

    /// The generation of the latest request (0 before the first).
    quint64 latestGeneration() const { return latest_.load(); }

    /// True from a request() until its final result or failure has been
    /// emitted, or until cancel().
    bool busy() const { return busy_.load(); }

    /// A snapshot of the counters.
    ComputeWorkerStats stats() const;

    /// The vertex kernel and thread count (0: every hardware thread) of the
    /// next requests (default: the SIMD kernel on every thread). A request
    /// differing only in them is computed anew. GUI thread only.
    void setKernel(ComputeControl::Kernel kernel, int threads = 0);

signals:
    /// A grid for the generation: the coarse preview (final = false) or the
    /// requested resolution (final = true), and how it was computed.
    void resultReady(quint64 generation, std::shared_ptr<const manifoldlens::GridResult> grid, bool final,
                     const manifoldlens::PassInfo& pass);
    /// The completed fraction in [0, 1] of the generation's computation (both
    /// passes together), at most every kProgressIntervalMs.
    void progress(quint64 generation, double fraction);
    /// The generation's computation failed (invalid settings, an exception of
    /// the core); message says why.
    void failed(quint64 generation, QString message);

private:
    /// A computation: what determines the grid, and the generation it was requested as.
    struct Job {
        quint64 generation = 0;
        std::shared_ptr<const Preset> preset;
        ComputeSettings settings;
        ComputeControl::Kernel kernel = ComputeControl::Kernel::Simd;
        int threads = 0;
    };
    struct CachedResult {
        Job job;
        std::shared_ptr<const GridResult> grid;
        PassInfo pass;
    };

    void run();
    void runJob(const Job& job);
    bool cancelRequested() const;
    /// Posts a delivery to the GUI thread (mutex_ held by the caller when order matters).
    void postResult(quint64 generation, std::shared_ptr<const GridResult> grid, bool final, const PassInfo& pass);
    void postProgress(quint64 generation, double fraction);
    void postFailure(quint64 generation, const QString& message);
    /// Storage of `resolution`^2 vertices from storage_ that nobody else
    /// holds (its arrays are overwritten by computeGridInto), or an empty one.
    GridResult takeStorage(int resolution);
    /// Keeps storage (a delivered grid, or the arrays of a cancelled pass) of
    /// a job of `resolution`: the two newest of each of its resolutions
    /// (coarse and final) are kept, the storage of other sizes dropped. mutex_ held.
    void keepStorage(std::shared_ptr<GridResult> storage, int resolution);
    /// GUI-thread side of the deliveries: filters stale ones, then emits.
    bool acceptDelivery(quint64 generation, bool final);
    void deliverResult(quint64 generation, const std::shared_ptr<const GridResult>& grid, bool final,
                       const PassInfo& pass);
    void deliverProgress(quint64 generation, double fraction);
    void deliverFailure(quint64 generation, const QString& message);

    static bool sameComputation(const Job& a, const Job& b);
    /// Whether the job's final pass is expected to take less than kQuickPassMs:
    /// cache_ holds a final pass of the same cost per vertex (mutex_ held).
    bool expectedQuick(const Job& job) const;

    // Shared with the worker thread. The generations are atomics so that the
    // cancellation hook can poll them without locking; they are only written
    // with mutex_ held, so the locked slow path of the hook sees them consistently.
    std::atomic<quint64> latest_{0};          ///< latest requested generation
    std::atomic<quint64> cancelledUpTo_{0};   ///< generations <= this were cancelled by cancel()
    std::atomic<quint64> runningGeneration_{0};  ///< generation the worker currently computes for
    std::atomic<bool> stop_{false};
    std::atomic<bool> busy_{false};

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::optional<Job> pending_;        ///< guarded by mutex_
    std::optional<Job> running_;        ///< guarded by mutex_ (its generation is runningGeneration_)
    std::optional<CachedResult> cache_; ///< last completed final pass; guarded by mutex_
    ComputeWorkerStats stats_;          ///< guarded by mutex_
    /// The newest delivered grids and cancelled passes' arrays, two per
    /// resolution of the latest job and of the coarse preview (kept whatever
    /// the job, since every large job starts with one): when the GUI shows the newer grid, the
    /// older is overwritten by the next pass of that resolution, which spares
    /// allocating (and faulting in) its pages. Guarded by mutex_.
    std::vector<std::shared_ptr<GridResult>> storage_;

    // GUI thread only.
    ComputeControl::Kernel kernel_ = ComputeControl::Kernel::Simd;
    int threads_ = 0;
    quint64 lastEmittedGeneration_ = 0;
    bool lastEmittedFinal_ = false;

    std::thread thread_;  ///< joined in the destructor, before the members it uses go away
};

}  // namespace manifoldlens

Q_DECLARE_METATYPE(std::shared_ptr<const manifoldlens::GridResult>)
Q_DECLARE_METATYPE(manifoldlens::PassInfo)
