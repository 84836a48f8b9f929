// The global protocol model: shipped topologies explored to completion,
// routing outcomes, determinism, and the symmetry reduction on labels.
#include <gtest/gtest.h>

#include <map>

#include "model/xmpp_model.hpp"
#include "properties/catalogue.hpp"
#include "sim/explorer.hpp"
#include "sim/fingerprint.hpp"
#include "topologies/topology.hpp"

namespace bidilab::model {
namespace {

using properties::CheckedModel;

CheckedModel shipped(const std::string& name) {
    return CheckedModel(make_scenario(topologies::load_topology(topologies::shipped_topologies_dir() / (name + ".json"))));
}

CheckedModel inline_topology(const std::string& json) {
    return CheckedModel(make_scenario(topologies::parse_topology(json, "inline.json")));
}

// Pinned: a change of the second count (--symmetry off: only stream ids and
// connection numbers renamed) is a change of the model's behaviour. The first
// (the connections as a set, the default) moves also when the canonical
// order does (model/README.md, "Symmetry"): it decides which of two usable
// connections a lookup takes, and how much merges.
// States with the connection symmetry, without it, and with the symmetry and
// partial-order reduction (`check`'s default): the same every run.
TEST(XmppModel, ShippedTopologiesPassWithPinnedStateCounts) {
    struct Counts {
        std::uint64_t symmetry, plain, reduced;
    };
    const std::map<std::string, Counts> expected{
        {"attack-unsolicited-dialback", {12432, 28517, 11326}},
        {"capulet-montague", {336, 625, 148}},
        {"capulet-montague-reset", {1086, 1953, 826}},
        {"legacy-peer", {99, 139, 93}},
        {"mixed-policies", {246, 391, 149}},
        {"multiplexing", {88669, 209733, 67274}},
        {"no-bidi", {289, 545, 98}},
        {"no-tls", {129, 189, 116}},
        {"three-servers-muc", {10368, 91866, 832}},
        {"open-choices", {39679, 53119, 22779}},
        {"untrusted-cert", {283, 491, 148}},
        {"xep0288-example3", {336, 625, 148}},
        {"xep0288-example4", {702, 823, 302}},
        {"xep0288-example5", {415699, 521842, 83161}}};
    for (const auto& [name, counts] : expected) {
        for (int run = 0; run < 3; ++run) {
            auto m = shipped(name);
            m.set_symmetry(run == 1 ? Symmetry::StreamIds : Symmetry::Connections);
            sim::ExploreOptions o;
            o.require_witnesses = false;
            o.partial_order = run == 2;
            auto r = sim::Explorer<CheckedModel>(m, o).run();
            const std::string what = name + (run == 1 ? " (symmetry off)" : run == 2 ? " (partial order)" : "");
            EXPECT_TRUE(r.complete) << what;
            EXPECT_EQ(r.verdict(), sim::Verdict::Pass) << what;
            EXPECT_EQ(r.states, run == 0 ? counts.symmetry : run == 1 ? counts.plain : counts.reduced) << what;
            for (const auto& p : r.properties)
                EXPECT_NE(p.status, sim::Status::Violated) << what << ": " << p.name;
        }
    }
}

// outcome() and fates_of() are one format, written and read back.
TEST(XmppModel, FatesOfAnOutcomeAreItsParts) {
    using V = std::vector<std::string>;
    EXPECT_EQ(XmppModel::fates_of("#0 delivered; #1 bounced (remote-server-timeout); #2 lost"),
              (V{"delivered", "bounced (remote-server-timeout)", "lost"}));
    EXPECT_EQ(XmppModel::fates_of("#0 delivered"), V{"delivered"});
    EXPECT_EQ(XmppModel::fates_of(""), V{});
}

TEST(XmppModel, BreadthAndDepthFirstAgree) {
    auto m = shipped("capulet-montague");
    sim::ExploreOptions bfs, dfs;
    dfs.order = sim::Order::DepthFirst;
    auto a = sim::Explorer<CheckedModel>(m, bfs).run();
    auto b = sim::Explorer<CheckedModel>(m, dfs).run();
    EXPECT_EQ(a.states, b.states);
    EXPECT_EQ(a.transitions, b.transitions);
    EXPECT_EQ(a.verdict(), b.verdict());
}

TEST(XmppModel, BIDI_5_BIDI_7_BidiLetsTheReceivingServerSendBack) {
    auto r = sim::Explorer<CheckedModel>(shipped("capulet-montague")).run();
    EXPECT_EQ(r.find("stanza-over-bidi")->status, sim::Status::Witnessed);
    auto no_bidi = sim::Explorer<CheckedModel>(shipped("no-bidi")).run();
    EXPECT_EQ(no_bidi.find("stanza-over-bidi")->status, sim::Status::NotWitnessed) << "DB-32, CORE-1";
}

TEST(XmppModel, CORE_52_NoWayToAuthenticateBouncesWithRemoteServerTimeout) {
    // montague offers no dialback and capulet's certificate is untrusted: no
    // SASL EXTERNAL, no dialback; the stream closes and the stanza bounces.
    auto m = inline_topology(R"({"name": "stuck", "servers": [
        {"name": "capulet", "domains": ["capulet.lit"], "certificate": {"names": ["capulet.lit"], "trusted": false}},
        {"name": "montague", "domains": ["montague.lit"], "certificate": {"names": ["montague.lit"]}, "dialback": false}],
        "stanzas": [{"from": "capulet.lit", "to": "montague.lit"}]})");
    auto w = m.initial_states()[0];
    std::vector<Action> acts;
    for (int steps = 0; steps < 100; ++steps) {  // any one ordering: all end alike
        acts.clear();
        m.actions(w, acts);
        if (acts.empty()) break;
        w = *m.next_state(w, acts[0]);
    }
    EXPECT_TRUE(m.is_final(w));
    EXPECT_EQ(w.stanzas[0].fate, Fate::Bounced);
    EXPECT_EQ(w.stanzas[0].bounce, Condition::RemoteServerTimeout);
    EXPECT_TRUE(w.violations.empty());
    auto r = sim::Explorer<CheckedModel>(m).run();
    EXPECT_EQ(r.find("every-stanza-settled")->status, sim::Status::Holds);
}

