// sim/explorer_successors.hpp — how Explorer computes the successors of a
// state: all of them in the model's order, or an ample set (sim/por.hpp)
// with what it left out kept or computed for C3. Included by explorer.hpp.
#pragma once

#include <algorithm>
#include <cstdint>
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
    // One thread: a few states ahead; more: enough work per thread to
    // outweigh waking them.
    const std::size_t limit = report_.threads == 1 ? 8 : std::size_t{64} * report_.threads;
    const std::size_t n = std::min(frontier.size(), limit);
    if (batch_.size() < n) batch_.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        frontier.pop(true, batch_[i].entry);
        batch_[i].ready = false;
    }
    // Threads: the step properties too, each on its own thread (the
    // merge then reads their bits, not the successors' states).
    const bool steps = report_.threads > 1 && steps_open_ != 0 && step_properties_.size() <= 64;
    auto compute = [this, steps](std::size_t i) {
        Pending& p = batch_[i];
        successors_of(p.entry.state, at_bound(p.entry.depth), p.enabled, p.successors);
        if (steps) check_steps(p.entry.state, p.enabled, p.successors);
        if (report_.threads > 1)
            for (std::size_t k = 0; k < p.successors.size + p.successors.deferred; ++k) prepare_new(p.successors.slots[k]);
        p.ready = true;
    };
    // Thread t takes slots t, t + T, ...: the same slots every batch, so a
    // slot's buffers stay with one thread (its cache, its allocator arena).
    if (pool_ && report_.threads > 1) {
        const std::size_t threads = report_.threads;
        pool_->run_each([&](std::size_t t) {
            for (std::size_t i = t; i < n; i += threads) compute(i);
        });
    } else {
        for (std::size_t i = 0; i < n; ++i) compute(i);
    }
    batch_next_ = 0;
    batch_end_ = n;
}

template <class M>
void Explorer<M>::check_steps(const State& s, const std::vector<Action>& enabled, Successors& out) const {
    for (std::size_t i = 0; i < out.size + out.deferred; ++i) {
        Successor& next = out.slots[i];
        const StepScope<M> scope(model_, s, enabled[next.action], next.state);
        next.step_failures = 0;
        for (std::size_t k = 0; k < step_properties_.size(); ++k) {
            const std::size_t p = step_properties_[k];
            if (report_.properties[p].status == Status::Unknown &&
                !properties_[p].step_holds(model_, s, enabled[next.action], next.state))
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
    slot.fp = fingerprint(slot.state);
    slot.action = a;
    slot.steps_checked = false;
    slot.prepared = false;
    visited_->prefetch(slot.fp);
    ++out.size;
    return true;
}

// Every successor, as a full expansion computes them, then the ample set
// judged on them (sim/por.hpp, footprint with the result): its successors
// first, the others kept behind them for C3.
template <class M>
void Explorer<M>::reduce_computed(const State& s, const std::vector<Action>& enabled, Successors& out) {
    if constexpr (has_footprint_of_result_v<M>) {
        for (std::uint32_t a = 0; a < enabled.size(); ++a) add_successor(s, enabled, a, out);
        out.components.clear();
        for (std::size_t i = 0; i < out.size; ++i) out.components.push_back(model_.component(s, enabled[out.slots[i].action]));
        ample_set_by(
            out.components,
            [&](std::uint32_t i) { return model_.footprint(s, enabled[out.slots[i].action], out.slots[i].state); },
            out.ample);
        if (out.ample.size() == out.size) return;
        // A stable partition: the ample set's successors first, in order.
        for (std::size_t k = 0; k < out.ample.size(); ++k)
            std::rotate(out.slots.begin() + static_cast<std::ptrdiff_t>(k),
                        out.slots.begin() + static_cast<std::ptrdiff_t>(out.ample[k]),
                        out.slots.begin() + static_cast<std::ptrdiff_t>(out.ample[k]) + 1);
        out.deferred = out.size - out.ample.size();
        out.size = out.ample.size();
        out.reduced = true;
        out.postponed = out.deferred;
    }
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
