// Threads (sim/explorer.hpp, `threads`; sim/level_search.hpp) on the protocol
// model: on every shipped topology and mutant, `check`'s search on 2, 3 and
// 4 threads gives exactly the report of one thread (states and their
// numbering, transitions, every verdict and trace, final states by outcome,
// every memory part but the frontier's peak), with partial order on and
// off; and a checkpoint taken on 3 threads resumes on 1 (and the other way)
// to the same report.
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

sim::Report explore(const CheckedModel& m, unsigned threads, bool partial_order) {
    sim::ExploreOptions o;
    o.partial_order = partial_order;
    o.threads = threads;
    return sim::Explorer<CheckedModel>(m, o).run();
}

class ThreadsLibrary : public ::testing::TestWithParam<std::string> {};

TEST_P(ThreadsLibrary, EveryThreadCountGivesTheOneThreadReport) {
    const auto t = test_support::load_library_topology(GetParam());
    const CheckedModel m(model::make_scenario(t));
    for (bool por : {true, false}) {
        const sim::Report one = explore(m, 1, por);
        if (!por && one.states > 200000) continue;  // the full space of example5: covered with partial order
        EXPECT_EQ(one.threads, 1u);
        for (unsigned threads : {2u, 3u, 4u}) {
            const sim::Report more = explore(m, threads, por);
            EXPECT_EQ(more.threads, threads);
            test_support::expect_same_report(one, more, t.name + (por ? "" : " --por off") + " on " +
                                                            std::to_string(threads) + " threads", false);
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Library, ThreadsLibrary, ::testing::ValuesIn(test_support::library_files()),
                         test_support::library_test_name);

TEST(Threads, ACheckpointResumesOnAnotherThreadCount) {
    const std::string file = test_support::temp_path("bidilab-threads-" + std::to_string(getpid()) + ".ckpt");
    for (const char* name : {"three-servers-muc.json", "mutants/conflict-on-duplicate.json"}) {
        const auto t = test_support::load_library_topology(topologies::shipped_topologies_dir() / name);
        const CheckedModel m(model::make_scenario(t));
        sim::ExploreOptions o;
        o.partial_order = true;
        const sim::Report whole = sim::Explorer<CheckedModel>(m, o).run();
        // Every part on 3 threads: each checkpoint is taken between two levels.
        o.threads = 3;
        const auto parts = test_support::run_in_parts(m, o, whole.states / 5 + 1, file);
        EXPECT_GT(parts.runs, 2) << t.name;
        test_support::expect_same_report(whole, parts.report, t.name + " in parts on 3 threads", false);
        // Cut on 3 threads, resumed on 1.
        std::atomic<bool> stop{false};
        o.stop = &stop;
        o.checkpoint_file = file;
        o.checkpoint_expansions = whole.states / 3;
        o.on_checkpoint = [&](const sim::CheckpointNote&) { stop = true; };
        ASSERT_EQ(sim::Explorer<CheckedModel>(m, o).run().stopped_by, "interrupted") << t.name;
        sim::ExploreOptions resume;
        resume.partial_order = true;
        resume.resume_file = resume.checkpoint_file = file;
        test_support::expect_same_report(whole, sim::Explorer<CheckedModel>(m, resume).run(),
                                         t.name + " cut on 3 threads, resumed on 1", false);
    }
}

}  // namespace
}  // namespace bidilab::properties
