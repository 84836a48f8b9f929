// sim/explorer_limits.hpp — how Explorer decides, between two expansions,
// that a run must stop (the stop flag, the memory limit) or that a
// checkpoint or a progress line is due. Included by explorer.hpp.
#pragma once

#include <chrono>

#include "sim/explorer.hpp"
#include "sim/memory.hpp"

namespace sim {

template <class M>
const char* Explorer<M>::limit_hit(std::size_t queue) {
    if (options_.stop && options_.stop->load(std::memory_order_relaxed)) return "interrupted";
    // Due after that many expansions done since the last one (or the resume).
    if (options_.checkpoint_expansions != 0 && expansions_ - expansions_at_checkpoint_ >= options_.checkpoint_expansions)
        checkpoint_wanted_ = true;
    ++expansions_;
    // Sampled at the first expansion (a short run is checked too) and every
    // 256th (reading /proc is microseconds; a depth-first run grows fast).
    if (expansions_ != 1 && (expansions_ & 0xFF) != 0) return nullptr;
    auto now = Clock::now();
    if (options_.checkpoint_seconds > 0 && now - last_checkpoint_ >= std::chrono::duration<double>(options_.checkpoint_seconds))
        checkpoint_wanted_ = true;
    bool progress_due = options_.on_progress && now - last_progress_ >= std::chrono::seconds(1);
    if (options_.max_memory == 0 && !progress_due) return nullptr;
    std::size_t resident = resident_bytes();
    if (progress_due) {
        last_progress_ = now;
        options_.on_progress(Progress{graph_->size(), report_.transitions, report_.depth, queue,
                                      seconds_before_ + std::chrono::duration<double>(now - start_).count(), resident});
    }
    // Over the limit, or about to be: the visited set grows before the next
    // check (a bound of 64 new states per expansion until then) and its new
    // table would not fit beside the old one.
    const bool growth_due = visited_->room() < 64 * 0x100;
    if (options_.max_memory != 0 &&
        (resident > options_.max_memory || (growth_due && resident + visited_->growth_bytes() > options_.max_memory))) {
        return "max-memory";
    }
    return nullptr;
}

}  // namespace sim
