// Addressing rules: a response header says who answers even when it
// refuses (CORE-13, CORE-24), and a stanza without 'from' or 'to' closes the
// stream with <improper-addressing/> in either direction (CORE-44).
#include "test_support.hpp"

namespace bidilab::model::test {
namespace {

using RS = ReceivingStream::State;

// CORE-13 (RFC 6120 §4.7.1): a response header MUST include 'from', set to
// one of the receiver's FQDNs; CORE-24 (§4.9.1.3): after an unknown 'to' that
// is an authoritative FQDN of the receiver or the empty string, never the
// unknown name.
TEST(Addressing, CORE_13_CORE_24_HostUnknownHeaderStillCarriesTheReceiversFrom) {
    const ServerPolicy p = montague();
    ReceivingStream r = ReceivingStream::initial();
    Context ctx(p);
    ASSERT_TRUE(r.deliver(Element::stream_open(kCapulet, kVerona), ctx).handled());
    ASSERT_FALSE(ctx.out.empty());
    const Element header = ctx.out[0];
    ASSERT_EQ(header.kind, ElementKind::StreamOpen);
    EXPECT_TRUE(p.hosts(header.from)) << to_xml(header, world_names());
    EXPECT_NE(to_xml(header, world_names()).find(" from='"), std::string::npos) << to_xml(header, world_names());
    EXPECT_EQ(header.to, kCapulet);
}

// CORE-44 (RFC 6120 §8.1.1.2, §8.1.2.2): a stanza without 'to' or 'from' on an
// s2s stream MUST close the stream with <improper-addressing/>, in either
// direction of a bidi connection.
// model/fsm/initiating_stream.cpp, case ElementKind::Stanza, first:
//   if (state == S::Established && (e.from == kNoDomain || e.to == kNoDomain))
//       return set(Condition::ImproperAddressing, "CORE-44, CORE-18, CORE-26");
TEST(Addressing, CORE_44_StanzaWithoutFromOrToClosesWithImproperAddressing) {
    const ServerPolicy ip = prosody(plain(domain_set({kCapulet}), 1));
    const ServerPolicy rp = plain(domain_set({kMontague, kConference}), 2);
    Link link(ip, rp, kCapulet, kMontague);  // bidi, dialback valid: both directions open
    link.connect();
    ASSERT_EQ(link.r.state(), RS::Established);
    ASSERT_TRUE(link.i.data().has(InitiatingData::kBidi));
    for (const Element& e : {Element::stanza(kNoDomain, kMontague, 1), Element::stanza(kCapulet, kNoDomain, 1),
                             Element::stanza(kNoDomain, kNoDomain, 1)}) {
        ReceivingStream r = link.r;
        Context ctx(rp);
        const Outcome o = r.deliver(e, ctx);
        EXPECT_TRUE(o.violation()) << describe(e, world_names());
        EXPECT_EQ(o.condition, Condition::ImproperAddressing) << "at R: " << o.describe();
    }
    for (const Element& e : {Element::stanza(kNoDomain, kCapulet, 1), Element::stanza(kMontague, kNoDomain, 1)}) {
        InitiatingStream i = link.i;
        Context ctx(ip);
        const Outcome o = i.deliver(e, ctx);
        EXPECT_TRUE(o.violation()) << describe(e, world_names());
        EXPECT_EQ(o.condition, Condition::ImproperAddressing) << "at I: " << o.describe();
    }
}

}  // namespace
}  // namespace bidilab::model::test
