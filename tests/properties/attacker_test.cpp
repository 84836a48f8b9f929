// The attacker (model/attacker.hpp): the 2012 unsolicited dialback attack is
// found against a victim with quirk accept-unsolicited-dialback and not
// without it; keys the attacker cannot mint or only replays get nothing
// validated (KEY-1, DB-30); its forgeries stay within the bounds.
#include <gtest/gtest.h>

#include <deque>
#include <functional>
#include <set>
#include <stdexcept>

#include "model/attacker.hpp"
#include "properties/catalogue.hpp"
#include "sim/explorer.hpp"
#include "sim/fingerprint.hpp"
#include "topologies/topology.hpp"

namespace bidilab::properties {
namespace {

using model::Action;
using model::DbType;
using model::Element;
using model::ElementKind;
using model::World;

topologies::Topology attack_topology() {
    return topologies::load_topology(topologies::shipped_topologies_dir() / "attack-unsolicited-dialback.json");
}

CheckedModel attack_model(const std::string& victim_quirk = "") {
    auto t = attack_topology();
    if (!victim_quirk.empty()) t.servers[0].quirks = {victim_quirk};  // capulet
    return CheckedModel(model::make_scenario(t));
}

model::DomainId domain(const CheckedModel& m, const char* name) { return *m.scenario().names.find_domain(name); }

// Takes the first enabled action `pick` accepts; throws when there is none.
World take(const CheckedModel& m, const World& w, const std::function<bool(const Action&)>& pick) {
    std::vector<Action> acts;
    m.actions(w, acts);
    for (const auto& a : acts)
        if (pick(a)) return *m.next_state(w, a);
    throw std::runtime_error("no such action enabled");
}

// Runs honest steps (never a forgery, never a submission) until none is left.
World quiesce(const CheckedModel& m, World w) {
    for (int steps = 0; steps < 200; ++steps) {
        std::vector<Action> acts;
        m.actions(w, acts);
        const Action* next = nullptr;
        for (const auto& a : acts)
            if (!a.forged && a.kind != Action::Kind::Submit) {
                next = &a;
                break;
            }
        if (!next) return w;
        w = *m.next_state(w, *next);
    }
    throw std::runtime_error("no quiescence");
}

bool forges(const Action& a, ElementKind kind, model::DomainId from) {
    return a.forged && a.element.kind == kind && a.element.from == from;
}

const model::Connection* dialled_by(const CheckedModel& m, const World& w, const char* attacker, const char* victim) {
    const auto& names = m.scenario().server_names;
    for (const auto& c : w.connections)
        if (names[c.initiator] == attacker && names[c.receiver] == victim) return &c;
    return nullptr;
}

TEST(Attacker, BIDI_11_DB_45_DB_46_CleanVictimsResistTheUnsolicitedDialbackAttack) {
    const auto m = attack_model();
    const auto r = sim::Explorer<CheckedModel>(m).run();
    ASSERT_TRUE(r.complete);
    for (const auto& p : r.properties) EXPECT_NE(p.status, sim::Status::Violated) << p.name;
    // Not vacuous: somewhere tybalt proved tybalt.lit and got a stanza of its own accepted.
    std::set<std::uint64_t> seen;
    std::deque<World> queue{m.initial_states()[0]};
    bool own_stanza_accepted = false;
    while (!queue.empty() && !own_stanza_accepted) {
        const World w = queue.front();
        queue.pop_front();
        own_stanza_accepted = w.forged_accepted > 0;
        std::vector<Action> acts;
        m.actions(w, acts);
        for (const auto& a : acts) {
            World next = *m.next_state(w, a);
            if (seen.insert(sim::fingerprint(next)).second) queue.push_back(std::move(next));
        }
    }
    EXPECT_TRUE(own_stanza_accepted);
}

TEST(Attacker, DB_10_BIDI_12_TheUnsolicitedResultHijacksATargetOnlyWithTheQuirk) {
    const auto m = attack_model("accept-unsolicited-dialback");
    const auto r = sim::Explorer<CheckedModel>(m).run();
    const auto* hijack = r.find("no-stanza-to-unproven-peer");
    ASSERT_NE(hijack, nullptr);
    ASSERT_EQ(hijack->status, sim::Status::Violated);
    EXPECT_EQ(hijack->trace->length(), 8u);
    EXPECT_EQ(r.find("typed-answers-correlate")->status, sim::Status::Violated);
    EXPECT_EQ(r.find("no-stanza-from-unproven-sender")->status, sim::Status::Holds);
    // The last step: juliet's stanza for montague.lit is written to tybalt.
    const auto replay = sim::replay(m, *hijack->trace);
    const World& last = replay.steps.back().state;
    const model::Connection* via = last.connection(last.stanzas[0].via);
    ASSERT_NE(via, nullptr);
    EXPECT_EQ(m.scenario().server_names[via->receiver], "tybalt");
    // The forgery that did it: db:result montague.lit → capulet.lit type='valid'.
    const Action& forged = replay.steps.back().action.forged ? replay.steps.back().action
                                                              : replay.steps[replay.steps.size() - 2].action;
    EXPECT_TRUE(forged.forged);
    EXPECT_EQ(forged.element.kind, ElementKind::DbResult);
    EXPECT_EQ(forged.element.type, DbType::Valid);
    EXPECT_EQ(forged.element.from, domain(m, "montague.lit"));
}

TEST(Attacker, KEY_1_DB_30_AKeyOfTheAttackersSecretValidatesOnlyItsOwnDomain) {
    const auto m = attack_model();
    const auto montague = domain(m, "montague.lit");
    World w = take(m, m.initial_states()[0], [&](const Action& a) {
        return forges(a, ElementKind::StreamOpen, domain(m, "tybalt.lit")) &&
               m.scenario().server_names[m.scenario().server_of(a.element.to)] == "capulet";
    });
    // tybalt claims montague.lit with a key of its own secret; capulet asks montague.
    w = take(m, w, [&](const Action& a) { return forges(a, ElementKind::DbResult, montague) && a.element.type == DbType::None; });
    EXPECT_EQ(w.forgeries_left, 1);
    w = quiesce(m, w);
    const model::Connection* c = dialled_by(m, w, "tybalt", "capulet");
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->r.pair(montague, domain(m, "capulet.lit")), model::PairState::Invalid);
    EXPECT_EQ(c->r.state(), model::ReceivingStream::State::Closed);  // DB-27: first attempt, invalid
    EXPECT_TRUE(w.violations.empty());
}

TEST(Attacker, KEY_1_AReplayedKeyFailsForAnotherTargetAndStream) {
    const auto m = attack_model();
    const auto tybalt = domain(m, "tybalt.lit"), capulet = domain(m, "capulet.lit"), montague = domain(m, "montague.lit");
    auto dials = [&](const char* victim) {
        return [&m, tybalt, victim](const Action& a) {
            return forges(a, ElementKind::StreamOpen, tybalt) &&
                   m.scenario().server_names[m.scenario().server_of(a.element.to)] == victim;
        };
    };
    // tybalt claims tybalt.lit to capulet: capulet dials it back and sends
    // its own db:result with capulet's key, which tybalt reads.
    World w = take(m, m.initial_states()[0], dials("capulet"));
    w = take(m, w, [&](const Action& a) { return forges(a, ElementKind::DbResult, tybalt) && a.element.type == DbType::None; });
    w = quiesce(m, w);
    ASSERT_EQ(w.seen_keys.size(), 1u);
    EXPECT_EQ(w.seen_keys[0].from, capulet);
    // Replayed to montague as capulet.lit's claim: montague asks capulet, who says invalid.
    w = take(m, w, dials("montague"));
    w = take(m, w, [&](const Action& a) {
        return a.forged && a.element.kind == ElementKind::DbResult && a.element.type == DbType::None &&
               a.element.from == capulet && a.element.key == w.seen_keys[0];
    });
    w = quiesce(m, w);
    const model::Connection* c = dialled_by(m, w, "tybalt", "montague");
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->r.pair(capulet, montague), model::PairState::Invalid);
    EXPECT_EQ(w.forgeries_left, 0);
}

TEST(Attacker, ForgeriesAreBoundedAndEachVictimDialledOnce) {
    const auto m = attack_model();
    World w = m.initial_states()[0];
    EXPECT_EQ(w.forgeries_left, m.scenario().forgeries);
    std::vector<Action> acts;
    m.actions(w, acts);
    std::size_t dials = 0;
    for (const auto& a : acts) dials += a.forged;
    EXPECT_EQ(dials, 2u);  // capulet and montague
    w.forgeries_left = 0;
    w = take(m, w, [](const Action& a) { return a.forged; });
    acts.clear();
    m.actions(w, acts);
    for (const auto& a : acts) {
        if (!a.forged) continue;
        EXPECT_EQ(a.element.kind, ElementKind::StreamOpen) << m.describe(a);  // only the other dial
    }
}

TEST(Attacker, AnAttackerSubmitsNoStanzas) {
    auto t = attack_topology();
    t.stanzas.push_back({"tybalt.lit", "juliet@capulet.lit"});
    EXPECT_THROW(model::make_scenario(t), std::invalid_argument);
}

}  // namespace
}  // namespace bidilab::properties
