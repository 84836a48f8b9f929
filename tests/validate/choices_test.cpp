// The choices the specs leave open (topologies/spec_choice.hpp), as `validate`
// handles them: a field the topology leaves out may take either branch (the
// validator searches the branches of the choices a replay asked about), a
// field it gives is pinned. Real captures from the interop lab (data/lab/,
// tests/interop/README.md: ejabberd 23.01 and Prosody 0.12.3), topologies with
// the choices left open.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>

#include "tests/validate/findings.hpp"
#include "validate/validator.hpp"
#include "validate/verify_only.hpp"

namespace bidilab::validate {
namespace {

const std::string kLab = std::string(VALIDATE_TEST_DATA) + "/lab/";

topologies::Topology lab_topology(const std::string& name) {
    return topologies::load_topology(kLab + name + ".topology.json");
}
Result run(const topologies::Topology& t, const std::string& name) {
    return validate(t, capture::read_wire_log(kLab + name + ".log"));
}
bool replayed(const Result& r, const std::string& branch) {
    return std::find(r.branches.begin(), r.branches.end(), branch) != r.branches.end();
}
void pin(topologies::Topology& t, const std::string& server, topologies::SpecChoice c, topologies::ChoiceSetting s) {
    for (auto& sv : t.servers)
        if (sv.name == server) sv.choices[static_cast<std::size_t>(c)] = s;
}

// RW-26: ejabberd with STARTTLS required offers <starttls><required/> alone
// before TLS. Open: accepted, with verona's branch found. Pinned to Prosody's
// "all", the search still gets past those features by another branch (no
// dialback feature at all, dialback_feature = omitted), and is rejected where
// that one breaks: the post-TLS features, which do list <dialback/>. The
// report is the replay that got furthest.
TEST(Choices, CORE_30_DB_34_EjabberdsStartTlsAloneFoundOrRefusedWhenPinned) {
    auto t = lab_topology("f-ejabberd-tls-ca");
    const Result open = run(t, "f-ejabberd-tls-ca");
    EXPECT_TRUE(open.accepted()) << explain_text(open);
    EXPECT_TRUE(replayed(open, "verona: features_before_tls = starttls_only")) << result_text(open);
    EXPECT_TRUE(replayed(open, "capulet: features_before_tls = all")) << result_text(open);
    EXPECT_NE(result_text(open).find("choices left open, as replayed:"), std::string::npos);
    pin(t, "verona", topologies::SpecChoice::StarttlsOnlyBeforeTls, topologies::ChoiceSetting::Usual);
    const Result pinned = run(t, "f-ejabberd-tls-ca");
    expect_rejected(pinned, 11, {"DB-34"});
    EXPECT_TRUE(replayed(pinned, "verona: dialback_feature = omitted")) << result_text(pinned);
}

// RW-27: ejabberd offers EXTERNAL to a self-signed peer and refuses it;
// Prosody falls back to dialback on the same stream. Two servers' choices
// (verona's offer, capulet's fallback) are found together.
TEST(Choices, SASL_9_CORE_37_ExternalOfferedThenRefusedThenDialback) {
    auto t = lab_topology("g-ejabberd-tls-self-signed");
    const Result open = run(t, "g-ejabberd-tls-self-signed");
    EXPECT_TRUE(open.accepted()) << explain_text(open);
    EXPECT_TRUE(replayed(open, "verona: sasl_external_offer = always")) << result_text(open);
    EXPECT_TRUE(replayed(open, "capulet: after_sasl_failure = dialback")) << result_text(open);
    EXPECT_EQ(result_json(open)["choices"].size(), open.branches.size());
    pin(t, "verona", topologies::SpecChoice::ExternalOfferedAlways, topologies::ChoiceSetting::Usual);
    expect_rejected(run(t, "g-ejabberd-tls-self-signed"), 11, {"SASL-4"});
    pin(t, "verona", topologies::SpecChoice::ExternalOfferedAlways, topologies::ChoiceSetting::Other);
    pin(t, "capulet", topologies::SpecChoice::CloseAfterSaslFailure, topologies::ChoiceSetting::Other);
    expect_rejected(run(t, "g-ejabberd-tls-self-signed"), 14, {"CORE-19"});  // capulet would have closed
}

// RW-28: Prosody requiring TLS sends <starttls/> although montague (no TLS)
// did not offer it (EXT-1), montague answers with a stream error; montague
// then ignores capulet's required STARTTLS and sends db:result in the clear: a
// real deviation (CORE-28), whatever branches the search tries.
TEST(Choices, EXT_1_UnofferedStartTlsAcceptedTheRealDeviationStillFound) {
    auto t = lab_topology("h-tls-required-vs-no-tls");
    const Result open = run(t, "h-tls-required-vs-no-tls");
    expect_rejected(open, 16, {"CORE-28"});
    EXPECT_TRUE(replayed(open, "capulet: starttls_unoffered = try")) << result_text(open);
    EXPECT_TRUE(replayed(open, "montague: unoffered_starttls_answer = stream_error")) << result_text(open);
    pin(t, "capulet", topologies::SpecChoice::CloseWhenTlsNotOffered, topologies::ChoiceSetting::Other);
    expect_rejected(run(t, "h-tls-required-vs-no-tls"), 8, {"CORE-28"});
}

// XEP-0220 §2.1.2, DB-16: a connection opened only to carry db:verify
// authenticates nothing of its own: replayed with that purpose, it does not
// take the EXTERNAL its peer offers (a stream for stanzas would have).
TEST(VerifyOnlyConnections, DB_16_ReplayedAsVerifyOnlyNotAsAStanzaStream) {
    const Result r = validate(topologies::load_topology(kLab + "verify-only-external.topology.json"),
                              capture::read_wire_log(kLab + "verify-only-external.log"));
    EXPECT_TRUE(r.accepted()) << explain_text(r);
    ASSERT_EQ(r.connections.size(), 2u);
    EXPECT_NE(r.connections[1].find("only for db:verify (DB-16)"), std::string::npos) << r.connections[1];
    EXPECT_EQ(r.connections[0].find("only for db:verify"), std::string::npos) << r.connections[0];
}

TEST(VerifyOnlyConnections, DB_16_OnlyConnectionsThatCarryNothingElse) {
    const auto labels = [](const std::string& name) {
        return verify_only_connections(capture::read_wire_log(kLab + name + ".log"));
    };
    EXPECT_EQ(labels("verify-only-external"), (std::set<std::string>{"conn1"}));
    EXPECT_EQ(labels("g-ejabberd-tls-self-signed"), (std::set<std::string>{"conn1"}));  // conn2 carries stanzas
    EXPECT_TRUE(labels("f-ejabberd-tls-ca").empty());
}

}  // namespace
}  // namespace bidilab::validate
