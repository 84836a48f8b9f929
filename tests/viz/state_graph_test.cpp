// The generic part of viz/state_graph.hpp on the toy models of tests/sim:
// states rebuilt by replay, the whole graph, quotients, DOT.
#include <gtest/gtest.h>

#include <set>

#include "sim/explorer.hpp"
#include "tests/sim/toy_models.hpp"
#include "viz/state_graph.hpp"

#include "support.hpp"

namespace {

using bidilab::viz::Diagram;

template <class M>
sim::Explorer<M> explored(const M& m, sim::ExploreOptions o = {}) {
    o.keep_graph = true;
    sim::Explorer<M> e(m, o);
    e.run();
    return e;
}

template <class M>
bidilab::viz::GraphLabels<M> labels() {
    bidilab::viz::GraphLabels<M> l;
    l.state = [](const typename M::State& s) { return "(" + std::to_string(s.a) + "," + std::to_string(s.b) + ")"; };
    l.transition = [](const typename M::State&, const typename M::Action& a) { return toy::Pair{}.describe(a); };
    return l;
}

TEST(StateGraph, EveryStateIsItsReplayedParentPath) {
    toy::Grid m{4, 3};
    auto e = explored(m);
    std::size_t seen = 0;
    bidilab::viz::for_each_state(m, e.graph(), [&](std::uint32_t s, const toy::Grid::State& state, const auto& enabled) {
        auto r = sim::replay(m, e.graph().path_to(s));
        const auto& expected = r.steps.empty() ? r.initial : r.steps.back().state;
        EXPECT_EQ(state.x, expected.x);
        EXPECT_EQ(state.y, expected.y);
        EXPECT_EQ(enabled.size(), 2u);
        ++seen;
    });
    EXPECT_EQ(seen, 20u);
}

TEST(StateGraph, WholeGraphHasAVertexPerStateAndAnEdgePerTransition) {
    toy::Pair m{2, 1};  // stuck at (1,1): a deadlock
    auto e = explored(m);
    const auto& g = e.graph();
    Diagram d = bidilab::viz::state_diagram(m, g, e.roots(), labels<toy::Pair>());
    EXPECT_EQ(boost::num_vertices(d), g.size());
    EXPECT_EQ(boost::num_edges(d), g.edge_total());
    EXPECT_TRUE(d[0].initial);
    EXPECT_EQ(d[0].label, "(0,0)");
    std::size_t deadlocks = 0;
    for (std::size_t v = 0; v < boost::num_vertices(d); ++v)
        if (d[v].deadlock) {
            ++deadlocks;
            EXPECT_EQ(d[v].label, "(1,1)");
        }
    EXPECT_EQ(deadlocks, 1u);
    const std::string dot = bidilab::viz::dot_text(d);
    EXPECT_NE(dot.find("(1,1)\\ndeadlock"), std::string::npos) << dot;
    EXPECT_NE(dot.find("start0->0;"), std::string::npos) << dot;
}

TEST(StateGraph, HighlightFollowsTheTrace) {
    toy::Pair m{2, 1};
    auto e = explored(m);
    auto report = sim::Explorer<toy::Pair>(m).run();
    const auto* deadlock = report.find("no-deadlock");
    ASSERT_TRUE(deadlock && deadlock->trace);
    bidilab::viz::DiagramOptions o;
    o.highlight = &*deadlock->trace;
    Diagram d = bidilab::viz::state_diagram(m, e.graph(), e.roots(), labels<toy::Pair>(), o);
    std::size_t on_path = 0, path_edges = 0;
    for (std::size_t v = 0; v < boost::num_vertices(d); ++v) {
        on_path += d[v].on_path;
        if (d[v].path_end) {
            EXPECT_EQ(d[v].label, "(1,1)");
        }
    }
    for (auto [it, end] = boost::edges(d); it != end; ++it) path_edges += d[*it].on_path;
    EXPECT_EQ(path_edges, deadlock->trace->length());
    EXPECT_EQ(on_path, deadlock->trace->length() + 1);
}

TEST(StateGraph, QuotientMergesStatesAndDeduplicatesEdges) {
    toy::Grid m{4, 3};
    auto e = explored(m);
    std::function<std::string(const toy::Grid::State&)> column = [](const toy::Grid::State& s) {
        return "x=" + std::to_string(s.x);
    };
    std::function<std::string(const toy::Grid::State&, const toy::Grid::Action&)> kind =
        [&m](const toy::Grid::State&, const toy::Grid::Action& a) { return m.describe(a); };
    Diagram d = bidilab::viz::quotient_diagram(m, e.graph(), e.roots(), column, kind);
    ASSERT_EQ(boost::num_vertices(d), 5u);  // x = 0..4
    EXPECT_EQ(d[0].label, "x=0\n4 states");
    EXPECT_EQ(d[0].members, 4u);
    // Each column: "up" within it (a loop), "right" to the next; one edge each.
    std::set<std::string> edges;
    for (auto [it, end] = boost::edges(d); it != end; ++it)
        edges.insert(std::to_string(boost::source(*it, d)) + "->" + std::to_string(boost::target(*it, d)) + " " + d[*it].label);
    EXPECT_EQ(boost::num_edges(d), 9u);
    EXPECT_EQ(edges.count("0->0 up"), 1u);
    EXPECT_EQ(edges.count("0->1 right"), 1u);
    EXPECT_EQ(edges.count("4->4 up"), 1u);
}

TEST(StateGraph, DotParsesAndIsTheSameTwice) {
    toy::Pair m{3};
    auto e = explored(m);
    const std::string a = bidilab::viz::dot_text(bidilab::viz::state_diagram(m, e.graph(), e.roots(), labels<toy::Pair>()));
    const std::string b = bidilab::viz::dot_text(bidilab::viz::state_diagram(m, e.graph(), e.roots(), labels<toy::Pair>()));
    EXPECT_EQ(a, b);
    const std::string dir = viztest::scratch("toy-dot");
    std::ofstream(dir + "/toy.dot") << a;
    EXPECT_EQ(viztest::run("dot -Tsvg " + dir + "/toy.dot -o " + dir + "/toy.svg").code, 0);
    EXPECT_NE(viztest::read(dir + "/toy.svg").find("(3,3)"), std::string::npos);
}

TEST(StateGraph, DotQuotesLabels) {
    EXPECT_EQ(bidilab::viz::dot_quote("a \"b\" \\ c\nd"), "\"a \\\"b\\\" \\\\ c\\nd\"");
}

}  // namespace
