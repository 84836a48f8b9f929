// RFC 6120 STARTTLS (§5) and SASL (§6) rules on the two machines, fed by
// hand or over a Link (the global sweeps are in core_global_rules_test.cpp).
#include "test_support.hpp"

namespace bidilab::model::test {
namespace {

using IS = InitiatingStream::State;
using RS = ReceivingStream::State;
namespace f = feature;

TEST(CoreStarttls, CORE_29_SaslOnlyAfterTlsCompleted) {
    // I: EXTERNAL offered next to STARTTLS (a receiver breaking CORE-36): TLS first.
    const ServerPolicy ours = capulet();
    InitiatingStream i = initiator_after(ours, {Element::tcp_connected(), Element::stream_open(kMontague, kCapulet, 1)});
    Context ctx(ours);
    ASSERT_TRUE(i.deliver(Element::stream_features(f::kStartTls | f::kSaslExternal | f::kDialback), ctx).handled());
    EXPECT_EQ(xml_of(outputs(ctx)), xml_of({Element::start_tls()}));
    // R: an <auth/> before TLS never authenticates, even with a matching certificate name.
    const ServerPolicy p = montague();
    ReceivingStream r = ReceivingStream::initial();
    Context rc(p);
    ASSERT_TRUE(r.deliver(Element::stream_open(kCapulet, kMontague), rc).handled());
    r.deliver(Element::sasl_auth(kCapulet), rc);
    EXPECT_FALSE(r.data().has(ReceivingData::kSasl));
    EXPECT_NE(r.state(), RS::Established);
    EXPECT_FALSE(r.accepts(kCapulet, kMontague));
}

TEST(CoreStarttls, CORE_32_NothingIsSentDuringTheHandshakeAndFailureSendsNoClose) {
    const ServerPolicy rp = montague();
    ReceivingStream r = ReceivingStream::initial();
    run_steps(r, rp, {
        {Element::stream_open(kCapulet, kMontague),
         {Element::stream_open(kMontague, kCapulet, 1),
          Element::stream_features(f::kStartTls | f::kTlsRequired | f::kDialback | f::kDialbackErrors)},
         "AwaitingNegotiation"},
        {Element::start_tls(), {Element::proceed()}, "AwaitingTlsHandshake"},
    });
    for (const Element& e : {Element::stanza(kCapulet, kMontague, 1), Element::bidi(), Element::stream_close(),
                             Element::db_result(kCapulet, kMontague, Key{1, 1, kCapulet, kMontague, 0})}) {
        ReceivingStream copy = r;
        Context ctx(rp, 2);
        EXPECT_FALSE(copy.deliver(e, ctx).handled()) << kind_name(e.kind);
        EXPECT_TRUE(ctx.out.empty()) << kind_name(e.kind);
    }
    InitiatingStream i = initiator_after(capulet(), {Element::tcp_connected(), Element::stream_open(kMontague, kCapulet, 1),
                                                     Element::stream_features(f::kStartTls | f::kTlsRequired),
                                                     Element::proceed()});
    ASSERT_EQ(i.state(), IS::AwaitingTlsHandshake);
    const ServerPolicy ours = capulet();
    Context ic(ours);
    EXPECT_FALSE(i.deliver(Element::send_stanza(kCapulet, kMontague, 1), ic).handled());
    EXPECT_TRUE(ic.out.empty());
    // A failed handshake: the TCP connection goes without </stream:stream>.
    Context ia(ours), ra(rp);
    i.abort(Condition::None, ia);
    r.abort(Condition::UndefinedCondition, ra);
    EXPECT_TRUE(ia.out.empty());
    EXPECT_TRUE(ra.out.empty());
    EXPECT_EQ(i.state(), IS::Closed);
    EXPECT_EQ(r.state(), RS::Closed);
}

TEST(CoreSasl, CORE_36_ExternalIsNeverAdvertisedBeforeTls) {
    std::size_t external = 0;
    for (TlsPolicy tls : {TlsPolicy::Required, TlsPolicy::Offered, TlsPolicy::None})
        for (int bits = 0; bits < 16; ++bits) {
            ServerPolicy p = montague();
            p.tls = tls;
            p.has_certificate = bits & 1;
            p.sasl_external = bits & 2;
            p.dialback = bits & 4;
            p.bidi = bits & 8;
            for (std::uint8_t flags = 0; flags < 8; ++flags)
                for (DomainSet cert : {DomainSet{0}, domain_set({kCapulet}), domain_set({kCapulet, kVerona})}) {
                    ReceivingData d;
                    d.flags = flags;
                    d.peer_cert = cert;
                    d.hdr_from = kCapulet;
                    d.hdr_to = kMontague;
                    const Features offer = receiver_offer(d, Context(p));
                    if (!has(offer, f::kSaslExternal)) continue;
                    ++external;
                    EXPECT_TRUE(d.has(ReceivingData::kTls)) << "flags " << int(flags) << ", policy bits " << bits;
                }
        }
    EXPECT_GT(external, 0u);
}

TEST(CoreSasl, CORE_39_EmptyResponseIsAnEqualsSignAndASecondAuthStartsAfresh) {
    // Out of the model: base64 decoding. The empty response is kNoDomain on
    // the wire as '=', and the receiver reads it as "no authzid".
    EXPECT_NE(to_xml(Element::sasl_auth(kNoDomain), world_names()).find("mechanism='EXTERNAL'>=</auth>"), std::string::npos);
    ServerPolicy ip = capulet();
    ip.sasl_authzid = false;
    InitiatingStream i = initiator_after(ip, {Element::tcp_connected(), Element::stream_open(kMontague, kCapulet, 1),
                                              Element::stream_features(f::kStartTls), Element::proceed(),
                                              Element::tls_done(domain_set({kMontague})), Element::stream_open(kMontague, kCapulet, 2)});
    Context ctx(ip);
    ASSERT_TRUE(i.deliver(Element::stream_features(f::kSaslExternal | f::kDialback), ctx).handled());
    EXPECT_EQ(xml_of(outputs(ctx)), xml_of({Element::sasl_auth(kNoDomain)}));
    // A second <auth/> after a failed one is a new handshake: the first leaves nothing behind.
    const ServerPolicy rp = montague();
    ReceivingStream r = ReceivingStream::initial();
    run_steps(r, rp, {
        {Element::stream_open(kCapulet, kMontague), {Element::stream_open(kMontague, kCapulet, 1),
          Element::stream_features(f::kStartTls | f::kTlsRequired | f::kDialback | f::kDialbackErrors)}, "AwaitingNegotiation"},
        {Element::start_tls(), {Element::proceed()}, "AwaitingTlsHandshake"},
        {Element::tls_done(domain_set({kCapulet})), {}, "AwaitingStreamOpen"},
        {Element::stream_open(kCapulet, kMontague), {Element::stream_open(kMontague, kCapulet, 2),
          Element::stream_features(f::kSaslExternal | f::kDialback | f::kDialbackErrors | f::kBidi)}, "AwaitingNegotiation"},
        {Element::sasl_auth(kVerona), {Element::sasl_failure(Condition::InvalidAuthzid)}, "AwaitingNegotiation"},
        {Element::sasl_auth(kNoDomain), {Element::sasl_success()}, "AwaitingStreamOpen"},
    });
    EXPECT_EQ(r.data().authz, kCapulet);
}

TEST(CoreSasl, CORE_40_StrictReceiverEndsTheStreamLenientOneFallsBackToDialback) {
    ServerPolicy ip = capulet();
    ip.certificate_trusted = false;  // no SASL EXTERNAL for capulet.lit anywhere
    for (bool lenient : {true, false}) {
        ServerPolicy rp = montague();
        rp.dialback = lenient;
        Link link(ip, rp, kCapulet, kMontague);
        link.connect();
        EXPECT_TRUE(link.r.data().has(ReceivingData::kTls)) << lenient;
        if (lenient) {  // weak verification over TLS
            EXPECT_EQ(link.r.pair(kCapulet, kMontague), PairState::Valid);
            EXPECT_EQ(link.r.state(), RS::Established);
        } else {  // the stream ends with a stream error; nothing was authorized
            EXPECT_EQ(link.r.state(), RS::Closed);
            EXPECT_EQ(link.i.state(), IS::Closed);
            EXPECT_TRUE(contains_text(link.transcript, "<stream:error>"));
            EXPECT_FALSE(link.r.data().authenticated());
        }
    }
}

}  // namespace
}  // namespace bidilab::model::test
