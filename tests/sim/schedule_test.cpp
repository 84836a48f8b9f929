// sim/schedule.hpp: a list of action descriptions as a trace, and the error
// that names the first entry no enabled action matches.
#include "sim/schedule.hpp"

#include <gtest/gtest.h>

#include "sim/simulator.hpp"
#include "toy_models.hpp"

using toy::Grid;
using toy::Pair;

TEST(Schedule, DescriptionsBecomeTheIndexTrace) {
    Grid g{2, 2};
    const sim::Trace t = sim::schedule_trace(g, {"right", "up", "up", "right"});
    EXPECT_EQ(t.initial, 0u);
    EXPECT_EQ(t.actions, (std::vector<std::uint32_t>{0, 1, 1, 0}));
    const auto r = sim::replay(g, t);
    ASSERT_EQ(r.steps.size(), 4u);
    EXPECT_EQ(r.steps.back().state.x, 2);
    EXPECT_EQ(r.steps.back().state.y, 2);
}

TEST(Schedule, EmptyScheduleIsTheInitialState) {
    Grid g{2, 2};
    EXPECT_EQ(sim::schedule_trace(g, {}).length(), 0u);
}

TEST(Schedule, RoundTripsASimulatorWalk) {
    Grid g{6, 6};
    sim::SimulateOptions o;
    o.seed = 7;
    const sim::Trace walk = sim::Simulator<Grid>(g, o).walk(0);
    std::vector<std::string> entries;
    for (const auto& s : sim::replay(g, walk).steps) entries.push_back(g.describe(s.action));
    EXPECT_EQ(sim::schedule_trace(g, entries), walk);
}

TEST(Schedule, AnEntryMatchingNoEnabledActionNamesItsIndexAndTheAlternatives) {
    Grid g{1, 3};
    try {
        sim::schedule_trace(g, {"right", "right", "up"});
        FAIL() << "a disabled action was taken";
    } catch (const sim::ScheduleError& e) {
        EXPECT_EQ(e.index(), 1u);
        EXPECT_EQ(e.entry(), "right");
        // "right" is in the model's list but its next_state is empty: not enabled.
        EXPECT_EQ(e.enabled(), (std::vector<std::string>{"up"}));
        EXPECT_EQ(std::string(e.what()), "schedule entry 1: 'right' matches no enabled action; enabled: 'up'");
    }
    try {
        sim::schedule_trace(g, {"left"});
        FAIL();
    } catch (const sim::ScheduleError& e) {
        EXPECT_EQ(e.index(), 0u);
        EXPECT_EQ(e.enabled(), (std::vector<std::string>{"right", "up"}));
    }
}

TEST(Schedule, PastTheEndNothingIsEnabled) {
    Pair p{1, 0};  // stuck at (0, 0): no action at all
    try {
        sim::schedule_trace(p, {"a++"});
        FAIL();
    } catch (const sim::ScheduleError& e) {
        EXPECT_TRUE(e.enabled().empty());
        EXPECT_NE(std::string(e.what()).find("none is enabled"), std::string::npos);
    }
}
