// The router's policy switches, on the XEP-0288 §3 example topologies played
// by their own schedules: reverse dialback over an incoming bidi stream
// (BIDI-8, BIDI-9, BIDI-13, EXT-2) and verify-only connections (DB-16, EXT-3).
#include <gtest/gtest.h>

#include "model/router.hpp"
#include "model/xmpp_model.hpp"
#include "properties/catalogue.hpp"
#include "sim/explorer.hpp"
#include "sim/schedule.hpp"
#include "topologies/topology.hpp"

namespace bidilab::model {
namespace {

using properties::CheckedModel;

topologies::Topology example(int n) {
    return topologies::load_topology(topologies::shipped_topologies_dir() /
                                     ("xep0288-example" + std::to_string(n) + ".json"));
}

// The world after the first `steps` entries of the topology's schedule (all when -1).
World play(const CheckedModel& m, const std::vector<std::string>& schedule, int steps = -1) {
    std::vector<std::string> entries = schedule;
    if (steps >= 0) entries.resize(static_cast<std::size_t>(steps));
    const auto r = sim::replay(m, sim::schedule_trace(m, entries));
    return r.steps.empty() ? r.initial : r.steps.back().state;
}

DomainId domain(const CheckedModel& m, const char* name) { return *m.scenario().names.find_domain(name); }

// The schedule of example 5 up to and including montague submitting the
// stanza from conference.montague.lit (its second submission).
int steps_to_reverse_request(const std::vector<std::string>& schedule) {
    int submissions = 0;
    for (std::size_t i = 0; i < schedule.size(); ++i)
        if (schedule[i] == "montague submits its next stanza" && ++submissions == 2) return static_cast<int>(i + 1);
    return -1;
}

TEST(ReverseDialback, AsksForThePairOnTheIncomingBidiStream_BIDI8_BIDI9) {
    const auto t = example(5);
    const CheckedModel m(make_scenario(t));
    const int k = steps_to_reverse_request(t.schedule);
    ASSERT_GT(k, 0);
    const World w = play(m, t.schedule, k);
    const DomainId conference = domain(m, "conference.montague.lit"), capulet = domain(m, "capulet.lit");
    const Connection* c1 = w.connection(1);
    ASSERT_NE(c1, nullptr);
    EXPECT_EQ(c1->r.data().rev.get(conference, capulet), PairState::Requested);
    ASSERT_FALSE(c1->to_initiator.empty());
    const Element& asked = c1->to_initiator.back();
    EXPECT_EQ(asked.kind, ElementKind::DbResult);
    EXPECT_EQ(asked.type, DbType::None);
    EXPECT_EQ(asked.from, conference);
    EXPECT_EQ(asked.to, capulet);
    for (const auto& c : w.connections) EXPECT_NE(c.i.data().from, conference) << "montague dialled out";
    EXPECT_EQ(w.stanzas[2].fate, Fate::Queued);
    EXPECT_EQ(w.stanzas[2].via, 1);
}

// Example 5 without its last stanza (capulet to the conference room, which
// multiplies the orderings by 25): enough for every ordering of the reverse
// dialback. The whole example is checked with the shipped library.
topologies::Topology example5_reverse_part() {
    auto t = example(5);
    t.stanzas.pop_back();
    return t;
}

TEST(ReverseDialback, ProsodyDialsOutInstead) {
    auto t = example5_reverse_part();
    for (auto& s : t.servers) s.reverse_dialback = false;
    const CheckedModel m(make_scenario(t));
    const World w = play(m, t.schedule, steps_to_reverse_request(t.schedule));
    const DomainId conference = domain(m, "conference.montague.lit");
    EXPECT_EQ(w.connection(1)->r.data().rev.size(), 0u);
    bool dialled = false;
    for (const auto& c : w.connections) dialled = dialled || (c.initiator == 1 && c.i.data().from == conference);
    EXPECT_TRUE(dialled);
    auto r = sim::Explorer<CheckedModel>(m).run();
    EXPECT_EQ(r.find("reverse-dialback-validates")->status, sim::Status::NotWitnessed);
}

TEST(ReverseDialback, ValidatedPairCarriesTheStanzaAndAuthorizesTheInitiator_BIDI13) {
    const auto t = example(5);
    const CheckedModel m(make_scenario(t));
    const World w = play(m, t.schedule);
    EXPECT_TRUE(m.is_final(w));
    const DomainId conference = domain(m, "conference.montague.lit"), capulet = domain(m, "capulet.lit");
    const Connection* c1 = w.connection(1);
    ASSERT_NE(c1, nullptr);
    EXPECT_EQ(c1->i.data().rev.get(conference, capulet), PairState::Valid);
    EXPECT_EQ(c1->r.data().rev.get(conference, capulet), PairState::Valid);
    EXPECT_TRUE(c1->i.may_send(capulet, conference)) << "BIDI-13: C may now send to conference.montague.lit";
    EXPECT_TRUE(c1->r.accepts(capulet, conference));
    EXPECT_EQ(w.stanzas[2].fate, Fate::Delivered);
    EXPECT_EQ(w.stanzas[2].via, 1);
    EXPECT_EQ(w.stanzas[2].reverse, 1);
    // And C sends to that domain (BIDI-13): juliet's message to the room, on capulet's own
    // stream of connection 1, with no dialback of its own for the pair.
    ASSERT_EQ(w.stanzas.size(), 4u);
    EXPECT_EQ(m.scenario().stanzas[3].to, conference);
    EXPECT_EQ(w.stanzas[3].fate, Fate::Delivered);
    EXPECT_EQ(w.stanzas[3].via, 1);
    EXPECT_EQ(w.stanzas[3].reverse, 0);
    EXPECT_EQ(c1->i.data().fwd.get(capulet, conference), PairState::Idle);
    EXPECT_EQ(w.connections.size(), 1u) << "both verify-only connections are closed and gone";
    EXPECT_TRUE(w.violations.empty());
}

TEST(ReverseDialback, EveryOrderingPassesAndWitnessesIt) {
    const CheckedModel m(make_scenario(example5_reverse_part()));
    sim::ExploreOptions o;
    o.require_witnesses = false;
    auto r = sim::Explorer<CheckedModel>(m, o).run();
    EXPECT_TRUE(r.complete);
    EXPECT_EQ(r.verdict(), sim::Verdict::Pass);
    EXPECT_EQ(r.find("reverse-dialback-validates")->status, sim::Status::Witnessed);
    EXPECT_EQ(r.find("stanza-over-bidi")->status, sim::Status::Witnessed);
}

TEST(VerifyOnlyConnections, CarryOnlyTheVerifyAndClose_DB16_EXT3) {
    const auto t = example(4);
    const CheckedModel m(make_scenario(t));
    std::vector<sim::Step<CheckedModel>> steps = sim::replay(m, sim::schedule_trace(m, t.schedule)).steps;
    bool saw_verify_only = false, saw_close = false;
    for (const auto& s : steps)
        for (const auto& c : s.state.connections) {
            if (c.number != 2) continue;
            EXPECT_TRUE(c.i.data().has(InitiatingData::kVerifyOnly));
            EXPECT_EQ(c.i.data().fwd.size(), 0u) << "no db:result of its own";
            EXPECT_FALSE(c.i.data().has(InitiatingData::kBidi));
            saw_verify_only = true;
            saw_close = saw_close || c.i.state() == InitiatingStream::State::Closed;
        }
    EXPECT_TRUE(saw_verify_only);
    EXPECT_TRUE(saw_close);
    const World& w = steps.back().state;
    EXPECT_TRUE(m.is_final(w));
    EXPECT_EQ(w.connections.size(), 1u);
    // The answer to the ping goes back over the bidi stream, not a stream of montague's own.
    EXPECT_EQ(w.stanzas[1].fate, Fate::Delivered);
    EXPECT_EQ(w.stanzas[1].via, 1);
    EXPECT_EQ(w.stanzas[1].reverse, 1);
}

TEST(VerifyOnlyConnections, ProsodyOpensItsOrdinaryStreamToTheAuthority) {
    auto t = example(4);
    for (auto& s : t.servers) s.verify_only_connections = false;
    const CheckedModel m(make_scenario(t));
    // Up to the db:verify: the second stream is montague's ordinary one, asking for its own pair too.
    const auto r = sim::replay(m, sim::schedule_trace(m, {t.schedule.begin(), t.schedule.begin() + 12}));
    const Connection* c2 = r.steps.back().state.connection(2);
    ASSERT_NE(c2, nullptr);
    EXPECT_FALSE(c2->i.data().has(InitiatingData::kVerifyOnly));
    sim::ExploreOptions o;
    o.require_witnesses = false;
    EXPECT_EQ(sim::Explorer<CheckedModel>(m, o).run().verdict(), sim::Verdict::Pass);
}

}  // namespace
}  // namespace bidilab::model

