#pragma once
/// @file cancel_poll.h
/// Polling a cancellation hook from inside a long loop at a fixed interval of
/// work, so that a computation whose single vertex (or model) takes seconds
/// still stops soon after it is cancelled.

#include <cstddef>
#include <functional>

namespace manifoldlens {

/// Counts units of work (forward passes) and asks the hook once every
/// `every` of them. One per thread: the count is not shared. Once the hook
/// has answered true the poll stays stopped and is not asked again.
class CancelPoll {
public:
    /// A poll that never stops.
    CancelPoll() = default;
    /// hook must outlive the poll; every >= 1.
    CancelPoll(const std::function<bool()>& hook, std::size_t every) : hook_(&hook), every_(every) {}
    /// The poll keeps the hook's address: a temporary would be gone.
    CancelPoll(std::function<bool()>&& hook, std::size_t every) = delete;

    /// Counts units of work; returns whether the computation should stop.
    bool stop(std::size_t units = 1) {
        if (hook_ == nullptr || stopped_ || (count_ += units) < every_) return stopped_;
        count_ = 0;
        stopped_ = (*hook_)();
        return stopped_;
    }
    bool stopped() const { return stopped_; }

private:
    const std::function<bool()>* hook_ = nullptr;
    std::size_t every_ = 1;
    std::size_t count_ = 0;
    bool stopped_ = false;
};

}  // namespace manifoldlens
