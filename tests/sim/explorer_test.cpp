#include "sim/explorer.hpp"

#include <gtest/gtest.h>

#include "sim/trace.hpp"
#include "toy_models.hpp"

using toy::Grid;
using toy::Pair;

namespace {
sim::Report explore(const Grid& g, sim::Order order = sim::Order::BreadthFirst) {
    sim::ExploreOptions o;
    o.order = order;
    return sim::Explorer<Grid>(g, o).run();
}
}  // namespace

TEST(Explorer, GridCountsArePinned) {
    Grid g{6, 4};
    auto r = explore(g);
    EXPECT_TRUE(r.complete);
    EXPECT_EQ(r.states, 7u * 5u);
    EXPECT_EQ(r.transitions, 6u * 5u + 4u * 7u);
    EXPECT_EQ(r.depth, 10u);
    EXPECT_EQ(r.verdict(), sim::Verdict::Pass);
    EXPECT_EQ(r.find("avoid-target")->status, sim::Status::Holds);
    EXPECT_EQ(r.find("reach-end")->status, sim::Status::Holds);
    EXPECT_EQ(r.find("no-deadlock")->status, sim::Status::Holds);
}

TEST(Explorer, BreadthFirstGivesAShortestCounterexample) {
    Grid g{8, 8, 3, 2};
    auto r = explore(g);
    const auto* p = r.find("avoid-target");
    ASSERT_EQ(p->status, sim::Status::Violated);
    ASSERT_TRUE(p->trace);
    EXPECT_EQ(p->trace->length(), 5u);
    EXPECT_EQ(r.verdict(), sim::Verdict::Fail);
    EXPECT_EQ(sim::exit_code(r.verdict()), 1);
}

TEST(Explorer, ReplayReproducesTheTrace) {
    Grid g{8, 8, 3, 2};
    auto r = explore(g);
    auto replayed = sim::replay(g, *r.find("avoid-target")->trace);
    ASSERT_EQ(replayed.steps.size(), 5u);
    EXPECT_EQ(replayed.steps.back().state.x, 3);
    EXPECT_EQ(replayed.steps.back().state.y, 2);
    sim::Trace bad = *r.find("avoid-target")->trace;
    bad.actions.push_back(7);
    EXPECT_THROW(sim::replay(g, bad), std::runtime_error);
}

TEST(Explorer, DepthFirstAndBreadthFirstAgree) {
    for (auto g : {Grid{5, 5}, Grid{9, 3, 4, 1}, Grid{2, 7, 0, 7}}) {
        auto bfs = explore(g, sim::Order::BreadthFirst);
        auto dfs = explore(g, sim::Order::DepthFirst);
        EXPECT_EQ(bfs.states, dfs.states);
        EXPECT_EQ(bfs.transitions, dfs.transitions);
        EXPECT_EQ(bfs.verdict(), dfs.verdict());
        for (std::size_t i = 0; i < bfs.properties.size(); ++i)
            EXPECT_EQ(bfs.properties[i].status, dfs.properties[i].status) << bfs.properties[i].name;
        // BFS trace is never longer than DFS's.
        if (auto t = bfs.find("avoid-target")->trace) {
            EXPECT_LE(t->length(), dfs.find("avoid-target")->trace->length());
        }
    }
}

TEST(Explorer, SometimesWitnessIsShortest) {
    Grid g{4, 4};
    auto r = explore(g);
    const auto* p = r.find("corner");
    ASSERT_EQ(p->status, sim::Status::Witnessed);
    EXPECT_EQ(p->trace->length(), 4u);
}

TEST(Explorer, SometimesNeverMetFailsACompleteRun) {
    Grid g{0, 3};  // the corner (w, 0) is the initial state: witnessed at once
    EXPECT_EQ(explore(g).find("corner")->trace->length(), 0u);
    // A sometimes that no reachable state meets: the complete run fails.
    struct Far {
        using State = Grid::State;
        using Action = Grid::Action;
        Grid g{2, 2};
        std::vector<State> initial_states() const { return g.initial_states(); }
        void actions(const State& s, std::vector<Action>& out) const { g.actions(s, out); }
        std::optional<State> next_state(const State& s, Action a) const { return g.next_state(s, a); }
        bool is_final(const State& s) const { return g.is_final(s); }
        std::vector<sim::Property<Far>> properties() const {
            return {sim::sometimes<Far>("x-is-nine", {}, [](const Far&, const State& s) { return s.x == 9; })};
        }
        std::string describe(Action a) const { return g.describe(a); }
    };
    auto r = sim::Explorer<Far>(Far{}).run();
    EXPECT_EQ(r.find("x-is-nine")->status, sim::Status::NotWitnessed);
    EXPECT_EQ(r.verdict(), sim::Verdict::Fail);
}

