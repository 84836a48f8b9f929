// sim/state_graph.hpp — what the explorer keeps of each visited state.
//
// Always: the parent log, a parent index (4 bytes) and the index of the
// action that led here (1 byte; the rare index past 254 goes to a side
// table), in discovery order; with the visited fingerprints that is all,
// and traces are rebuilt from it by replay.
// On request (eventually properties, graph export): every edge, and per
// state where its edges begin, so the whole explored graph can be walked.
#pragma once

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <unordered_map>

#include "sim/chunked_array.hpp"
#include "sim/trace.hpp"

namespace sim {

class StateGraph {
public:
    static constexpr std::uint32_t root = 0xFFFFFFFFu;
    static constexpr std::uint64_t unexpanded = ~std::uint64_t{0};
    static constexpr std::uint8_t action_escape = 0xFF;

    struct Edge {
        std::uint32_t target;
        std::uint32_t action;
    };

    explicit StateGraph(bool keep_edges = false) : keep_edges_(keep_edges) {}

    // A new state: reached from `parent` by action `action` (for a root,
    // parent == root and action is the index of the initial state).
    std::uint32_t add_state(std::uint32_t parent, std::uint32_t action) {
        std::uint32_t index = static_cast<std::uint32_t>(parents_.size());
        if (index == root) throw std::length_error("more than 4294967294 states");
        parents_.push_back(parent);
        if (action >= action_escape) {
            actions_.push_back(action_escape);
            wide_actions_[index] = action;
        } else {
            actions_.push_back(static_cast<std::uint8_t>(action));
        }
        if (keep_edges_) {
            edge_begin_.push_back(unexpanded);
            edge_count_.push_back(0);
        }
        return index;
    }

    void begin_edges(std::uint32_t source) {
        if (keep_edges_) edge_begin_[source] = edges_.size();
    }
    void forget_edges(std::uint32_t source) {
        if (keep_edges_) edge_begin_[source] = unexpanded;
    }
    void add_edge(std::uint32_t source, std::uint32_t target, std::uint32_t action) {
        if (!keep_edges_) return;
        edges_.push_back(Edge{target, action});
        ++edge_count_[source];
    }

    std::size_t size() const { return parents_.size(); }
    bool keeps_edges() const { return keep_edges_; }
    std::uint32_t parent(std::uint32_t s) const { return parents_[s]; }
    std::uint32_t action(std::uint32_t s) const {
        return actions_[s] == action_escape ? wide_actions_.at(s) : actions_[s];
    }
    bool expanded(std::uint32_t s) const { return edge_begin_[s] != unexpanded; }
    std::uint32_t edge_count(std::uint32_t s) const { return edge_count_[s]; }
    const Edge& edge(std::uint32_t s, std::uint32_t k) const { return edges_[edge_begin_[s] + k]; }
    std::size_t edge_total() const { return edges_.size(); }

    // The shortest known path (along discovery parents) to state s.
    Trace path_to(std::uint32_t s) const {
        Trace t;
        while (parents_[s] != root) {
            t.actions.push_back(action(s));
            s = parents_[s];
        }
        t.initial = action(s);
        std::reverse(t.actions.begin(), t.actions.end());
        return t;
    }

    // Bytes held for the parent log (what every run pays per state).
    std::size_t log_bytes() const {
        return parents_.bytes() + actions_.bytes() + wide_actions_.size() * 2 * sizeof(std::uint64_t);
    }
    std::size_t bytes() const {
        return log_bytes() + edge_begin_.bytes() + edge_count_.bytes() + edges_.bytes();
    }

private:
    bool keep_edges_;
    ChunkedArray<std::uint32_t> parents_;
    ChunkedArray<std::uint8_t> actions_;
    std::unordered_map<std::uint32_t, std::uint32_t> wide_actions_;
    ChunkedArray<std::uint64_t> edge_begin_;
    ChunkedArray<std::uint32_t> edge_count_;
    ChunkedArray<Edge> edges_;
};

}  // namespace sim
