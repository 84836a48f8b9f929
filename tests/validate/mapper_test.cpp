// Capture events as model Elements, and replays of small inline logs.
#include <gtest/gtest.h>

#include "tests/capture/log_text.hpp"
#include "validate/element_mapper.hpp"
#include "validate/validate_error.hpp"
#include "validate/validator.hpp"

namespace bidilab::validate {
namespace {

using capture::test::data;
using capture::test::header;
using capture::test::lines;
using model::Element;
using model::ElementKind;
namespace feature = model::feature;

// Maps every event of a one-connection log (after its header).
struct Mapping {
    model::NameTable names{std::vector<std::string>{"a.lit", "b.lit"}};
    Correlation corr;
    std::vector<Mapped> out;
    std::vector<std::optional<Problem>> problems;

    explicit Mapping(const std::vector<std::string>& xml_lines) {
        std::vector<std::string> ls{data("c0", "->", header("a.lit", "b.lit", ""))};
        for (const auto& x : xml_lines) ls.push_back(data("c0", "->", x));
        auto log = capture::parse_wire_log(lines(ls), "t.log");
        ElementMapper m(names, corr);
        for (std::size_t i = 1; i < log.events.size(); ++i) {
            Mapped x;
            problems.push_back(m.map(log.events[i], x));
            out.push_back(x);
        }
    }
};

TEST(Mapper, FeaturesAreASetOfWhatTheModelNegotiates) {
    Mapping m({"<stream:features><c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='n' ver='v'/>"
               "<bidi xmlns='urn:xmpp:features:bidi'/><dialback xmlns='urn:xmpp:features:dialback'><errors/></dialback>"
               "<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism>"
               "<mechanism>EXTERNAL</mechanism></mechanisms>"
               "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls></stream:features>",
               "<stream:features><bidi xmlns='urn:xmpp:bidi'/></stream:features>"});
    ASSERT_FALSE(m.problems[0]);
    EXPECT_EQ(m.out[0].element.features, feature::kStartTls | feature::kTlsRequired | feature::kSaslExternal |
                                             feature::kDialback | feature::kDialbackErrors | feature::kBidi);
    EXPECT_EQ(m.out[1].element.features, 0) << "the request namespace is not the feature (BIDI-2)";
}

TEST(Mapper, SaslAndStreamErrors) {
    Mapping m({"<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='EXTERNAL'>YS5saXQ=</auth>",
               "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='EXTERNAL'>=</auth>",
               "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>AGEAYg==</auth>",
               "<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><aborted/></failure>",
               "<stream:error><host-unknown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"
               "<text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>no</text></stream:error>"});
    EXPECT_EQ(m.out[0].element, Element::sasl_auth(1));
    EXPECT_EQ(m.out[1].element, Element::sasl_auth(model::kNoDomain));
    ASSERT_TRUE(m.problems[2]);
    EXPECT_EQ(m.problems[2]->rules, "SASL-4, CORE-37");
    EXPECT_EQ(m.out[3].element, Element::sasl_failure(model::Condition::NotAuthorized)) << "CORE-43";
    EXPECT_EQ(m.out[4].element, Element::stream_error(model::Condition::HostUnknown));
}

TEST(Mapper, DialbackElementsCorrelateIdsAndKeys) {
    Mapping m({"<db:result from='a.lit' to='b.lit'>k1</db:result>",
               "<db:verify from='b.lit' to='a.lit' id='X'>k1</db:verify>",
               "<db:result from='b.lit' to='a.lit' type='error'><error type='cancel'>"
               "<item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></db:result>",
               "<db:verify from='b.lit' to='a.lit' id='X' type='valid'/>",
               "<db:result from='b.lit' to='a.lit' type='maybe'/>"});
    EXPECT_EQ(m.out[0].element.kind, ElementKind::DbResult);
    EXPECT_EQ(m.out[0].key_text, "k1");
    EXPECT_EQ(m.out[1].element.id, m.out[3].element.id) << "one real id, one model id";
    EXPECT_NE(m.out[1].element.id, model::kNoStream);
    EXPECT_EQ(m.out[2].element, Element::db_result(2, 1, model::DbType::Error, model::Condition::ItemNotFound));
    ASSERT_TRUE(m.problems[4]);
}

TEST(Mapper, StanzasAreTheirDomainsInCaptureOrder) {
    Mapping m({"<message from='juliet@a.lit/balcony' to='romeo@b.lit'><body>x</body></message>",
               "<iq from='a.lit' to='c.lit' type='get' id='1'><ping xmlns='urn:xmpp:ping'/></iq>",
               "<presence to='b.lit'/>", "<r xmlns='urn:xmpp:sm:3'/>"});
    EXPECT_EQ(m.out[0].element, Element::stanza(1, 2, 1));
    EXPECT_EQ(m.out[1].element, Element::stanza(1, 3, 2)) << "c.lit is added: a domain no server hosts";
    EXPECT_EQ(m.names.domain(3), "c.lit");
    ASSERT_TRUE(m.problems[2]);
    EXPECT_EQ(m.problems[2]->rules, "CORE-44, CORE-18");
    ASSERT_TRUE(m.problems[3]);
    EXPECT_EQ(m.problems[3]->rules, "CORE-26");
}

TEST(Mapper, Base64) {
    EXPECT_EQ(decode_base64("Y2FwdWxldC5saXQ="), "capulet.lit");
    EXPECT_EQ(decode_base64(""), "");
    EXPECT_FALSE(decode_base64("Y2F=dWxl"));
    EXPECT_FALSE(decode_base64("abc"));
}

// ---------------------------------------------------------------- small replays

topologies::Topology two_servers() {
    return topologies::parse_topology(
        R"({"name": "t", "servers": [
              {"name": "a", "domains": ["a.lit"], "tls": "none", "dialback_errors": false},
              {"name": "b", "domains": ["b.lit"], "tls": "none", "dialback_errors": false}]})",
        "t.json");
}

