// sim/eventually.hpp — deciding `eventually P` on the explored graph.
//
// A violation is a path from an initial state that never meets P: either it
// ends in a state without successors, or it loops forever among states
// without P (a lasso). Both are found by one depth-first search over the
// states without P, reachable from initial states through such states only.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "sim/state_graph.hpp"
#include "sim/trace.hpp"

namespace sim {

struct EventuallyResult {
    std::optional<Trace> counterexample;
    bool reached_unexpanded = false;  // a path without P runs into the unexplored part
};

// goal(s): whether P holds in state s. roots: the graph indices of the
// initial states, in initial-state order.
inline EventuallyResult check_eventually(const StateGraph& g, const std::vector<std::uint32_t>& roots,
                                         const std::function<bool(std::uint32_t)>& goal) {
    enum : std::uint8_t { White, Gray, Black };
    EventuallyResult result;
    std::vector<std::uint8_t> color(g.size(), White);
    struct Frame {
        std::uint32_t state;
        std::uint32_t next_edge;
    };
    std::vector<Frame> stack;

    auto trace_of_stack = [&](std::uint32_t root_position) {
        Trace t;
        t.initial = root_position;
        for (std::size_t i = 1; i < stack.size(); ++i) t.actions.push_back(g.edge(stack[i - 1].state, stack[i - 1].next_edge - 1).action);
        return t;
    };

    for (std::uint32_t r = 0; r < roots.size(); ++r) {
        std::uint32_t root = roots[r];
        if (color[root] != White || goal(root)) continue;
        stack.push_back({root, 0});
        color[root] = Gray;
        while (!stack.empty()) {
            Frame& top = stack.back();
            std::uint32_t s = top.state;
            if (!g.expanded(s)) {
                result.reached_unexpanded = true;
            } else if (g.edge_count(s) == 0) {
                result.counterexample = trace_of_stack(r);
                return result;
            } else if (top.next_edge < g.edge_count(s)) {
                const auto& e = g.edge(s, top.next_edge++);
                if (goal(e.target) || color[e.target] == Black) continue;
                if (color[e.target] == Gray) {
                    Trace t = trace_of_stack(r);
                    t.actions.push_back(e.action);
                    for (std::size_t i = 0; i < stack.size(); ++i)
                        if (stack[i].state == e.target) t.loop_start = i;
                    result.counterexample = t;
                    return result;
                }
                color[e.target] = Gray;
                stack.push_back({e.target, 0});
                continue;
            }
            color[s] = Black;
            stack.pop_back();
        }
    }
    return result;
}

}  // namespace sim