namespace bidilab::model {
namespace {

// keep_canonical_order: a connection the router opens takes its place in
// the canonical order at once (model/world.hpp), not at the end, so every
// lookup after it in the same step sees that order. In capulet-montague,
// montague (server 1) dials first; capulet (server 0) dials next, and its
// connection, of the smaller identity, goes before montague's.
TEST(RouterOrder, ANewConnectionTakesItsCanonicalPlaceAtOnce) {
    const Scenario sc = make_scenario(
        topologies::load_topology(topologies::shipped_topologies_dir() / "capulet-montague.json"));
    for (const bool canonical : {true, false}) {
        World w;
        w.stanzas.assign(sc.stanzas.size(), StanzaRecord{});
        Router router(sc, w);
        if (canonical) router.keep_canonical_order();
        router.submit(1);  // montague dials: connection 1
        router.submit(0);  // capulet dials: connection 2
        ASSERT_EQ(w.connections.size(), 2u);
        EXPECT_EQ(w.connections[0].initiator, canonical ? 0 : 1);
        EXPECT_EQ(w.connections[0].number, canonical ? 2 : 1);
        World sorted = w;
        EXPECT_EQ(put_in_canonical_order(sorted, sc), !canonical);
    }
}

}  // namespace
}  // namespace bidilab::model
