// The probe's parts: the XEP-0185 key, addresses, and the bytes a played
// server writes (each mapped back by validate's mapper to the same element,
// with the same wire name on both sides).
#include <gtest/gtest.h>

#include <stdexcept>

#include "last_event.hpp"
#include "model/scenario.hpp"
#include "probe/address.hpp"
#include "probe/dialback_key.hpp"
#include "probe/played_order.hpp"
#include "probe/wire_text.hpp"
#include "topologies/topology.hpp"
#include "validate/element_mapper.hpp"

namespace bp = bidilab::probe;
namespace bm = bidilab::model;

TEST(DialbackKey, TheExampleOfXep0220) {
    // XEP-0220 §2.1.1 (KEY-2): receiving montague.example, originating
    // capulet.example, stream id D60000229F, secret s3cr3tf0rd14lb4ck.
    EXPECT_EQ(bp::dialback_key("s3cr3tf0rd14lb4ck", "montague.example", "capulet.example", "D60000229F"),
              "b4835385f37fe2895af6c196b59097b16862406db80559900d96bf6fa7d23df3");
    EXPECT_NE(bp::dialback_key("s3cr3tf0rd14lb4ck", "montague.example", "capulet.example", "D60000229G"),
              bp::dialback_key("s3cr3tf0rd14lb4ck", "montague.example", "capulet.example", "D60000229F"));
}

TEST(Address, NamedEndpoints) {
    const bp::NamedEndpoint e = bp::parse_named_endpoint("capulet=127.0.0.2:5269");
    EXPECT_EQ(e.name, "capulet");
    EXPECT_EQ(e.at.host, "127.0.0.2");
    EXPECT_EQ(e.at.port, 5269);
    EXPECT_TRUE(e.at.loopback());
    EXPECT_FALSE(bp::parse_named_endpoint("x=10.0.0.1:5269").at.loopback());
    for (const char* bad : {"capulet", "=127.0.0.1:5269", "c=127.0.0.1", "c=localhost:5269", "c=127.0.0.1:0",
                            "c=127.0.0.1:65536", "c=127.0.0.1:52a9", "c=::1:5269"})
        EXPECT_THROW(bp::parse_named_endpoint(bad), std::invalid_argument) << bad;
}

namespace {
// The element a wire text maps back to, through the capture parser and
// validate's mapper (as the judge reads it).
bm::Element read_back(const std::string& xml, bool from_initiator, bm::NameTable& names) {
    bidilab::validate::Correlation corr;
    bidilab::validate::ElementMapper mapper(names, corr);
    bidilab::validate::Mapped m;
    EXPECT_FALSE(mapper.map(probe_test::last_event(xml, from_initiator), m).has_value()) << xml;
    return m.element;
}
}  // namespace

TEST(WireText, EveryElementAPlayedServerWritesReadsBackTheSame) {
    const auto t = bidilab::topologies::load_topology(PROBE_TEST_DATA "/dialback.topology.json");
    const bm::Scenario sc = bm::make_scenario(t);
    bm::NameTable names = sc.names;
    const bm::DomainId c = 1, m = 2;
    ASSERT_EQ(names.domain(c), "capulet.lit");
    ASSERT_EQ(names.domain(m), "montague.lit");
    const bm::Key key{3, 2, m, c};
    const std::vector<bm::Element> elements = {
        bm::Element::stream_open(m, c),
        bm::Element::stream_features(bm::feature::kDialback | bm::feature::kBidi),
        bm::Element::bidi(),
        bm::Element::db_result(m, c, key),
        bm::Element::db_result(c, m, bm::DbType::Valid),
        bm::Element::db_result(c, m, bm::DbType::Error, bm::Condition::RemoteServerTimeout),
        bm::Element::db_verify(m, c, 3, key),
        bm::Element::db_verify(c, m, 3, bm::DbType::Invalid),
        bm::Element::stream_error(bm::Condition::HostUnknown),
    };
    for (const bm::Element& e : elements) {
        const std::string xml = bp::wire_xml(e, sc, bp::WireValues{"id-x", "abcdef"});
        const bm::Element back = read_back(xml, true, names);
        // The probe's order matches what it reads by wire name (probe/played_order.hpp).
        EXPECT_FALSE(bp::wire_name(e.kind).empty()) << xml;
        EXPECT_EQ(bp::wire_name(probe_test::last_event(xml)), bp::wire_name(e.kind)) << xml;
        EXPECT_EQ(back.kind, e.kind) << xml;
        EXPECT_EQ(back.from, e.from) << xml;
        EXPECT_EQ(back.to, e.to) << xml;
        EXPECT_EQ(back.type, e.type) << xml;
        EXPECT_EQ(back.condition, e.condition) << xml;
        EXPECT_EQ(back.features, e.features) << xml;
    }
    // Values from elsewhere are escaped, never written as markup.
    const std::string hostile = bp::wire_xml(bm::Element::db_result(m, c, key), sc, bp::WireValues{"", "a'<b>&"});
    EXPECT_NE(hostile.find("a&apos;&lt;b&gt;&amp;"), std::string::npos) << hostile;
    // The scenario's stanza: a real ping (XEP-0199), its id salted.
    const std::string ping = bp::wire_stanza(sc.stanzas[0], "x1");
    EXPECT_NE(ping.find("<ping xmlns='urn:xmpp:ping'/>"), std::string::npos) << ping;
    EXPECT_NE(ping.find("x1'"), std::string::npos) << ping;
    EXPECT_EQ(read_back(ping, true, names).kind, bm::ElementKind::Stanza);
    EXPECT_EQ(bp::wire_name(probe_test::last_event(ping)), bp::wire_name(bm::ElementKind::Stanza));
    EXPECT_EQ(bp::wire_name(bm::ElementKind::RequestPair), "");  // not on the wire
}
