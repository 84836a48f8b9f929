// Bidirectional s2s streams (XEP-0288): offered, requested, accepted, and what it authorizes.
#include "test_support.hpp"

namespace bidilab::model::test {
namespace {

using IS = InitiatingStream::State;
using RS = ReceivingStream::State;
namespace f = feature;

TEST(Bidi, BIDI_1_BIDI_4_ProsodyOffersAfterTlsAndNotAfterSasl) {
    const ServerPolicy ip = capulet(), rp = montague();
    Link link(ip, rp, kCapulet, kMontague);
    link.connect();
    std::vector<std::string> features;
    for (const auto& line : link.transcript)
        if (line.rfind("R: <stream:features", 0) == 0) features.push_back(line);
    ASSERT_EQ(features.size(), 3u);
    EXPECT_EQ(features[0].find("urn:xmpp:features:bidi"), std::string::npos);  // pre-TLS, TLS required
    EXPECT_NE(features[1].find("<bidi xmlns='urn:xmpp:features:bidi'/>"), std::string::npos);
    EXPECT_EQ(features[2].find("urn:xmpp:features:bidi"), std::string::npos);  // post-SASL
    EXPECT_TRUE(link.r.data().has(ReceivingData::kBidi));  // survives the SASL restart
}

TEST(Bidi, BIDI_3_InitiatorNeverRequestsBidiBeforeTls) {
    const ServerPolicy p = capulet();
    InitiatingStream i = InitiatingStream::initial(kCapulet, kMontague);
    run_steps(i, p, {
        {Element::tcp_connected(), {Element::stream_open(kCapulet, kMontague)}, "AwaitingStreamOpen"},
        {Element::stream_open(kMontague, kCapulet, 1), {}, "AwaitingFeatures"},
        {Element::stream_features(f::kStartTls | f::kDialback | f::kBidi), {Element::start_tls()}, "AwaitingProceed"},
    });
    EXPECT_FALSE(i.data().has(InitiatingData::kBidi));
}

TEST(Bidi, BIDI_2_BIDI_4_RequestComesBeforeAuthentication) {
    Link link(kCapuletPlain, kMontaguePlain, kCapulet, kMontague);
    link.connect();
    // The order of the Prosody capture: features, <bidi/>, then <db:result/>.
    ASSERT_GE(link.transcript.size(), 5u);
    EXPECT_EQ(link.transcript[3], "I: <bidi xmlns='urn:xmpp:bidi'/>");
    EXPECT_EQ(link.transcript[4].rfind("I: <db:result", 0), 0u);
    EXPECT_TRUE(link.i.data().has(InitiatingData::kBidi));
    EXPECT_TRUE(link.r.data().has(ReceivingData::kBidi));
}

// XEP-0288 §2.2 (bidi_request = never): a server that supports bidi may leave
// it off on its own streams; the stream is then one-way (BIDI-5).
TEST(Bidi, BIDI_2_BIDI_4_AnInitiatorMayNotAskForBidi) {
    ServerPolicy capulet = kCapuletPlain;
    capulet.choices[static_cast<std::size_t>(SpecChoice::BidiNotRequested)] = ChoiceSetting::Other;
    Link link(capulet, kMontaguePlain, kCapulet, kMontague);
    link.connect();
    ASSERT_GE(link.transcript.size(), 4u);
    EXPECT_EQ(link.transcript[3].rfind("I: <db:result", 0), 0u);
    for (const auto& line : link.transcript) EXPECT_EQ(line.find("urn:xmpp:bidi'/>"), std::string::npos) << line;
    EXPECT_FALSE(link.i.data().has(InitiatingData::kBidi));
    EXPECT_FALSE(link.r.data().has(ReceivingData::kBidi));
    EXPECT_TRUE(link.i.may_send(kCapulet, kMontague));
}

TEST(Bidi, BIDI_3_CORE_27_PlaintextBidiDoesNotSurviveTls) {
    ServerPolicy p = montague();
    p.tls = TlsPolicy::Offered;  // bidi offered in the clear too
    ReceivingStream r = ReceivingStream::initial();
    run_steps(r, p, {
        {Element::stream_open(kCapulet, kMontague),
         {Element::stream_open(kMontague, kCapulet, 1),
          Element::stream_features(f::kStartTls | f::kDialback | f::kDialbackErrors | f::kBidi)},
         "AwaitingNegotiation"},
        {Element::bidi(), {}, "AwaitingNegotiation"},
        {Element::start_tls(), {Element::proceed()}, "AwaitingTlsHandshake"},
        {Element::tls_done(0), {}, "AwaitingStreamOpen"},
    });
    EXPECT_FALSE(r.data().has(ReceivingData::kBidi));
}

TEST(Bidi, BIDI_3_BIDI_4_BidiRejectedWhereNotOffered) {
    {   // pre-TLS when TLS is required (Prosody closes with unsupported-stanza-type)
        const ServerPolicy p = montague();
        ReceivingStream r = ReceivingStream::initial();
        Context ctx(p);
        r.deliver(Element::stream_open(kCapulet, kMontague), ctx);
        const Outcome o = r.deliver(Element::bidi(), ctx);
        EXPECT_EQ(o.verdict, Verdict::GuardsRejected);
        EXPECT_EQ(o.condition, Condition::UnsupportedStanzaType);
    }
    {   // after authentication (BIDI-4)
        Link link(kCapuletPlain, kMontaguePlain, kCapulet, kMontague);
        link.connect();
        ASSERT_EQ(link.r.state(), RS::Established);
        Context ctx(kMontaguePlain);
        const Outcome o = link.r.deliver(Element::bidi(), ctx);
        EXPECT_EQ(o.verdict, Verdict::NoTransition);
        EXPECT_EQ(o.condition, Condition::UnsupportedStanzaType);
        EXPECT_STREQ(o.rules, "BIDI-3, BIDI-4");
    }
}

TEST(Bidi, BIDI_5_NoReverseStanzaBeforeAuthentication) {
    Link link(kCapuletPlain, kMontaguePlain, kCapulet, kMontague);
    link.hold_verifications = true;
    link.connect();
    ASSERT_EQ(link.r.state(), RS::AwaitingNegotiation);
    ASSERT_TRUE(link.r.data().has(ReceivingData::kBidi));
    Context ctx(kMontaguePlain);
    const Outcome o = link.r.deliver(Element::send_stanza(kMontague, kCapulet, 1), ctx);
    // The row exists for quirk send-before-auth; without it the guard refuses.
    EXPECT_EQ(o.verdict, Verdict::GuardsRejected);
    EXPECT_EQ(o.describe(), "refused (guards rejected): SendStanza in AwaitingNegotiation [BIDI-5, BIDI-7]");
    EXPECT_TRUE(o.violation());
    const Element n = link.verify_requests.at(0);
    link.to_receiver(Element::verify_outcome(n.from, n.to, n.id, DbType::Valid));
    link.to_receiver(Element::send_stanza(kMontague, kCapulet, 1));
    EXPECT_EQ(link.transcript.back(), "R: <message from='montague.lit' to='capulet.lit' id='s1'/>");
    EXPECT_TRUE(link.violations.empty());  // I accepted it (BIDI-13)
}

TEST(Bidi, BIDI_7_BIDI_13_ReverseTrafficOnlyForTheInverseOfProvenPairs) {
    Link link(kCapuletPlain, kMontaguePlain, kCapulet, kMontague);
    link.connect();
    EXPECT_TRUE(link.r.may_send(kMontague, kCapulet));
    EXPECT_FALSE(link.r.may_send(kConference, kCapulet));  // never validated
    EXPECT_TRUE(link.i.accepts(kMontague, kCapulet));
    EXPECT_FALSE(link.i.accepts(kConference, kCapulet));
    Context ctx(kCapuletPlain);
    const Outcome o = link.i.deliver(Element::stanza(kConference, kCapulet, 3), ctx);
    EXPECT_EQ(o.condition, Condition::InvalidFrom);  // CORE-46
}

TEST(Bidi, BIDI_7_SaslAuthorizesStreamToTowardsAuthz) {
    const ServerPolicy ip = capulet(), rp = montague();
    Link link(ip, rp, kCapulet, kMontague);
    link.connect();
    link.to_receiver(Element::send_stanza(kMontague, kCapulet, 4));
    link.to_initiator(Element::send_stanza(kCapulet, kMontague, 5));
    EXPECT_TRUE(link.violations.empty());
    EXPECT_FALSE(link.r.may_send(kConference, kCapulet));
}

TEST(Bidi, CORE_1_DB_32_NoReverseStanzasWithoutBidi) {
    const ServerPolicy ip = prosody(plain(domain_set({kCapulet}), 1));
    ServerPolicy rp = kMontaguePlain;
    rp.bidi = false;
    Link link(ip, rp, kCapulet, kMontague);
    link.connect();
    ASSERT_EQ(link.i.pair(kCapulet, kMontague), PairState::Valid);
    EXPECT_FALSE(link.r.may_send(kMontague, kCapulet));
    EXPECT_FALSE(link.i.accepts(kMontague, kCapulet));
    Context ctx(ip);
    EXPECT_EQ(link.i.deliver(Element::stanza(kMontague, kCapulet, 1), ctx).verdict, Verdict::GuardsRejected);
}

TEST(Bidi, BIDI_8_BIDI_9_BIDI_12_ReverseDialbackPiggybacksAnotherDomain) {
    Link link(kCapuletPlain, kMontaguePlain, kCapulet, kMontague);
    link.connect();
    link.to_receiver(Element::request_pair(kConference, kCapulet));  // R's second domain
    EXPECT_EQ(link.r.data().rev.get(kConference, kCapulet), PairState::Requested);
    ASSERT_EQ(link.verify_requests.size(), 1u);  // I asks conference's authority (BIDI-6)
    const Element n = link.verify_requests[0];
    EXPECT_EQ(n.from, kConference);
    EXPECT_EQ(n.key, (Key{1, 2, kConference, kCapulet, 0}));
    link.to_initiator(Element::verify_outcome(n.from, n.to, n.id, link.authority_verdict(n)));
    EXPECT_EQ(link.r.data().rev.get(kConference, kCapulet), PairState::Valid);
    EXPECT_TRUE(link.r.may_send(kConference, kCapulet));
    EXPECT_TRUE(link.i.accepts(kConference, kCapulet));
    EXPECT_TRUE(link.i.may_send(kCapulet, kConference));  // BIDI-13
    EXPECT_TRUE(link.violations.empty());

    Context bad(kMontaguePlain);  // BIDI-9: the target must be a domain I proved
    EXPECT_FALSE(link.r.deliver(Element::request_pair(kConference, kVerona), bad).handled());
    Context typed(kMontaguePlain);  // BIDI-12: a typed answer nobody asked for
    const Outcome o = link.r.deliver(Element::db_result(kCapulet, kMontague, DbType::Valid), typed);
    EXPECT_EQ(o.verdict, Verdict::GuardsRejected);
    EXPECT_STREQ(o.rules, "BIDI-12, DB-21, DB-45");
}

}  // namespace
}  // namespace bidilab::model::test
