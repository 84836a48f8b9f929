// SASL EXTERNAL with certificates (XEP-0178, RFC 6120 §6) and the fallback to dialback.
#include "test_support.hpp"

namespace bidilab::model::test {
namespace {

using IS = InitiatingStream::State;
using RS = ReceivingStream::State;
namespace f = feature;

TEST(Sasl, SASL_4_SASL_8_CORE_35_ExternalSucceedsRestartsAndAuthorizesTheStreamPair) {
    const ServerPolicy ip = capulet(), rp = montague();
    Link link(ip, rp, kCapulet, kMontague);
    link.connect();
    EXPECT_TRUE(link.violations.empty());
    EXPECT_EQ(link.i.state(), IS::Established);
    EXPECT_EQ(link.r.state(), RS::Established);
    EXPECT_TRUE(link.i.data().has(InitiatingData::kSasl));
    EXPECT_EQ(link.r.data().authz, kCapulet);                 // SASL-8: authz = header 'from'
    EXPECT_TRUE(link.i.may_send(kCapulet, kMontague));        // CORE-11
    EXPECT_TRUE(link.r.accepts(kCapulet, kMontague));
    EXPECT_FALSE(link.r.accepts(kCapulet, kConference));      // CORE-45: the stream's 'to' only
    EXPECT_FALSE(link.i.may_send(kCapulet, kConference));     // RW-15: piggybacking needs dialback
    EXPECT_EQ(link.i.data().fwd.size(), 0u);                  // no dialback was needed
}

TEST(Sasl, SASL_6_CORE_38_EmptyAuthzidIsAcceptedToo) {
    ServerPolicy ip = capulet();
    ip.sasl_authzid = false;  // RULES §8.3: RFC 6120 reading
    const ServerPolicy rp = montague();
    Link link(ip, rp, kCapulet, kMontague);
    link.connect();
    EXPECT_NE(std::find(link.transcript.begin(), link.transcript.end(),
                        "I: <auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='EXTERNAL'>=</auth>"),
              link.transcript.end());
    EXPECT_EQ(link.r.state(), RS::Established);
    EXPECT_EQ(link.r.data().authz, kCapulet);
}

TEST(Sasl, SASL_4_SASL_5_NoExternalWhenTheCertificateDoesNotCoverFrom) {
    ServerPolicy ip = capulet();
    ip.certificate_names = domain_set({kVerona});  // trusted, but for another name
    const ServerPolicy rp = montague();
    Link link(ip, rp, kCapulet, kMontague);
    link.connect();
    EXPECT_TRUE(link.violations.empty());
    EXPECT_FALSE(link.i.data().has(InitiatingData::kSasl));
    EXPECT_FALSE(has(link.r.data().offered, f::kSaslExternal));  // SASL-4
    EXPECT_EQ(link.i.pair(kCapulet, kMontague), PairState::Valid);  // SASL-5: dialback over TLS
    EXPECT_TRUE(link.r.data().has(ReceivingData::kTls));
}

TEST(Sasl, SASL_3_UntrustedCertificateMeansDialbackOverTls) {
    ServerPolicy ip = capulet();
    ip.certificate_trusted = false;
    const ServerPolicy rp = montague();
    Link link(ip, rp, kCapulet, kMontague);
    link.connect();
    EXPECT_EQ(link.r.data().peer_cert, 0u);
    EXPECT_EQ(link.i.pair(kCapulet, kMontague), PairState::Valid);
    EXPECT_EQ(link.r.pair(kCapulet, kMontague), PairState::Valid);
}

TEST(Sasl, SASL_9_CORE_43_FailureFallsBackToDialbackOnTheSameStream) {
    const ServerPolicy p = capulet();
    InitiatingStream i = InitiatingStream::initial(kCapulet, kMontague);
    Context ctx(p);
    for (const Element& e : {Element::tcp_connected(), Element::stream_open(kMontague, kCapulet, 1),
                             Element::stream_features(f::kStartTls | f::kTlsRequired), Element::proceed(),
                             Element::tls_done(domain_set({kMontague})), Element::stream_open(kMontague, kCapulet, 2)})
        ASSERT_TRUE(i.deliver(e, ctx).handled());
    run_steps(i, p, {
        {Element::stream_features(f::kSaslExternal | f::kDialback), {Element::sasl_auth(kCapulet)}, "AwaitingSaslResult"},
        {Element::sasl_failure(Condition::UndefinedCondition),  // CORE-43: unknown = not-authorized
         {Element::db_result(kCapulet, kMontague, Key{2, 1, kCapulet, kMontague, 0})}, "Established"},
    });
}

// After TLS, R's header (with or without xmlns:db, DB-33) and EXTERNAL alone.
InitiatingStream after_tls(const ServerPolicy& p, bool peer_declares_dialback) {
    InitiatingStream i = InitiatingStream::initial(kCapulet, kMontague);
    Context ctx(p);
    Element second = Element::stream_open(kMontague, kCapulet, 2);
    if (!peer_declares_dialback) second.flags |= Element::kNoDialbackNs;
    for (const Element& e : {Element::tcp_connected(), Element::stream_open(kMontague, kCapulet, 1),
                             Element::stream_features(f::kStartTls), Element::proceed(), Element::tls_done(0), second})
        EXPECT_TRUE(i.deliver(e, ctx).handled());
    return i;
}

TEST(Sasl, SASL_9_FailureWithoutDialbackCloses) {
    const ServerPolicy p = capulet();
    InitiatingStream i = after_tls(p, false);
    run_steps(i, p, {
        {Element::stream_features(f::kSaslExternal), {Element::sasl_auth(kCapulet)}, "AwaitingSaslResult"},
        {Element::sasl_failure(Condition::NotAuthorized), {Element::stream_close()}, "Closed"},
    });
}

// SASL-9, CORE-43, XEP-0178 §3 step 11b (after_sasl_failure): dialback on the
// same stream when R's header declared it (Prosody, RW-27), or close.
TEST(Sasl, SASL_9_CORE_43_FailureThenDialbackOrClose) {
    ServerPolicy p = capulet();
    InitiatingStream usual = after_tls(p, true);
    const Key k{2, 1, kCapulet, kMontague, 0};
    run_steps(usual, p, {
        {Element::stream_features(f::kSaslExternal), {Element::sasl_auth(kCapulet)}, "AwaitingSaslResult"},
        {Element::sasl_failure(Condition::NotAuthorized), {Element::db_result(kCapulet, kMontague, k)}, "Established"},
    });
    p.choices[static_cast<std::size_t>(SpecChoice::CloseAfterSaslFailure)] = ChoiceSetting::Other;
    InitiatingStream other = after_tls(p, true);
    run_steps(other, p, {
        {Element::stream_features(f::kSaslExternal), {Element::sasl_auth(kCapulet)}, "AwaitingSaslResult"},
        {Element::sasl_failure(Condition::NotAuthorized), {Element::stream_close()}, "Closed"},
    });
}

struct AuthCase {
    const char* rules;
    DomainSet peer_cert;
    DomainId authzid;
    Element answer;
    const char* state;
};

TEST(Sasl, SASL_7_SASL_9_CORE_38_ReceiverChecksCertificateAndAuthzid) {
    const AuthCase cases[] = {
        {"SASL-8 authzid = from", domain_set({kCapulet}), kCapulet, Element::sasl_success(), "AwaitingStreamOpen"},
        {"SASL-6 empty response", domain_set({kCapulet}), kNoDomain, Element::sasl_success(), "AwaitingStreamOpen"},
        {"CORE-38 foreign authzid", domain_set({kCapulet}), kVerona,
         Element::sasl_failure(Condition::InvalidAuthzid), "AwaitingNegotiation"},
        {"SASL-4 EXTERNAL not offered: certificate misses from", domain_set({kVerona}), kCapulet,
         Element::sasl_failure(Condition::NotAuthorized), "AwaitingNegotiation"},
    };
    for (const auto& c : cases) {
        const ServerPolicy p = montague();
        ReceivingStream r = ReceivingStream::initial();
        Context ctx(p);
        for (const Element& e : {Element::stream_open(kCapulet, kMontague), Element::start_tls(),
                                 Element::tls_done(c.peer_cert), Element::stream_open(kCapulet, kMontague)})
            ASSERT_TRUE(r.deliver(e, ctx).handled()) << c.rules;
        EXPECT_TRUE(r.deliver(Element::sasl_auth(c.authzid), ctx).handled()) << c.rules;
        EXPECT_EQ(xml_of(outputs(ctx)), xml_of({c.answer})) << c.rules;
        EXPECT_STREQ(r.state_name(), c.state) << c.rules;
    }
}

// XEP-0178 §3 step 11b, RFC 6120 §9.2.2 step 10 (sasl_external_offer = always,
// ejabberd RW-27): EXTERNAL offered to a peer whose certificate is not
// trusted, then refused; the stream stays for dialback. A peer without a
// certificate is offered nothing (SASL-2: whether it presented one counts).
TEST(Sasl, SASL_2_SASL_9_CORE_37_ExternalOfferedThenRefused) {
    ServerPolicy p = montague();
    p.choices[static_cast<std::size_t>(SpecChoice::ExternalOfferedAlways)] = ChoiceSetting::Other;
    for (const bool presented : {true, false}) {
        ReceivingStream r = ReceivingStream::initial();
        Context ctx(p);
        Element done = Element::tls_done(0);  // trusted for no name: self-signed
        if (presented) done.flags |= Element::kPeerCertificate;
        for (const Element& e : {Element::stream_open(kCapulet, kMontague), Element::start_tls(), done})
            ASSERT_TRUE(r.deliver(e, ctx).handled());
        ASSERT_TRUE(r.deliver(Element::stream_open(kCapulet, kMontague), ctx).handled());
        const Features offered = outputs(ctx).back().features;
        EXPECT_EQ(has(offered, f::kSaslExternal), presented);
        if (!presented) continue;
        EXPECT_TRUE(r.deliver(Element::sasl_auth(kCapulet), ctx).handled());
        EXPECT_EQ(xml_of(outputs(ctx)), xml_of({Element::sasl_failure(Condition::NotAuthorized)}));
        EXPECT_STREQ(r.state_name(), "AwaitingNegotiation");
    }
}

TEST(Sasl, CORE_41_RestartMustKeepTheAuthenticatedIdentity) {
    const ServerPolicy p = montague();
    ReceivingStream r = ReceivingStream::initial();
    Context ctx(p);
    for (const Element& e : {Element::stream_open(kCapulet, kMontague), Element::start_tls(),
                             Element::tls_done(domain_set({kCapulet})), Element::stream_open(kCapulet, kMontague),
                             Element::sasl_auth(kCapulet)})
        ASSERT_TRUE(r.deliver(e, ctx).handled());
    const Outcome o = r.deliver(Element::stream_open(kVerona, kMontague), ctx);
    EXPECT_EQ(o.verdict, Verdict::GuardsRejected);
    EXPECT_EQ(o.condition, Condition::ImproperAddressing);
    Context ok(p, 9);
    EXPECT_TRUE(r.deliver(Element::stream_open(kCapulet, kMontague), ok).handled());
    EXPECT_EQ(r.state(), RS::Established);
    EXPECT_EQ(xml_of(outputs(ok)),  // CORE-42 new id; CORE-9 no bidi, no EXTERNAL after SASL
              xml_of({Element::stream_open(kMontague, kCapulet, 9), Element::stream_features(f::kDialback | f::kDialbackErrors)}));
}

}  // namespace
}  // namespace bidilab::model::test