TEST(Explorer, DeadlockIsFoundWithItsTrace) {
    Pair p{3, 1};
    auto r = sim::Explorer<Pair>(p).run();
    const auto* d = r.find("no-deadlock");
    ASSERT_EQ(d->status, sim::Status::Violated);
    EXPECT_EQ(d->trace->length(), 2u);
    auto replayed = sim::replay(p, *d->trace);
    EXPECT_EQ(replayed.steps.back().state.a, 1);
    EXPECT_EQ(replayed.steps.back().state.b, 1);
    Pair clean{3};
    EXPECT_EQ(sim::Explorer<Pair>(clean).run().find("no-deadlock")->status, sim::Status::Holds);
}

TEST(Explorer, StepPropertyViolationEndsWithTheOffendingAction) {
    Pair p{4};
    p.allow_jump = true;
    auto r = sim::Explorer<Pair>(p).run();
    const auto* s = r.find("a-steps-by-one");
    ASSERT_EQ(s->status, sim::Status::Violated);
    ASSERT_EQ(s->trace->length(), 1u);
    auto replayed = sim::replay(p, *s->trace);
    EXPECT_EQ(replayed.steps.back().action, Pair::Action::JumpA);
}

TEST(Explorer, MaxStatesGivesAPartialReport) {
    Grid g{50, 50};
    sim::ExploreOptions o;
    o.max_states = 100;
    auto r = sim::Explorer<Grid>(g, o).run();
    EXPECT_FALSE(r.complete);
    EXPECT_EQ(r.stopped_by, "max-states");
    EXPECT_EQ(r.states, 100u);
    EXPECT_EQ(r.verdict(), sim::Verdict::Incomplete);
    EXPECT_EQ(sim::exit_code(r.verdict()), 3);
    EXPECT_EQ(r.find("avoid-target")->status, sim::Status::Unknown);
    EXPECT_EQ(r.find("reach-end")->status, sim::Status::Unknown);
}

TEST(Explorer, MaxDepthGivesAPartialReport) {
    Grid g{10, 10};
    sim::ExploreOptions o;
    o.max_depth = 4;
    auto r = sim::Explorer<Grid>(g, o).run();
    EXPECT_FALSE(r.complete);
    EXPECT_EQ(r.stopped_by, "max-depth");
    EXPECT_EQ(r.states, 1u + 2 + 3 + 4 + 5);
    EXPECT_EQ(r.depth, 4u);
    EXPECT_EQ(r.verdict(), sim::Verdict::Incomplete);
    EXPECT_EQ(r.find("corner")->status, sim::Status::Unknown);
    // A violation found within the bound is definitive.
    Grid v{10, 10, 1, 1};
    auto rv = sim::Explorer<Grid>(v, o).run();
    EXPECT_EQ(rv.verdict(), sim::Verdict::Fail);
}

TEST(Explorer, MaxDepthAtTheLastLevelIsStillComplete) {
    Grid g{3, 3};
    sim::ExploreOptions o;
    o.max_depth = 6;  // the final state is at depth 6 and has no successors
    auto r = sim::Explorer<Grid>(g, o).run();
    EXPECT_TRUE(r.complete);
    EXPECT_EQ(r.verdict(), sim::Verdict::Pass);
}

TEST(Explorer, StopFlagInterrupts) {
    std::atomic<bool> stop{true};
    sim::ExploreOptions o;
    o.stop = &stop;
    auto r = sim::Explorer<Grid>(Grid{20, 20}, o).run();
    EXPECT_FALSE(r.complete);
    EXPECT_EQ(r.stopped_by, "interrupted");
    EXPECT_EQ(sim::exit_code(r.verdict()), 3);
}

TEST(Explorer, SameRunSameResults) {
    Grid g{12, 9, 7, 5};
    auto a = explore(g);
    auto b = explore(g);
    EXPECT_EQ(a.states, b.states);
    EXPECT_EQ(*a.find("avoid-target")->trace, *b.find("avoid-target")->trace);
}

