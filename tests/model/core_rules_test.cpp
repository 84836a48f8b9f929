// RFC 6120 stream and addressing rules on the two machines, fed by hand or
// over a Link (STARTTLS and SASL: core_tls_sasl_rules_test.cpp; the global
// sweeps: core_global_rules_test.cpp).
#include "test_support.hpp"

namespace bidilab::model::test {
namespace {

using IS = InitiatingStream::State;
using RS = ReceivingStream::State;
namespace f = feature;

TEST(CoreStreams, CORE_3_InitiatorSendsNoStanzaWhileNegotiationIsIncomplete) {
    const ServerPolicy p = capulet();
    const Element hdr1 = Element::stream_open(kMontague, kCapulet, 1), hdr2 = Element::stream_open(kMontague, kCapulet, 2);
    const std::vector<Element> to_tls = {Element::tcp_connected(), hdr1,
                                         Element::stream_features(f::kStartTls | f::kTlsRequired | f::kDialback)};
    std::vector<Element> to_sasl = to_tls;
    for (const Element& e : {Element::proceed(), Element::tls_done(domain_set({kMontague})), hdr2,
                             Element::stream_features(f::kSaslExternal | f::kDialback)})
        to_sasl.push_back(e);
    const struct { const char* why; std::vector<Element> in; IS state; } cases[] = {
        {"before any features", {Element::tcp_connected(), hdr1}, IS::AwaitingFeatures},
        {"STARTTLS required and pending", to_tls, IS::AwaitingProceed},
        {"SASL offered and pending", to_sasl, IS::AwaitingSaslResult},
    };
    for (const auto& c : cases) {
        InitiatingStream i = initiator_after(p, c.in);
        ASSERT_EQ(i.state(), c.state) << c.why;
        Context ctx(p);
        EXPECT_FALSE(i.deliver(Element::send_stanza(kCapulet, kMontague, 1), ctx).handled()) << c.why;
        EXPECT_TRUE(ctx.out.empty()) << c.why;
    }
    // Once SASL succeeded and the restarted stream's features are in, it may.
    std::vector<Element> done = to_sasl;
    for (const Element& e : {Element::sasl_success(), Element::stream_open(kMontague, kCapulet, 3),
                             Element::stream_features(f::kDialback)})
        done.push_back(e);
    InitiatingStream i = initiator_after(p, done);
    Context ctx(p);
    EXPECT_TRUE(i.deliver(Element::send_stanza(kCapulet, kMontague, 1), ctx).handled());
}

TEST(CoreStreams, CORE_5_CORE_8_RestartKeepsConnectionAndResendsFeatures) {
    const ServerPolicy ip = capulet(), rp = montague();
    Link link(ip, rp, kCapulet, kMontague);
    link.connect();
    ASSERT_EQ(link.r.state(), RS::Established);
    std::vector<std::string> r_lines;
    for (const auto& l : link.transcript)
        if (l.rfind("R: ", 0) == 0) r_lines.push_back(l);
    // Three epochs on one connection (plain, TLS, SASL): each header answered by features.
    std::size_t headers = 0;
    for (std::size_t k = 0; k < r_lines.size(); ++k)
        if (r_lines[k].rfind("R: <stream:stream", 0) == 0) {
            ++headers;
            ASSERT_LT(k + 1, r_lines.size());
            EXPECT_EQ(r_lines[k + 1].rfind("R: <stream:features", 0), 0u) << r_lines[k];
        }
    EXPECT_EQ(headers, 3u);
    EXPECT_FALSE(contains_text(link.transcript, "</stream:stream>"));  // CORE-5: no close at a restart
    EXPECT_FALSE(contains_text(link.transcript, "<stream:error>"));
    // CORE-8: the post-TLS list is updated: no STARTTLS, EXTERNAL and bidi again.
    std::vector<std::string> features;
    for (const auto& l : r_lines)
        if (l.rfind("R: <stream:features", 0) == 0) features.push_back(l);
    ASSERT_EQ(features.size(), 3u);
    EXPECT_NE(features[0], features[1]);
    EXPECT_EQ(features[1].find("starttls"), std::string::npos);
    EXPECT_NE(features[1].find("EXTERNAL"), std::string::npos);
    EXPECT_NE(features[1].find("urn:xmpp:features:bidi"), std::string::npos);
}

TEST(CoreStreams, CORE_9_NoNewFeaturesOnceNegotiationIsComplete) {
    const ServerPolicy ip = capulet(), rp = montague();
    Link link(ip, rp, kCapulet, kMontague);
    link.connect();
    ASSERT_EQ(link.r.state(), RS::Established);
    // R has no way to emit features again: only a new header would, and it refuses one.
    Context rc(rp, 50);
    const Outcome o = link.r.deliver(Element::stream_open(kCapulet, kMontague), rc);
    EXPECT_TRUE(o.violation());
    EXPECT_TRUE(rc.out.empty());
    // I treats extra features as a violation (CORE-9), not as a new offer.
    Context ic(ip);
    const Outcome late = link.i.deliver(Element::stream_features(f::kBidi | f::kSaslExternal), ic);
    EXPECT_TRUE(late.violation());
    EXPECT_NE(std::string(late.rules).find("CORE-9"), std::string::npos) << late.describe();
}

TEST(CoreStreams, CORE_13_CORE_14_HeadersCarryFromAndToAndTheInitiatorBindsNoEcho) {
    const ServerPolicy ip = capulet(), rp = montague();
    Link link(ip, rp, kCapulet, kMontague);
    link.connect();
    std::size_t i_headers = 0, r_headers = 0;
    for (const auto& l : link.transcript) {
        if (l.rfind("I: <stream:stream", 0) == 0) {  // before and after TLS, and after SASL
            ++i_headers;
            EXPECT_NE(l.find(" from='capulet.lit' to='montague.lit'"), std::string::npos) << l;
        }
        if (l.rfind("R: <stream:stream", 0) == 0) {
            ++r_headers;
            EXPECT_NE(l.find(" from='montague.lit' to='capulet.lit' id='"), std::string::npos) << l;
        }
    }
    EXPECT_EQ(i_headers, 3u);
    EXPECT_EQ(r_headers, 3u);
    // CORE-14 MUT: a response header echoing another domain binds nothing; the
    // pair asked for is still the stream's own.
    const ServerPolicy p = kCapuletPlain;
    InitiatingStream i = InitiatingStream::initial(kCapulet, kMontague);
    run_steps(i, p, {
        {Element::tcp_connected(), {Element::stream_open(kCapulet, kMontague)}, "AwaitingStreamOpen"},
        {Element::stream_open(kVerona, kVerona, 4), {}, "AwaitingFeatures"},
        {Element::stream_features(f::kDialback), {Element::db_result(kCapulet, kMontague, Key{4, 1, kCapulet, kMontague, 0})},
         "Established"},
    });
    EXPECT_EQ(i.data().from, kCapulet);
    EXPECT_EQ(i.data().to, kMontague);
}

// Out of the model: headers without 'version' (0.9 peers that skip features
// and start dialback at once). The model speaks 1.0 only: it says so in every
// header and the initiator waits for features before it authenticates.
TEST(CoreStreams, CORE_17_OnlyVersion1HeadersAndTheInitiatorWaitsForFeatures) {
    const NameTable n = world_names();
    for (const Element& h : {Element::stream_open(kCapulet, kMontague), Element::stream_open(kMontague, kCapulet, 3)})
        EXPECT_NE(to_xml(h, n).find(" version='1.0'"), std::string::npos);
    InitiatingStream i = initiator_after(kCapuletPlain, {Element::tcp_connected(), Element::stream_open(kMontague, kCapulet, 1)});
    EXPECT_EQ(i.state(), IS::AwaitingFeatures);
    EXPECT_FALSE(InitiatingStream::has_row(IS::AwaitingFeatures, ElementKind::RequestPair));
    Context ctx(kCapuletPlain);
    EXPECT_FALSE(i.deliver(Element::request_pair(kCapulet, kMontague), ctx).handled());
    EXPECT_TRUE(ctx.out.empty());
}

TEST(CoreStreams, CORE_18_StanzasWithoutFromOrToAreNeverSent) {
    Link link(kCapuletPlain, kMontaguePlain, kCapulet, kMontague);  // bidi, dialback valid
    link.connect();
    ASSERT_TRUE(link.i.may_send(kCapulet, kMontague));
    ASSERT_TRUE(link.r.may_send(kMontague, kCapulet));
    const Element unaddressed[] = {Element::send_stanza(kNoDomain, kMontague, 1), Element::send_stanza(kCapulet, kNoDomain, 1),
                                   Element::send_stanza(kMontague, kNoDomain, 1), Element::send_stanza(kNoDomain, kCapulet, 1),
                                   Element::send_stanza(kNoDomain, kNoDomain, 1)};
    for (const Element& e : unaddressed) {
        Context ic(kCapuletPlain), rc(kMontaguePlain);
        EXPECT_FALSE(link.i.deliver(e, ic).handled()) << describe(e, world_names());
        EXPECT_FALSE(link.r.deliver(e, rc).handled()) << describe(e, world_names());
        EXPECT_TRUE(ic.out.empty() && rc.out.empty());
    }
}

TEST(CoreAddressing, CORE_50_StanzaForADomainTheReceiverDoesNotHostIsRefused) {
    Link link(kCapuletPlain, kMontaguePlain, kCapulet, kMontague);  // bidi, dialback valid
    link.connect();
    ASSERT_TRUE(link.r.accepts(kCapulet, kMontague));
    Context rc(kMontaguePlain), ic(kCapuletPlain);
    const Outcome at_r = link.r.deliver(Element::stanza(kCapulet, kVerona, 1), rc);  // no relaying via montague
    EXPECT_TRUE(at_r.violation());
    EXPECT_TRUE(rc.out.empty());
    const Outcome at_i = link.i.deliver(Element::stanza(kMontague, kVerona, 2), ic);  // nor via capulet over bidi
    EXPECT_TRUE(at_i.violation());
    EXPECT_TRUE(ic.out.empty());
}

TEST(CoreSecurity, CORE_53_InitiatorAcceptsOnlyDomainsItVerifiedItself) {
    Link link(kCapuletPlain, kMontaguePlain, kCapulet, kMontague);
    link.connect();
    ASSERT_TRUE(link.i.data().has(InitiatingData::kBidi));
    EXPECT_TRUE(link.i.accepts(kMontague, kCapulet));     // the domain it dialled and R answered for
    EXPECT_FALSE(link.i.accepts(kConference, kCapulet));  // same server, never proven to capulet
    EXPECT_FALSE(link.i.accepts(kVerona, kCapulet));
    // R's own proof (its reverse dialback, verified by I's side) secures that direction.
    link.to_receiver(Element::request_pair(kConference, kCapulet));
    ASSERT_EQ(link.i_events.size(), 2u);  // PairOutcome of the stream's pair, then VerifyNeeded
    const Element need = link.i_events[1];
    ASSERT_EQ(need.kind, ElementKind::VerifyNeeded);
    link.to_initiator(Element::verify_outcome(need.from, need.to, need.id, DbType::Valid));
    EXPECT_TRUE(link.i.accepts(kConference, kCapulet));
    // Without bidi I accepts nothing from R, however R authenticated I.
    ServerPolicy no_bidi = kCapuletPlain;
    no_bidi.bidi = false;
    Link plain_link(no_bidi, kMontaguePlain, kCapulet, kMontague);
    plain_link.connect();
    ASSERT_TRUE(plain_link.r.accepts(kCapulet, kMontague));
    EXPECT_FALSE(plain_link.i.accepts(kMontague, kCapulet));
}

}  // namespace
}  // namespace bidilab::model::test
