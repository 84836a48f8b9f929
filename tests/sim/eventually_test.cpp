#include "sim/eventually.hpp"

#include <gtest/gtest.h>

#include "sim/explorer.hpp"
#include "toy_models.hpp"

using toy::Ring;

TEST(Eventually, ViolatedOnlyOnACycleIsFound) {
    // Every finite path can still exit; only looping forever avoids `done`.
    Ring ring{4, 2};
    auto r = sim::Explorer<Ring>(ring).run();
    EXPECT_TRUE(r.complete);
    EXPECT_EQ(r.find("no-deadlock")->status, sim::Status::Holds);
    const auto* p = r.find("eventually-done");
    ASSERT_EQ(p->status, sim::Status::Violated);
    ASSERT_TRUE(p->trace->loop_start);
    // The lasso: tick x4 back to 0, the loop starting at the initial state.
    EXPECT_EQ(p->trace->length(), 4u);
    EXPECT_EQ(*p->trace->loop_start, 0u);
    auto replayed = sim::replay(ring, *p->trace);
    EXPECT_EQ(replayed.steps.back().state.value, 0);
    EXPECT_EQ(replayed.steps.back().state.done, 0);
}

TEST(Eventually, TerminalWithoutGoalIsAViolation) {
    sim::StateGraph g(true);
    g.add_state(sim::StateGraph::root, 0);  // 0
    g.add_state(0, 0);                      // 1
    g.add_state(0, 1);                      // 2
    g.begin_edges(0);
    g.add_edge(0, 1, 0);
    g.add_edge(0, 2, 1);
    g.begin_edges(1);  // 1: terminal
    g.begin_edges(2);  // 2: terminal
    auto r = sim::check_eventually(g, {0}, [](std::uint32_t s) { return s == 1; });
    ASSERT_TRUE(r.counterexample);
    EXPECT_EQ(r.counterexample->actions, std::vector<std::uint32_t>{1});
    EXPECT_FALSE(r.counterexample->loop_start);
    auto ok = sim::check_eventually(g, {0}, [](std::uint32_t s) { return s != 0; });
    EXPECT_FALSE(ok.counterexample);
}

TEST(Eventually, UnexpandedStatesMakeItUnknownNotViolated) {
    sim::StateGraph g(true);
    g.add_state(sim::StateGraph::root, 0);
    g.add_state(0, 0);
    g.begin_edges(0);
    g.add_edge(0, 1, 0);  // state 1 never expanded
    auto r = sim::check_eventually(g, {0}, [](std::uint32_t) { return false; });
    EXPECT_FALSE(r.counterexample);
    EXPECT_TRUE(r.reached_unexpanded);
}

TEST(Eventually, HoldsWhenEveryLoopPassesTheGoal) {
    Ring ring{4, 2};
    struct Model : Ring {
        std::vector<sim::Property<Model>> properties() const {
            return {sim::eventually<Model>("eventually-two", {}, [](const Model&, const State& s) { return s.value == 2; })};
        }
    };
    Model m{ring};
    auto r = sim::Explorer<Model>(m).run();
    EXPECT_EQ(r.find("eventually-two")->status, sim::Status::Holds);
}
