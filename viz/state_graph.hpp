// viz/state_graph.hpp — an explored state graph as a Boost.Graph, for drawing.
//
// Generic over any model on the sim contract: the explorer keeps only the
// parent log and the edges (sim::StateGraph), never the states, so every
// state is rebuilt here by replaying its parent path with the model's own
// step function (what sim::replay does along StateGraph::path_to, done once
// per state: a state is kept only until its last child has been rebuilt).
// The caller supplies the labels: a vertex per state (state_diagram), or a
// vertex per class of states equal on a key, with the edges between two
// classes merged and labelled with the set of their transitions' kinds
// (quotient_diagram, as mCRL2 draws reduced graphs). write_dot() writes
// either with boost::write_graphviz; Graphviz lays it out (viz/graphviz.hpp).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <ostream>
#include <set>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <boost/graph/adjacency_list.hpp>

#include "sim/state_graph.hpp"
#include "sim/trace.hpp"
#include "sim/transition_system.hpp"

namespace bidilab::viz {

struct DiagramVertex {
    std::string label;
    std::size_t members = 1;  // states merged into this vertex (quotients)
    bool initial = false;
    bool terminal = false;    // drawn with a double border (a machine's final state)
    bool deadlock = false;    // no successors and not final
    bool unexpanded = false;  // a limit stopped exploration before expanding it
    bool on_path = false;     // on the highlighted trace
    bool path_end = false;    // where the highlighted trace ends
    // A state machine's internal transitions (rows whose target is their
    // source), listed inside the state as UML does, not drawn as loops.
    std::vector<std::string> internal;
};

struct DiagramEdge {
    std::string label;
    std::size_t members = 1;  // transitions merged into this edge (quotients)
    bool on_path = false;
};

using Diagram = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, DiagramVertex, DiagramEdge>;

struct DotStyle {
    std::string title;               // the graph's caption ("" for none)
    std::string rankdir = "TB";      // TB or LR
    bool path_is_violation = false;  // the path's end is filled red, else green
};

// The diagram in the DOT language, via boost::write_graphviz with property
// writers: the same diagram gives the same bytes.
void write_dot(std::ostream& out, const Diagram& d, const DotStyle& style = {});
std::string dot_text(const Diagram& d, const DotStyle& style = {});

// A DOT double-quoted string: quotes and backslashes escaped, newlines as \n.
std::string dot_quote(const std::string& text);

template <class M>
struct GraphLabels {
    using State = typename M::State;
    using Action = typename M::Action;
    // state_diagram: a vertex's label.
    std::function<std::string(const State&)> state;
    // An edge's label, from the edge's source state and the action taken.
    std::function<std::string(const State&, const Action&)> transition;
};

struct DiagramOptions {
    const sim::Trace* highlight = nullptr;  // a trace to draw along (its edges and states)
    bool mark_deadlocks = true;
};

// Calls visit(index, state, enabled_actions) for every state of g, in index
// order, each rebuilt from its parent by the model's step function; throws
// std::runtime_error if the graph does not fit the model.
template <class M, class Visit>
void for_each_state(const M& model, const sim::StateGraph& g, Visit&& visit) {
    using State = typename M::State;
    using Action = typename M::Action;
    struct Live {
        State state;
        std::vector<Action> enabled;
    };
    const auto inits = model.initial_states();
    const auto n = static_cast<std::uint32_t>(g.size());
    std::vector<std::uint32_t> children(n, 0);
    for (std::uint32_t s = 0; s < n; ++s)
        if (g.parent(s) != sim::StateGraph::root) ++children[g.parent(s)];
    std::unordered_map<std::uint32_t, Live> live;  // rebuilt states whose children are still to come
    for (std::uint32_t s = 0; s < n; ++s) {
        const std::uint32_t p = g.parent(s);
        std::optional<Live> current;
        if (p == sim::StateGraph::root) {
            if (g.action(s) >= inits.size()) throw std::runtime_error("state graph: no initial state #" + std::to_string(g.action(s)));
            current.emplace(Live{inits[g.action(s)], {}});
        } else {
            auto it = live.find(p);
            if (it == live.end() || g.action(s) >= it->second.enabled.size())
                throw std::runtime_error("state graph: state " + std::to_string(s) + " does not fit the model");
            auto next = model.next_state(it->second.state, it->second.enabled[g.action(s)]);
            if (!next) throw std::runtime_error("state graph: state " + std::to_string(s) + ": action is disabled");
            current.emplace(Live{std::move(*next), {}});
            if (--children[p] == 0) live.erase(it);
        }
        model.actions(current->state, current->enabled);
        visit(s, static_cast<const State&>(current->state), static_cast<const std::vector<Action>&>(current->enabled));
        if (children[s] != 0) live.emplace(s, std::move(*current));
    }
}

// The steps of a trace through the graph, as (state, k): the k-th edge of
// that state. Stops early where the graph has no such edge (a bound).
inline std::vector<std::pair<std::uint32_t, std::uint32_t>> trace_edges(const sim::StateGraph& g,
                                                                        const std::vector<std::uint32_t>& roots,
                                                                        const sim::Trace& trace) {
    std::vector<std::pair<std::uint32_t, std::uint32_t>> out;
    if (trace.initial >= roots.size() || !g.keeps_edges()) return out;
    std::uint32_t s = roots[trace.initial];
    for (std::uint32_t a : trace.actions) {
        if (!g.expanded(s)) break;
        std::optional<std::uint32_t> found;
        for (std::uint32_t k = 0; k < g.edge_count(s); ++k)
            if (g.edge(s, k).action == a) {
                found = k;
                break;
            }
        if (!found) break;
        out.emplace_back(s, *found);
        s = g.edge(s, *found).target;
    }
    return out;
}

namespace detail {

// What both diagrams need to know of each state, gathered in one replay.
template <class M>
struct Gathered {
    std::vector<std::string> vertex_key;                    // per state: its label or class key
    std::vector<std::vector<std::string>> edge_labels;      // per state, per edge
    std::vector<bool> deadlock;
};

template <class M, class VertexKey, class EdgeLabel>
Gathered<M> gather(const M& model, const sim::StateGraph& g, VertexKey vertex_key, EdgeLabel edge_label, bool mark_deadlocks) {
    if (!g.keeps_edges()) throw std::logic_error("state graph: drawing needs the edges (ExploreOptions::keep_graph)");
    Gathered<M> out;
    const std::size_t n = g.size();
    out.vertex_key.resize(n);
    out.edge_labels.resize(n);
    out.deadlock.assign(n, false);
    for_each_state(model, g, [&](std::uint32_t s, const typename M::State& state, const std::vector<typename M::Action>& enabled) {
        out.vertex_key[s] = vertex_key(state);
        if (!g.expanded(s)) return;
        for (std::uint32_t k = 0; k < g.edge_count(s); ++k)
            out.edge_labels[s].push_back(edge_label(state, enabled.at(g.edge(s, k).action)));
        if (mark_deadlocks && g.edge_count(s) == 0 && !sim::is_final(model, state)) out.deadlock[s] = true;
    });
    return out;
}

}  // namespace detail

// One vertex per explored state (vertex i is state i), one edge per transition.
template <class M>
Diagram state_diagram(const M& model, const sim::StateGraph& g, const std::vector<std::uint32_t>& roots,
                      const GraphLabels<M>& labels, const DiagramOptions& options = {}) {
    auto data = detail::gather(model, g, labels.state, labels.transition, options.mark_deadlocks);
    const auto n = static_cast<std::uint32_t>(g.size());
    Diagram d(n);
    for (std::uint32_t s = 0; s < n; ++s) {
        DiagramVertex& v = d[s];
        v.label = std::move(data.vertex_key[s]);
        v.deadlock = data.deadlock[s];
        v.unexpanded = !g.expanded(s);
    }
    for (std::uint32_t r : roots) d[r].initial = true;
    // Per state, its edges in order: the k-th out-edge of vertex s is edge k of state s.
    std::vector<std::vector<Diagram::edge_descriptor>> edge_of(n);
    for (std::uint32_t s = 0; s < n; ++s) {
        if (!g.expanded(s)) continue;
        for (std::uint32_t k = 0; k < g.edge_count(s); ++k) {
            auto [e, added] = boost::add_edge(s, g.edge(s, k).target, DiagramEdge{std::move(data.edge_labels[s][k]), 1, false}, d);
            (void)added;
            edge_of[s].push_back(e);
        }
    }
    if (options.highlight) {
        auto path = trace_edges(g, roots, *options.highlight);
        std::uint32_t last = options.highlight->initial < roots.size() ? roots[options.highlight->initial] : 0;
        if (options.highlight->initial < roots.size()) d[last].on_path = true;
        for (auto [s, k] : path) {
            d[edge_of[s][k]].on_path = true;
            last = g.edge(s, k).target;
            d[last].on_path = true;
        }
        if (options.highlight->initial < roots.size()) d[last].path_end = true;
    }
    return d;
}

// One vertex per class of states with equal key(state), labelled with the key
// and the number of states; classes numbered in order of their first state.
// Transitions between the same two classes become one edge, labelled with
// the sorted set of kind(state, action) of the transitions it stands for.
template <class M>
Diagram quotient_diagram(const M& model, const sim::StateGraph& g, const std::vector<std::uint32_t>& roots,
                         const std::function<std::string(const typename M::State&)>& key,
                         const std::function<std::string(const typename M::State&, const typename M::Action&)>& kind,
                         const DiagramOptions& options = {}) {
    auto data = detail::gather(model, g, key, kind, options.mark_deadlocks);
    const auto n = static_cast<std::uint32_t>(g.size());
    std::map<std::string, std::uint32_t> class_of_key;
    std::vector<std::uint32_t> cls(n);
    std::vector<std::string> keys;
    std::vector<std::size_t> members;
    for (std::uint32_t s = 0; s < n; ++s) {
        auto [it, inserted] = class_of_key.emplace(data.vertex_key[s], static_cast<std::uint32_t>(keys.size()));
        if (inserted) {
            keys.push_back(data.vertex_key[s]);
            members.push_back(0);
        }
        cls[s] = it->second;
        ++members[it->second];
    }
    Diagram d(keys.size());
    for (std::size_t c = 0; c < keys.size(); ++c) {
        d[c].label = keys[c] + "\n" + std::to_string(members[c]) + (members[c] == 1 ? " state" : " states");
        d[c].members = members[c];
    }
    for (std::uint32_t s = 0; s < n; ++s) {
        if (data.deadlock[s]) d[cls[s]].deadlock = true;
        if (!g.expanded(s)) d[cls[s]].unexpanded = true;
    }
    for (std::uint32_t r : roots) d[cls[r]].initial = true;
    // Edges between two classes, in order of the first transition between them.
    std::map<std::pair<std::uint32_t, std::uint32_t>, std::size_t> edge_index;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> ends;
    // Kinds sorted case-insensitively (then exactly), so "bidi" sits by "BIDI".
    struct ByName {
        bool operator()(const std::string& a, const std::string& b) const {
            const auto lower = [](std::string s) {
                for (char& c : s)
                    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
                return s;
            };
            const std::string la = lower(a), lb = lower(b);
            return la != lb ? la < lb : a < b;
        }
    };
    std::vector<std::set<std::string, ByName>> kinds;
    std::vector<std::size_t> count;
    for (std::uint32_t s = 0; s < n; ++s) {
        if (!g.expanded(s)) continue;
        for (std::uint32_t k = 0; k < g.edge_count(s); ++k) {
            const std::pair<std::uint32_t, std::uint32_t> e{cls[s], cls[g.edge(s, k).target]};
            auto [it, inserted] = edge_index.emplace(e, ends.size());
            if (inserted) {
                ends.push_back(e);
                kinds.emplace_back();
                count.push_back(0);
            }
            kinds[it->second].insert(data.edge_labels[s][k]);
            ++count[it->second];
        }
    }
    std::vector<Diagram::edge_descriptor> edges;
    for (std::size_t i = 0; i < ends.size(); ++i) {
        std::string label;  // four kinds a line
        std::size_t on_line = 0;
        for (const auto& k : kinds[i]) {
            if (!label.empty()) label += on_line % 4 == 0 ? ",\n" : ", ";
            label += k;
            ++on_line;
        }
        edges.push_back(boost::add_edge(ends[i].first, ends[i].second, DiagramEdge{label, count[i], false}, d).first);
    }
    if (options.highlight && options.highlight->initial < roots.size()) {
        std::uint32_t last = cls[roots[options.highlight->initial]];
        d[last].on_path = true;
        for (auto [s, k] : trace_edges(g, roots, *options.highlight)) {
            const std::uint32_t t = g.edge(s, k).target;
            d[edges[edge_index.at({cls[s], cls[t]})]].on_path = true;
            last = cls[t];
            d[last].on_path = true;
        }
        d[last].path_end = true;
    }
    return d;
}

}  // namespace bidilab::viz
