// The two real Prosody 0.12 sessions in shared/captures/, replayed by a pair of
// machines with Prosody-like policies: the same elements in the same order.
// Features are compared as sets in the captures' sense (child order varies
// between runs); here our fixed order is spelled out.
#include "test_support.hpp"

namespace bidilab::model::test {
namespace {

using IS = InitiatingStream::State;
using RS = ReceivingStream::State;

// prosody-dialback-bidi.log, conn0 (capulet.lit -> montague.lit, no TLS, dialback, bidi).
// The db:verify of conn0 belongs to the other direction's verification (conn1) and
// travels over the global model here.
TEST(Capture, ProsodyDialbackBidi) {
    const ServerPolicy cap = prosody(plain(domain_set({kCapulet}), 1));
    const ServerPolicy mon = prosody(plain(domain_set({kMontague, kConference}), 2));
    Link link(cap, mon, kCapulet, kMontague);
    link.connect();
    link.to_initiator(Element::send_stanza(kCapulet, kMontague, 1));  // 0.088915 iq ping
    const std::vector<std::string> expected = {
        "I: <stream:stream xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams' "
        "xmlns:db='jabber:server:dialback' from='capulet.lit' to='montague.lit' version='1.0'>",
        "R: <stream:stream xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams' "
        "xmlns:db='jabber:server:dialback' from='montague.lit' to='capulet.lit' id='id-1' version='1.0'>",
        "R: <stream:features><dialback xmlns='urn:xmpp:features:dialback'/><bidi xmlns='urn:xmpp:features:bidi'/>"
        "</stream:features>",
        "I: <bidi xmlns='urn:xmpp:bidi'/>",
        "I: <db:result from='capulet.lit' to='montague.lit'>key(capulet.lit, montague.lit, id-1; secret of capulet)</db:result>",
        "R: <db:result from='montague.lit' to='capulet.lit' type='valid'/>",
        "I: <message from='capulet.lit' to='montague.lit' id='s1'/>",
    };
    EXPECT_EQ(link.transcript, expected);
    EXPECT_TRUE(link.violations.empty());
    EXPECT_EQ(link.i.state(), IS::Established);
    EXPECT_EQ(link.r.state(), RS::Established);
}

// prosody-tls-sasl-external-bidi.log, conn0 and conn1 (STARTTLS required, SASL EXTERNAL, bidi):
// one connection carries both directions.
TEST(Capture, ProsodyTlsSaslExternalBidi) {
    for (DomainId target : {kMontague, kConference}) {
        const ServerPolicy cap = prosody(capulet());
        ServerPolicy mon = prosody(montague());
        mon.certificate_names = domain_set({kMontague, kConference});
        Link link(cap, mon, kCapulet, target);
        link.connect();
        link.to_initiator(Element::send_stanza(kCapulet, target, 1));   // iq ping
        link.to_receiver(Element::send_stanza(target, kCapulet, 2));    // iq result, back on the same connection
        const std::string t = target == kMontague ? "montague.lit" : "conference.montague.lit";
        const std::string ns = " xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams' "
                               "xmlns:db='jabber:server:dialback'";
        const std::string i_head = "I: <stream:stream" + ns + " from='capulet.lit' to='" + t + "' version='1.0'>";
        auto r_head = [&](int id) {
            return "R: <stream:stream" + ns + " from='" + t + "' to='capulet.lit' id='id-" + std::to_string(id) +
                   "' version='1.0'>";
        };
        const std::vector<std::string> expected = {
            i_head, r_head(1),
            "R: <stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls>"
            "<dialback xmlns='urn:xmpp:features:dialback'/></stream:features>",
            "I: <starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>",
            "R: <proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>",
            "-- TLS handshake",
            i_head, r_head(2),
            "R: <stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>EXTERNAL</mechanism>"
            "</mechanisms><dialback xmlns='urn:xmpp:features:dialback'/><bidi xmlns='urn:xmpp:features:bidi'/>"
            "</stream:features>",
            "I: <bidi xmlns='urn:xmpp:bidi'/>",
            "I: <auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='EXTERNAL'>Y2FwdWxldC5saXQ=</auth>",
            "R: <success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>",
            i_head, r_head(3),
            "R: <stream:features><dialback xmlns='urn:xmpp:features:dialback'/></stream:features>",
            "I: <message from='capulet.lit' to='" + t + "' id='s1'/>",
            "R: <message from='" + t + "' to='capulet.lit' id='s2'/>",
        };
        EXPECT_EQ(link.transcript, expected) << t;
        EXPECT_TRUE(link.violations.empty()) << t;
    }
}

}  // namespace
}  // namespace bidilab::model::test
