// The distributed search (sim/distributed_explorer.hpp) on ranks that are
// threads of this process (thread_exchange.hpp): for every rank count, the
// report one process gives, states, transitions, numbering (so traces),
// verdicts and outcomes; and the level numbering on its own.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <random>
#include <string>

#include "sim/distributed_explorer.hpp"
#include "sim/explorer.hpp"
#include "sim/thread_exchange.hpp"
#include "sim/toy_models.hpp"

namespace {

using test_support::on_ranks;

// What must be the same as one process's report (memory, time and the
// count of second searches aside).
void expect_same_search(const sim::Report& one, const sim::Report& ranks, const std::string& what, bool rank0) {
    EXPECT_EQ(one.complete, ranks.complete) << what;
    EXPECT_EQ(one.stopped_by, ranks.stopped_by) << what;
    EXPECT_EQ(one.states, ranks.states) << what;
    EXPECT_EQ(one.transitions, ranks.transitions) << what;
    EXPECT_EQ(one.depth, ranks.depth) << what;
    if (rank0) {
        EXPECT_EQ(one.outcomes, ranks.outcomes) << what;
    }
    ASSERT_EQ(one.properties.size(), ranks.properties.size()) << what;
    for (std::size_t p = 0; p < one.properties.size(); ++p) {
        // Off rank 0, an `eventually` that needed a second search is rank 0's to report.
        if (!rank0 && one.properties[p].kind == sim::Kind::Eventually && ranks.properties[p].status == sim::Status::Unknown)
            continue;
        EXPECT_EQ(one.properties[p].status, ranks.properties[p].status) << what << ": " << one.properties[p].name;
        EXPECT_EQ(one.properties[p].trace, ranks.properties[p].trace) << what << ": " << one.properties[p].name;
    }
}

template <class M>
void expect_as_one_process(const M& model, const std::string& name, sim::ExploreOptions options = {}) {
    options.eventually_graph_states = 0;  // by levels, as the ranks decide `eventually`
    const sim::Report one = sim::Explorer<M>(model, options).run();
    for (unsigned ranks = 1; ranks <= 4; ++ranks) {
        const auto reports = on_ranks<sim::Report>(ranks, [&](sim::Exchange& net) {
            return sim::DistributedExplorer<M>(model, options, net).run();
        });
        for (unsigned r = 0; r < ranks; ++r) {
            const std::string what = name + " on " + std::to_string(ranks) + " ranks, rank " + std::to_string(r);
            expect_same_search(one, reports[r], what, r == 0);
            EXPECT_EQ(reports[r].ranks, ranks) << what;
        }
    }
}

}  // namespace

TEST(LevelNumbering, PositionsAreTheKeysOrderAcrossRanks) {
    std::mt19937_64 random(7);
    for (unsigned ranks = 1; ranks <= 5; ++ranks) {
        // 300 keys over parents [1000, 1040), dealt to the ranks at random.
        std::vector<std::uint64_t> all;
        for (std::uint32_t parent = 1000; parent < 1040; ++parent)
            for (std::uint32_t action = 0; action < 9; ++action)
                if (random() % 4 != 0) all.push_back(sim::level_key(parent, action));
        std::vector<std::vector<std::uint64_t>> dealt(ranks);
        for (auto k : all) dealt[random() % ranks].push_back(k);
        for (auto& d : dealt) std::shuffle(d.begin(), d.end(), random);
        const auto positions = on_ranks<std::vector<std::uint64_t>>(ranks, [&](sim::Exchange& net) {
            std::uint64_t total = 0;
            auto p = sim::rank_keys(net, dealt[net.rank()], 1000, 40, total);
            EXPECT_EQ(total, all.size());
            return p;
        });
        std::vector<std::uint64_t> sorted = all;
        std::sort(sorted.begin(), sorted.end());
        for (unsigned r = 0; r < ranks; ++r) {
            ASSERT_EQ(positions[r].size(), dealt[r].size());
            for (std::size_t i = 0; i < dealt[r].size(); ++i)
                EXPECT_EQ(sorted.at(positions[r][i]), dealt[r][i]) << ranks << " ranks";
        }
    }
}

TEST(LevelNumbering, AKeyOutsideItsParentsRangeIsRefused) {
    sim::SingleExchange net;
    std::uint64_t total = 0;
    EXPECT_THROW(sim::rank_keys(net, {sim::level_key(5, 0)}, 6, 3, total), std::logic_error);
}

