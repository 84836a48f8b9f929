// The router's steps (model/router_step.hpp) as the footprints say: at every
// reachable state of the library and of 60 random topologies with quirks,
// for every enabled action,
// - the logged footprints account for every change the action made (no
//   hidden effect: each changed end, FIFO, stanza record, request list,
//   counter or connection was written by a logged step);
// - a step the router takes for a server writes only that server's part of
//   the world: its own ends, the FIFOs it writes, its stanzas' records, its
//   db:verify requests, connections it opens (the shared counters of labels
//   and the record of violations aside); two steps are no server's own,
//   forgetting a connection that is gone and an attacker's read;
// - logging changes nothing: the world after is next_state()'s;
// - the world after is settled in the order it is stored in: already in
//   canonical order, and a round of the router on it takes no step (so no
//   fixpoint is left to run after an action);
// - a step partial-order reduction calls local (properties/footprint.cpp,
//   model/locality.hpp) has a footprint inside its connection: it leads to
//   no router step but forgetting that connection or (the sole route)
//   routing its server's stanzas over the reading end, and writes only the
//   reading end (both, for a TLS handshake), the connection's FIFOs, the
//   record of a stanza it read or routed there,
//   and the counter of fresh stream ids (labels renamed canonically).
#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

#include "properties/catalogue.hpp"
#include "model/router.hpp"
#include "sim/fingerprint.hpp"
#include "support/library.hpp"
#include "support/quirk_names.hpp"
#include "support/random_topology.hpp"
#include "support/reachable_worlds.hpp"

