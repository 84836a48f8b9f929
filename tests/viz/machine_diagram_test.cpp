// Machine diagrams come from the transition tables: every row is an edge.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "model/initiating_stream.hpp"
#include "model/pair_auth.hpp"
#include "model/receiving_stream.hpp"
#include "viz/machine_diagram.hpp"

namespace {

using bidilab::viz::machine_tables;

TEST(MachineDiagram, TheThreeMachinesFromTheirTables) {
    auto tables = machine_tables();
    ASSERT_EQ(tables.size(), 3u);
    EXPECT_EQ(tables[0].rows, bidilab::model::InitiatingStream::transition_table());
    EXPECT_EQ(tables[1].rows, bidilab::model::ReceivingStream::transition_table());
    EXPECT_EQ(tables[2].rows, bidilab::model::pair_auth_table());
    EXPECT_EQ(tables[0].initial, "AwaitingConnection");
    EXPECT_EQ(tables[1].initial, "AwaitingStreamOpen");
    EXPECT_EQ(tables[2].initial, "Idle");
}

// A row from one state to another is an edge; a row back to its own state is
// an internal transition listed inside that state (no stacked loops).
TEST(MachineDiagram, EveryRowIsAnEdgeOrAnInternalTransition) {
    for (const auto& t : machine_tables()) {
        ASSERT_FALSE(t.rows.empty()) << t.name;
        const auto d = bidilab::viz::machine_diagram(t);
        const auto loops = static_cast<std::size_t>(
            std::count_if(t.rows.begin(), t.rows.end(), [](const auto& r) { return r.source == r.target; }));
        EXPECT_EQ(boost::num_edges(d), t.rows.size() - loops) << t.name;
        std::multiset<std::string> edges, internal;
        for (auto [it, end] = boost::edges(d); it != end; ++it) {
            EXPECT_NE(boost::source(*it, d), boost::target(*it, d)) << t.name << ": a loop is drawn";
            edges.insert(d[boost::source(*it, d)].label + " -> " + d[boost::target(*it, d)].label + ": " + d[*it].label);
        }
        for (std::size_t v = 0; v < boost::num_vertices(d); ++v)
            for (const auto& x : d[v].internal) internal.insert(d[v].label + ": " + x);
        const std::string dot = bidilab::viz::machine_dot(t);
        for (const auto& r : t.rows) {
            const std::string label = bidilab::viz::row_label(r);
            const auto n = static_cast<std::size_t>(std::count(t.rows.begin(), t.rows.end(), r));
            if (r.source == r.target) {
                EXPECT_EQ(internal.count(r.source + ": " + label), n) << t.name << ": " << label;
                EXPECT_NE(dot.find(label), std::string::npos) << t.name << ": " << label;
            } else {
                EXPECT_EQ(edges.count(r.source + " -> " + r.target + ": " + label), n) << t.name << ": " << label;
                EXPECT_NE(dot.find("[label=" + bidilab::viz::dot_quote(label) + "]"), std::string::npos)
                    << t.name << ": " << label;
            }
            EXPECT_NE(dot.find(bidilab::viz::dot_quote(r.source).substr(0, r.source.size() + 1)), std::string::npos)
                << r.source;
        }
    }
}

TEST(MachineDiagram, RowLabels) {
    EXPECT_EQ(bidilab::viz::row_label({"A", "StreamFeatures", "B", "SendStartTls", "ChoosesStartTls"}),
              "StreamFeatures [ChoosesStartTls] / SendStartTls");
    EXPECT_EQ(bidilab::viz::row_label({"A", "Proceed", "B", "none", "none"}), "Proceed");
    EXPECT_EQ(bidilab::viz::row_label({"A", "Stanza", "B", "none", "PeerMaySend"}), "Stanza [PeerMaySend]");
}

TEST(MachineDiagram, ClosedIsTerminalAndTheInitialStateIsMarked) {
    auto t = machine_tables()[0];
    const auto d = bidilab::viz::machine_diagram(t);
    for (std::size_t v = 0; v < boost::num_vertices(d); ++v) {
        EXPECT_EQ(d[v].terminal, d[v].label == "Closed") << d[v].label;
        EXPECT_EQ(d[v].initial, d[v].label == "AwaitingConnection") << d[v].label;
    }
}

TEST(MachineDiagram, TextTableHasEveryRow) {
    for (const auto& t : machine_tables()) {
        const std::string text = bidilab::viz::machine_table_text(t);
        std::size_t lines = std::count(text.begin(), text.end(), '\n');
        EXPECT_EQ(lines, t.rows.size() + 2) << t.name;  // title, header, rows
        for (const auto& r : t.rows) {
            EXPECT_NE(text.find(r.event), std::string::npos);
            EXPECT_NE(text.find(r.action), std::string::npos);
        }
    }
}

}  // namespace
