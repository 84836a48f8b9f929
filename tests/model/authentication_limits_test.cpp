// Where authentication ends: a receiver that cannot authenticate its peer at
// all (CORE-34, CORE-40), too many SASL attempts (CORE-40), and stanzas for a
// 'to' the receiving server does not serve or has not validated (CORE-45).
#include "test_support.hpp"

namespace bidilab::model::test {
namespace {

using IS = InitiatingStream::State;
using RS = ReceivingStream::State;
namespace f = feature;

// montague as a strict server: no dialback, so only SASL EXTERNAL authenticates.
ServerPolicy strict_montague() {
    ServerPolicy p = montague();
    p.dialback = false;
    return p;
}

TEST(AuthenticationLimits, CORE_34_CORE_40_StrictReceiverRefusesAnUnacceptableCertificate) {
    ServerPolicy ip = capulet();
    ip.certificate_trusted = false;  // SASL EXTERNAL impossible, dialback against montague's policy
    const ServerPolicy rp = strict_montague();
    Link link(ip, rp, kCapulet, kMontague);
    link.connect();
    EXPECT_TRUE(link.violations.empty());
    EXPECT_EQ(link.r.state(), RS::Closed);
    EXPECT_EQ(link.i.state(), IS::Closed);
    // After TLS: a response header, then policy-violation, never empty features.
    const auto tls = std::find(link.transcript.begin(), link.transcript.end(), "-- TLS handshake");
    ASSERT_NE(tls, link.transcript.end());
    const std::vector<std::string> after(tls + 1, link.transcript.end());
    const auto error = std::find(after.begin(), after.end(),
                                 "R: <stream:error><policy-violation xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>");
    EXPECT_NE(error, after.end());
    for (const std::string& line : after) EXPECT_EQ(line.find("stream:features"), std::string::npos) << line;
}

TEST(AuthenticationLimits, CORE_34_StrictReceiverStillOffersExternalToACoveredCertificate) {
    const ServerPolicy ip = capulet(), rp = strict_montague();
    Link link(ip, rp, kCapulet, kMontague);
    link.connect();
    EXPECT_TRUE(link.violations.empty());
    EXPECT_EQ(link.r.state(), RS::Established);
    EXPECT_TRUE(link.r.data().has(ReceivingData::kSasl));
}

TEST(AuthenticationLimits, CORE_34_NoTlsNoDialbackIsRefusedAtTheFirstHeader) {
    ServerPolicy p = plain(domain_set({kMontague}), 2);
    p.dialback = false;
    ReceivingStream r = ReceivingStream::initial();
    run_steps(r, p, {
        {Element::stream_open(kCapulet, kMontague),
         {without_dialback_ns(Element::stream_open(kMontague, kCapulet, 1)), Element::stream_error(Condition::PolicyViolation),
          Element::stream_close()},
         "Closed"},
    });
}

TEST(AuthenticationLimits, CORE_40_TheRetryAfterTheLastAllowedOneClosesWithPolicyViolation) {
    const ServerPolicy p = montague();
    ReceivingStream r = ReceivingStream::initial();
    Context ctx(p);
    for (const Element& e : {Element::stream_open(kCapulet, kMontague), Element::start_tls(),
                             Element::tls_done(domain_set({kVerona})), Element::stream_open(kCapulet, kMontague)})
        ASSERT_TRUE(r.deliver(e, ctx).handled());
    // The first attempt and two retries fail and keep the stream (SASL-9, CORE-40: at least 2 retries).
    for (int attempt = 0; attempt < 3; ++attempt) {
        Context c(p);
        ASSERT_TRUE(r.deliver(Element::sasl_auth(kCapulet), c).handled()) << attempt;
        EXPECT_EQ(xml_of(outputs(c)), xml_of({Element::sasl_failure(Condition::NotAuthorized)})) << attempt;
        EXPECT_EQ(r.state(), RS::AwaitingNegotiation) << attempt;
    }
    EXPECT_EQ(r.data().sasl_failures, 3);
    Context last(p);
    ASSERT_TRUE(r.deliver(Element::sasl_auth(kCapulet), last).handled());
    EXPECT_EQ(xml_of(outputs(last)),
              xml_of({Element::stream_error(Condition::PolicyViolation), Element::stream_close()}));
    EXPECT_EQ(r.state(), RS::Closed);
}

// montague's receiving end, authorized for capulet.lit → montague.lit by dialback.
ReceivingStream dialback_established(const ServerPolicy& p) {
    ReceivingStream r = ReceivingStream::initial();
    Context ctx(p);
    for (const Element& e : {Element::stream_open(kCapulet, kMontague),
                             Element::db_result(kCapulet, kMontague, Key{1, 1, kCapulet, kMontague, 0}),
                             Element::verify_outcome(kCapulet, kMontague, 1, DbType::Valid)})
        EXPECT_TRUE(r.deliver(e, ctx).handled()) << kind_name(e.kind);
    EXPECT_EQ(r.state(), RS::Established);
    return r;
}

struct StanzaCase {
    const char* rules;
    DomainId from, to;
    Condition condition;
    const char* cited;
};

TEST(AuthenticationLimits, CORE_45_CORE_46_EachBadAddressGetsItsOwnStreamError) {
    const ServerPolicy p = plain(domain_set({kMontague, kConference}), 2);
    const StanzaCase cases[] = {
        {"CORE-45 a 'to' montague does not serve", kCapulet, kVerona, Condition::HostUnknown, "CORE-45, CORE-50"},
        {"CORE-45 a served 'to' never validated for capulet.lit", kCapulet, kConference, Condition::HostUnknown,
         "CORE-45, CORE-50"},
        {"CORE-46 a 'from' never proven", kVerona, kMontague, Condition::InvalidFrom, "CORE-46, DB-26"},
    };
    for (const auto& c : cases) {
        ReceivingStream r = dialback_established(p);
        Context ctx(p);
        const Outcome o = r.deliver(Element::stanza(c.from, c.to, 1), ctx);
        EXPECT_TRUE(o.violation()) << c.rules;
        EXPECT_EQ(o.condition, c.condition) << c.rules;
        EXPECT_STREQ(o.rules, c.cited) << c.rules;
    }
    ReceivingStream r = dialback_established(p);
    Context ctx(p);
    EXPECT_TRUE(r.deliver(Element::stanza(kCapulet, kMontague, 1), ctx).handled());  // the validated pair
}

TEST(AuthenticationLimits, CORE_45_OverBidiTheInitiatorAnswersHostUnknownToo) {
    const ServerPolicy ip = plain(domain_set({kCapulet}), 1), rp = plain(domain_set({kMontague, kConference}), 2);
    Link link(ip, rp, kCapulet, kMontague);
    link.connect();
    ASSERT_EQ(link.i.state(), IS::Established);
    ASSERT_TRUE(link.i.data().has(InitiatingData::kBidi));
    Context ctx(ip);
    const Outcome o = link.i.deliver(Element::stanza(kMontague, kVerona, 2), ctx);
    EXPECT_EQ(o.condition, Condition::HostUnknown);
    EXPECT_STREQ(o.rules, "CORE-45, CORE-50");
}

}  // namespace
}  // namespace bidilab::model::test
