// sim/level_search.hpp: the search on threads, a level at a time, is one
// thread's search at every place it can stop: the limits on states and on
// depth inside a level, a stop inside a level (dropped, its states back in
// the frontier, resumed from the checkpoint to the uninterrupted report), and
// a one-thread checkpoint from inside a level resumed on threads.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

#include "sim/explorer.hpp"
#include "sim/level_claims.hpp"
#include "support/same_report.hpp"
#include "support/temp_files.hpp"
#include "toy_models.hpp"

namespace {

using toy::Grid;

sim::Report explore(const Grid& g, unsigned threads, std::uint64_t max_states = 0, std::uint32_t max_depth = 0) {
    sim::ExploreOptions o;
    o.threads = threads;
    o.max_states = max_states;
    o.max_depth = max_depth;
    return sim::Explorer<Grid>(g, o).run();
}

Grid wide_grid() {
    Grid g{60, 60};
    g.diagonal = true;  // edges to this level and the one before: C3-like revisits, unequal paths
    g.target_x = 40, g.target_y = 45;
    return g;
}

TEST(LevelSearch, EveryLimitOnStatesStopsWhereOneThreadStops) {
    const Grid g = wide_grid();
    const sim::Report whole = explore(g, 1);
    ASSERT_TRUE(whole.complete);
    for (std::uint64_t max : std::vector<std::uint64_t>{1, 2, 7, 100, 1000, 1001, 2500, whole.states - 1, whole.states}) {
        const sim::Report one = explore(g, 1, max);
        for (unsigned threads : {2u, 3u})
            test_support::expect_same_report(one, explore(g, threads, max),
                                             "max-states " + std::to_string(max) + ", " + std::to_string(threads) +
                                                 " threads",
                                             false);
    }
}

TEST(LevelSearch, EveryLimitOnDepthStopsWhereOneThreadStops) {
    const Grid g = wide_grid();
    for (std::uint32_t depth : {1u, 5u, 30u, 59u, 60u, 61u, 119u, 120u})
        test_support::expect_same_report(explore(g, 1, 0, depth), explore(g, 2, 0, depth),
                                         "max-depth " + std::to_string(depth), false);
}

// `eventually` decided on the kept graph and by levels (with its second
// search where an edge goes back: the ring's loop, the diagonal grid's edges
// within a level), dead ends and final states, on 2 and 3 threads.
template <class M>
void expect_one_threads_report(const M& m, const std::string& what) {
    // Kept, never kept, and dropped inside a level (17 and 1000 states).
    for (const std::uint64_t graph_states : std::vector<std::uint64_t>{1u << 19, 0, 17, 1000}) {
        sim::ExploreOptions o;
        o.eventually_graph_states = graph_states;
        o.require_witnesses = false;
        const sim::Report one = sim::Explorer<M>(m, o).run();
        for (unsigned threads : {2u, 3u}) {
            o.threads = threads;
            const std::string where = what + ", graph kept for " + std::to_string(graph_states) + " states, " +
                                      std::to_string(threads) + " threads";
            test_support::expect_same_report(one, sim::Explorer<M>(m, o).run(), where, false);
        }
    }
}

TEST(LevelSearch, EveryToyModelGivesOneThreadsReport) {
    expect_one_threads_report(wide_grid(), "diagonal grid");
    Grid plain{30, 20};
    plain.target_x = 3, plain.target_y = 19;
    expect_one_threads_report(plain, "grid");
    expect_one_threads_report(toy::Ring{40, 17}, "ring with an exit");
    expect_one_threads_report(toy::Ring{40, -1}, "ring");
    toy::Pair stuck{20};
    stuck.stuck_at = 7;
    expect_one_threads_report(stuck, "pair, stuck");
    // Levels whose claim table is not complete (too full, and keys past its
    // packing) and levels whose is, in one run.
    expect_one_threads_report(toy::Fan{}, "fan past the claim table's packing");
}

// The grid, and after `stop_after` steps the stop flag (a Ctrl-C that comes
// while the threads expand a level).
struct StoppingGrid : Grid {
    std::atomic<bool>* stop = nullptr;
    std::atomic<int>* steps = nullptr;
    int stop_after = 0;
    explicit StoppingGrid(Grid g) : Grid(g) {}
    std::optional<State> next_state(const State& s, Action a) const {
        if (steps->fetch_add(1) + 1 == stop_after) stop->store(true);
        return Grid::next_state(s, a);
    }
    std::vector<sim::Property<StoppingGrid>> properties() const {
        return {sim::always<StoppingGrid>("avoid-target", {"TOY-1"},
                                          [](const StoppingGrid& m, const State& s) {
                                              return !(s.x == m.target_x && s.y == m.target_y);
                                          }),
                sim::eventually<StoppingGrid>("reach-end", {"TOY-3"},
                                              [](const StoppingGrid& m, const State& s) { return s.x == m.w && s.y == m.h; })};
    }
};

TEST(LevelSearch, AStopInsideALevelDropsItAndTheCheckpointResumesToTheWholeRun) {
    const std::string file = test_support::temp_path("bidilab-levels-" + std::to_string(getpid()) + ".ckpt");
    std::atomic<bool> stop{false};
    std::atomic<int> steps{0};
    StoppingGrid g(wide_grid());
    g.stop = &stop, g.steps = &steps;
    g.stop_after = 1 << 30;
    sim::ExploreOptions o;
    o.threads = 2;
    const sim::Report whole = sim::Explorer<StoppingGrid>(g, o).run();
    ASSERT_TRUE(whole.complete);
    for (int after : {3000, 6000, 9001}) {
        stop = false, steps = 0;
        g.stop_after = after;
        sim::ExploreOptions cut = o;
        cut.stop = &stop;
        cut.checkpoint_file = file;
        const sim::Report first = sim::Explorer<StoppingGrid>(g, cut).run();
        EXPECT_EQ(first.stopped_by, "interrupted") << after;
        EXPECT_FALSE(first.complete) << after;
        ASSERT_TRUE(first.checkpoint.has_value()) << after;
        // Nothing of the level being expanded was kept: the states are those
        // of whole levels ((d + 1)^2 once level d is found: the diagonal
        // reaches (x, y) in max(x, y) steps), found with fewer transitions
        // than the steps taken before the stop.
        const auto side = static_cast<std::uint64_t>(std::llround(std::sqrt(double(first.states))));
        EXPECT_EQ(side * side, first.states) << after;
        EXPECT_LT(first.transitions, static_cast<std::uint64_t>(after)) << after;
        stop = false;
        g.stop_after = 1 << 30;
        for (unsigned threads : {1u, 2u}) {
            sim::ExploreOptions resume;
            resume.threads = threads;
            resume.resume_file = file;
            test_support::expect_same_report(whole, sim::Explorer<StoppingGrid>(g, resume).run(),
                                             "stopped after " + std::to_string(after) + " steps, resumed on " +
                                                 std::to_string(threads),
                                             false);
        }
    }
    std::remove(file.c_str());
}

TEST(LevelSearch, AOneThreadCheckpointInsideALevelResumesOnThreads) {
    const std::string file = test_support::temp_path("bidilab-levels-one-" + std::to_string(getpid()) + ".ckpt");
    const Grid g = wide_grid();
    const sim::Report whole = explore(g, 1);
    std::atomic<bool> stop{false};
    sim::ExploreOptions o;
    o.stop = &stop;
    o.checkpoint_file = file;
    o.checkpoint_expansions = 1000;  // level d ends at (d + 1)^2 expansions: not at 1000
    o.on_checkpoint = [&](const sim::CheckpointNote&) { stop = true; };
    ASSERT_EQ(sim::Explorer<Grid>(g, o).run().stopped_by, "interrupted");
    for (unsigned threads : {2u, 3u}) {
        sim::ExploreOptions resume;
        resume.threads = threads;
        resume.resume_file = file;
        test_support::expect_same_report(whole, sim::Explorer<Grid>(g, resume).run(),
                                         "resumed on " + std::to_string(threads), false);
    }
    std::remove(file.c_str());
}

TEST(LevelClaims, AStoredStateServesOnlyTransitionsAfterItsOwn) {
    sim::LevelClaims c;
    c.reset(100);
    std::uint32_t thread = 9, number = 9;
    EXPECT_FALSE(c.find(7, 5, 3, thread, number)) << "nothing offered yet";
    c.offer(7, 5, 2, 1, 40);
    ASSERT_TRUE(c.find(7, 5, 3, thread, number));
    EXPECT_EQ(thread, 1u);
    EXPECT_EQ(number, 40u);
    EXPECT_FALSE(c.find(7, 5, 2, thread, number)) << "its own transition";
    EXPECT_FALSE(c.find(7, 4, 9, thread, number)) << "a parent before";
    c.offer(7, 3, 0, 0, 4);  // a smaller key replaces it
    c.offer(7, 6, 0, 2, 5);  // a larger one does not
    ASSERT_TRUE(c.find(7, 5, 3, thread, number));
    EXPECT_EQ(thread, 0u);
    EXPECT_EQ(number, 4u);
    EXPECT_FALSE(c.find(8, 5, 3, thread, number)) << "another state";
    c.offer(9, 1, 5000, 0, 1);  // an action past the packing: not shared
    EXPECT_FALSE(c.find(9, 2, 0, thread, number));
    c.reset(100);
    EXPECT_FALSE(c.find(7, 5, 3, thread, number)) << "forgotten between levels";
}

TEST(LevelClaims, ACompleteTableKnowsTheFirstTransitionToEachState) {
    sim::LevelClaims c;
    c.reset(100);
    EXPECT_TRUE(c.complete()) << "nothing lost yet";
    c.offer(7, 5, 2, 1, 40);
    c.offer(7, 3, 9, 0, 4);
    c.offer(8, 6, 1, 1, 41);
    ASSERT_TRUE(c.complete());
    std::uint32_t thread = 9, number = 9;
    EXPECT_TRUE(c.least(7, 3, 9, thread, number)) << "the least key";
    EXPECT_FALSE(c.least(7, 5, 2, thread, number)) << "a later one";
    EXPECT_EQ(thread, 0u);
    EXPECT_EQ(number, 4u);
    EXPECT_FALSE(c.least(7, 6, 0, thread, number)) << "one that found it stored";
    EXPECT_EQ(number, 4u);
    EXPECT_TRUE(c.least(8, 6, 1, thread, number));
    EXPECT_THROW(c.least(9, 1, 1, thread, number), std::logic_error) << "a state nobody offered";
    c.offer(10, 1, 5000, 0, 1);  // an action past the packing
    EXPECT_FALSE(c.complete());
    c.reset(100);
    EXPECT_TRUE(c.complete()) << "a new level";
    for (std::uint64_t fp = 1; fp <= 1024; ++fp) c.offer(fp, 0, 0, 0, 1);  // past three quarters of 1,024 slots
    EXPECT_FALSE(c.complete()) << "a table too full to keep every offer";
}

TEST(LevelClaims, ThreadsOfferingAtOnceLeaveTheLeastKey) {
    sim::LevelClaims c;
    c.reset(20000);
    std::vector<std::thread> threads;
    for (std::uint32_t t = 0; t < 4; ++t)
        threads.emplace_back([&c, t] {
            for (std::uint64_t fp = 1; fp <= 10000; ++fp)  // thread t offers at position (fp * 7 + t * 13) % 97
                c.offer(fp, static_cast<std::uint32_t>((fp * 7 + t * 13) % 97), 0, t, static_cast<std::uint32_t>(fp));
        });
    for (auto& t : threads) t.join();
    for (std::uint64_t fp = 1; fp <= 10000; ++fp) {
        std::uint32_t least = 0;
        for (std::uint32_t t = 1; t < 4; ++t)
            if ((fp * 7 + t * 13) % 97 < (fp * 7 + least * 13) % 97) least = t;
        std::uint32_t thread = 0, number = 0;
        ASSERT_TRUE(c.find(fp, 1000, 0, thread, number)) << fp;
        EXPECT_EQ(thread, least) << fp;
        EXPECT_EQ(number, fp) << fp;
    }
}

}  // namespace
