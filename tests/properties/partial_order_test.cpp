// Partial-order reduction on the protocol model (properties/footprint.cpp,
// model/locality.hpp, sim/por.hpp), shown sound rather than argued alone:
// - on every shipped topology and mutant, and on 200 seeded random
//   topologies (with quirks, both symmetries), the reduced search gives every
//   property the verdict of the full one, reaches the same final states by
//   outcome (persistent sets keep every dead end), and its traces replay and
//   end where their property says;
// - at every reachable state of the library, a step the model calls local
//   commutes with every enabled step of every other component (same
//   fingerprint both ways, neither disabled by the other), and one it calls
//   invisible changes no state property's value.
#include <gtest/gtest.h>

#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "properties/catalogue.hpp"
#include "sim/explorer.hpp"
#include "sim/trace.hpp"
#include "support/library.hpp"
#include "support/quirk_names.hpp"
#include "support/random_topology.hpp"
#include "support/same_report.hpp"
#include "support/reachable_worlds.hpp"
#include "topologies/topology.hpp"

namespace bidilab::properties {
namespace {

namespace fs = std::filesystem;

using test_support::verdicts;

sim::Report explore(const CheckedModel& m, bool partial_order, std::uint64_t max_states = 0) {
    sim::ExploreOptions o;
    o.partial_order = partial_order;
    o.max_states = max_states;
    return sim::Explorer<CheckedModel>(m, o).run();
}

// Every trace of the reduced run is a real path that ends where its property says.
void expect_traces_real(const CheckedModel& m, const sim::Report& r, const std::string& name) {
    const auto catalogue = m.properties();
    for (std::size_t p = 0; p < r.properties.size(); ++p) {
        const auto& result = r.properties[p];
        if (!result.trace) continue;
        sim::Replay<CheckedModel> replayed;
        ASSERT_NO_THROW(replayed = sim::replay(m, *result.trace)) << name << ": " << result.name;
        const model::World& end = replayed.steps.empty() ? replayed.initial : replayed.steps.back().state;
        switch (result.kind) {
            case sim::Kind::Always: EXPECT_FALSE(catalogue[p].holds(m, end)) << name << ": " << result.name; break;
            case sim::Kind::Sometimes: EXPECT_TRUE(catalogue[p].holds(m, end)) << name << ": " << result.name; break;
            case sim::Kind::Step: {
                ASSERT_FALSE(replayed.steps.empty()) << name;
                const model::World& before =
                    replayed.steps.size() > 1 ? replayed.steps[replayed.steps.size() - 2].state : replayed.initial;
                EXPECT_FALSE(catalogue[p].step_holds(m, before, replayed.steps.back().action, end))
                    << name << ": " << result.name;
                break;
            }
            case sim::Kind::Deadlock: {
                std::vector<model::Action> enabled;
                m.actions(end, enabled);
                EXPECT_TRUE(enabled.empty()) << name;
                EXPECT_FALSE(m.is_final(end)) << name;
                break;
            }
            default: break;  // eventually: a real path (replayed), to a loop or a dead end
        }
    }
}

void expect_equivalent(const CheckedModel& m, const std::string& name, std::uint64_t max_states = 0) {
    const auto full = explore(m, false, max_states);
    const auto reduced = explore(m, true, max_states);
    if (!full.complete) return;  // too large for the bound: not compared
    ASSERT_TRUE(reduced.complete) << name;
    EXPECT_EQ(verdicts(reduced), verdicts(full)) << name;
    EXPECT_EQ(reduced.outcomes, full.outcomes) << name << ": the final states differ";
    EXPECT_LE(reduced.states, full.states) << name;
    ASSERT_FALSE(reduced.reductions.empty());
    EXPECT_NE(reduced.reductions.back().find("partial order"), std::string::npos) << name;
    expect_traces_real(m, reduced, name);
}

std::string dump(const model::World& w) {
    std::string out = "\n--- world: next id " + std::to_string(w.next_stream_id) + "\n";
    for (const auto& c : w.connections) {
        out += "  conn " + std::to_string(c.number) + " " + std::to_string(c.initiator) + "->" + std::to_string(c.receiver) +
               " I " + c.i.state_name() + " id " + std::to_string(c.i.data().stream_id) + " R " + c.r.state_name() +
               " id " + std::to_string(c.r.data().stream_id) + " fifo " + std::to_string(c.to_receiver.size()) + "/" +
               std::to_string(c.to_initiator.size()) + " identity " + std::to_string(model::connection_identity(c)) + "\n";
    }
    for (const auto& st : w.stanzas)
        out += "  stanza fate " + std::to_string(static_cast<int>(st.fate)) + " via " + std::to_string(st.via) + "\n";
    for (const auto& v : w.verifies) out += "  verify at " + std::to_string(v.at) + " via " + std::to_string(v.via) + "\n";
    return out;
}

class PartialOrderLibrary : public ::testing::TestWithParam<std::string> {};

TEST_P(PartialOrderLibrary, SameVerdictsAndFinalStatesWithPartialOrder) {
    const auto t = test_support::load_library_topology(GetParam());
    const CheckedModel m(model::make_scenario(t));
    expect_equivalent(m, t.name);
    const auto full = explore(m, false), reduced = explore(m, true);
    std::cout << "partial order: " << t.name << ": " << full.states << " -> " << reduced.states << " states, "
              << reduced.transitions_postponed << " transitions postponed, " << reduced.expanded_in_full
              << " expanded in full\n";
}

// The model's claims, state by state: a local step commutes with every
// enabled step of another component, and an invisible one moves no state
// property. (sim/por.hpp's C1 and C2 at the states where they are used.)
TEST_P(PartialOrderLibrary, LocalStepsCommuteAndInvisibleOnesChangeNoProperty) {
    const auto t = test_support::load_library_topology(GetParam());
    const CheckedModel m(model::make_scenario(t));
    const auto catalogue = m.properties();
    std::size_t local = 0, pairs = 0;
    std::vector<model::Action> enabled;
    test_support::each_reachable_state(m, 20000, [&](const model::World& s, std::size_t) {
        enabled.clear();
        m.actions(s, enabled);
        for (const auto& a : enabled) {
            const sim::Footprint fa = m.footprint(s, a);
            if (!fa.local) continue;
            ++local;
            model::World sa;
            ASSERT_TRUE(m.next_state(s, a, sa));
            if (!fa.visible) {
                for (const auto& p : catalogue) {
                    if (p.kind != sim::Kind::Step) {
                        EXPECT_EQ(p.holds(m, s), p.holds(m, sa)) << t.name << ": " << p.name;
                    }
                }
            }
            for (const auto& b : enabled) {
                if (m.footprint(s, b).component == fa.component) continue;
                ++pairs;
                model::World sb, sab, sba;
                ASSERT_TRUE(m.next_state(s, b, sb));
                std::vector<model::Action> after_a, after_b;
                m.actions(sa, after_a);
                m.actions(sb, after_b);
                // Neither disables the other (the same action, as the model describes it).
                const auto has = [&m](const std::vector<model::Action>& v, const model::Action& x) {
                    for (const auto& y : v)
                        if (m.describe(y) == m.describe(x)) return true;
                    return false;
                };
                ASSERT_TRUE(has(after_a, b)) << t.name << ": " << m.describe(a) << " disables " << m.describe(b);
                ASSERT_TRUE(has(after_b, a)) << t.name << ": " << m.describe(b) << " disables " << m.describe(a);
                model::Action b_after_a = b, a_after_b = a;
                for (const auto& y : after_a)
                    if (m.describe(y) == m.describe(b)) b_after_a = y;
                for (const auto& y : after_b)
                    if (m.describe(y) == m.describe(a)) a_after_b = y;
                ASSERT_TRUE(m.next_state(sa, b_after_a, sab));
                ASSERT_TRUE(m.next_state(sb, a_after_b, sba));
                EXPECT_EQ(sim::fingerprint(sab), sim::fingerprint(sba))
                    << t.name << ": " << m.describe(a) << " and " << m.describe(b) << " do not commute"
                    << dump(s) << dump(sab) << dump(sba);
                // Each is judged alike by the step properties whether the other
                // went first or not: they read disjoint parts.
                for (const auto& p : catalogue) {
                    if (p.kind != sim::Kind::Step) continue;
                    EXPECT_EQ(p.step_holds(m, s, b, sb), p.step_holds(m, sa, b_after_a, sab))
                        << t.name << ": " << p.name << " judges " << m.describe(b) << " otherwise after "
                        << m.describe(a);
                    EXPECT_EQ(p.step_holds(m, s, a, sa), p.step_holds(m, sb, a_after_b, sba))
                        << t.name << ": " << p.name << " judges " << m.describe(a) << " otherwise after "
                        << m.describe(b);
                }
            }
        }
    });
    std::cout << "local steps: " << t.name << ": " << local << " local, " << pairs << " pairs commute\n";
}

// What the end-level locality rests on (model/locality.hpp): no step changes
// the order of two connections, so no step of one end turns a "first usable
// connection" lookup of another server. At every reachable state of the
// library (and of 60 random topologies with quirks), every step keeps the
// connections present before and after in the same relative order.
void expect_steps_keep_the_order(const CheckedModel& m, const std::string& name, std::size_t limit) {
    std::vector<model::Action> enabled;
    std::size_t steps = 0;
    test_support::each_reachable_state(m, limit, [&](const model::World& s, std::size_t) {
        enabled.clear();
        m.actions(s, enabled);
        for (const auto& a : enabled) {
            model::World next;
            ASSERT_TRUE(m.next_state(s, a, next));
            ++steps;
            std::vector<std::uint16_t> kept;
            for (const auto& c : s.connections)
                if (next.connection(c.number)) kept.push_back(c.number);
            std::vector<std::uint16_t> now;
            for (const auto& c : next.connections)
                if (s.connection(c.number)) now.push_back(c.number);
            ASSERT_EQ(kept, now) << name << ": " << m.describe(a) << " reorders the connections" << dump(s)
                                 << dump(next);
        }
    });
    EXPECT_GT(steps, 0u) << name;
}

TEST_P(PartialOrderLibrary, NoStepReordersTheConnections) {
    const CheckedModel m(model::make_scenario(test_support::load_library_topology(GetParam())));
    expect_steps_keep_the_order(m, GetParam(), 20000);
}

INSTANTIATE_TEST_SUITE_P(Library, PartialOrderLibrary, ::testing::ValuesIn(test_support::library_files()),
                         test_support::library_test_name);

TEST(PartialOrder, NoStepReordersTheConnectionsOfRandomTopologies) {
    const std::vector<std::string> quirks = test::quirk_names();
    for (std::uint64_t seed = 1; seed <= 60; ++seed) {
        const auto t = test::RandomTopology(3000 + seed).make(quirks);
        expect_steps_keep_the_order(CheckedModel(model::make_scenario(t)), t.name, 5000);
    }
}

// 200 seeded random topologies (2–3 servers, random policies, quirks), with
// the connection symmetry on for odd seeds and off for even ones.
TEST(PartialOrder, RandomTopologies) {
    const std::vector<std::string> quirks = test::quirk_names();
    int compared = 0;
    for (std::uint64_t seed = 1; seed <= 200; ++seed) {
        const auto t = test::RandomTopology(1000 + seed).make(quirks);
        CheckedModel m(model::make_scenario(t));
        m.set_symmetry(seed % 2 ? model::Symmetry::Connections : model::Symmetry::StreamIds);
        const auto full = explore(m, false, 100000);
        if (!full.complete) continue;
        ++compared;
        expect_equivalent(m, t.name + " (seed " + std::to_string(1000 + seed) + ")", 100000);
    }
    EXPECT_GE(compared, 180);
}

// Depth-first, the closed-set proviso (C3) is as sound: the verdicts and
// final states of the full breadth-first search.
TEST(PartialOrder, DepthFirstToo) {
    for (const auto& file : test_support::library_files()) {
        const CheckedModel m(model::make_scenario(test_support::load_library_topology(file)));
        const auto full = explore(m, false);
        if (full.states > 20000) continue;  // the small ones: depth-first keeps the graph
        sim::ExploreOptions o;
        o.order = sim::Order::DepthFirst;
        o.partial_order = true;
        const auto reduced = sim::Explorer<CheckedModel>(m, o).run();
        EXPECT_EQ(verdicts(reduced), verdicts(full)) << file;
        EXPECT_EQ(reduced.outcomes, full.outcomes) << file;
        expect_traces_real(m, reduced, file);
    }
}

// It reduces something: the reduction is not an empty promise.
TEST(PartialOrder, ReducesTheStatesOfTheLibrary) {
    for (const char* name : {"capulet-montague.json", "three-servers-muc.json"}) {
        const CheckedModel m(model::make_scenario(test_support::load_library_topology(topologies::shipped_topologies_dir() / name)));
        const auto full = explore(m, false), reduced = explore(m, true);
        EXPECT_LT(reduced.states * 5, full.states * 4) << name;  // at least 1.25x fewer
        EXPECT_GT(reduced.transitions_postponed, 0u) << name;
    }
}

}  // namespace
}  // namespace bidilab::properties