TEST(Replay, AConnectionBetweenUnknownServersIsUnreadable) {
    auto log = capture::parse_wire_log(lines({"# x", data("c0", "->", header("x.lit", "b.lit", ""))}), "t.log");
    try {
        validate(two_servers(), log);
        FAIL() << "no error";
    } catch (const ValidateError& e) {
        EXPECT_STREQ(e.what(), "t.log:2: c0: no server of topology 't' hosts 'x.lit' (the initiating server)");
    }
}

TEST(Replay, UnknownTopLevelElementIsAFinding) {
    const std::string f = "<stream:features><dialback xmlns='urn:xmpp:features:dialback'/>"
                          "<bidi xmlns='urn:xmpp:features:bidi'/></stream:features>";
    auto log = capture::parse_wire_log(lines({data("c0", "->", header("a.lit", "b.lit", "")),
                                              data("c0", "<-", header("b.lit", "a.lit", "i1") + f),
                                              data("c0", "->", "<r xmlns='urn:xmpp:sm:3'/>")}),
                                       "t.log");
    Result r = validate(two_servers(), log);
    ASSERT_EQ(r.findings.size(), 1u);
    EXPECT_EQ(r.findings[0].line, 3u);
    EXPECT_EQ(r.findings[0].rules, std::vector<std::string>{"CORE-26"});
}

TEST(Replay, OneStreamErrorThenTheClose) {
    // capulet's shutdown of conn0 (lines 49, 50) with its stream error written twice.
    auto log = capture::read_wire_log(std::string(CAPTURE_TEST_DATA) + "/prosody-dialback-bidi.log");
    std::vector<capture::WireEvent> events;
    for (const auto& e : log.events) {
        events.push_back(e);
        if (e.line == 49) events.push_back(e);
    }
    log.events = events;
    Result r = validate(topologies::load_topology(std::string(VALIDATE_TEST_DATA) +
                                                  "/prosody-dialback-bidi.topology.json"),
                        log);
    ASSERT_EQ(r.findings.size(), 1u) << explain_text(r);
    EXPECT_EQ(r.findings[0].line, 49u);
    EXPECT_EQ(r.findings[0].rules, std::vector<std::string>{"CORE-23"});
}

