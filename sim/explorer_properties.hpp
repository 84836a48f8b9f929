// sim/explorer_properties.hpp — how Explorer checks the properties of the
// states it finds: each new state's `always` and `sometimes` properties and
// goal bits (visit_new, in the merge), and `eventually` once the search is over
// (finish_eventually). Included by explorer.hpp.
#pragma once

#include <cstdint>

#include "sim/explorer.hpp"

namespace sim {

template <class M>
std::uint64_t Explorer<M>::visit_new(const State& s, std::uint32_t index) {
    std::uint64_t goal_bits = 0;
    for (std::size_t p = 0; p < properties_.size(); ++p) {
        const auto& prop = properties_[p];
        switch (prop.kind) {
            case Kind::Always:
                if (!prop.holds(model_, s)) found(p, Status::Violated, index);
                break;
            case Kind::Sometimes:
                if (prop.holds(model_, s)) found(p, Status::Witnessed, index);
                break;
            default: break;
        }
    }
    for (std::size_t e = 0; e < eventually_.size(); ++e)
        if (properties_[eventually_[e]].holds(model_, s)) goal_bits |= std::uint64_t{1} << e;
    if (graph_for_eventually_) goals_.push_back(goal_bits);
    return goal_bits;
}

template <class M>
void Explorer<M>::level_complete(std::uint32_t depth) {
    if (!options_.on_growth_warning || options_.max_memory <= baseline_resident_) return;
    const std::size_t used = resident_bytes(), budget = options_.max_memory - baseline_resident_;
    if (auto w = growth_.level_complete(depth, graph_->size(), used > baseline_resident_ ? used - baseline_resident_ : 0,
                                        budget))
        options_.on_growth_warning(*w);
}

template <class M>
void Explorer<M>::finish_eventually() {
    for (std::size_t e = 0; e < eventually_.size(); ++e) {
        const std::uint64_t bit = std::uint64_t{1} << e;
        auto& result = report_.properties[eventually_[e]];
        EventuallyResult r;
        if (graph_for_eventually_) {
            r = check_eventually(*graph_, roots_, [&](std::uint32_t s) { return (goals_[s] & bit) != 0; });
        } else if ((dead_free_ & bit) != 0 || levels_.cyclic()) {
            // A P-free path to a dead end needs its trace; a loop may hide in
            // a graph with an edge back: search again (sim/eventually_search.hpp).
            r = search_eventually_again(model_, properties_[eventually_[e]],
                                        EventuallySearchLimits{options_.max_states, options_.stop}, report_);
        } else {
            r.reached_unexpanded = !report_.complete;  // else: no loop, no P-free dead end: it holds
        }
        record_eventually(r, report_.complete, result);
    }
}

}  // namespace sim
