// Server Dialback (XEP-0220, XEP-0185): valid / invalid / error, multiplexing, the authoritative side.
#include "test_support.hpp"

namespace bidilab::model::test {
namespace {

using IS = InitiatingStream::State;
using RS = ReceivingStream::State;
namespace f = feature;

TEST(Dialback, DB_2_DB_11_DB_25_ValidResultAuthorizesThePair) {
    Link link(kCapuletPlain, kMontaguePlain, kCapulet, kMontague);
    link.connect();
    EXPECT_TRUE(link.violations.empty());
    EXPECT_EQ(link.i.state(), IS::Established);
    EXPECT_EQ(link.r.state(), RS::Established);
    EXPECT_EQ(link.i.pair(kCapulet, kMontague), PairState::Valid);
    EXPECT_EQ(link.r.pair(kCapulet, kMontague), PairState::Valid);
    EXPECT_TRUE(link.i.may_send(kCapulet, kMontague));
    EXPECT_TRUE(link.r.accepts(kCapulet, kMontague));
    EXPECT_FALSE(link.r.accepts(kCapulet, kConference));  // CORE-45: per pair
    // BIDI-6, DB-22: R asked the authority (non-wire), both ends report the outcome.
    ASSERT_EQ(link.r_events.size(), 2u);
    EXPECT_EQ(link.r_events[0].kind, ElementKind::VerifyNeeded);
    EXPECT_EQ(link.r_events[0].key, (Key{1, 1, kCapulet, kMontague, 0}));
    EXPECT_EQ(link.r_events[1], Element::pair_outcome(kCapulet, kMontague, DbType::Valid));
    ASSERT_EQ(link.i_events.size(), 1u);
    EXPECT_EQ(link.i_events[0], Element::pair_outcome(kCapulet, kMontague, DbType::Valid));
}

TEST(Dialback, DB_12_DB_27_InvalidOnTheFirstPairClosesTheStream) {
    ServerPolicy forger = kCapuletPlain;
    forger.secret = 9;  // claims capulet.lit without its secret
    Link link(forger, kMontaguePlain, kCapulet, kMontague, {&kCapuletPlain});
    link.connect();
    EXPECT_TRUE(link.violations.empty());
    EXPECT_EQ(link.r.state(), RS::Closed);
    EXPECT_EQ(link.i.state(), IS::Closed);
    EXPECT_EQ(link.i.pair(kCapulet, kMontague), PairState::Invalid);
    EXPECT_FALSE(link.i.may_send(kCapulet, kMontague));  // DB-12
    EXPECT_FALSE(link.r.accepts(kCapulet, kMontague));   // DB-26
    EXPECT_NE(std::find(link.transcript.begin(), link.transcript.end(),
                        "R: <db:result from='montague.lit' to='capulet.lit' type='invalid'/>"),
              link.transcript.end());
}

// DB-20, DB-28 (invalid_dialback_answer = forbidden): a <forbidden/> dialback
// error instead of type='invalid'; the stream stays, the pair is refused.
TEST(Dialback, DB_20_DB_28_ForbiddenKeepsTheStream) {
    ServerPolicy forger = kCapuletPlain;
    forger.secret = 9;
    ServerPolicy receiver = kMontaguePlain;
    receiver.choices[static_cast<std::size_t>(SpecChoice::ForbiddenForInvalidKey)] = ChoiceSetting::Other;
    Link link(forger, receiver, kCapulet, kMontague, {&kCapuletPlain});
    link.connect();
    EXPECT_TRUE(link.violations.empty());
    EXPECT_EQ(link.r.state(), RS::AwaitingNegotiation);
    EXPECT_EQ(link.i.state(), IS::Established);
    EXPECT_EQ(link.i.pair(kCapulet, kMontague), PairState::Error);
    EXPECT_FALSE(link.i.may_send(kCapulet, kMontague));  // DB-12, DB-14
    EXPECT_FALSE(link.r.accepts(kCapulet, kMontague));   // DB-26
    EXPECT_EQ(link.transcript.back(),
              "R: <db:result from='montague.lit' to='capulet.lit' type='error'><error type='cancel'>"
              "<forbidden xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></db:result>");
}

// The receiving server's authority cannot be reached: it answers the
// initiator's request with a dialback error (DB-36).
void answer_with_an_error(Link& link) {
    link.hold_verifications = true;
    link.connect();
    ASSERT_EQ(link.verify_requests.size(), 1u);
    const Element n = link.verify_requests[0];
    link.to_receiver(Element::verify_outcome(n.from, n.to, n.id, DbType::Error));
}

TEST(Dialback, DB_14_DB_36_ErrorIsNonFatal) {
    ServerPolicy with_errors = kCapuletPlain;  // DB-34: it supports dialback errors
    with_errors.dialback_errors = true;
    Link link(with_errors, kMontaguePlain, kCapulet, kMontague);
    answer_with_an_error(link);
    EXPECT_EQ(link.r.state(), RS::AwaitingNegotiation);
    EXPECT_EQ(link.i.state(), IS::Established);
    EXPECT_EQ(link.i.pair(kCapulet, kMontague), PairState::Error);
    EXPECT_EQ(link.transcript.back(),
              "R: <db:result from='montague.lit' to='capulet.lit' type='error'><error type='cancel'>"
              "<remote-server-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></db:result>");
    EXPECT_TRUE(link.violations.empty());
}

// DB-35 (choice unsupported_dialback_error): capulet as Prosody 0.12, without
// dialback error support and without bidi, may end the stream over an error it
// does not understand (usual branch, as Prosody does: not-authorized), or take
// it as DB-14 does (other branch).
TEST(Dialback, DB_35_AServerWithoutErrorSupportMayEndTheStreamOverOne) {
    for (const bool bounce : {false, true}) {
        ServerPolicy capulet = kCapuletPlain;
        capulet.bidi = false;  // with bidi, BIDI-10 asks for dialback error support
        if (bounce)
            capulet.choices[static_cast<std::size_t>(topologies::SpecChoice::BounceUnsupportedDialbackError)] =
                topologies::ChoiceSetting::Other;
        Link link(capulet, kMontaguePlain, kCapulet, kMontague);
        answer_with_an_error(link);
        EXPECT_TRUE(link.violations.empty());
        if (bounce) {
            EXPECT_EQ(link.i.state(), IS::Established);
            EXPECT_EQ(link.i.pair(kCapulet, kMontague), PairState::Error);
        } else {
            EXPECT_EQ(link.i.state(), IS::Closed);
            EXPECT_NE(std::find(link.transcript.begin(), link.transcript.end(),
                                "I: <stream:error><not-authorized xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>"),
                      link.transcript.end());
        }
    }
}

TEST(Dialback, DB_40_DB_42_TargetMultiplexingNeedsDialbackErrors) {
    Link link(kCapuletPlain, kMontaguePlain, kCapulet, kMontague);  // montague supports errors
    link.connect();
    link.to_initiator(Element::request_pair(kCapulet, kConference));
    EXPECT_EQ(link.i.pair(kCapulet, kConference), PairState::Valid);
    EXPECT_EQ(link.r.pair(kCapulet, kConference), PairState::Valid);
    EXPECT_TRUE(link.r.accepts(kCapulet, kConference));

    const ServerPolicy no_errors = prosody(kMontaguePlain);
    Link plain_link(kCapuletPlain, no_errors, kCapulet, kMontague);
    plain_link.connect();
    Context ctx(kCapuletPlain);
    const Outcome o = plain_link.i.deliver(Element::request_pair(kCapulet, kConference), ctx);
    EXPECT_EQ(o.verdict, Verdict::GuardsRejected);  // DB-42
    EXPECT_STREQ(o.rules, "DB-3, DB-13, DB-42");
}

TEST(Dialback, DB_41_SenderMultiplexingNeedsNoNegotiation) {
    const ServerPolicy ip = prosody(kMontaguePlain), rp = prosody(kCapuletPlain);
    Link link(ip, rp, kMontague, kCapulet);
    link.connect();
    link.to_initiator(Element::request_pair(kConference, kCapulet));
    EXPECT_EQ(link.i.pair(kConference, kCapulet), PairState::Valid);
    EXPECT_TRUE(link.r.accepts(kConference, kCapulet));
    EXPECT_TRUE(link.r.accepts(kMontague, kCapulet));
    Context ctx(ip);  // DB-3: no second request for a valid pair
    EXPECT_FALSE(link.i.deliver(Element::request_pair(kConference, kCapulet), ctx).handled());
}

TEST(Dialback, DB_7_DB_23_PendingPairDoesNotBlockAValidOne) {
    Link link(kCapuletPlain, kMontaguePlain, kCapulet, kMontague);
    link.connect();
    link.hold_verifications = true;
    link.to_initiator(Element::request_pair(kCapulet, kConference));
    EXPECT_EQ(link.r.pair(kCapulet, kConference), PairState::Verifying);
    link.to_initiator(Element::send_stanza(kCapulet, kMontague, 1));
    EXPECT_EQ(link.transcript.back(), "I: <message from='capulet.lit' to='montague.lit' id='s1'/>");
    EXPECT_TRUE(link.violations.empty());
    Context ctx(kCapuletPlain);  // DB-6: nothing for the pending pair
    EXPECT_EQ(link.i.deliver(Element::send_stanza(kCapulet, kConference, 2), ctx).verdict, Verdict::GuardsRejected);
}

TEST(Dialback, DB_10_DB_45_UnsolicitedResultIsRejected) {
    Link link(kCapuletPlain, kMontaguePlain, kCapulet, kMontague);
    link.connect();
    const InitiatingStream before = link.i;
    Context ctx(kCapuletPlain);
    const Outcome o = link.i.deliver(Element::db_result(kConference, kCapulet, DbType::Valid), ctx);
    EXPECT_EQ(o.verdict, Verdict::GuardsRejected);
    EXPECT_EQ(o.condition, Condition::NotAuthorized);
    EXPECT_EQ(link.i, before);
    EXPECT_TRUE(ctx.out.empty());
}

struct VerifyCase {
    const char* rules;
    Element request;
    Element answer;
};

TEST(Dialback, DB_29_DB_30_DB_31_AuthoritativeServerComparesTheKey) {
    const Key good{7, 1, kCapulet, kMontague, 0};
    const VerifyCase cases[] = {
        {"DB-30 valid", Element::db_verify(kMontague, kCapulet, 7, good), Element::db_verify(kCapulet, kMontague, 7, DbType::Valid)},
        {"KEY-1 other stream id", Element::db_verify(kMontague, kCapulet, 8, good),
         Element::db_verify(kCapulet, kMontague, 8, DbType::Invalid)},
        {"KEY-3 other secret", Element::db_verify(kMontague, kCapulet, 7, Key{7, 2, kCapulet, kMontague, 0}),
         Element::db_verify(kCapulet, kMontague, 7, DbType::Invalid)},
        {"DB-4 swapped pair", Element::db_verify(kConference, kCapulet, 7, good),
         Element::db_verify(kCapulet, kConference, 7, DbType::Invalid)},
        {"DB-29 not hosted", Element::db_verify(kMontague, kVerona, 7, good),
         Element::db_verify(kVerona, kMontague, 7, DbType::Error, Condition::ItemNotFound)},
    };
    for (const auto& c : cases) {
        ReceivingStream r = ReceivingStream::initial();  // a verify-only connection to capulet's server
        Context ctx(kCapuletPlain);
        ASSERT_TRUE(r.deliver(Element::stream_open(kMontague, kCapulet), ctx).handled());
        EXPECT_TRUE(r.deliver(c.request, ctx).handled()) << c.rules;
        EXPECT_EQ(xml_of(outputs(ctx)), xml_of({c.answer})) << c.rules;
        EXPECT_EQ(r.state(), RS::AwaitingNegotiation) << c.rules;
    }
}

TEST(Dialback, DB_16_DB_18_BIDI_6_VerificationTravelsOverAnotherConnection) {
    Link a(kCapuletPlain, kMontaguePlain, kCapulet, kMontague);  // the request
    a.hold_verifications = true;
    a.connect();
    ASSERT_EQ(a.verify_requests.size(), 1u);
    const Element need = a.verify_requests[0];

    // montague's server dials capulet's server: a verify-only connection.
    Link b(kMontaguePlain, kCapuletPlain, kMontague, kCapulet);
    b.i = InitiatingStream::initial(kMontague, kCapulet, InitiatingStream::Purpose::VerifyOnly);
    b.next_id = a.next_id;  // stream ids stay unique across connections (CORE-15)
    b.connect();
    ASSERT_EQ(b.i.state(), IS::Established);
    EXPECT_TRUE(b.i.data().fwd.size() == 0 && !b.i.data().has(InitiatingData::kBidi));
    b.to_initiator(Element::send_verify_for(need));
    ASSERT_EQ(b.i_events.size(), 1u);
    const Element outcome = b.i_events[0];
    EXPECT_EQ(outcome, Element::verify_outcome(kCapulet, kMontague, need.id, DbType::Valid));
    EXPECT_EQ(b.i.data().verifies.size(), 0u);  // consumed (DB-18)

    a.to_receiver(outcome);
    EXPECT_EQ(a.i.pair(kCapulet, kMontague), PairState::Valid);
    EXPECT_TRUE(a.violations.empty());
    EXPECT_TRUE(b.violations.empty());

    Context ctx(kMontaguePlain);  // DB-18: the same answer again correlates with nothing
    EXPECT_EQ(b.i.deliver(Element::db_verify(kCapulet, kMontague, need.id, DbType::Valid), ctx).verdict,
              Verdict::GuardsRejected);
}

TEST(Dialback, DB_24_UnknownTargetPerPolicy) {
    ServerPolicy xep_policy = kMontaguePlain;
    xep_policy.unknown_target_stream_error = false;  // XEP-0220 reading
    const ServerPolicy& xep = xep_policy;
    for (const ServerPolicy* p : {&kMontaguePlain, &xep}) {
        ReceivingStream r = ReceivingStream::initial();
        Context ctx(*p);
        ASSERT_TRUE(r.deliver(Element::stream_open(kCapulet, kMontague), ctx).handled());
        EXPECT_TRUE(r.deliver(Element::db_result(kCapulet, kVerona, Key{1, 1, kCapulet, kVerona, 0}), ctx).handled());
        if (p->unknown_target_stream_error) {  // Prosody: host-unknown (RULES §8.5)
            EXPECT_EQ(xml_of(outputs(ctx)),
                      xml_of({Element::stream_error(Condition::HostUnknown), Element::stream_close()}));
            EXPECT_EQ(r.state(), RS::Closed);
        } else {
            EXPECT_EQ(xml_of(outputs(ctx)),
                      xml_of({Element::db_result(kVerona, kCapulet, DbType::Error, Condition::ItemNotFound)}));
            EXPECT_EQ(r.state(), RS::AwaitingNegotiation);
        }
    }
}

TEST(Dialback, DB_38_NoDialbackBeforeRequiredTls) {
    const ServerPolicy p = montague();
    ReceivingStream r = ReceivingStream::initial();
    Context ctx(p);
    ASSERT_TRUE(r.deliver(Element::stream_open(kCapulet, kMontague), ctx).handled());
    const Outcome o = r.deliver(Element::db_result(kCapulet, kMontague, Key{1, 1, kCapulet, kMontague, 0}), ctx);
    EXPECT_EQ(o.verdict, Verdict::GuardsRejected);
    EXPECT_EQ(o.condition, Condition::PolicyViolation);
}

}  // namespace
}  // namespace bidilab::model::test
