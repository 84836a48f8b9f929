// Checkpoints on the protocol model (sim/explorer_checkpoint.hpp, with the
// model's codec for the queued worlds): on every shipped topology and
// mutant, `check`'s search (partial order and connection symmetry on) cut
// into parts, each saved and resumed, ends with exactly the report of one
// uninterrupted run: states, transitions, every verdict and trace, final
// states by outcome, every memory part; on two threads too. Depth-first and `eventually` by
// levels too on the smaller ones; and a mutant whose violation is found
// only after a resume.
#include <gtest/gtest.h>

#include <string>
#include <unistd.h>

#include "properties/catalogue.hpp"
#include "sim/explorer.hpp"
#include "support/library.hpp"
#include "support/run_in_parts.hpp"
#include "support/same_report.hpp"
#include "support/temp_files.hpp"
#include "topologies/topology.hpp"

namespace bidilab::properties {
namespace {

// One file per process: ctest runs the tests of the library side by side.
std::string checkpoint_file() { return test_support::temp_path("bidilab-library-" + std::to_string(getpid()) + ".ckpt"); }

sim::ExploreOptions check_options(sim::Order order = sim::Order::BreadthFirst) {
    sim::ExploreOptions o;
    o.order = order;
    o.partial_order = true;
    return o;
}

// On threads the levels' stores hold what the frontier holds on one: their
// bytes depend on which thread stored what (sim/level_store.hpp), so the
// frontier's peak is not compared there.
void expect_resumable(const CheckedModel& m, const sim::ExploreOptions& o, int parts, const std::string& what) {
    const sim::Report whole = sim::Explorer<CheckedModel>(m, o).run();
    const std::uint64_t every = whole.states / static_cast<std::uint64_t>(parts) + 1;
    const auto cut = test_support::run_in_parts(m, o, every, checkpoint_file());
    if (whole.states > every) {
        EXPECT_GT(cut.runs, 1) << what;
    }
    test_support::expect_same_report(whole, cut.report, what, o.threads == 1);
}

class CheckpointLibrary : public ::testing::TestWithParam<std::string> {};

TEST_P(CheckpointLibrary, AResumedCheckIsTheUninterruptedCheck) {
    const auto t = test_support::load_library_topology(GetParam());
    CheckedModel m(model::make_scenario(t));
    m.set_symmetry(model::Symmetry::Connections);
    expect_resumable(m, check_options(), 4, t.name + " (breadth-first)");
    // Two threads: checkpoints between two levels, the level's states put
    // back into the frontier (sim/level_search.hpp).
    sim::ExploreOptions two = check_options();
    two.threads = 2;
    expect_resumable(m, two, 4, t.name + " (two threads)");
    const sim::Report whole = sim::Explorer<CheckedModel>(m, check_options()).run();
    if (whole.states > 20000) return;
    expect_resumable(m, check_options(sim::Order::DepthFirst), 3, t.name + " (depth-first)");
    sim::ExploreOptions levels = check_options();
    levels.eventually_graph_states = 0;
    expect_resumable(m, levels, 3, t.name + " (eventually by levels)");
}

INSTANTIATE_TEST_SUITE_P(Library, CheckpointLibrary, ::testing::ValuesIn(test_support::library_files()),
                         test_support::library_test_name);

TEST(Checkpoint, AMutantsViolationFoundAfterTheResume) {
    const auto t = test_support::load_library_topology(topologies::shipped_topologies_dir() / "mutants" /
                                                       "conflict-on-duplicate.json");
    CheckedModel m(model::make_scenario(t));
    const sim::Report whole = sim::Explorer<CheckedModel>(m, check_options()).run();
    const sim::PropertyResult* violated = whole.find("conflict-loses-no-stanza");
    ASSERT_NE(violated, nullptr);
    ASSERT_EQ(violated->status, sim::Status::Violated);
    const auto cut = test_support::run_in_parts(m, check_options(), 10, checkpoint_file());
    EXPECT_EQ(cut.first.find("conflict-loses-no-stanza")->status, sim::Status::Unknown) << "found in the first part";
    EXPECT_GT(cut.runs, 2);
    test_support::expect_same_report(whole, cut.report, t.name);
}

}  // namespace
}  // namespace bidilab::properties
