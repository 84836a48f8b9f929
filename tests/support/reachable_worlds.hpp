// tests/support/reachable_worlds.hpp — the reachable states of a model,
// breadth-first, each once (up to the model's fingerprint), for tests that
// look at states rather than at properties.
#pragma once

#include <cstdint>
#include <deque>
#include <unordered_set>
#include <vector>

#include "sim/fingerprint.hpp"

namespace test_support {

// Calls f(state, successors) for each reachable state, after computing its
// successors (`successors`: how many its enabled actions lead to), until
// `limit` distinct states were found (0: all). Returns how many were found.
template <class M, class F>
std::size_t each_reachable_state(const M& m, std::size_t limit, F f) {
    using State = typename M::State;
    std::unordered_set<std::uint64_t> seen;
    std::deque<State> queue;
    for (auto& s : m.initial_states())
        if (seen.insert(sim::fingerprint(s)).second) queue.push_back(s);
    std::vector<typename M::Action> enabled;
    while (!queue.empty()) {
        const State s = std::move(queue.front());
        queue.pop_front();
        enabled.clear();
        m.actions(s, enabled);
        std::size_t successors = 0;
        for (const auto& a : enabled) {
            State next;
            if (!m.next_state(s, a, next)) continue;
            ++successors;
            if ((limit == 0 || seen.size() < limit) && seen.insert(sim::fingerprint(next)).second)
                queue.push_back(std::move(next));
        }
        f(s, successors);
    }
    return seen.size();
}

}  // namespace test_support
