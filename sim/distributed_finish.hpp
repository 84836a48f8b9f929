// sim/distributed_finish.hpp — how DistributedExplorer ends a run: the
// counts and first findings of every rank combined, each finding's trace
// followed back across the ranks, the outcomes gathered on rank 0, and
// `eventually` decided. Included by sim/distributed_explorer.hpp.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sim/distributed_explorer.hpp"

namespace sim {

// Follows each index back to its root, one step per collective round: the
// rank that owns the state at the cursor says its parent and action.
template <class M>
std::vector<Trace> DistributedExplorer<M>::traces_to(const std::vector<std::uint64_t>& indices) {
    const std::size_t n = indices.size();
    std::vector<Trace> traces(n);
    std::vector<std::uint64_t> cursor = indices;
    std::vector<bool> open(n, true);
    while (std::find(open.begin(), open.end(), true) != open.end()) {
        std::vector<std::uint64_t> step(3 * n, 0);
        for (std::size_t i = 0; i < n; ++i) {
            if (!open[i]) continue;
            const auto at = std::lower_bound(log_.begin(), log_.end(), cursor[i],
                                             [](const LogEntry& e, std::uint64_t index) { return e.index < index; });
            if (at == log_.end() || at->index != cursor[i]) continue;
            step[3 * i] = 1;
            step[3 * i + 1] = at->parent;
            step[3 * i + 2] = at->action;
        }
        net_.all_reduce(step, Reduce::Sum);
        for (std::size_t i = 0; i < n; ++i) {
            if (!open[i]) continue;
            if (step[3 * i] != 1) throw std::logic_error("a traced state is owned by no rank, or by several");
            if (step[3 * i + 1] == StateGraph::root) {
                traces[i].initial = static_cast<std::uint32_t>(step[3 * i + 2]);
                open[i] = false;
            } else {
                traces[i].actions.push_back(static_cast<std::uint32_t>(step[3 * i + 2]));
                cursor[i] = step[3 * i + 1];
            }
        }
    }
    for (auto& t : traces) std::reverse(t.actions.begin(), t.actions.end());
    return traces;
}

template <class M>
void DistributedExplorer<M>::finish() {
    const std::size_t n = report_.properties.size(), events = eventually_.size();
    net_.all_reduce(first_, Reduce::Min);
    std::vector<std::uint64_t> sums{transitions_, visited_.bytes(), log_.capacity() * sizeof(LogEntry), queue_peak_,
                                    noted_.capacity() * sizeof(Noted) + noted_edges_.capacity() * sizeof(std::uint64_t)};
    net_.all_reduce(sums, Reduce::Sum);
    std::vector<std::uint64_t> maxes{bound_cut_, peak_resident_bytes()};
    for (std::size_t e = 0; e < events; ++e) maxes.push_back(dead_free_ >> e & 1), maxes.push_back(back_free_ >> e & 1);
    net_.all_reduce(maxes, Reduce::Max);
    report_.states = level_begin_ + level_size_;
    report_.transitions = sums[0];
    report_.memory.visited = sums[1];
    report_.memory.parents = sums[2];
    report_.memory.frontier_peak = sums[3];
    report_.memory.eventually = sums[4];
    report_.peak_rss = maxes[1];
    report_.stopped_by = !stopping_.empty() ? stopping_ : maxes[0] != 0 ? "max-depth" : "";
    report_.complete = report_.stopped_by.empty();
    // The first state (or transition) of each property, as one process finds it.
    std::vector<std::uint64_t> cursors;
    for (std::size_t p = 0; p < n; ++p)
        if (first_[p] != kNone) cursors.push_back(report_.properties[p].kind == Kind::Step ? first_[p] >> 32 : first_[p]);
    const std::vector<Trace> traces = traces_to(cursors);
    for (std::size_t p = 0, t = 0; p < n; ++p) {
        if (first_[p] == kNone) continue;
        auto& result = report_.properties[p];
        result.status = result.kind == Kind::Sometimes ? Status::Witnessed : Status::Violated;
        result.trace = traces[t++];
        if (result.kind == Kind::Step) result.trace->actions.push_back(static_cast<std::uint32_t>(first_[p]));
    }
    // The final states by outcome, counted on rank 0.
    std::vector<unsigned char> mine;
    Packer out(mine);
    for (const auto& [outcome, count] : outcomes_) out.text(outcome), out.put(count);
    std::map<std::string, std::uint64_t> outcomes;
    for (const auto& bytes : net_.gather(mine)) {
        Unpacker in(bytes.data(), bytes.size());
        while (!in.done()) {
            const std::string outcome = in.text();
            outcomes[outcome] += in.get<std::uint64_t>();
        }
    }
    report_.outcomes.assign(outcomes.begin(), outcomes.end());
    // `eventually`: by levels, else by the ranks over the kept edges
    // (sim/distributed_eventually.hpp); rank 0 searches again for the trace
    // of a violation, and where the run was cut short (the other ranks
    // leave those undecided: rank 0 reports).
    const bool complete = report_.complete;  // rank 0's may change below; the others' may not
    std::vector<bool> undecided(n, false);
    for (std::size_t e = 0; e < events; ++e) {
        auto& result = report_.properties[eventually_[e]];
        EventuallyResult r;
        const bool dead_end = maxes[2 + 2 * e] != 0, back = maxes[3 + 2 * e] != 0;
        if (dead_end || (back && (!complete || !free_of_violations(e)))) {
            if (net_.rank() != 0) {
                undecided[eventually_[e]] = true;
                continue;
            }
            r = search_eventually_again(model_, properties_[eventually_[e]],
                                        EventuallySearchLimits{options_.max_states, options_.stop}, report_);
        } else {
            r.reached_unexpanded = !report_.complete;
        }
        record_eventually(r, report_.complete, result);
    }
    for (std::size_t k = 0; k < n; ++k) {
        auto& p = report_.properties[k];
        if (p.status != Status::Unknown || undecided[k]) continue;
        if (p.kind == Kind::Sometimes) p.status = report_.complete ? Status::NotWitnessed : Status::Unknown;
        else if (report_.complete) p.status = Status::Holds;
    }
    report_.seconds = std::chrono::duration<double>(Clock::now() - start_).count();
}

}  // namespace sim
