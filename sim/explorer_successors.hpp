// sim/explorer_successors.hpp — how Explorer computes the successors of a
// state: all of them in the model's order, or an ample set (sim/por.hpp)
// with what it left out kept or computed for C3. Included by explorer.hpp.
#pragma once

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "sim/explorer.hpp"

namespace sim {

// All successors of s, in the model's order, with their fingerprints; each
// one's slot in the visited set is prefetched, so the cache and TLB misses
// of the inserts that follow overlap instead of coming one at a time.
template <class M>
void Explorer<M>::successors_of(const State& s, bool at_bound, std::vector<Action>& enabled, Successors& out) {
    enabled.clear();
    model_.actions(s, enabled);
    out.size = 0;
    out.deferred = 0;
    out.postponed = 0;
    out.reduced = false;
    if constexpr (has_footprint_of_result_v<M>) {
        if (options_.partial_order && !at_bound) {
            reduce_computed(s, enabled, out);
            return;
        }
    }
    if constexpr (has_footprint_v<M>) {
        if (options_.partial_order && !at_bound) {
            ample_set(model_, s, enabled, out.components, out.ample);
            out.reduced = out.ample.size() < enabled.size();
            for (std::uint32_t a : out.ample) add_successor(s, enabled, a, out);
            out.postponed = enabled.size() - out.ample.size();
            return;
        }
    }
    for (std::uint32_t a = 0; a < enabled.size(); ++a)
        if (add_successor(s, enabled, a, out) && at_bound) break;  // one is enough to know the bound cut something
}

template <class M>
void Explorer<M>::take_batch(Frontier<M>& frontier) {
    if (threads_ > 1) {
        if (ahead_end_ == 0) launch_ahead(frontier);  // none under way (the first, after a small one, a resume)
        finish_ahead();
        batch_.swap(ahead_);
        batch_next_ = 0;
        batch_end_ = ahead_end_;
        ahead_end_ = 0;
        launch_ahead(frontier);  // computed while this one is merged
        return;
    }
    // One thread: a few states ahead, each prefetch of a visited-set slot
    // then has the time of several expansions to complete.
    const std::size_t n = std::min<std::size_t>(frontier.size(), 8);
    if (batch_.size() < n) batch_.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        frontier.pop(true, batch_[i].entry);
        compute(batch_[i], 0);
    }
    batch_next_ = 0;
    batch_end_ = n;
}

template <class M>
void Explorer<M>::compute(Pending& p, std::uint64_t open_steps) {
    successors_of(p.entry.state, at_bound(p.entry.depth), p.enabled, p.successors);
    // Threads: the step properties too (the merge then reads their bits).
    if (open_steps != 0) check_steps(p.entry.state, p.enabled, open_steps, p.successors);
    p.ready = true;
}

template <class M>
std::uint64_t Explorer<M>::open_step_mask() const {
    if (steps_open_ == 0 || step_properties_.size() > 64) return 0;
    std::uint64_t open = 0;
    for (std::size_t k = 0; k < step_properties_.size(); ++k)
        if (report_.properties[step_properties_[k]].status == Status::Unknown) open |= std::uint64_t{1} << k;
    return open;
}

template <class M>
void Explorer<M>::launch_ahead(Frontier<M>& frontier) {
    // Enough work per thread to outweigh waking them, and little enough that
    // the successors are still in a cache when they are merged (32 a thread:
    // measured against 8 to 256, bench/threads-and-ranks.md).
    const std::size_t want = std::size_t{32} * threads_;
    const std::size_t n = std::min(staged_end_ + frontier.size(), want);
    if (ahead_.size() < n) ahead_.resize(n);
    // First the states taken while the batch before was computed (FIFO:
    // they came before everything still in the frontier), each into the
    // slot whose buffers its thread used last time.
    for (std::size_t i = 0; i < staged_end_; ++i) {
        Pending& p = ahead_[i];
        UndecodedEntry& t = staged_[i];
        p.entry.fp = t.fp, p.entry.index = t.index, p.entry.depth = t.depth;
        p.raw.swap(t.raw);
        p.decoded = false;
        p.ready = false;
    }
    for (std::size_t i = staged_end_; i < n; ++i) {
        frontier.pop_undecoded(ahead_[i].entry, ahead_[i].raw);
        ahead_[i].decoded = !Frontier<M>::encoded;
        ahead_[i].ready = false;
    }
    staged_end_ = 0;
    ahead_end_ = n;
    if (n == 0) return;
    ahead_open_steps_ = open_step_mask();
    ahead_left_.reset(n);
    ahead_task_ = [this](std::size_t) { compute_ahead(false); };
    ahead_running_ = true;
    pool_->start(ahead_task_);  // the mutex it takes publishes the states popped above
    // The batch after this one is taken from the frontier now, undecoded,
    // while the other threads compute this one: undoing the frontier's XOR
    // chain is this thread's alone, and done at the next launch it would
    // keep them waiting.
    if constexpr (Frontier<M>::encoded) {
        for (; staged_end_ < want && !frontier.empty(); ++staged_end_) {
            if (staged_.size() <= staged_end_) staged_.emplace_back();
            frontier.pop_undecoded(staged_[staged_end_]);
        }
    }
}

