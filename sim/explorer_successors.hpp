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
    out.reduced = false;
    if constexpr (has_footprint_of_result_v<M>) {
        if (options_.partial_order && !at_bound) {
            reduce_computed(s, enabled, out);
            return;
        }
    }
    if constexpr (has_footprint_v<M>) {
        if (options_.partial_order && !at_bound) {
            ample_set(model_, s, enabled, components_, out.ample);
            out.reduced = out.ample.size() < enabled.size();
            for (std::uint32_t a : out.ample) add_successor(s, enabled, a, out);
            if (out.reduced) report_.transitions_postponed += enabled.size() - out.ample.size();
            return;
        }
    }
    for (std::uint32_t a = 0; a < enabled.size(); ++a)
        if (add_successor(s, enabled, a, out) && at_bound) break;  // one is enough to know the bound cut something
}

template <class M>
bool Explorer<M>::add_successor(const State& s, const std::vector<Action>& enabled, std::uint32_t a, Successors& out) {
    if (out.size == out.slots.size()) out.slots.emplace_back();
    Successor& slot = out.slots[out.size];
    if (!next_state_into(model_, s, enabled[a], slot.state)) return false;
    slot.fp = fingerprint(slot.state);
    slot.action = a;
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
        components_.clear();
        for (std::size_t i = 0; i < out.size; ++i) components_.push_back(model_.component(s, enabled[out.slots[i].action]));
        ample_set_by(
            components_,
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
        report_.transitions_postponed += out.deferred;
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
