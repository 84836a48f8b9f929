// Partial-order reduction (sim/por.hpp): the same verdicts with fewer states,
// on toy systems whose components have local steps and shared ones, and on
// 200 seeded random ones; and a model that lies about its footprints is
// caught by the same comparison.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "sim/explorer.hpp"

namespace {

// Components 0..k-1, each with a local state 0..m-1 and a table of local
// moves (from, to) and of shared moves (from local, when x == g: local to
// and x := v). The shared variable x is what the properties read.
struct Components {
    static constexpr int kMax = 4;
    struct State {
        std::array<std::uint8_t, kMax> local{};
        std::uint8_t x = 0;
    };
    struct Move {
        std::uint8_t component, from, to;
        bool shared;
        std::uint8_t guard, value;  // shared: enabled when x == guard; sets x = value
    };
    using Action = std::uint16_t;  // index into moves

    int k = 2;
    std::vector<Move> moves;
    std::uint8_t goal = 1;          // the properties' value of x
    bool lie = false;               // declare shared moves local and invisible
    bool footprints_given = true;

    std::vector<State> initial_states() const { return {State{}}; }
    void actions(const State& s, std::vector<Action>& out) const {
        for (std::uint16_t i = 0; i < moves.size(); ++i) {
            const Move& mv = moves[i];
            if (s.local[mv.component] == mv.from && (!mv.shared || s.x == mv.guard)) out.push_back(i);
        }
    }
    std::optional<State> next_state(const State& s, Action a) const {
        const Move& mv = moves[a];
        if (s.local[mv.component] != mv.from || (mv.shared && s.x != mv.guard)) return std::nullopt;
        State n = s;
        n.local[mv.component] = mv.to;
        if (mv.shared) n.x = mv.value;
        return n;
    }
    // A local move is local for the reduction only when no shared move of its
    // component starts from the same local state: another component's step
    // on x could enable that one (C1 is about the component's every action).
    sim::Footprint footprint(const State& s, Action a) const {
        const Move& mv = moves[a];
        bool local = !mv.shared;
        for (const Move& other : moves)
            if (other.component == mv.component && other.shared && other.from == s.local[mv.component]) local = false;
        if (lie) local = true;
        return sim::Footprint{mv.component, local, !local};
    }
    std::vector<sim::Property<Components>> properties() const {
        return {sim::always<Components>("x-not-3", {"TOY-1"}, [](const Components&, const State& s) { return s.x != 3; }),
                sim::sometimes<Components>("x-is-goal", {"TOY-2"},
                                           [](const Components& m, const State& s) { return s.x == m.goal; }),
                sim::eventually<Components>("x-reaches-goal", {"TOY-3"},
                                            [](const Components& m, const State& s) { return s.x == m.goal; })};
    }
    std::string describe(Action a) const { return "move " + std::to_string(a); }
};

sim::Report explore(const Components& m, bool por) {
    sim::ExploreOptions o;
    o.partial_order = por;
    o.require_witnesses = false;
    return sim::Explorer<Components>(m, o).run();
}

// Each component counts 0..n locally, then (shared) adds one to x in turn.
Components workers(int k, int n) {
    Components m;
    m.k = k;
    m.goal = static_cast<std::uint8_t>(k);
    for (std::uint8_t c = 0; c < k; ++c) {
        for (std::uint8_t v = 0; v < n; ++v) m.moves.push_back({c, v, std::uint8_t(v + 1), false, 0, 0});
        for (std::uint8_t x = 0; x < k; ++x)
            m.moves.push_back({c, std::uint8_t(n), std::uint8_t(n + 1), true, x, std::uint8_t(x + 1)});
    }
    return m;
}

void expect_same_verdicts(const sim::Report& full, const sim::Report& reduced, const std::string& what) {
    ASSERT_TRUE(full.complete && reduced.complete) << what;
    ASSERT_EQ(full.properties.size(), reduced.properties.size()) << what;
    for (std::size_t p = 0; p < full.properties.size(); ++p)
        EXPECT_EQ(full.properties[p].status, reduced.properties[p].status) << what << ": " << full.properties[p].name;
    EXPECT_EQ(full.verdict(), reduced.verdict()) << what;
}

TEST(PartialOrder, LocalStepsInterleaveOnceAndVerdictsStay) {
    const Components m = workers(3, 4);
    const auto full = explore(m, false);
    const auto reduced = explore(m, true);
    expect_same_verdicts(full, reduced, "workers");
    EXPECT_GT(full.states, 3 * reduced.states) << full.states << " vs " << reduced.states;
    EXPECT_GT(reduced.transitions_postponed, 0u);
    EXPECT_EQ(full.transitions_postponed, 0u);
    ASSERT_FALSE(reduced.reductions.empty());
    EXPECT_NE(reduced.reductions.back().find("partial order"), std::string::npos);
    EXPECT_TRUE(full.reductions.empty());
}

// A local cycle (0 -> 1 -> 0) in one component beside another's shared step:
// without C3 the shared step could be postponed around the cycle forever;
// with it, `eventually` and `sometimes` keep their verdicts.
TEST(PartialOrder, C3_LocalCyclesDoNotHideOtherComponents) {
    Components m;
    m.moves.push_back({0, 0, 1, false, 0, 0});
    m.moves.push_back({0, 1, 0, false, 0, 0});
    m.moves.push_back({1, 0, 1, true, 0, 1});
    const auto full = explore(m, false);
    const auto reduced = explore(m, true);
    expect_same_verdicts(full, reduced, "cycle");
    EXPECT_GT(reduced.expanded_in_full, 0u);
    EXPECT_EQ(reduced.find("x-is-goal")->status, sim::Status::Witnessed);
    EXPECT_EQ(reduced.find("x-reaches-goal")->status, sim::Status::Violated);  // the local loop forever
}

// A seeded random system: 2-4 components, 2-4 local states, random local
// and shared moves.
Components random_system(std::mt19937& rng) {
    Components m;
    m.k = 2 + static_cast<int>(rng() % 3);
    const int states = 2 + static_cast<int>(rng() % 3);
    for (std::uint8_t c = 0; c < m.k; ++c) {
        const int count = 2 + static_cast<int>(rng() % 4);
        for (int i = 0; i < count; ++i) {
            const bool shared = rng() % 3 == 0;
            m.moves.push_back({c, std::uint8_t(rng() % states), std::uint8_t(rng() % states), shared,
                               std::uint8_t(rng() % 4), std::uint8_t(rng() % 4)});
        }
    }
    m.goal = static_cast<std::uint8_t>(1 + rng() % 2);
    return m;
}

// 200 seeded random systems. Same verdicts; counterexamples are real paths.
TEST(PartialOrder, SameVerdictsOn200RandomSystems) {
    std::mt19937 rng(288);
    std::uint64_t full_states = 0, reduced_states = 0;
    for (int seed = 0; seed < 200; ++seed) {
        const Components m = random_system(rng);
        const auto full = explore(m, false);
        const auto reduced = explore(m, true);
        expect_same_verdicts(full, reduced, "seed " + std::to_string(seed));
        for (const auto& p : reduced.properties) {
            if (!p.trace) continue;
            Components::State s = m.initial_states().front();
            std::vector<Components::Action> enabled;
            for (std::uint32_t a : p.trace->actions) {  // a replayable path of the model
                enabled.clear();
                m.actions(s, enabled);
                ASSERT_LT(a, enabled.size()) << "seed " << seed << ": " << p.name;
                auto n = m.next_state(s, enabled[a]);
                ASSERT_TRUE(n) << "seed " << seed;
                s = *n;
            }
        }
        full_states += full.states;
        reduced_states += reduced.states;
    }
    EXPECT_LT(reduced_states, full_states);
}

// The same systems with the footprint judged on the step's result (the hook
// the protocol model uses): the explorer then computes a successor's state
// only when a footprint or the ample set asks for it, the others only if C3
// takes them. The same ample sets, so the same search as the plain hook.
struct ComponentsByResult : Components {
    int broken = -1;  // a move whose next state is missing though it is enabled (out of contract)
    explicit ComponentsByResult(Components m) : Components(std::move(m)) {}
    std::optional<State> next_state(const State& s, Action a) const {
        if (a == broken) return std::nullopt;
        return Components::next_state(s, a);
    }
    std::uint32_t component(const State&, Action a) const { return moves[a].component; }
    using Components::footprint;
    sim::Footprint footprint(const State& s, Action a, const State&) const { return footprint(s, a); }
    std::vector<sim::Property<ComponentsByResult>> properties() const {
        using M = ComponentsByResult;
        return {sim::always<M>("x-not-3", {"TOY-1"}, [](const M&, const State& s) { return s.x != 3; }),
                sim::sometimes<M>("x-is-goal", {"TOY-2"}, [](const M& m, const State& s) { return s.x == m.goal; }),
                sim::eventually<M>("x-reaches-goal", {"TOY-3"}, [](const M& m, const State& s) { return s.x == m.goal; })};
    }
};
static_assert(sim::has_footprint_of_result_v<ComponentsByResult> && !sim::has_footprint_of_result_v<Components>);

TEST(PartialOrder, FootprintsOfResultsSearchAsTheirStepsDo) {
    std::mt19937 rng(289);
    std::uint64_t expanded_in_full = 0;
    for (int seed = 0; seed < 200; ++seed) {
        const Components m = random_system(rng);
        const auto by_step = explore(m, true);
        sim::ExploreOptions o;
        o.partial_order = true;
        o.require_witnesses = false;
        for (unsigned threads : {1u, 2u}) {
            o.threads = threads;
            const auto by_result = sim::Explorer<ComponentsByResult>(ComponentsByResult(m), o).run();
            const std::string what = "seed " + std::to_string(seed) + ", threads " + std::to_string(threads);
            expect_same_verdicts(by_step, by_result, what);
            EXPECT_EQ(by_step.states, by_result.states) << what;
            EXPECT_EQ(by_step.transitions, by_result.transitions) << what;
            EXPECT_EQ(by_step.transitions_postponed, by_result.transitions_postponed) << what;
            EXPECT_EQ(by_step.expanded_in_full, by_result.expanded_in_full) << what;
        }
        expanded_in_full += by_step.expanded_in_full;
    }
    EXPECT_GT(expanded_in_full, 0u);  // C3 took successors left for it
}

TEST(PartialOrder, AnEnabledActionWithoutSuccessorIsAModelError) {
    ComponentsByResult m(workers(2, 2));
    m.broken = 0;  // component 0's first local move: the ample set takes it
    sim::ExploreOptions o;
    o.partial_order = true;
    o.require_witnesses = false;
    EXPECT_THROW(sim::Explorer<ComponentsByResult>(m, o).run(), std::logic_error);
}

// The comparison has teeth: a model that declares its shared steps local and
// invisible loses a violation, and the same test finds the difference.
TEST(PartialOrder, AModelThatLiesAboutFootprintsIsCaught) {
    Components m;
    // component 1 may set x to 3 (a violation) only before component 0 has set it to 1;
    // told that both steps are local, the reduction takes component 0's first and only
    m.moves.push_back({0, 0, 1, true, 0, 1});
    m.moves.push_back({1, 0, 1, true, 0, 3});
    m.lie = true;
    const auto full = explore(m, false);
    const auto reduced = explore(m, true);
    EXPECT_EQ(full.find("x-not-3")->status, sim::Status::Violated);
    EXPECT_NE(reduced.find("x-not-3")->status, full.find("x-not-3")->status);
}

}  // namespace
