// Connections as a set (model/world.hpp, put_in_canonical_order): the
// reduction is sound by construction, and shown here. On every shipped
// topology and mutant, and on seeded random topologies:
// - every state a transition leads into has the signature of its class's
//   first state (the same property values, the same successor classes with
//   the same step verdicts): "same fingerprint" is a bisimulation;
// - every property gets the same verdict with the reduction on and off.
#include <gtest/gtest.h>

#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "properties/catalogue.hpp"
#include "sim/bisimulation.hpp"
#include "sim/explorer.hpp"
#include "support/library.hpp"
#include "support/quirk_names.hpp"
#include "support/random_topology.hpp"
#include "support/same_report.hpp"
#include "topologies/topology.hpp"

namespace bidilab::properties {
namespace {

namespace fs = std::filesystem;

CheckedModel model_of(const topologies::Topology& t, model::Symmetry s) {
    CheckedModel m(model::make_scenario(t));
    m.set_symmetry(s);
    return m;
}

using test_support::verdicts;

class ShippedTopology : public ::testing::TestWithParam<std::string> {};

TEST_P(ShippedTopology, MergedStatesAreBisimilar) {
    const auto t = test_support::load_library_topology(GetParam());
    const auto m = model_of(t, model::Symmetry::Connections);
    const auto r = sim::check_bisimulation(m);
    ASSERT_FALSE(r.mismatch) << t.name << ": " << *r.mismatch;
    EXPECT_TRUE(r.complete);
    // It walked exactly the states `check` counts.
    EXPECT_EQ(r.classes, sim::Explorer<CheckedModel>(m).run().states) << t.name;
    std::cout << "bisimulation: " << t.name << ": " << r.classes << " classes, " << r.members
              << " members compared, " << r.differing << " of them concretely different\n";
}

TEST_P(ShippedTopology, SameVerdictsWithAndWithoutConnectionSymmetry) {
    const auto t = test_support::load_library_topology(GetParam());
    const auto on = sim::Explorer<CheckedModel>(model_of(t, model::Symmetry::Connections)).run();
    const auto off = sim::Explorer<CheckedModel>(model_of(t, model::Symmetry::StreamIds)).run();
    ASSERT_TRUE(on.complete && off.complete);
    EXPECT_EQ(verdicts(on), verdicts(off)) << t.name;
    EXPECT_LE(on.states, off.states) << t.name;
    std::cout << "symmetry: " << t.name << ": " << off.states << " -> " << on.states << " states\n";
}

// `eventually` decided level by level (and by a second search where an edge
// goes back), or on a graph kept for the first states and then dropped,
// gives the verdicts and traces of the check on the graph kept throughout.
TEST_P(ShippedTopology, EventuallyByLevelsAsOnTheKeptGraph) {
    const auto t = test_support::load_library_topology(GetParam());
    const auto m = model_of(t, model::Symmetry::Connections);
    sim::ExploreOptions graph, levels, dropped;
    graph.keep_graph = true;
    levels.eventually_graph_states = 0;
    dropped.eventually_graph_states = 40;  // past the first 40 states, the levels
    const auto by_graph = sim::Explorer<CheckedModel>(m, graph).run();
    for (const auto& options : {levels, dropped}) {
        const auto r = sim::Explorer<CheckedModel>(m, options).run();
        EXPECT_EQ(verdicts(r), verdicts(by_graph)) << t.name;
        const bool dropped = options.eventually_graph_states != 0 && r.states > options.eventually_graph_states;
        EXPECT_EQ(r.memory.edges_dropped, dropped) << t.name;
        if (dropped || options.eventually_graph_states == 0) {
            EXPECT_EQ(r.memory.edges, 0u) << t.name;
        }
        for (std::size_t p = 0; p < by_graph.properties.size(); ++p) {
            if (by_graph.properties[p].kind != sim::Kind::Eventually) continue;
            const auto& a = by_graph.properties[p].trace;
            const auto& b = r.properties[p].trace;
            ASSERT_EQ(a.has_value(), b.has_value()) << t.name;
            if (a) {
                EXPECT_EQ(a->actions, b->actions) << t.name;
                EXPECT_EQ(a->loop_start, b->loop_start) << t.name;
            }
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Library, ShippedTopology, ::testing::ValuesIn(test_support::library_files()),
                         test_support::library_test_name);

// The merge finds something to merge: across the library, states that differ
// concretely (another opening order, other ids) are taken as one.
TEST(ConnectionSymmetry, MergesStatesOpenedInAnotherOrder) {
    const auto t = test_support::load_library_topology(topologies::shipped_topologies_dir() / "three-servers-muc.json");
    const auto r = sim::check_bisimulation(model_of(t, model::Symmetry::Connections));
    ASSERT_FALSE(r.mismatch) << *r.mismatch;
    EXPECT_GT(r.differing, 0u);
    const auto on = sim::Explorer<CheckedModel>(model_of(t, model::Symmetry::Connections)).run();
    const auto off = sim::Explorer<CheckedModel>(model_of(t, model::Symmetry::StreamIds)).run();
    EXPECT_LT(on.states * 4, off.states);  // 8.9x today
}

// Seeded random topologies, with and without a quirk: the same verdicts with
// and without the reduction, and bisimilar merges.
TEST(ConnectionSymmetry, RandomTopologies) {
    const std::vector<std::string> quirks = test::quirk_names();
    int checked = 0;
    for (std::uint64_t seed = 1; seed <= 60; ++seed) {
        const auto t = test::RandomTopology(seed).make(quirks);
        try {
            topologies::validate_topology(t, topologies::LoadOptions::with_known_quirks(quirk_names()));
        } catch (const std::exception& e) {
            ADD_FAILURE() << "seed " << seed << " made a bad topology: " << e.what();
            continue;
        }
        sim::ExploreOptions o;
        o.max_states = 200000;
        const auto on = sim::Explorer<CheckedModel>(model_of(t, model::Symmetry::Connections), o).run();
        const auto off = sim::Explorer<CheckedModel>(model_of(t, model::Symmetry::StreamIds), o).run();
        if (!on.complete || !off.complete) continue;
        ++checked;
        EXPECT_EQ(verdicts(on), verdicts(off)) << "seed " << seed;
        const auto b = sim::check_bisimulation(model_of(t, model::Symmetry::Connections));
        EXPECT_FALSE(b.mismatch) << "seed " << seed << ": " << *b.mismatch;
    }
    EXPECT_GE(checked, 50);
}

}  // namespace
}  // namespace bidilab::properties
