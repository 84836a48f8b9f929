// Connection resets (`faults.resets`, Router::reset): a fault the environment
// injects, at most N times a run. Both ends drop the connection without
// </stream:stream> (CORE-23, CORE-32), a stanza written and not read is lost
// with it (CORE-19), a stanza still queued goes over a new connection
// (CORE-20, CORE-56), verifications it carried fail (DB-17, DB-36).
#include <gtest/gtest.h>

#include <deque>
#include <functional>
#include <optional>
#include <unordered_set>

#include "model/xmpp_model.hpp"
#include "properties/catalogue.hpp"
#include "sim/explorer.hpp"
#include "sim/fingerprint.hpp"
#include "topologies/topology.hpp"

namespace bidilab::model {
namespace {

using properties::CheckedModel;

topologies::Topology shipped_topology(const std::string& name) {
    return topologies::load_topology(topologies::shipped_topologies_dir() / (name + ".json"));
}

// A shipped topology with `resets` resets allowed.
CheckedModel with_resets(const std::string& name, int resets) {
    topologies::Topology t = shipped_topology(name);
    t.faults.resets = resets;
    return CheckedModel(make_scenario(t));
}

std::vector<Action> enabled(const XmppModel& m, const World& w) {
    std::vector<Action> acts;
    m.actions(w, acts);
    return acts;
}

std::optional<Action> reset_of(const XmppModel& m, const World& w, std::uint16_t connection) {
    for (const auto& a : enabled(m, w))
        if (a.kind == Action::Kind::Reset && a.connection == connection) return a;
    return std::nullopt;
}

std::size_t resets_enabled(const XmppModel& m, const World& w) {
    std::size_t n = 0;
    for (const auto& a : enabled(m, w)) n += a.kind == Action::Kind::Reset;
    return n;
}

// Takes the first enabled action that is no reset until `done` holds (or
// nothing but resets is left); the world reached.
World walk_until(const XmppModel& m, World w, const std::function<bool(const World&)>& done, int limit = 200) {
    for (int steps = 0; steps < limit && !done(w); ++steps) {
        std::optional<Action> next;
        for (const auto& a : enabled(m, w))
            if (a.kind != Action::Kind::Reset) {
                next = a;
                break;
            }
        if (!next) break;
        w = *m.next_state(w, *next);
    }
    return w;
}

World after(const XmppModel& m, const World& w, const Action& a) { return *m.next_state(w, a); }

// Every world reachable in m, with a check on each transition.
std::size_t sweep(const XmppModel& m, const std::function<void(const World&, const Action&, const World&)>& on_step) {
    std::unordered_set<std::uint64_t> seen;
    std::deque<World> frontier;
    for (auto& w : m.initial_states())
        if (seen.insert(sim::fingerprint(w)).second) frontier.push_back(w);
    while (!frontier.empty()) {
        const World w = frontier.front();
        frontier.pop_front();
        for (const auto& a : enabled(m, w)) {
            World next = after(m, w, a);
            on_step(w, a, next);
            if (seen.insert(sim::fingerprint(next)).second) frontier.push_back(std::move(next));
        }
    }
    return seen.size();
}

TEST(Reset, CORE_23_CORE_32_BothEndsDropTheConnectionAndItsFifos) {
    const auto m = with_resets("capulet-montague", 1);
    World w = after(m, m.initial_states()[0], enabled(m, m.initial_states()[0])[0]);  // capulet submits
    const Connection* c1 = w.connection(1);
    ASSERT_NE(c1, nullptr);
    ASSERT_FALSE(c1->to_receiver.empty()) << "the initiating stream's header is on the wire";
    EXPECT_EQ(m.describe(*reset_of(m, w, 1)), "connection 1: TCP reset");
    const World r = after(m, w, *reset_of(m, w, 1));
    EXPECT_EQ(r.resets_left, 0);
    // The router drops a connection exactly when both ends are Closed and
    // both FIFOs are empty: connection 1 is gone, and nothing is read on it.
    EXPECT_EQ(r.connection(1), nullptr);
    for (const auto& a : enabled(m, r)) EXPECT_NE(a.connection, 1) << m.describe(a);
    // No </stream:stream> and no stream error was written anywhere (TCP is gone).
    for (const auto& c : r.connections)
        for (const auto& e : c.to_receiver) {
            EXPECT_NE(e.kind, ElementKind::StreamClose);
            EXPECT_NE(e.kind, ElementKind::StreamError);
        }
    EXPECT_TRUE(r.violations.empty());
}

TEST(Reset, CORE_23_TheDroppedConnectionsPairsAreGone) {
    const auto m = with_resets("no-tls", 1);
    // Walk until some outgoing stream carries a stanza authorized by a valid pair.
    const World w = walk_until(m, m.initial_states()[0], [](const World& x) {
        for (const auto& c : x.connections)
            if (c.i.state() == InitiatingStream::State::Established && c.i.data().fwd.any(PairState::Valid)) return true;
        return false;
    });
    const Connection* authorized = nullptr;
    for (const auto& c : w.connections)
        if (c.i.state() == InitiatingStream::State::Established && c.i.data().fwd.any(PairState::Valid)) authorized = &c;
    ASSERT_NE(authorized, nullptr);
    const std::uint16_t number = authorized->number;
    const ServerIndex server = authorized->initiator, peer = authorized->receiver;
    const PairTable pairs = authorized->i.data().fwd;
    const World r = after(m, w, *reset_of(m, w, number));
    EXPECT_EQ(r.connection(number), nullptr);
    // No stream of the same server to the same peer holds the pairs it had:
    // they are proven again on a new connection, if at all.
    std::size_t valid = 0;
    for (std::size_t k = 0; k < pairs.size(); ++k) {
        if (pairs[k].state != PairState::Valid) continue;
        ++valid;
        for (const auto& c : r.connections) {
            if (c.initiator != server || c.receiver != peer) continue;
            EXPECT_NE(c.i.data().fwd.get(pairs[k].sender, pairs[k].target), PairState::Valid);
        }
    }
    EXPECT_GT(valid, 0u);
}

TEST(Reset, CORE_20_CORE_56_AQueuedStanzaIsDeliveredOverANewConnection) {
    const auto m = with_resets("capulet-montague", 1);
    World w = after(m, m.initial_states()[0], enabled(m, m.initial_states()[0])[0]);  // capulet submits s0
    ASSERT_EQ(w.stanzas[0].fate, Fate::Queued);
    ASSERT_EQ(w.stanzas[0].via, 1);
    w = after(m, w, *reset_of(m, w, 1));
    EXPECT_EQ(w.stanzas[0].fate, Fate::Queued) << "not written yet: not lost, and not bounced";
    EXPECT_EQ(w.stanzas[0].rerouted, 1);
    ASSERT_NE(w.stanzas[0].via, 0);
    EXPECT_NE(w.stanzas[0].via, 1);
    const Connection* again = w.connection(w.stanzas[0].via);
    ASSERT_NE(again, nullptr) << "capulet dialled again (DB-3)";
    EXPECT_EQ(m.scenario().server_names[again->initiator], "capulet");
    w = walk_until(m, w, [&m](const World& x) { return m.is_final(x); });
    ASSERT_TRUE(m.is_final(w));
    EXPECT_EQ(w.stanzas[0].fate, Fate::Delivered);
    EXPECT_EQ(w.stanzas[0].deliveries, 1);
    EXPECT_EQ(w.stanzas[0].bounces, 0);
    EXPECT_NE(w.stanzas[0].via, 1);
    bool witnessed = false;
    for (const auto& p : m.properties())
        if (p.name == "stanza-delivered-after-reset") witnessed = p.holds(m, w);
    EXPECT_TRUE(witnessed);
}

TEST(Reset, CORE_19_AStanzaWrittenAndNotReadIsLost) {
    const auto m = with_resets("capulet-montague", 1);
    const World w = walk_until(m, m.initial_states()[0], [](const World& x) {
        for (const auto& s : x.stanzas)
            if (s.fate == Fate::InFlight) return true;
        return false;
    });
    std::size_t k = 0;
    while (k < w.stanzas.size() && w.stanzas[k].fate != Fate::InFlight) ++k;
    ASSERT_LT(k, w.stanzas.size());
    const std::uint16_t via = w.stanzas[k].via;
    World r = after(m, w, *reset_of(m, w, via));
    EXPECT_EQ(r.stanzas[k].fate, Fate::Lost);
    EXPECT_EQ(r.stanzas[k].deliveries, 0);
    EXPECT_EQ(r.stanzas[k].bounces, 0) << "the sender cannot know: no bounce (CORE-47, CORE-52)";
    r = walk_until(m, r, [&m](const World& x) { return m.is_final(x); });
    EXPECT_TRUE(m.is_final(r)) << "a lost stanza is settled once a reset happened";
    EXPECT_EQ(r.stanzas[k].fate, Fate::Lost) << "never sent again";
    EXPECT_TRUE(m.all_settled(r));
    // Without a reset, a Lost stanza would be no settled one.
    World no_reset = r;
    no_reset.resets_left = static_cast<std::uint8_t>(m.scenario().resets);
    EXPECT_FALSE(m.all_settled(no_reset));
}

TEST(Reset, DB_17_DB_36_AResetFailsTheVerificationsTheConnectionCarried) {
    // no-tls: dialback only. Every reset of a connection whose initiating
    // stream waits for the answer to a db:verify: the receiving stream that
    // asked (on another connection, BIDI-6) answers its peer type='error'.
    const auto m = with_resets("no-tls", 1);
    std::size_t checked = 0;
    sweep(m, [&](const World& before, const Action& a, const World& next) {
        if (a.kind != Action::Kind::Reset) return;
        const Connection* c = before.connection(a.connection);
        ASSERT_NE(c, nullptr);
        const PendingVerifies& pending = c->i.data().verifies;
        for (std::size_t k = 0; k < pending.size(); ++k)
            for (const auto& asker : before.connections) {
                if (asker.number == c->number || asker.r.data().stream_id != pending[k].id ||
                    asker.r.state() == ReceivingStream::State::Closed)
                    continue;
                ++checked;
                const Connection* now = next.connection(asker.number);
                ASSERT_NE(now, nullptr) << m.describe(a);
                bool answered_error = false;
                for (const auto& e : now->to_initiator)
                    answered_error = answered_error || (e.kind == ElementKind::DbResult && e.type == DbType::Error);
                EXPECT_TRUE(answered_error) << m.describe(a);
            }
    });
    EXPECT_GT(checked, 0u) << "no reset met a pending db:verify";
}

TEST(Reset, ResetsLeftBoundsTheNumberOfResets) {
    for (int n = 0; n <= 3; ++n) {
        const auto m = with_resets("capulet-montague", n);
        World w = m.initial_states()[0];
        EXPECT_EQ(w.resets_left, n);
        int done = 0;
        for (int steps = 0; steps < 400; ++steps) {
            const auto acts = enabled(m, w);
            if (acts.empty()) break;
            const Action* pick = &acts[0];
            for (const auto& a : acts)
                if (a.kind == Action::Kind::Reset) pick = &a;  // reset whenever one is enabled
            done += pick->kind == Action::Kind::Reset;
            w = after(m, w, *pick);
        }
        EXPECT_EQ(done, n);
        EXPECT_EQ(w.resets_left, 0);
        EXPECT_TRUE(m.is_final(w)) << n;
    }
    // Over every reachable world: each reset takes one from resets_left, and
    // none is enabled once it is 0.
    const auto m = with_resets("capulet-montague", 2);
    std::size_t resets = 0;
    sweep(m, [&](const World& before, const Action& a, const World& next) {
        if (before.resets_left == 0) {
            EXPECT_EQ(resets_enabled(m, before), 0u);
        }
        if (a.kind != Action::Kind::Reset) {
            EXPECT_EQ(next.resets_left, before.resets_left);
            return;
        }
        ++resets;
        EXPECT_EQ(next.resets_left + 1, before.resets_left);
    });
    EXPECT_GT(resets, 0u);
}

TEST(Reset, WithoutResetsNoResetIsEverEnabled) {
    for (const char* name : {"capulet-montague", "no-bidi", "no-tls", "mixed-policies", "untrusted-cert"}) {
        const CheckedModel m(make_scenario(shipped_topology(name)));
        ASSERT_EQ(m.scenario().resets, 0) << name;
        std::size_t steps = 0;
        sweep(m, [&](const World&, const Action& a, const World&) {
            ++steps;
            EXPECT_NE(a.kind, Action::Kind::Reset) << name;
        });
        EXPECT_GT(steps, 0u) << name;
    }
}

TEST(Reset, CORE_52_CORE_56_TheResetTopologyPassesAndShowsTheReconnect) {
    const CheckedModel m(make_scenario(shipped_topology("capulet-montague-reset")));
    EXPECT_EQ(m.scenario().resets, 1);
    sim::ExploreOptions o;
    o.require_witnesses = false;  // one topology need not show every witness
    const auto r = sim::Explorer<CheckedModel>(m, o).run();
    ASSERT_TRUE(r.complete);
    EXPECT_EQ(r.verdict(), sim::Verdict::Pass);
    for (const auto& p : r.properties) EXPECT_NE(p.status, sim::Status::Violated) << p.name;
    EXPECT_EQ(r.find("every-stanza-settled")->status, sim::Status::Holds);
    EXPECT_EQ(r.find("stanza-delivered-after-reset")->status, sim::Status::Witnessed);
    const auto none =
        sim::Explorer<CheckedModel>(CheckedModel(make_scenario(shipped_topology("capulet-montague"))), o).run();
    EXPECT_EQ(none.find("stanza-delivered-after-reset")->status, sim::Status::NotWitnessed);
}

}  // namespace
}  // namespace bidilab::model
