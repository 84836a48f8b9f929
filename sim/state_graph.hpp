// sim/state_graph.hpp — what the explorer keeps of each visited state.
//
// Always: the parent log, a parent index (4 bytes) and the index of the
// action that led here (1 byte; the rare index past 254 goes to a side
// table), in discovery order; with the visited fingerprints that is all,
// and traces are rebuilt from it by replay.
// On request (eventually properties, graph export): every edge, 5 bytes (the
// target's index, and the action's in one byte, escaped like the parent
// log's), and per state one 8-byte word: where its edges begin (low 48
// bits) and how many there are (high 16 bits; more go to a side table), so
// the whole explored graph can be walked.
#pragma once

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <unordered_map>

#include "sim/chunked_array.hpp"
#include "sim/trace.hpp"

namespace sim {

// Action indices, one byte each; the rare index past 254 is kept in a side
// table (by position) and its byte is the escape. The parent log and the
// kept edges both store theirs this way.
class ActionBytes {
public:
    static constexpr std::uint8_t escape = 0xFF;

    void push_back(std::uint32_t action) {
        if (action >= escape) {
            wide_[bytes_.size()] = action;
            bytes_.push_back(escape);
        } else {
            bytes_.push_back(static_cast<std::uint8_t>(action));
        }
    }
    std::uint32_t operator[](std::uint64_t i) const { return bytes_[i] == escape ? wide_.at(i) : bytes_[i]; }
    void clear() {
        bytes_.clear();
        wide_.clear();
    }
    std::size_t bytes() const { return bytes_.bytes() + wide_.size() * 2 * sizeof(std::uint64_t); }

private:
    ChunkedArray<std::uint8_t> bytes_;
    std::unordered_map<std::uint64_t, std::uint32_t> wide_;
};

class StateGraph {
public:
    static constexpr std::uint32_t root = 0xFFFFFFFFu;
    static constexpr std::uint64_t unexpanded = ~std::uint64_t{0};

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
        actions_.push_back(action);
        if (keep_edges_) adjacency_.push_back(unexpanded);
        return index;
    }

    void begin_edges(std::uint32_t source) {
        if (keep_edges_) adjacency_[source] = targets_.size();
    }
    void forget_edges(std::uint32_t source) {
        if (keep_edges_) adjacency_[source] = unexpanded;
    }
    // Edges of one source are added together, right after its begin_edges.
    void add_edge(std::uint32_t source, std::uint32_t target, std::uint32_t action) {
        if (!keep_edges_) return;
        edge_actions_.push_back(action);
        targets_.push_back(target);
        std::uint64_t& word = adjacency_[source];
        const std::uint64_t count = word >> kCountShift;
        if (count + 1 >= kCountEscape) {
            wide_counts_[source] = (count == kCountEscape ? wide_counts_[source] : count) + 1;
            word = (word & kBeginMask) | (kCountEscape << kCountShift);
        } else {
            word += std::uint64_t{1} << kCountShift;
        }
    }

    // Frees every edge and keeps no more; the parent log stays.
    void drop_edges() {
        keep_edges_ = false;
        adjacency_.clear();
        targets_.clear();
        edge_actions_.clear();
        wide_counts_.clear();
    }

    std::size_t size() const { return parents_.size(); }
    bool keeps_edges() const { return keep_edges_; }
    std::uint32_t parent(std::uint32_t s) const { return parents_[s]; }
    std::uint32_t action(std::uint32_t s) const { return actions_[s]; }
    bool expanded(std::uint32_t s) const { return adjacency_[s] != unexpanded; }
    std::uint32_t edge_count(std::uint32_t s) const {
        const std::uint64_t count = adjacency_[s] >> kCountShift;
        return count == kCountEscape ? static_cast<std::uint32_t>(wide_counts_.at(s)) : static_cast<std::uint32_t>(count);
    }
    Edge edge(std::uint32_t s, std::uint32_t k) const {
        const std::uint64_t at = (adjacency_[s] & kBeginMask) + k;
        return Edge{targets_[at], edge_actions_[at]};
    }
    std::size_t edge_total() const { return targets_.size(); }

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
        return parents_.bytes() + actions_.bytes();
    }
    // Bytes held for the edges (what keeping the graph adds).
    std::size_t edge_bytes() const {
        return adjacency_.bytes() + targets_.bytes() + edge_actions_.bytes() +
               wide_counts_.size() * 2 * sizeof(std::uint64_t);
    }
    std::size_t bytes() const { return log_bytes() + edge_bytes(); }

private:
    bool keep_edges_;
    ChunkedArray<std::uint32_t> parents_;
    ActionBytes actions_;
    static constexpr int kCountShift = 48;
    static constexpr std::uint64_t kBeginMask = (std::uint64_t{1} << kCountShift) - 1;
    static constexpr std::uint64_t kCountEscape = 0xFFFF;
    ChunkedArray<std::uint64_t> adjacency_;   // per state: begin | count << 48; `unexpanded` before
    ChunkedArray<std::uint32_t> targets_;     // per edge
    ActionBytes edge_actions_;                // per edge
    std::unordered_map<std::uint32_t, std::uint64_t> wide_counts_;
};

}  // namespace sim
