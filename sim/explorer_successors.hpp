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
    // A few states ahead: each prefetch of a visited-set slot then has the
    // time of several expansions to complete. Threads (a run resumed inside
    // a level): up to the level's end, where the levels take over.
    std::size_t n = std::min<std::size_t>(frontier.size(), 8);
    if (threads_ > 1 && frontier.front_index() < level_end_)
        n = std::min<std::size_t>(n, level_end_ - frontier.front_index());
    if (batch_.size() < n) batch_.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        frontier.pop(true, batch_[i].entry);
        successors_of(batch_[i].entry.state, at_bound(batch_[i].entry.depth), batch_[i].enabled, batch_[i].successors);
        batch_[i].ready = true;
    }
    batch_next_ = 0;
    batch_end_ = n;
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
std::uint64_t Explorer<M>::step_failures(const State& s, const Action& a, const State& next,
                                         std::uint64_t open_steps) const {
    if (open_steps == 0) return 0;
    const StepScope<M> scope(model_, s, a, next);
    std::uint64_t failures = 0;
    for (std::size_t k = 0; k < step_properties_.size(); ++k)
        if ((open_steps >> k & 1) != 0 && !properties_[step_properties_[k]].step_holds(model_, s, a, next))
            failures |= std::uint64_t{1} << k;
    return failures;
}

template <class M>
bool Explorer<M>::add_successor(const State& s, const std::vector<Action>& enabled, std::uint32_t a, Successors& out) {
    if (out.size == out.slots.size()) out.slots.emplace_back();
    Successor& slot = out.slots[out.size];
    if (!next_state_into(model_, s, enabled[a], slot.state)) return false;
    slot.action = a;
    slot.computed = true;
    fingerprint_successor(slot);
    ++out.size;
    return true;
}

template <class M>
void Explorer<M>::fingerprint_successor(Successor& slot) {
    slot.fp = fingerprint(slot.state);
    visited_->prefetch(slot.fp);
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
    other_successors(s, enabled, taken, out);
    report_.transitions_postponed -= enabled.size() - taken.ample.size();
    ++report_.expanded_in_full;
}

template <class M>
void Explorer<M>::other_successors(const State& s, const std::vector<Action>& enabled, const Successors& taken,
                                   Successors& out) {
    out.size = 0;
    out.reduced = false;
    std::size_t k = 0;
    for (std::uint32_t a = 0; a < enabled.size(); ++a) {
        if (k < taken.ample.size() && taken.ample[k] == a) ++k;
        else add_successor(s, enabled, a, out);
    }
}

}  // namespace sim