TEST(XmppModel, DB_17_DB_36_AClosedStreamFailsTheVerificationsItCarried) {
    // montague (quirk swapped-bidi-namespaces) sends its db:verify for
    // capulet's key on its outgoing stream, which capulet then closes over
    // the <bidi/> in the wrong namespace: the verification is failed, capulet
    // hears type='error', and its stanza is bounced instead of waiting forever.
    auto m = CheckedModel(make_scenario(topologies::load_topology(
        topologies::shipped_topologies_dir() / "mutants" / "swapped-bidi-namespaces.json")));
    sim::ExploreOptions o;
    o.require_witnesses = false;
    auto r = sim::Explorer<CheckedModel>(m, o).run();
    ASSERT_TRUE(r.complete);
    EXPECT_EQ(r.find("every-stanza-settled")->status, sim::Status::Holds);
    EXPECT_EQ(r.find("no-deadlock")->status, sim::Status::Holds);
}

TEST(XmppModel, CORE_7_CORE_15_FreshStreamIdsOnEveryRestart) {
    auto m = shipped("capulet-montague");
    auto w = m.initial_states()[0];
    std::vector<Action> acts;
    std::vector<StreamId> seen;
    for (int steps = 0; steps < 200; ++steps) {
        acts.clear();
        m.actions(w, acts);
        if (acts.empty()) break;
        w = *m.next_state(w, acts.back());
        for (const auto& c : w.connections) {
            StreamId id = c.r.data().stream_id;
            if (id != kNoStream && std::find(seen.begin(), seen.end(), id) == seen.end()) seen.push_back(id);
        }
    }
    // Each connection has three epochs (initial, after TLS, after SASL), each its own id.
    const std::size_t connections = w.next_connection - 1u;
    EXPECT_GE(connections, 1u);
    EXPECT_EQ(seen.size(), 3 * connections);
}

TEST(XmppModel, RenamingStreamIdsKeepsTheFingerprint) {
    auto m = shipped("capulet-montague");
    auto w = m.initial_states()[0];
    std::vector<Action> acts;
    for (int steps = 0; steps < 6; ++steps) {
        acts.clear();
        m.actions(w, acts);
        w = *m.next_state(w, acts[0]);
    }
    ASSERT_FALSE(w.connections.empty());
    World shifted = w;
    shifted.next_stream_id = static_cast<StreamId>(w.next_stream_id + 40);
    shifted.next_connection = static_cast<std::uint16_t>(w.next_connection + 7);
    EXPECT_EQ(sim::fingerprint(w), sim::fingerprint(shifted)) << "counters are not part of the state's identity";
    World other = w;
    other.stanzas[0].fate = Fate::Bounced;
    EXPECT_NE(sim::fingerprint(w), sim::fingerprint(other));
}

}  // namespace
}  // namespace bidilab::model