TEST(Explorer, TracesThroughActionIndicesPastTheByteRange) {
    // 300 actions from the initial state; the violation sits behind the last.
    struct Fan {
        struct State {
            std::uint16_t at;
        };
        using Action = std::uint16_t;
        std::vector<State> initial_states() const { return {State{0}}; }
        void actions(const State& s, std::vector<Action>& out) const {
            if (s.at == 0)
                for (Action a = 1; a <= 300; ++a) out.push_back(a);
        }
        std::optional<State> next_state(const State&, Action a) const { return State{a}; }
        bool is_final(const State&) const { return true; }
        std::vector<sim::Property<Fan>> properties() const {
            return {sim::always<Fan>("not-300", {}, [](const Fan&, const State& s) { return s.at != 300; })};
        }
        std::string describe(Action a) const { return std::to_string(a); }
    };
    auto r = sim::Explorer<Fan>(Fan{}).run();
    EXPECT_EQ(r.states, 301u);
    const auto* p = r.find("not-300");
    ASSERT_EQ(p->status, sim::Status::Violated);
    EXPECT_EQ(p->trace->actions, std::vector<std::uint32_t>{299});
    EXPECT_EQ(sim::replay(Fan{}, *p->trace).steps.back().state.at, 300);
}

namespace {
// A grid whose step properties read what begin_step announced (the hook a
// model may use to share one analysis of a transition among them).
struct HookedGrid : Grid {
    mutable const State* before = nullptr;
    mutable const State* after = nullptr;
    mutable int begun = 0, ended = 0;
    void begin_step(const State& b, const Action&, const State& a) const { before = &b, after = &a, ++begun; }
    void end_step() const { before = after = nullptr, ++ended; }
    std::vector<sim::Property<HookedGrid>> properties() const {
        auto announced = [](const HookedGrid& m, const State& b, const Action&, const State& a) {
            return m.before == &b && m.after == &a;
        };
        return {sim::step<HookedGrid>("announced", {"TOY-4"}, announced),
                sim::step<HookedGrid>("announced-too", {"TOY-4"}, announced)};
    }
};
}  // namespace

TEST(Explorer, StepHooksBracketEachTransitionsStepProperties) {
    HookedGrid g;
    g.w = 4, g.h = 3;
    auto r = sim::Explorer<HookedGrid>(g).run();
    EXPECT_EQ(r.find("announced")->status, sim::Status::Holds);
    EXPECT_EQ(r.find("announced-too")->status, sim::Status::Holds);
    EXPECT_EQ(static_cast<std::uint64_t>(g.begun), r.transitions);
    EXPECT_EQ(g.ended, g.begun);
    EXPECT_EQ(g.before, nullptr);
}

// sim/growth_estimate.hpp: a space that doubles at every level warns early
// that it will not fit (long before the limit); one whose levels grow
// linearly (a grid: level d has d + 1 states) does not.
TEST(Explorer, GrowthWarningComesEarlyAndOnlyForASpaceThatWillNotFit) {
    auto warnings_of = [](auto model, std::uint64_t max_states) {
        std::vector<sim::GrowthWarning> warnings;
        sim::ExploreOptions o;
        o.max_memory = sim::resident_bytes() + (std::size_t{100} << 20);  // 100 MiB more than now
        o.max_states = max_states;
        o.on_growth_warning = [&](const sim::GrowthWarning& w) { warnings.push_back(w); };
        sim::Explorer<decltype(model)>(model, o).run();
        return warnings;
    };
    const auto tree = warnings_of(toy::Tree{40}, 1500000);
    ASSERT_EQ(tree.size(), 1u) << "once";
    EXPECT_NEAR(tree[0].growth, 2.0, 0.01);
    EXPECT_LE(tree[0].levels_to_limit, sim::GrowthEstimate::kHorizon);
    EXPECT_LT(tree[0].states, 1000000u) << "early: before the run has used most of its memory";
    EXPECT_GT(tree[0].states_at_limit, tree[0].states);
    EXPECT_TRUE(warnings_of(Grid{250, 250}, 0).empty());
    EXPECT_TRUE(warnings_of(toy::Tree{15}, 0).empty()) << "65,535 states fit";
}