TEST(Distributed, ToyModelsAsOneProcess) {
    expect_as_one_process(toy::Grid{6, 4}, "grid");
    expect_as_one_process(toy::Grid{6, 4, 3, 2}, "grid with a violation");  // always violated, with its trace
    // Edges back within a level (a diagonal and two steps reach one state):
    // `eventually` is decided by the ranks over their kept edges: it holds.
    expect_as_one_process(toy::Grid{6, 4, -1, -1, true}, "grid with diagonals");
    expect_as_one_process(toy::Ring{4, 2}, "ring with an exit");             // loops: a second search
    expect_as_one_process(toy::Ring{4, -1}, "ring without exit");            // eventually violated by a loop
    expect_as_one_process(toy::Pair{3, 1}, "pair with a deadlock");
    expect_as_one_process(toy::Pair{4, -1, true}, "pair with a jump");       // a step property violated
    expect_as_one_process(toy::Tree{11}, "tree");                            // 4,095 states over 12 levels
}

TEST(Distributed, LimitsAsOneProcess) {
    sim::ExploreOptions depth;
    depth.max_depth = 5;
    expect_as_one_process(toy::Grid{6, 4}, "grid to depth 5", depth);
    depth.check_deadlock = false;
    expect_as_one_process(toy::Pair{3, 1}, "pair without the deadlock check", depth);
    // A state limit cuts a level: at most that many states, and the run says so.
    sim::ExploreOptions states;
    states.max_states = 100;
    for (unsigned ranks = 1; ranks <= 3; ++ranks) {
        const auto reports = on_ranks<sim::Report>(ranks, [&](sim::Exchange& net) {
            return sim::DistributedExplorer<toy::Tree>(toy::Tree{11}, states, net).run();
        });
        for (const auto& r : reports) {
            EXPECT_FALSE(r.complete);
            EXPECT_EQ(r.stopped_by, "max-states");
            EXPECT_EQ(r.states, 100u);
            EXPECT_EQ(r.verdict(), sim::Verdict::Incomplete);
        }
    }
    // The stop flag (Ctrl-C) on one rank stops them all.
    for (unsigned ranks = 1; ranks <= 3; ++ranks) {
        std::atomic<bool> stop{true}, go{false};
        const auto reports = on_ranks<sim::Report>(ranks, [&](sim::Exchange& net) {
            sim::ExploreOptions o;
            o.stop = net.rank() == ranks - 1 ? &stop : &go;
            return sim::DistributedExplorer<toy::Tree>(toy::Tree{11}, o, net).run();
        });
        for (const auto& r : reports) {
            EXPECT_FALSE(r.complete);
            EXPECT_EQ(r.stopped_by, "interrupted");
        }
    }
}

// Where edges go back within a level, one process searches `eventually`
// again; the ranks decide it over the edges they kept (no search), and a
// P-free loop is still found (then searched on rank 0 for its trace).
TEST(Distributed, EventuallyDecidedByTheRanksWhereEdgesGoBack) {
    sim::ExploreOptions levels;
    levels.eventually_graph_states = 0;
    const toy::Grid grid{6, 4, -1, -1, true};
    EXPECT_EQ(sim::Explorer<toy::Grid>(grid, levels).run().eventually_searches, 1u);
    for (unsigned ranks = 1; ranks <= 3; ++ranks) {
        const auto reports = on_ranks<sim::Report>(ranks, [&](sim::Exchange& net) {
            return sim::DistributedExplorer<toy::Grid>(grid, levels, net).run();
        });
        EXPECT_EQ(reports[0].eventually_searches, 0u) << ranks << " ranks";
        EXPECT_EQ(reports[0].find("reach-end")->status, sim::Status::Holds) << ranks << " ranks";
        const auto loop = on_ranks<sim::Report>(ranks, [&](sim::Exchange& net) {
            return sim::DistributedExplorer<toy::Ring>(toy::Ring{4, 2}, levels, net).run();
        });
        EXPECT_EQ(loop[0].eventually_searches, 1u) << ranks << " ranks";
        EXPECT_EQ(loop[0].find("eventually-done")->status, sim::Status::Violated) << ranks << " ranks";
    }
}

// Progress on one rank only (as check prints it on rank 0): every rank takes
// the same collective steps, so none waits for another and the counts agree.
TEST(Distributed, ProgressOnOneRankOnly) {
    for (unsigned ranks = 2; ranks <= 3; ++ranks) {
        const auto reports = on_ranks<sim::Report>(ranks, [&](sim::Exchange& net) {
            sim::ExploreOptions o;
            if (net.rank() == 0) o.on_progress = [](const sim::Progress&) {};
            return sim::DistributedExplorer<toy::Tree>(toy::Tree{11}, o, net).run();
        });
        for (const auto& r : reports) {
            EXPECT_TRUE(r.complete);
            EXPECT_EQ(r.states, 4095u);
            EXPECT_EQ(r.transitions, 4094u);
        }
    }
}
