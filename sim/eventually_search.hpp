// sim/eventually_search.hpp — deciding `eventually P` by searching the
// graph again, depth-first, through the states where P fails, from each
// initial state where it fails: a state without successors, or a state that
// is on the search's own stack (a loop), is a counterexample, and the stack
// is its trace. This is the check of sim/eventually.hpp on the state graph,
// done on the fly instead of on kept edges: it costs a second exploration of
// the P-free part, so the explorer runs it only when it must (see
// sim/eventually_levels.hpp). Memory: 12 bytes per state visited here, and
// the stack.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "sim/eventually.hpp"
#include "sim/fingerprint.hpp"
#include "sim/property.hpp"
#include "sim/report.hpp"
#include "sim/trace.hpp"
#include "sim/transition_system.hpp"
#include "sim/visited_set.hpp"

namespace sim {

struct EventuallySearchLimits {
    std::uint64_t max_states = 0;  // 0: none
    const std::atomic<bool>* stop = nullptr;
};

template <class M>
EventuallyResult search_eventually(const M& model, const std::function<bool(const typename M::State&)>& goal,
                                   const EventuallySearchLimits& limits = {}) {
    using State = typename M::State;
    using Action = typename M::Action;
    enum : std::uint32_t { Gray = 1, Black = 2 };
    struct Frame {
        State state;
        std::uint64_t fp;
        std::vector<Action> enabled;
        std::uint32_t next = 0;      // the next action to try
        std::uint32_t taken = 0;     // the action the frame above came by
        bool any_successor = false;
    };
    EventuallyResult result;
    VisitedSet color(true);
    std::vector<Frame> stack;
    auto trace_of_stack = [&](std::uint32_t root_position) {
        Trace t;
        t.initial = root_position;
        for (std::size_t i = 1; i < stack.size(); ++i) t.actions.push_back(stack[i - 1].taken);
        return t;
    };
    auto push = [&](const State& s, std::uint64_t fp) {
        color.insert(fp, Gray);
        stack.push_back(Frame{s, fp, {}, 0, 0, false});
        model.actions(stack.back().state, stack.back().enabled);
    };
    const auto roots = model.initial_states();
    State next;
    for (std::uint32_t r = 0; r < roots.size(); ++r) {
        const std::uint64_t root_fp = fingerprint(roots[r]);
        if (goal(roots[r]) || color.contains(root_fp)) continue;
        push(roots[r], root_fp);
        while (!stack.empty()) {
            if (limits.stop && limits.stop->load(std::memory_order_relaxed)) {
                result.reached_unexpanded = true;
                return result;
            }
            Frame& top = stack.back();
            if (top.next == top.enabled.size()) {
                if (!top.any_successor) {
                    result.counterexample = trace_of_stack(r);
                    return result;
                }
                color.set_index(top.fp, Black);
                stack.pop_back();
                continue;
            }
            const std::uint32_t a = top.next++;
            if (!next_state_into(model, top.state, top.enabled[a], next)) continue;
            top.any_successor = true;
            if (goal(next)) continue;
            const std::uint64_t fp = fingerprint(next);
            const std::uint32_t c = color.index_of(fp);
            if (c == Black) continue;
            top.taken = a;
            if (c == Gray) {
                Trace t = trace_of_stack(r);
                t.actions.push_back(a);
                for (std::size_t i = 0; i < stack.size(); ++i)
                    if (stack[i].fp == fp) t.loop_start = i;
                result.counterexample = t;
                return result;
            }
            if (limits.max_states != 0 && color.size() >= limits.max_states) {
                result.reached_unexpanded = true;
                continue;
            }
            push(next, fp);
        }
    }
    return result;
}

// The second search of an `eventually` property that a breadth-first run
// could not decide by levels, counted in the report; one cut short (the stop
// flag, the state limit) makes the run incomplete after all.
template <class M>
EventuallyResult search_eventually_again(const M& model, const Property<M>& property,
                                         const EventuallySearchLimits& limits, Report& report) {
    EventuallyResult r = search_eventually<M>(
        model, [&](const typename M::State& s) { return property.holds(model, s); }, limits);
    ++report.eventually_searches;
    if (r.reached_unexpanded && report.complete) {
        report.complete = false;
        const bool stop = limits.stop && limits.stop->load(std::memory_order_relaxed);
        report.stopped_by = stop ? "interrupted" : "max-states";
    }
    return r;
}

// What a decision of `eventually` says of the property: violated with its
// trace, unknown when the search or the run was cut short (else unchanged:
// it holds once the run is complete).
inline void record_eventually(const EventuallyResult& r, bool complete, PropertyResult& result) {
    if (r.counterexample) {
        result.status = Status::Violated;
        result.trace = r.counterexample;
    } else if (r.reached_unexpanded || !complete) {
        result.status = Status::Unknown;
    }
}

}  // namespace sim
