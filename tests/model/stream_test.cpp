// Stream open, restart with fresh ids, STARTTLS required / offered / none, close (RFC 6120).
#include "test_support.hpp"

namespace bidilab::model::test {
namespace {

using IS = InitiatingStream::State;
using RS = ReceivingStream::State;
namespace f = feature;

TEST(StreamOpen, CORE_6_CORE_16_CORE_27_InitiatorOpensRestartsAfterTlsAndBindsKeysToTheNewId) {
    const ServerPolicy p = capulet();
    InitiatingStream i = InitiatingStream::initial(kCapulet, kMontague);
    run_steps(i, p, {
        {Element::tcp_connected(), {Element::stream_open(kCapulet, kMontague)}, "AwaitingStreamOpen"},
        {Element::stream_open(kMontague, kCapulet, 5), {}, "AwaitingFeatures"},
        {Element::stream_features(f::kStartTls | f::kTlsRequired | f::kDialback), {Element::start_tls()}, "AwaitingProceed"},
        {Element::proceed(), {}, "AwaitingTlsHandshake"},
        {Element::tls_done(domain_set({kMontague})), {Element::stream_open(kCapulet, kMontague)}, "AwaitingStreamOpen"},
        {Element::stream_open(kMontague, kCapulet, 6), {}, "AwaitingFeatures"},
        {Element::stream_features(f::kDialback),
         {Element::db_result(kCapulet, kMontague, Key{6, 1, kCapulet, kMontague, 0})}, "Established"},
    });
    EXPECT_EQ(i.data().stream_id, 6);  // RULES §8.8: the key binds to the post-TLS id
    EXPECT_TRUE(i.data().has(InitiatingData::kTls));
    EXPECT_EQ(i.data().peer_cert, domain_set({kMontague}));
}

TEST(StreamOpen, CORE_7_CORE_15_CORE_42_ReceiverMintsAFreshIdForEveryHeader) {
    const ServerPolicy ip = capulet(), rp = montague();
    Link link(ip, rp, kCapulet, kMontague);
    link.connect();
    ASSERT_EQ(link.i.state(), IS::Established);
    std::vector<std::string> headers;
    for (const auto& line : link.transcript)
        if (line.rfind("R: <stream:stream", 0) == 0) headers.push_back(line);
    ASSERT_EQ(headers.size(), 3u);  // pre-TLS, post-TLS, post-SASL
    EXPECT_NE(headers[0].find("id='id-1'"), std::string::npos);
    EXPECT_NE(headers[1].find("id='id-2'"), std::string::npos);
    EXPECT_NE(headers[2].find("id='id-3'"), std::string::npos);
    EXPECT_EQ(link.r.data().stream_id, 3);
    EXPECT_EQ(link.i.data().stream_id, 3);
    EXPECT_EQ(link.next_id, 4);
}

TEST(StreamOpen, CORE_24_CORE_25_UnknownHostIsAStreamError) {
    const ServerPolicy p = montague();
    ReceivingStream r = ReceivingStream::initial();
    run_steps(r, p, {{Element::stream_open(kCapulet, kVerona),
                      {Element::stream_open(kMontague, kCapulet, 1), Element::stream_error(Condition::HostUnknown),
                       Element::stream_close()},
                      "Closed"}});
}

// ---------------------------------------------------------------- STARTTLS, initiating side
struct InitiatorTlsCase {
    const char* rules;
    TlsPolicy ours;
    Features offered;
    std::vector<Element> out;
    IS state;
    bool header_declares_dialback = true;   // DB-33
    bool close_when_tls_not_offered = false;  // starttls_unoffered = close
};

TEST(StartTls, CORE_26_CORE_28_EXT_1_InitiatorFollowsItsPolicy) {
    const Key k{1, 1, kCapulet, kMontague, 0};
    const Element close = Element::stream_close();
    const InitiatorTlsCase cases[] = {
        {"CORE-28 offered, we do TLS", TlsPolicy::Offered, f::kStartTls | f::kDialback, {Element::start_tls()}, IS::AwaitingProceed},
        {"CORE-28 required, we require", TlsPolicy::Required, f::kStartTls | f::kTlsRequired | f::kDialback,
         {Element::start_tls()}, IS::AwaitingProceed},
        {"optional TLS, we do none", TlsPolicy::None, f::kStartTls | f::kDialback,
         {Element::db_result(kCapulet, kMontague, k)}, IS::Established},
        {"CORE-26 mandatory TLS we cannot do", TlsPolicy::None, f::kStartTls | f::kTlsRequired | f::kDialback,
         {Element::stream_error(Condition::UnsupportedFeature), close}, IS::Closed},
        {"EXT-1 we require TLS, none offered: we try it all the same (Prosody)", TlsPolicy::Required, f::kDialback,
         {Element::start_tls()}, IS::AwaitingProceed},
        {"EXT-1, CORE-55 we require TLS, none offered: we close", TlsPolicy::Required, f::kDialback,
         {Element::stream_error(Condition::PolicyViolation), close}, IS::Closed, true, true},
        {"no TLS anywhere", TlsPolicy::Offered, f::kDialback, {Element::db_result(kCapulet, kMontague, k)}, IS::Established},
        {"DB-33 dialback declared in the header, no feature", TlsPolicy::Offered, 0,
         {Element::db_result(kCapulet, kMontague, k)}, IS::Established},
        {"CORE-40 nothing to authenticate with", TlsPolicy::Offered, 0,
         {Element::stream_error(Condition::UnsupportedFeature), close}, IS::Closed, false},
    };
    for (const auto& c : cases) {
        ServerPolicy p = capulet();
        p.tls = c.ours;
        if (c.close_when_tls_not_offered)
            p.choices[static_cast<std::size_t>(SpecChoice::CloseWhenTlsNotOffered)] = ChoiceSetting::Other;
        InitiatingStream i = InitiatingStream::initial(kCapulet, kMontague);
        Context ctx(p);
        i.deliver(Element::tcp_connected(), ctx);
        Element header = Element::stream_open(kMontague, kCapulet, 1);
        if (!c.header_declares_dialback) header.flags |= Element::kNoDialbackNs;
        i.deliver(header, ctx);
        const Outcome o = i.deliver(Element::stream_features(c.offered), ctx);
        EXPECT_TRUE(o.handled()) << c.rules;
        EXPECT_EQ(xml_of(outputs(ctx)), xml_of(c.out)) << c.rules;
        EXPECT_EQ(i.state(), c.state) << c.rules;
    }
}

// ---------------------------------------------------------------- STARTTLS, receiving side
struct ReceiverOfferCase {
    const char* rules;
    TlsPolicy tls;
    bool certificate;
    BidiAdvertisement bidi;
    Features expected;
};

TEST(StartTls, CORE_28_CORE_30_BIDI_1_ReceiverOffersPerPolicyBeforeTls) {
    const Features db = f::kDialback | f::kDialbackErrors;
    const ReceiverOfferCase cases[] = {
        {"CORE-30 required (Prosody: no pre-TLS bidi)", TlsPolicy::Required, true, BidiAdvertisement::WhenUsable,
         f::kStartTls | f::kTlsRequired | db},
        {"BIDI-1 pre- and post-TLS (ejabberd)", TlsPolicy::Required, true, BidiAdvertisement::PreAndPostTls,
         f::kStartTls | f::kTlsRequired | db | f::kBidi},
        {"TLS offered: bidi usable in the clear", TlsPolicy::Offered, true, BidiAdvertisement::WhenUsable,
         f::kStartTls | db | f::kBidi},
        {"no TLS", TlsPolicy::None, true, BidiAdvertisement::WhenUsable, db | f::kBidi},
        {"TLS needs a certificate", TlsPolicy::Offered, false, BidiAdvertisement::WhenUsable, db | f::kBidi},
    };
    for (const auto& c : cases) {
        ServerPolicy p = montague();
        p.tls = c.tls;
        p.has_certificate = c.certificate;
        p.bidi_advertisement = c.bidi;
        ReceivingStream r = ReceivingStream::initial();
        Context ctx(p);
        EXPECT_TRUE(r.deliver(Element::stream_open(kCapulet, kMontague), ctx).handled()) << c.rules;
        ASSERT_EQ(ctx.out.size(), 2u);
        EXPECT_EQ(to_xml(ctx.out[1], world_names()), to_xml(Element::stream_features(c.expected), world_names())) << c.rules;
    }
}

// A server without TLS: its usual answer is the stream error of an element it
// does not know (CORE-26, Prosody without mod_tls, RW-28); the other branch of
// unoffered_starttls_answer is the TLS <failure/> of CORE-31.
TEST(StartTls, CORE_31_CORE_26_StartTlsNotOfferedFailsAndCloses) {
    ServerPolicy p = plain(domain_set({kMontague}), 2);
    const Element header = Element::stream_open(kMontague, kCapulet, 1);
    const Element features = Element::stream_features(f::kDialback | f::kDialbackErrors | f::kBidi);
    ReceivingStream usual = ReceivingStream::initial();
    run_steps(usual, p, {
        {Element::stream_open(kCapulet, kMontague), {header, features}, "AwaitingNegotiation"},
        {Element::start_tls(), {Element::stream_error(Condition::UnsupportedStanzaType), Element::stream_close()}, "Closed"},
    });
    p.choices[static_cast<std::size_t>(SpecChoice::TlsFailureForUnofferedStarttls)] = ChoiceSetting::Other;
    ReceivingStream other = ReceivingStream::initial();
    run_steps(other, p, {
        {Element::stream_open(kCapulet, kMontague), {header, features}, "AwaitingNegotiation"},
        {Element::start_tls(), {Element::tls_failure(), Element::stream_close()}, "Closed"},
    });
}

// CORE-31 cause 3: an internal error after STARTTLS was offered (offered_starttls_answer).
TEST(StartTls, CORE_31_OfferedStartTlsMayStillFail) {
    ServerPolicy p = montague();
    p.choices[static_cast<std::size_t>(SpecChoice::TlsFailureAfterOffer)] = ChoiceSetting::Other;
    ReceivingStream r = ReceivingStream::initial();
    run_steps(r, p, {
        {Element::stream_open(kCapulet, kMontague),
         {Element::stream_open(kMontague, kCapulet, 1),
          Element::stream_features(f::kStartTls | f::kTlsRequired | f::kDialback | f::kDialbackErrors)},
         "AwaitingNegotiation"},
        {Element::start_tls(), {Element::tls_failure(), Element::stream_close()}, "Closed"},
    });
}

// RFC 6120 §5.3.1 (features_before_tls = starttls_only, ejabberd RW-26): before a
// required STARTTLS nothing else is offered (after TLS everything is, as below).
TEST(StartTls, CORE_30_SASL_1_StartTlsAloneBeforeMandatoryTls) {
    ServerPolicy p = montague();
    p.choices[static_cast<std::size_t>(SpecChoice::StarttlsOnlyBeforeTls)] = ChoiceSetting::Other;
    ReceivingStream r = ReceivingStream::initial();
    Context ctx(p);
    ASSERT_TRUE(r.deliver(Element::stream_open(kCapulet, kMontague), ctx).handled());
    EXPECT_EQ(xml_of(outputs(ctx)), xml_of({Element::stream_open(kMontague, kCapulet, 1),
                                            Element::stream_features(f::kStartTls | f::kTlsRequired)}));
}

TEST(StartTls, CORE_27_CORE_33_ReceiverForgetsThePlaintextEpochAndNeverReoffersTls) {
    const ServerPolicy p = montague();
    ReceivingStream r = ReceivingStream::initial();
    run_steps(r, p, {
        {Element::stream_open(kCapulet, kMontague),
         {Element::stream_open(kMontague, kCapulet, 1),
          Element::stream_features(f::kStartTls | f::kTlsRequired | f::kDialback | f::kDialbackErrors)},
         "AwaitingNegotiation"},
        {Element::start_tls(), {Element::proceed()}, "AwaitingTlsHandshake"},
        {Element::tls_done(domain_set({kCapulet})), {}, "AwaitingStreamOpen"},
        {Element::stream_open(kCapulet, kMontague),
         {Element::stream_open(kMontague, kCapulet, 2),
          Element::stream_features(f::kSaslExternal | f::kDialback | f::kDialbackErrors | f::kBidi)},
         "AwaitingNegotiation"},
    });
    EXPECT_TRUE(r.data().has(ReceivingData::kTls));
    // CORE-33 not offered again, so a second <starttls/> fails and closes (CORE-31).
    run_steps(r, p, {{Element::start_tls(), {Element::tls_failure(), Element::stream_close()}, "Closed"}}, 3);
}

// ---------------------------------------------------------------- closing
TEST(StreamClose, CORE_19_CORE_23_BothEndsAnswerCloseAndErrorWithTheirClose) {
    const ServerPolicy ip = prosody(plain(domain_set({kCapulet}), 1));
    const ServerPolicy rp = prosody(plain(domain_set({kMontague}), 2));
    Link link(ip, rp, kCapulet, kMontague);
    link.connect();
    ASSERT_EQ(link.i.state(), IS::Established);
    link.to_receiver(Element::stream_error(Condition::SystemShutdown));  // as if I had sent it
    EXPECT_EQ(link.r.state(), RS::Closed);
    EXPECT_EQ(link.i.state(), IS::Closed);  // R's </stream:stream> closed I too
    ASSERT_GE(link.transcript.size(), 2u);
    EXPECT_EQ(link.transcript[link.transcript.size() - 2], "R: </stream:stream>");
    EXPECT_EQ(link.transcript.back(), "I: </stream:stream>");
    EXPECT_TRUE(link.violations.empty());
}

}  // namespace
}  // namespace bidilab::model::test