namespace bidilab::properties {
namespace {

using model::Cell;
using model::RouterStep;
using model::World;

// Which cells differ between two worlds (connections matched by number).
std::vector<Cell> changed_cells(const model::Scenario& sc, const World& a, const World& b) {
    std::vector<Cell> out;
    for (const auto& c : a.connections) {
        const model::Connection* d = b.connection(c.number);
        if (!d) {
            out.push_back(Cell::of(Cell::Kind::Connections, c.number));
            continue;
        }
        if (!(c.i == d->i)) out.push_back(Cell::end(c.number, false));
        if (!(c.r == d->r)) out.push_back(Cell::end(c.number, true));
        if (!(c.to_receiver == d->to_receiver)) out.push_back(Cell::fifo(c.number, true));
        if (!(c.to_initiator == d->to_initiator)) out.push_back(Cell::fifo(c.number, false));
    }
    for (const auto& d : b.connections)
        if (!a.connection(d.number)) out.push_back(Cell::of(Cell::Kind::Connections, d.number));
    for (std::size_t k = 0; k < a.stanzas.size(); ++k)
        if (!(a.stanzas[k] == b.stanzas[k])) out.push_back(Cell::stanza(k));
    // A server's requests, as a set (the canonical order may sort them).
    for (model::ServerIndex s = 0; s < sc.servers.size(); ++s) {
        auto of = [s](const World& w) {
            std::vector<std::string> mine;
            for (const auto& v : w.verifies)
                if (v.at == s)
                    mine.emplace_back(reinterpret_cast<const char*>(&v.need), sizeof v.need),
                        mine.back() += std::to_string(v.via);
            std::sort(mine.begin(), mine.end());
            return mine;
        };
        if (of(a) != of(b)) out.push_back(Cell::of(Cell::Kind::Verifies, s));
    }
    if (!(a.violations == b.violations)) out.push_back(Cell::of(Cell::Kind::Violations));
    if (a.next_stream_id != b.next_stream_id) out.push_back(Cell::of(Cell::Kind::StreamIds));
    // The counter of connection numbers: the newest one was opened.
    if (a.next_connection != b.next_connection)
        out.push_back(Cell::of(Cell::Kind::Connections, static_cast<std::uint16_t>(b.next_connection - 1)));
    if (!(a.seen_keys == b.seen_keys) || a.forged_accepted != b.forged_accepted)
        out.push_back(Cell::of(Cell::Kind::Keys));
    if (a.resets_left != b.resets_left || a.forgeries_left != b.forgeries_left)
        out.push_back(Cell::of(Cell::Kind::Budgets));
    if (a.branches != b.branches || a.choices_made != b.choices_made) out.push_back(Cell::of(Cell::Kind::Choices));
    return out;
}

// Whether the logged footprint of a step called local stays inside its
// connection (the header's last point).
bool inside_its_connection(const CheckedModel& m, const World& s, const model::Action& a,
                           const std::vector<RouterStep>& log) {
    const bool tls = a.kind == model::Action::Kind::Tls;
    if (!tls && (a.kind != model::Action::Kind::Deliver || a.forged)) return false;
    const auto moved = m.moved_element(s, a);
    const model::Connection* x = s.connection(a.connection);
    for (const auto& step : log) {
        // The sole route (model/locality.hpp): the reading end's server
        // routes its queued stanzas for the peer over that end.
        const bool routes_here = !tls && x && step.kind == RouterStep::Kind::Route &&
                                 step.connection == a.connection && step.receiving_end == a.to_receiver &&
                                 step.server == (a.to_receiver ? x->receiver : x->initiator);
        if (step.kind != RouterStep::Kind::Action && !routes_here &&
            !(step.kind == RouterStep::Kind::Forget && step.connection == a.connection))
            return false;
        for (const Cell& c : step.footprint.writes) {
            const bool ok = (c.kind == Cell::Kind::End && c.index == a.connection && (tls || c.flag == a.to_receiver)) ||
                            (c.kind == Cell::Kind::Fifo && c.index == a.connection) ||
                            (c.kind == Cell::Kind::Connections && c.index == a.connection) ||
                            c.kind == Cell::Kind::StreamIds ||
                            (c.kind == Cell::Kind::Stanza && moved && moved->kind == model::ElementKind::Stanza &&
                             c.index == moved->seq) ||
                            (c.kind == Cell::Kind::Stanza && routes_here && static_cast<int>(c.index) == step.stanza);
            if (!ok) return false;
        }
    }
    return true;
}

bool written(const std::vector<RouterStep>& log, const Cell& c) {
    for (const auto& s : log)
        for (const auto& w : s.footprint.writes)
            if (w == c) return true;
    return false;
}

// The connection a cell names, before or after the action.
const model::Connection* named(const World& before, const World& after, std::uint16_t number) {
    const model::Connection* c = after.connection(number);
    return c ? c : before.connection(number);
}

// Whether `c`, written by a router step of `server`, is that server's own.
bool owned(const model::Scenario& sc, const World& before, const World& after, model::ServerIndex server,
           const Cell& c) {
    switch (c.kind) {
        case Cell::Kind::End: {
            const model::Connection* x = named(before, after, c.index);
            return x && (c.flag ? x->receiver : x->initiator) == server;
        }
        case Cell::Kind::Fifo: {
            const model::Connection* x = named(before, after, c.index);
            return x && (c.flag ? x->initiator : x->receiver) == server;
        }
        case Cell::Kind::Stanza: return sc.stanzas[c.index].origin == server;
        case Cell::Kind::Verifies: return c.index == server;
        case Cell::Kind::Connections: {  // one it opens
            const model::Connection* x = after.connection(c.index);
            return x && !before.connection(c.index) && x->initiator == server;
        }
        case Cell::Kind::StreamIds:   // fresh labels, shared by all
        case Cell::Kind::Violations:  // the checker's record
            return true;
        default: return false;
    }
}

std::size_t check_steps(const CheckedModel& m, const std::string& name, std::size_t limit) {
    std::vector<model::Action> enabled;
    std::size_t router_steps = 0, local = 0;
    test_support::each_reachable_state(m, limit, [&](const World& s, std::size_t) {
        enabled.clear();
        m.actions(s, enabled);
        for (const auto& a : enabled) {
            World logged, plain;
            const auto log = m.steps_of(s, a, logged);
            ASSERT_TRUE(m.next_state(s, a, plain));
            ASSERT_TRUE(logged == plain) << name << ": logging changed " << m.describe(a);
            if (m.footprint(s, a, plain).local) {
                ++local;
                std::string steps;
                for (const auto& step : log)
                    for (const Cell& c : step.footprint.writes)
                        steps += "\n  " + std::string(model::router_step_kind_name(step.kind)) + " writes " +
                                 model::cell_name(c, m.scenario());
                ASSERT_TRUE(inside_its_connection(m, s, a, log))
                    << name << ": " << m.describe(a) << " is called local, but its footprint leaves its connection:"
                    << steps;
            }
            World again = plain;
            ASSERT_FALSE(model::put_in_canonical_order(again, m.scenario()))
                << name << ": " << m.describe(a) << " leaves the world out of canonical order";
            model::Router router(m.scenario(), again);
            router.keep_canonical_order();
            std::vector<RouterStep> left;
            router.log_to(&left);
            router.settle_again();
            std::string steps;
            for (const auto& step : left) steps += "\n  " + model::caption(step, m.scenario());
            ASSERT_TRUE(again == plain) << name << ": " << m.describe(a) << " leaves a router step to take:" << steps;
            ASSERT_FALSE(log.empty()) << name << ": " << m.describe(a) << " logged no step";
            EXPECT_EQ(log.front().kind, RouterStep::Kind::Action) << name << ": " << m.describe(a);
            for (const auto& step : log)
                ASSERT_NE(step.kind, RouterStep::Kind::Unattributed)
                    << name << ": " << m.describe(a) << " writes "
                    << model::cell_name(step.footprint.writes.front(), m.scenario()) << " outside every step";
            for (const Cell& c : changed_cells(m.scenario(), s, plain))
                ASSERT_TRUE(written(log, c)) << name << ": " << m.describe(a) << " changed "
                                             << model::cell_name(c, m.scenario()) << " in no logged step";
            for (const auto& step : log) {
                if (step.kind == RouterStep::Kind::Action || step.kind == RouterStep::Kind::Forget ||
                    step.kind == RouterStep::Kind::AttackerReads)
                    continue;
                ++router_steps;
                EXPECT_FALSE(model::caption(step, m.scenario()).empty());
                for (const Cell& c : step.footprint.writes)
                    ASSERT_TRUE(owned(m.scenario(), s, plain, step.server, c))
                        << name << ": after " << m.describe(a) << ", '" << model::caption(step, m.scenario())
                        << "' writes " << model::cell_name(c, m.scenario()) << ", not its server's own";
                for (const Cell& c : step.footprint.reads)
                    EXPECT_TRUE(c.kind != Cell::Kind::Routes || c.index == step.server) << name;
            }
        }
    });
    std::cout << "router steps: " << name << ": " << router_steps << " router steps, " << local << " local steps\n";
    return router_steps;
}

class RouterStepLibrary : public ::testing::TestWithParam<std::string> {};

TEST_P(RouterStepLibrary, FootprintsAccountForEveryChangeAndStayWithTheirServer) {
    const CheckedModel m(model::make_scenario(test_support::load_library_topology(GetParam())));
    EXPECT_GT(check_steps(m, GetParam(), 20000), 0u) << GetParam();
}

INSTANTIATE_TEST_SUITE_P(Library, RouterStepLibrary, ::testing::ValuesIn(test_support::library_files()),
                         test_support::library_test_name);

TEST(RouterSteps, FootprintsOfRandomTopologies) {
    const std::vector<std::string> quirks = test::quirk_names();
    for (std::uint64_t seed = 1; seed <= 60; ++seed) {
        const auto t = test::RandomTopology(5000 + seed).make(quirks);
        check_steps(CheckedModel(model::make_scenario(t)), t.name, 3000);
    }
}

// Every kind of step is taken somewhere in the library (a kind no topology
// reaches would be a caption nobody reads, and a footprint nobody checked).
TEST(RouterSteps, EveryKindIsTakenInTheLibrary) {
    std::vector<bool> seen(static_cast<std::size_t>(RouterStep::Kind::AttackerReads) + 1, false);  // all but Unattributed
    std::vector<model::Action> enabled;
    for (const auto& file : test_support::library_files()) {
        const CheckedModel m(model::make_scenario(test_support::load_library_topology(file)));
        test_support::each_reachable_state(m, 5000, [&](const World& s, std::size_t) {
            enabled.clear();
            m.actions(s, enabled);
            for (const auto& a : enabled) {
                World next;
                for (const auto& step : m.steps_of(s, a, next))
                    if (step.kind != RouterStep::Kind::Unattributed) seen[static_cast<std::size_t>(step.kind)] = true;
            }
        });
    }
    for (std::size_t k = 0; k < seen.size(); ++k)
        EXPECT_TRUE(seen[k]) << model::router_step_kind_name(static_cast<RouterStep::Kind>(k));
}

}  // namespace
}  // namespace bidilab::properties
