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
#include <utility>
#include <vector>

#include "sim/chunked_array.hpp"
#include "sim/trace.hpp"

namespace sim {

// A side table to a checkpoint (sim/checkpoint.hpp): its count, then its
// pairs sorted by key, so the file is the same every run.
template <class Writer, class Key, class Value>
void save_sorted(Writer& w, const std::unordered_map<Key, Value>& table) {
    std::vector<std::pair<Key, Value>> pairs(table.begin(), table.end());
    std::sort(pairs.begin(), pairs.end());
    w.template value<std::uint64_t>(pairs.size());
    for (const auto& [key, value] : pairs) w.template value<Key>(key), w.template value<Value>(value);
}

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
    std::uint64_t size() const { return bytes_.size(); }

    // To and from a checkpoint (sim/checkpoint.hpp): the bytes, then the side
    // table by position.
    template <class Writer>
    void save(Writer& w) const {
        bytes_.save(w);
        save_sorted(w, wide_);
    }
    template <class Reader>
    void load(Reader& r) {
        clear();
        bytes_.load(r);
        const std::uint64_t n = r.count(12);
        for (std::uint64_t i = 0; i < n; ++i) {
            const std::uint64_t at = r.template value<std::uint64_t>();
            const std::uint32_t action = r.template value<std::uint32_t>();
            if (at >= bytes_.size() || bytes_[at] != escape || action < escape) r.fail("a wide action index out of place");
            wide_[at] = action;
        }
        if (wide_.size() != n) r.fail("a wide action index twice");
        for (std::uint64_t i = 0; i < bytes_.size(); ++i)
            if (bytes_[i] == escape && wide_.count(i) == 0) r.fail("an escaped action index without its value");
    }

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

    // To and from a checkpoint (sim/checkpoint.hpp). Loading checks what a
    // walk relies on: parents come before their children, edges stay inside
    // the graph.
    template <class Writer>
    void save(Writer& w) const {
        w.template value<std::uint8_t>(keep_edges_);
        parents_.save(w);
        actions_.save(w);
        if (!keep_edges_) return;
        adjacency_.save(w);
        targets_.save(w);
        edge_actions_.save(w);
        save_sorted(w, wide_counts_);
    }
    template <class Reader>
    void load(Reader& r) {
        drop_edges();
        keep_edges_ = r.flag();
        parents_.load(r);
        actions_.load(r);
        if (parents_.size() >= root || actions_.size() != parents_.size()) r.fail("a parent log out of shape");
        for (std::uint64_t i = 0; i < parents_.size(); ++i)
            if (parents_[i] != root && parents_[i] >= i) r.fail("a state before its parent");
        if (!keep_edges_) return;
        adjacency_.load(r);
        targets_.load(r);
        edge_actions_.load(r);
        const std::uint64_t n = r.count(12);
        for (std::uint64_t i = 0; i < n; ++i) {
            const std::uint32_t s = r.template value<std::uint32_t>();
            wide_counts_[s] = r.template value<std::uint64_t>();
        }
        if (adjacency_.size() != parents_.size() || edge_actions_.size() != targets_.size())
            r.fail("an edge list out of shape");
        for (std::uint64_t t = 0; t < targets_.size(); ++t)
            if (targets_[t] >= parents_.size()) r.fail("an edge to no state");
        for (std::uint32_t s = 0; s < adjacency_.size(); ++s) {
            if (adjacency_[s] == unexpanded) continue;
            const std::uint64_t count = adjacency_[s] >> kCountShift;
            if (count == kCountEscape && wide_counts_.count(s) == 0) r.fail("an escaped edge count without its value");
            if ((adjacency_[s] & kBeginMask) + edge_count(s) > targets_.size()) r.fail("edges past the end");
        }
    }

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
