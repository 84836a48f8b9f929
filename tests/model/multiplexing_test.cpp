// Dialback multiplexing (XEP-0220 §2.6): with "multiplexing": true a server
// asks for a new domain pair on its established stream to the same server
// (DB-40): sender multiplexing freely (DB-41), target multiplexing only when
// the peer offers dialback errors (DB-42, DB-43). Without it (Prosody 0.12)
// every pair gets a connection of its own.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "model/xmpp_model.hpp"
#include "topologies/topology.hpp"

namespace bidilab::model {
namespace {

struct Switches {
    bool multiplexing = true;
    bool capulet_dialback_errors = true;
    bool montague_dialback_errors = true;
};

std::string flag(bool b) { return b ? "true" : "false"; }

const char* const kTargetMultiplexing = R"(
      [{"from": "juliet@capulet.lit/balcony", "to": "romeo@montague.lit"},
       {"from": "juliet@capulet.lit/balcony", "to": "balcony@conference.montague.lit"}])";
// montague.lit's stream to capulet.lit is the one montague dials to have
// capulet verify the first key; conference.montague.lit joins it.
const char* const kSenderMultiplexing = R"(
      [{"from": "juliet@capulet.lit/balcony", "to": "romeo@montague.lit"},
       {"from": "montague.lit", "to": "capulet.lit"},
       {"from": "conference.montague.lit", "to": "capulet.lit"}])";

XmppModel model(const Switches& s, const char* stanzas) {
    const std::string json = R"({"name": "mux", "servers": [
      {"name": "capulet", "domains": ["capulet.lit"], "tls": "none", "bidi": false,
       "multiplexing": )" + flag(s.multiplexing) + R"(, "dialback_errors": )" + flag(s.capulet_dialback_errors) + R"(},
      {"name": "montague", "domains": ["montague.lit", "conference.montague.lit"], "tls": "none", "bidi": false,
       "multiplexing": )" + flag(s.multiplexing) + R"(, "dialback_errors": )" + flag(s.montague_dialback_errors) + R"(}],
      "stanzas": )" + stanzas + "}";
    return XmppModel(make_scenario(topologies::parse_topology(json, "inline.json")));
}

// One ordering: every element is read before the next stanza is submitted,
// so each stanza finds the streams of the ones before it established.
World play_settling_each(const XmppModel& m) {
    World w = m.initial_states().front();
    std::vector<Action> actions;
    for (int step = 0; step < 1000; ++step) {
        actions.clear();
        m.actions(w, actions);
        if (actions.empty()) return w;
        const auto other = std::find_if(actions.begin(), actions.end(),
                                        [](const Action& a) { return a.kind != Action::Kind::Submit; });
        w = *m.next_state(w, other != actions.end() ? *other : actions.front());
    }
    ADD_FAILURE() << "the ordering did not end";
    return w;
}

DomainId domain(const XmppModel& m, const char* name) { return *m.scenario().names.find_domain(name); }

TEST(Multiplexing, DB_40_DB_42_TargetMultiplexingUsesTheEstablishedStream) {
    const XmppModel m = model({}, kTargetMultiplexing);
    const World w = play_settling_each(m);
    ASSERT_TRUE(m.is_final(w));
    for (const auto& s : w.stanzas) EXPECT_EQ(s.fate, Fate::Delivered);
    EXPECT_EQ(w.stanzas[1].via, w.stanzas[0].via);  // conference.montague.lit over capulet's first stream
    const Connection* c = w.connection(w.stanzas[0].via);
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->i.pair(domain(m, "capulet.lit"), domain(m, "conference.montague.lit")), PairState::Valid);
    EXPECT_EQ(c->r.pair(domain(m, "capulet.lit"), domain(m, "conference.montague.lit")), PairState::Valid);
}

TEST(Multiplexing, DB_41_SenderMultiplexingNeedsNoDialbackErrors) {
    Switches s;
    s.capulet_dialback_errors = false;  // capulet never offers dialback errors
    const XmppModel m = model(s, kSenderMultiplexing);
    const World w = play_settling_each(m);
    ASSERT_TRUE(m.is_final(w));
    for (const auto& st : w.stanzas) EXPECT_EQ(st.fate, Fate::Delivered);
    EXPECT_EQ(w.stanzas[2].via, w.stanzas[1].via);  // conference.montague.lit as a second sender
    const Connection* c = w.connection(w.stanzas[1].via);
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->i.pair(domain(m, "conference.montague.lit"), domain(m, "capulet.lit")), PairState::Valid);
}

TEST(Multiplexing, DB_42_NoTargetMultiplexingWithoutDialbackErrors) {
    Switches s;
    s.montague_dialback_errors = false;
    const XmppModel m = model(s, kTargetMultiplexing);
    const World w = play_settling_each(m);
    ASSERT_TRUE(m.is_final(w));
    EXPECT_EQ(w.stanzas[1].fate, Fate::Delivered);
    EXPECT_NE(w.stanzas[1].via, w.stanzas[0].via);  // a connection of its own
}

TEST(Multiplexing, ProsodyDialsAConnectionPerPair) {
    Switches s;
    s.multiplexing = false;
    for (const char* stanzas : {kTargetMultiplexing, kSenderMultiplexing}) {
        const XmppModel m = model(s, stanzas);
        const World w = play_settling_each(m);
        ASSERT_TRUE(m.is_final(w));
        for (const auto& st : w.stanzas) EXPECT_EQ(st.fate, Fate::Delivered);
        const std::size_t last = w.stanzas.size() - 1;
        EXPECT_NE(w.stanzas[last].via, w.stanzas[last - 1].via) << stanzas;
    }
}

}  // namespace
}  // namespace bidilab::model