TEST(Replay, TheAuthorityDecidesWhetherAKeyIsValid) {
    // The dialback capture with montague answering 'invalid' for capulet's valid
    // key at line 18: taken (its secret, its call); capulet's receiving stream
    // must then report invalid and close, so the 'valid' of line 19 is rejected.
    auto log = capture::read_wire_log(std::string(CAPTURE_TEST_DATA) + "/prosody-dialback-bidi.log");
    for (auto& e : log.events)
        if (e.line == 18)
            for (auto& a : e.element.attributes)
                if (a.first == "type") a.second = "invalid";
    Result r = validate(topologies::load_topology(std::string(VALIDATE_TEST_DATA) +
                                                  "/prosody-dialback-bidi.topology.json"),
                        log);
    ASSERT_EQ(r.findings.size(), 1u) << explain_text(r);
    EXPECT_EQ(r.findings[0].line, 19u);
    EXPECT_EQ(r.findings[0].rules.front(), "DB-25");
}

// ---------------------------------------------------------------- 0.9 headers (CORE-17)
std::string without_version(std::string h) {
    const std::string v = " version='1.0'>";
    h.replace(h.rfind(v), v.size(), ">");
    return h;
}

topologies::Topology legacy_a() {
    return topologies::parse_topology(
        R"({"name": "t", "servers": [
              {"name": "a", "domains": ["a.lit"], "tls": "none", "stream_version": "0.9"},
              {"name": "b", "domains": ["b.lit"], "tls": "none"}]})",
        "t.json");
}

TEST(Mapper, CORE_17_AHeaderWithoutVersionIsA09Header) {
    model::NameTable names{std::vector<std::string>{"a.lit", "b.lit"}};
    Correlation corr;
    ElementMapper m(names, corr);
    auto log = capture::parse_wire_log(lines({data("c0", "->", without_version(header("a.lit", "b.lit", ""))),
                                              data("c1", "->", header("a.lit", "b.lit", "")),
                                              data("c2", "->", "<?xml version='1.0'?><stream:stream xmlns='jabber:server' "
                                                               "xmlns:stream='http://etherx.jabber.org/streams' "
                                                               "from='a.lit' to='b.lit' version='2.0'>")}),
                                       "t.log");
    ASSERT_EQ(log.events.size(), 3u);
    Mapped legacy, v1, v2;
    EXPECT_FALSE(m.map(log.events[0], legacy));
    EXPECT_TRUE(legacy.element.no_version());
    EXPECT_FALSE(m.map(log.events[1], v1));
    EXPECT_FALSE(v1.element.no_version());
    const auto problem = m.map(log.events[2], v2);
    ASSERT_TRUE(problem);
    EXPECT_EQ(problem->rules, "CORE-17");
}

TEST(Replay, CORE_17_A09PeerDialsBackRightAfterTheHeaders) {
    const std::string key = "<db:result from='a.lit' to='b.lit'>k1</db:result>";
    auto log = capture::parse_wire_log(lines({data("c0", "->", without_version(header("a.lit", "b.lit", ""))),
                                              data("c0", "<-", without_version(header("b.lit", "a.lit", "i1")), "b.lit"),
                                              data("c0", "->", key)}),
                                       "t.log");
    const Result r = validate(legacy_a(), log);
    EXPECT_TRUE(r.accepted()) << explain_text(r);
}

TEST(Replay, CORE_17_FeaturesAnsweringA09HeaderAreAFinding) {
    const std::string f = "<stream:features><dialback xmlns='urn:xmpp:features:dialback'/></stream:features>";
    auto log = capture::parse_wire_log(lines({data("c0", "->", without_version(header("a.lit", "b.lit", ""))),
                                              data("c0", "<-", header("b.lit", "a.lit", "i1") + f, "b.lit")}),
                                       "t.log");
    const Result r = validate(legacy_a(), log);
    ASSERT_EQ(r.findings.size(), 1u) << explain_text(r);
    EXPECT_EQ(r.findings[0].line, 2u);
    EXPECT_EQ(r.findings[0].rules, std::vector<std::string>{"CORE-17"}) << explain_text(r);
}

// A 1.0 server writing a header without version where its topology says 1.0.
TEST(Replay, CORE_17_AHeaderWithoutVersionFromA10ServerIsAFinding) {
    auto log = capture::parse_wire_log(lines({data("c0", "->", without_version(header("a.lit", "b.lit", "")))}),
                                       "t.log");
    const Result r = validate(two_servers(), log);
    ASSERT_EQ(r.findings.size(), 1u) << explain_text(r);
    EXPECT_EQ(r.findings[0].line, 1u);
    EXPECT_EQ(r.findings[0].rules, std::vector<std::string>{"CORE-17"}) << explain_text(r);
}

}  // namespace
}  // namespace bidilab::validate