template <class M>
void Explorer<M>::compute_ahead(bool from_back) {
    for (std::size_t i; (i = ahead_left_.take(from_back)) != SlotRange::none;) {
        Pending& p = ahead_[i];
        if (!p.decoded) frontier_->decode(p.raw, p.entry), p.decoded = true;
        compute(p, ahead_open_steps_);
    }
}

template <class M>
void Explorer<M>::stop_ahead() noexcept {
    if (!ahead_running_) return;
    ahead_running_ = false;
    try {
        pool_->wait();
    } catch (...) {  // the run is ending with another error or result
    }
}

template <class M>
void Explorer<M>::finish_ahead() {
    if (!ahead_running_) return;
    try {
        compute_ahead(true);  // what the other threads have not taken yet, from the back
    } catch (...) {
        stop_ahead();  // this thread's error is the one reported
        throw;
    }
    ahead_running_ = false;
    pool_->wait();
}

template <class M>
void Explorer<M>::check_steps(const State& s, const std::vector<Action>& enabled, std::uint64_t open_steps,
                               Successors& out) const {
    // The successors the merge takes (an ample set's): the deferred ones are
    // taken only when C3 expands the state in full after all, and then the
    // merge checks their steps itself (steps_checked stays false).
    for (std::size_t i = 0; i < out.size; ++i) {
        Successor& next = out.slots[i];
        const StepScope<M> scope(model_, s, enabled[next.action], next.state);
        next.step_failures = 0;
        for (std::size_t k = 0; k < step_properties_.size(); ++k) {
            const std::size_t p = step_properties_[k];
            if ((open_steps >> k & 1) != 0 && !properties_[p].step_holds(model_, s, enabled[next.action], next.state))
                next.step_failures |= std::uint64_t{1} << k;
        }
        next.steps_checked = true;
    }
}

template <class M>
bool Explorer<M>::add_successor(const State& s, const std::vector<Action>& enabled, std::uint32_t a, Successors& out) {
    if (out.size == out.slots.size()) out.slots.emplace_back();
    Successor& slot = out.slots[out.size];
    if (!next_state_into(model_, s, enabled[a], slot.state)) return false;
    slot.action = a;
    slot.computed = true;
    slot.steps_checked = false;
    fingerprint_successor(slot);
    ++out.size;
    return true;
}

template <class M>
void Explorer<M>::fingerprint_successor(Successor& slot) {
    slot.fp = fingerprint(slot.state);
    // With threads the set may grow meanwhile: the merge prefetches instead.
    if (threads_ == 1) visited_->prefetch(slot.fp);
}

// The ample set judged on the successors' states (sim/por.hpp, footprint
// with the result): a successor's state is computed when a footprint asks
// for it or the ample set takes it; the ample set's successors come first,
// fingerprinted, the others behind them for C3, their states computed only
// if C3 takes them after all (Successor::computed) and fingerprinted then,
// by the merge. Such a model's enabled actions all have a successor.
template <class M>
void Explorer<M>::reduce_computed(const State& s, const std::vector<Action>& enabled, Successors& out) {
    if constexpr (has_footprint_of_result_v<M>) {
        const std::size_t n = enabled.size();
        while (out.slots.size() < n) out.slots.emplace_back();
        out.components.clear();
        for (std::uint32_t a = 0; a < n; ++a) {
            out.components.push_back(model_.component(s, enabled[a]));
            Successor& slot = out.slots[a];
            slot.action = a;
            slot.computed = false;
            slot.steps_checked = false;
        }
        out.size = n;
        auto computed = [&](Successor& slot) -> const State& {
            if (!slot.computed) compute_successor(s, enabled, slot);
            return slot.state;
        };
        ample_set_by(
            out.components,
            [&](std::uint32_t a) { return model_.footprint(s, enabled[a], computed(out.slots[a])); }, out.ample);
        if (out.ample.size() < n) {
            // A stable partition: the ample set's successors first, in order.
            for (std::size_t k = 0; k < out.ample.size(); ++k)
                std::rotate(out.slots.begin() + static_cast<std::ptrdiff_t>(k),
                            out.slots.begin() + static_cast<std::ptrdiff_t>(out.ample[k]),
                            out.slots.begin() + static_cast<std::ptrdiff_t>(out.ample[k]) + 1);
            out.deferred = n - out.ample.size();
            out.size = out.ample.size();
            out.reduced = true;
            out.postponed = out.deferred;
        }
        for (std::size_t i = 0; i < out.size; ++i) {
            computed(out.slots[i]);
            fingerprint_successor(out.slots[i]);
        }
    }
}

// A successor reduce_computed left for later: its state by its action.
template <class M>
void Explorer<M>::compute_successor(const State& s, const std::vector<Action>& enabled, Successor& slot) {
    if (!next_state_into(model_, s, enabled[slot.action], slot.state))
        throw std::logic_error("a model that judges footprints by results has an enabled action without a successor");
    slot.computed = true;
}

template <class M>
void Explorer<M>::remaining_successors(const State& s, const std::vector<Action>& enabled, const Successors& taken,
                                       Successors& out) {
    out.size = 0;
    out.reduced = false;
    std::size_t k = 0;
    for (std::uint32_t a = 0; a < enabled.size(); ++a) {
        if (k < taken.ample.size() && taken.ample[k] == a) ++k;
        else add_successor(s, enabled, a, out);
    }
    report_.transitions_postponed -= enabled.size() - taken.ample.size();
    ++report_.expanded_in_full;
}

}  // namespace sim
