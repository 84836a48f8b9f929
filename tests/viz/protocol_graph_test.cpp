// The protocol's state graph: labels, projections, quotients.
#include <gtest/gtest.h>

#include <set>

#include "sim/explorer.hpp"
#include "viz/element_labels.hpp"
#include "viz/protocol_graph.hpp"

#include "support.hpp"

namespace {

using bidilab::properties::CheckedModel;
using bidilab::viz::Diagram;

struct Explored {
    CheckedModel model;
    sim::Explorer<CheckedModel> explorer;
    sim::Report report;
    explicit Explored(const std::string& topology)
        : model(viztest::model_of(topology)), explorer(model, [] {
              sim::ExploreOptions o;
              o.keep_graph = true;
              return o;
          }()) {
        report = explorer.run();
    }
};

std::set<std::string> edge_labels(const Diagram& d) {
    std::set<std::string> out;
    for (auto [it, end] = boost::edges(d); it != end; ++it) out.insert(d[*it].label);
    return out;
}

TEST(ProtocolGraph, WholeGraphLabelsEndpointsAndFates) {
    Explored x("capulet-montague");
    Diagram d = bidilab::viz::protocol_diagram(x.model, x.explorer.graph(), x.explorer.roots(), std::nullopt);
    EXPECT_EQ(boost::num_vertices(d), x.report.states);
    EXPECT_EQ(boost::num_edges(d), x.report.transitions);
    EXPECT_EQ(d[0].label, "no connection | s0:unsubmitted s1:unsubmitted");
    std::set<std::string> labels;
    for (std::size_t v = 0; v < boost::num_vertices(d); ++v) labels.insert(d[v].label);
    EXPECT_EQ(labels.count("I1:Established R1:Established | s0:delivered s1:delivered"), 1u);
    bool header = false;
    for (const auto& l : edge_labels(d)) header = header || l == "I1→R1 stream header capulet.lit -> montague.lit";
    EXPECT_TRUE(header);
}

TEST(ProtocolGraph, QuotientsMergeAndKeepEveryKindOfStep) {
    Explored x("capulet-montague");
    const auto& g = x.explorer.graph();
    // Every kind of step the whole graph has.
    std::set<std::string> kinds;
    bidilab::viz::for_each_state(x.model, g, [&](std::uint32_t s, const auto& w, const auto& enabled) {
        for (std::uint32_t k = 0; k < g.edge_count(s); ++k)
            kinds.insert(bidilab::viz::action_kind(x.model, w, enabled[g.edge(s, k).action]));
    });
    EXPECT_GE(kinds.size(), 8u);
    for (const char* text : {"connection:1", "connection:2", "stanzas", "endpoints"}) {
        auto p = bidilab::viz::parse_projection(text);
        Diagram q = bidilab::viz::protocol_diagram(x.model, g, x.explorer.roots(), p);
        EXPECT_LT(boost::num_vertices(q), g.size()) << text;
        std::size_t members = 0;
        for (std::size_t v = 0; v < boost::num_vertices(q); ++v) members += q[v].members;
        EXPECT_EQ(members, g.size()) << text;
        std::size_t transitions = 0;
        std::string all;
        for (auto [it, end] = boost::edges(q); it != end; ++it) {
            transitions += q[*it].members;
            all += q[*it].label + ", ";
        }
        EXPECT_EQ(transitions, g.edge_total()) << text;
        for (const auto& k : kinds) EXPECT_NE(all.find(k + ","), std::string::npos) << text << ": " << k;
        // Deduplicated: one edge per pair of vertices.
        std::set<std::pair<std::size_t, std::size_t>> ends;
        for (auto [it, end] = boost::edges(q); it != end; ++it)
            EXPECT_TRUE(ends.emplace(boost::source(*it, q), boost::target(*it, q)).second) << text;
    }
}

TEST(ProtocolGraph, ConnectionProjectionNamesTheConnection) {
    Explored x("capulet-montague");
    Diagram q = bidilab::viz::protocol_diagram(x.model, x.explorer.graph(), x.explorer.roots(),
                                               bidilab::viz::parse_projection("connection:1"));
    EXPECT_EQ(q[0].label, "connection 1 not open\n1 state");
    bool established = false;
    for (std::size_t v = 0; v < boost::num_vertices(q); ++v)
        established = established || q[v].label.rfind("I1:Established R1:Established\n", 0) == 0;
    EXPECT_TRUE(established);
}

TEST(ProtocolGraph, HighlightedWitnessEndsWhereItHolds) {
    Explored x("capulet-montague");
    const auto* w = x.report.find("stanza-over-bidi");
    ASSERT_TRUE(w && w->trace);
    bidilab::viz::DiagramOptions o;
    o.highlight = &*w->trace;
    Diagram d = bidilab::viz::protocol_diagram(x.model, x.explorer.graph(), x.explorer.roots(), std::nullopt, o);
    std::size_t path_edges = 0, ends = 0;
    for (auto [it, end] = boost::edges(d); it != end; ++it) path_edges += d[*it].on_path;
    for (std::size_t v = 0; v < boost::num_vertices(d); ++v) ends += d[v].path_end;
    EXPECT_EQ(path_edges, w->trace->length());
    EXPECT_EQ(ends, 1u);
}

TEST(ProtocolGraph, ProjectionsParse) {
    EXPECT_EQ(bidilab::viz::parse_projection("connection:12").connection, 12);
    EXPECT_EQ(bidilab::viz::parse_projection("stanzas").text(), "stanzas");
    EXPECT_EQ(bidilab::viz::parse_projection("endpoints").text(), "endpoints");
    for (const char* bad : {"connection:", "connection:0", "connection:x", "connection:99999", "states", ""})
        EXPECT_THROW(bidilab::viz::parse_projection(bad), std::invalid_argument) << bad;
}

}  // namespace
