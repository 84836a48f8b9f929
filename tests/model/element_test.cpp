// The wire vocabulary: XML as the specifications show it, one-line descriptions, value semantics.
#include "test_support.hpp"

#include "model/scenario.hpp"
#include "model/stanza_xml.hpp"
#include "topologies/topology.hpp"

namespace bidilab::model::test {
namespace {

const NameTable names = world_names();

struct XmlCase {
    const char* rules;
    Element element;
    const char* xml;
};

TEST(Element, ToXmlMatchesTheSpecifications) {
    const Key key{3, 1, kCapulet, kMontague, 0};
    const XmlCase cases[] = {
        {"CORE-16 initial header has no id", Element::stream_open(kCapulet, kMontague),
         "<stream:stream xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams' "
         "xmlns:db='jabber:server:dialback' from='capulet.lit' to='montague.lit' version='1.0'>"},
        {"CORE-14 response header", Element::stream_open(kMontague, kCapulet, 3),
         "<stream:stream xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams' "
         "xmlns:db='jabber:server:dialback' from='montague.lit' to='capulet.lit' id='id-3' version='1.0'>"},
        {"BIDI-2 feature namespace",
         Element::stream_features(feature::kStartTls | feature::kTlsRequired | feature::kDialback | feature::kBidi),
         "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls>"
         "<dialback xmlns='urn:xmpp:features:dialback'/><bidi xmlns='urn:xmpp:features:bidi'/></stream:features>"},
        {"SASL-4, DB-34", Element::stream_features(feature::kSaslExternal | feature::kDialback | feature::kDialbackErrors),
         "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>EXTERNAL</mechanism>"
         "</mechanisms><dialback xmlns='urn:xmpp:features:dialback'><errors/></dialback></stream:features>"},
        {"CORE-4 empty features", Element::stream_features(0), "<stream:features/>"},
        {"BIDI-2 request namespace", Element::bidi(), "<bidi xmlns='urn:xmpp:bidi'/>"},
        {"CORE-30", Element::start_tls(), "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"},
        {"CORE-32", Element::proceed(), "<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"},
        {"CORE-31", Element::tls_failure(), "<failure xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"},
        {"SASL-7 authzid as in the capture", Element::sasl_auth(kCapulet),
         "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='EXTERNAL'>Y2FwdWxldC5saXQ=</auth>"},
        {"SASL-6 empty response", Element::sasl_auth(kNoDomain),
         "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='EXTERNAL'>=</auth>"},
        {"SASL-8", Element::sasl_success(), "<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>"},
        {"SASL-9", Element::sasl_failure(Condition::NotAuthorized),
         "<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><not-authorized/></failure>"},
        {"DB-4 request with symbolic key", Element::db_result(kCapulet, kMontague, key),
         "<db:result from='capulet.lit' to='montague.lit'>key(capulet.lit, montague.lit, id-3; secret of capulet)</db:result>"},
        {"DB-25", Element::db_result(kMontague, kCapulet, DbType::Valid),
         "<db:result from='montague.lit' to='capulet.lit' type='valid'/>"},
        {"DB-37 error child", Element::db_result(kMontague, kVerona, DbType::Error, Condition::ItemNotFound),
         "<db:result from='montague.lit' to='verona.lit' type='error'><error type='cancel'>"
         "<item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></db:result>"},
        {"DB-15", Element::db_verify(kMontague, kCapulet, 3, key),
         "<db:verify from='montague.lit' to='capulet.lit' id='id-3'>key(capulet.lit, montague.lit, id-3; secret of capulet)</db:verify>"},
        {"DB-31", Element::db_verify(kCapulet, kMontague, 3, DbType::Invalid),
         "<db:verify from='capulet.lit' to='montague.lit' id='id-3' type='invalid'/>"},
        {"CORE-23", Element::stream_error(Condition::HostUnknown),
         "<stream:error><host-unknown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>"},
        {"CORE-19", Element::stream_close(), "</stream:stream>"},
        {"stanza", Element::stanza(kCapulet, kMontague, 7), "<message from='capulet.lit' to='montague.lit' id='s7'/>"},
        {"non-wire as comment", Element::tls_done(domain_set({kMontague})),
         "<!-- TLS handshake done; peer certificate: montague.lit -->"},
    };
    for (const auto& c : cases) EXPECT_EQ(to_xml(c.element, names), c.xml) << c.rules;
}

TEST(Element, DescribeIsOneLine) {
    const Element es[] = {Element::db_result(kMontague, kCapulet, DbType::Valid),
                          Element::verify_needed(kCapulet, kMontague, 3, Key{3, 1, kCapulet, kMontague, 0}),
                          Element::stream_features(feature::kBidi), Element::send_stanza(kCapulet, kMontague, 1)};
    for (const auto& e : es) {
        const std::string d = describe(e, names);
        EXPECT_FALSE(d.empty());
        EXPECT_EQ(d.find('\n'), std::string::npos) << d;
    }
    EXPECT_EQ(describe(es[0], names), "db:result montague.lit -> capulet.lit type=valid");
}

TEST(Element, IsASmallValue) {
    EXPECT_EQ(sizeof(Element), 24u);
    const Element a = Element::stanza(kCapulet, kMontague, 1);
    Element b = a;
    EXPECT_EQ(a, b);
    b.seq = 2;
    EXPECT_NE(a, b);
    EXPECT_TRUE(is_wire(ElementKind::StreamClose));
    EXPECT_FALSE(is_wire(ElementKind::TlsDone));
    EXPECT_TRUE(is_local_command(ElementKind::SendStanza));
}

TEST(Element, SendVerifyForSwapsThePairIntoDbVerifyOrder) {  // DB-15
    const Key k{5, 1, kCapulet, kMontague, 0};
    const Element v = Element::send_verify_for(Element::verify_needed(kCapulet, kMontague, 5, k));
    EXPECT_EQ(v.kind, ElementKind::SendVerify);
    EXPECT_EQ(v.from, kMontague);
    EXPECT_EQ(v.to, kCapulet);
    EXPECT_EQ(v.id, 5);
    EXPECT_EQ(v.key, k);
}

// XEP-0288 §3: the stanzas as the topology gives them, the ping and its result.
TEST(Element, AStanzaShowsItsTopologyJidsKindAndId) {
    const Scenario sc = make_scenario(topologies::parse_topology(R"({"name": "ping", "servers": [
        {"name": "capulet", "domains": ["capulet.lit"]}, {"name": "montague", "domains": ["montague.lit"]}],
      "stanzas": [
        {"from": "juliet@capulet.lit/balcony", "to": "montague.lit", "kind": "iq-get", "id": "8dfc70af"},
        {"from": "montague.lit", "to": "juliet@capulet.lit/balcony", "kind": "iq-result", "id": "8dfc70af"},
        {"from": "juliet@capulet.lit/balcony", "to": "romeo@montague.lit"},
        {"from": "romeo@montague.lit/orchard", "to": "juliet@capulet.lit", "kind": "presence", "id": "p1"}]})",
                                                                 "inline.json"));
    const DomainId c = *sc.names.find_domain("capulet.lit"), m = *sc.names.find_domain("montague.lit");
    EXPECT_EQ(to_xml(Element::stanza(c, m, 0), sc),
              "<iq from='juliet@capulet.lit/balcony' to='montague.lit' type='get' id='8dfc70af'>"
              "<query xmlns='urn:xmpp:ping'/></iq>");
    EXPECT_EQ(to_xml(Element::stanza(m, c, 1), sc),
              "<iq from='montague.lit' to='juliet@capulet.lit/balcony' type='result' id='8dfc70af'>"
              "<query xmlns='urn:xmpp:ping'/></iq>");
    EXPECT_EQ(to_xml(Element::stanza(c, m, 2), sc), "<message from='juliet@capulet.lit/balcony' to='romeo@montague.lit' id='s2'/>");
    EXPECT_EQ(to_xml(Element::stanza(m, c, 3), sc), "<presence from='romeo@montague.lit/orchard' to='juliet@capulet.lit' id='p1'/>");
    // A forged stanza is no scenario stanza: its domains, as to_xml(e, names) shows them.
    EXPECT_EQ(to_xml(Element::stanza(m, c, kForgedStanza), sc), "<message from='montague.lit' to='capulet.lit' id='forged'/>");
    // Nor is one whose domains are not its number's.
    EXPECT_EQ(to_xml(Element::stanza(m, c, 0), sc), to_xml(Element::stanza(m, c, 0), sc.names));
    // Other elements are unchanged.
    const Element header = Element::stream_open(c, m);
    EXPECT_EQ(to_xml(header, sc), to_xml(header, sc.names));
}

TEST(NameTable, MapsNamesAndIds) {
    NameTable n;
    EXPECT_EQ(n.add_domain("a.lit"), 1);
    EXPECT_EQ(n.add_domain("b.lit"), 2);
    EXPECT_EQ(n.add_domain("a.lit"), 1);
    EXPECT_EQ(n.find_domain("b.lit"), DomainId{2});
    EXPECT_EQ(n.domain(kNoDomain), "");
    EXPECT_EQ(NameTable::stream(4), "id-4");
    EXPECT_TRUE(contains(domain_set({1, 3}), 3));
    EXPECT_FALSE(contains(domain_set({1, 3}), 2));
    EXPECT_FALSE(contains(domain_set({1}), kNoDomain));
}

}  // namespace
}  // namespace bidilab::model::test
