#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "topologies/topology.hpp"

namespace bidilab::topologies {
namespace {

using nlohmann::json;

const char* const kMinimal = R"({
  "name": "minimal",
  "servers": [ { "name": "capulet", "domains": ["capulet.lit"] } ]
})";

// The error parse_topology(text) throws; fails the test when there is none.
TopologyError error_of(const std::string& text, const LoadOptions& options = {}) {
  try {
    parse_topology(text, "inline.json", options);
  } catch (const TopologyError& error) {
    return error;
  }
  ADD_FAILURE() << "no error for: " << text;
  return TopologyError("", "", "");
}

TEST(Loader, FillsDefaults) {
  const Topology topology = parse_topology(kMinimal, "inline.json");
  EXPECT_EQ(topology.name, "minimal");
  EXPECT_EQ(topology.description, "");
  EXPECT_EQ(topology.source_file, "inline.json");
  ASSERT_EQ(topology.servers.size(), 1u);
  const Server& server = topology.servers[0];
  EXPECT_EQ(server.name, "capulet");
  EXPECT_EQ(server.domains, std::vector<std::string>{"capulet.lit"});
  EXPECT_FALSE(server.certificate.has_value());
  EXPECT_EQ(server.tls, TlsPolicy::Offered);
  EXPECT_TRUE(server.sasl_external);
  EXPECT_TRUE(server.dialback);
  EXPECT_TRUE(server.dialback_errors);
  EXPECT_TRUE(server.bidi);
  EXPECT_FALSE(server.attacker);
  EXPECT_TRUE(server.quirks.empty());
  EXPECT_TRUE(topology.stanzas.empty());
  EXPECT_EQ(topology.faults.resets, 0);
  EXPECT_TRUE(topology.schedule.empty());
  EXPECT_TRUE(topology.policy.empty());
}

TEST(Loader, CertificateTrustedDefaultsToTrue) {
  const Topology topology = parse_topology(R"({"name": "t", "servers": [
      {"name": "a", "domains": ["a.lit"], "certificate": {"names": ["a.lit", "*.a.lit"]}}]})",
                                           "inline.json");
  const auto& certificate = topology.servers[0].certificate;
  ASSERT_TRUE(certificate.has_value());
  EXPECT_TRUE(certificate->trusted);
  EXPECT_TRUE(certificate->covers("a.lit"));
  EXPECT_TRUE(certificate->covers("muc.a.lit"));
  EXPECT_FALSE(certificate->covers("b.lit"));
}

TEST(Loader, ReadsTheDefaultTopology) {
  const Topology topology = load_topology(default_topology_file());
  EXPECT_EQ(topology.name, "capulet-montague");
  ASSERT_EQ(topology.servers.size(), 2u);
  const Server& montague = topology.servers[1];
  EXPECT_EQ(montague.tls, TlsPolicy::Required);
  EXPECT_EQ(montague.domains,
            (std::vector<std::string>{"montague.lit", "conference.montague.lit"}));
  EXPECT_EQ(topology.server_of_domain("capulet.lit"), std::optional<std::size_t>(0));
  EXPECT_EQ(topology.server_of_domain("conference.montague.lit"), std::optional<std::size_t>(1));
  EXPECT_FALSE(topology.server_of_domain("verona.lit").has_value());
  EXPECT_EQ(topology.server_index("montague"), std::optional<std::size_t>(1));
  EXPECT_FALSE(topology.server_index("verona").has_value());
  ASSERT_EQ(topology.stanzas.size(), 2u);
  EXPECT_EQ(topology.stanzas[0].from_domain(), "capulet.lit");
  EXPECT_EQ(topology.stanzas[0].to_domain(), "montague.lit");
  EXPECT_EQ(topology.stanzas[1].from_domain(), "montague.lit");
  EXPECT_EQ(topology.hosted_domains(),
            (std::vector<std::string>{"capulet.lit", "montague.lit", "conference.montague.lit"}));
}

TEST(Loader, AttackerMaySendFromItsOwnDomains) {
  const Topology topology = parse_topology(R"({"name": "attack", "servers": [
      {"name": "capulet", "domains": ["capulet.lit"]},
      {"name": "tybalt", "domains": ["tybalt.lit"], "attacker": true}],
    "stanzas": [{"from": "tybalt.lit", "to": "juliet@capulet.lit"}]})",
                                           "inline.json");
  EXPECT_TRUE(topology.servers[1].attacker);
  EXPECT_EQ(topology.stanzas.size(), 1u);
}

TEST(Loader, KeepsScheduleAndPolicyAsGiven) {
  const Topology topology = parse_topology(R"({"name": "s", "servers": [
      {"name": "a", "domains": ["a.lit"]}, {"name": "b", "domains": ["b.lit"]}],
    "schedule": ["a connects to b", "b resets the connection"],
    "policy": {"late_bidi": "ignore", "anything": ""}})",
                                           "inline.json");
  EXPECT_EQ(topology.schedule,
            (std::vector<std::string>{"a connects to b", "b resets the connection"}));
  EXPECT_EQ(topology.policy.at("late_bidi"), "ignore");
  EXPECT_EQ(topology.policy.at("anything"), "");
}

TEST(Loader, QuirksAcceptAnyNameUnlessASetIsGiven) {
  const std::string text = R"({"name": "q", "servers": [
      {"name": "a", "domains": ["a.lit"], "quirks": ["ignore-late-bidi"]}]})";
  EXPECT_EQ(parse_topology(text, "inline.json").servers[0].quirks,
            std::vector<std::string>{"ignore-late-bidi"});
  EXPECT_NO_THROW(
      parse_topology(text, "inline.json", LoadOptions::with_known_quirks({"ignore-late-bidi"})));
  const TopologyError error =
      error_of(text, LoadOptions::with_known_quirks({"accept-unsolicited-result"}));
  EXPECT_EQ(error.pointer(), "/servers/0/quirks/0");
  EXPECT_EQ(error.reason(),
            "unknown quirk 'ignore-late-bidi'; known quirks: accept-unsolicited-result");

  LoadOptions predicate;
  predicate.is_known_quirk = [](const std::string& quirk) { return quirk.rfind("ignore-", 0) == 0; };
  EXPECT_NO_THROW(parse_topology(text, "inline.json", predicate));
}

TEST(Loader, InvalidJsonPositionCountsLinesAndBytes) {
  struct Case {
    const char* text;
    const char* where;
  };
  const Case cases[] = {
      {"{\n  \"name\": x\n}", "line 2, column 11"},
      {"{\n  \"name\": \"a\",\n", "line 3, column 1"},
      {"{\"name\": \"a\"}}", "line 1, column 14"},
      {"{\n\"name\": \"a\nb\"}", "line 2, column 11"},
  };
  for (const Case& c : cases) {
    const TopologyError error = error_of(c.text);
    EXPECT_EQ(error.pointer(), "");
    EXPECT_EQ(error.reason().rfind(std::string("invalid JSON at ") + c.where + ": ", 0), 0u)
        << error.reason();
    EXPECT_EQ(std::string(error.what()).find('\n'), std::string::npos) << error.what();
  }
}

TEST(Loader, ResetsOutsideTheIntRangeAreRejectedCleanly) {
  const std::string head = R"({"name": "r", "servers": [{"name": "a", "domains": ["a.lit"]}], )";
  EXPECT_EQ(error_of(head + R"("faults": {"resets": 18446744073709551615}})").reason(),
            "resets must be between 0 and 3, got 18446744073709551615");
  EXPECT_EQ(error_of(head + R"("faults": {"resets": -9223372036854775808}})").reason(),
            "resets must be between 0 and 3, got -9223372036854775808");
  EXPECT_EQ(error_of(head + R"("faults": {"resets": 1e3}})").reason(),
            "expected integer, got non-integer number");
  EXPECT_EQ(parse_topology(head + R"("faults": {"resets": 3}})", "x").faults.resets, 3);
}

TEST(Loader, ParseErrorNamesTheSource) {
  const TopologyError error = error_of(R"({"name": "n", "servers": 3})");
  EXPECT_EQ(error.file(), "inline.json");
  EXPECT_EQ(std::string(error.what()), "inline.json: /servers: expected array, got number");
}

TEST(ToJson, IsCanonicalWithDefaultsFilledIn) {
  const json canonical = to_json(parse_topology(kMinimal, "inline.json"));
  const json expected = json::parse(R"({
    "name": "minimal", "description": "",
    "servers": [ { "name": "capulet", "domains": ["capulet.lit"], "tls": "offered",
                   "sasl_external": true, "dialback": true, "dialback_errors": true,
                   "bidi": true, "attacker": false, "quirks": [],
                   "bidi_advertisement": "when_usable", "sasl_authzid": true,
                   "unknown_target_stream_error": true, "reverse_dialback": false,
                   "verify_only_connections": false, "stream_version": "1.0",
                   "multiplexing": false } ],
    "stanzas": [], "faults": { "resets": 0 }, "schedule": [], "policy": {}, "expect": [] })");
  EXPECT_EQ(canonical, expected);
}

Topology rich_topology() {
  Topology topology;
  topology.name = "rich";
  topology.description = "every field\nset";
  topology.source_file = "rich.json";
  Server capulet;
  capulet.name = "capulet";
  capulet.domains = {"capulet.lit"};
  capulet.certificate = Certificate{{"capulet.lit", "*.capulet.lit"}, false};
  capulet.tls = TlsPolicy::None;
  capulet.sasl_external = false;
  capulet.dialback_errors = false;
  capulet.quirks = {"ignore-late-bidi", "accept-unsolicited-result"};
  capulet.bidi_advertisement = BidiAdvertisement::PreAndPostTls;
  capulet.sasl_authzid = false;
  capulet.unknown_target_stream_error = false;
  capulet.reverse_dialback = true;
  capulet.verify_only_connections = true;
  capulet.stream_version = StreamVersion::V0_9;
  capulet.multiplexing = true;
  Server tybalt;
  tybalt.name = "tybalt";
  tybalt.domains = {"tybalt.lit", "muc.tybalt.lit"};
  tybalt.tls = TlsPolicy::Required;
  tybalt.dialback = false;
  tybalt.bidi = false;
  tybalt.attacker = true;
  topology.servers = {capulet, tybalt};
  topology.stanzas = {{"juliet@capulet.lit/balcony", "room@muc.tybalt.lit/juliet", StanzaKind::IqGet,
                       "8dfc70af"},
                      {"tybalt.lit", "capulet.lit", StanzaKind::Presence, "p-1"}};
  topology.faults.resets = 2;
  topology.schedule = {"tybalt connects to capulet"};
  topology.policy = {{"late_bidi", "stream-error"}, {"unsolicited_result", "ignore"}};
  Expectation delivered, never_bidi, never_dialback;
  delivered.stanza = 1;
  delivered.fate = "delivered";
  never_bidi.server = "capulet";
  never_bidi.never = "bidi";
  never_dialback.pair = {"tybalt.lit", "capulet.lit"};
  never_dialback.never = "dialback";
  topology.expect = {delivered, never_bidi, never_dialback};
  return topology;
}

TEST(ToJson, RoundTripsEveryField) {
  const Topology topology = rich_topology();
  EXPECT_NO_THROW(validate_topology(topology));
  const Topology again = parse_topology(to_json(topology).dump(), topology.source_file);
  EXPECT_EQ(again, topology);
  Topology renamed = again;
  renamed.source_file = "elsewhere.json";
  EXPECT_NE(renamed, topology);
}

TEST(Validate, ChecksTopologiesBuiltInCode) {
  Topology topology = rich_topology();
  topology.stanzas.push_back({"capulet.lit", "nurse@capulet.lit", StanzaKind::Message, "s2"});
  try {
    validate_topology(topology);
    FAIL() << "same-server stanza accepted";
  } catch (const TopologyError& error) {
    EXPECT_EQ(error.file(), "rich.json");
    EXPECT_EQ(error.pointer(), "/stanzas/2/to");
  }
  topology = rich_topology();
  topology.faults.resets = 4;
  EXPECT_THROW(validate_topology(topology), TopologyError);
  // In code there is no default id to fill in: an empty one is an error.
  topology = rich_topology();
  topology.stanzas[1].id.clear();
  try {
    validate_topology(topology);
    FAIL() << "empty stanza id accepted";
  } catch (const TopologyError& error) {
    EXPECT_EQ(error.pointer(), "/stanzas/1/id");
  }
}

TEST(Loader, StanzaKindAndIdDefaultToAMessageNumberedByItsIndex) {
  const Topology topology = parse_topology(R"({"name": "k", "servers": [
      {"name": "a", "domains": ["a.lit"]}, {"name": "b", "domains": ["b.lit"]}],
    "stanzas": [{"from": "juliet@a.lit/balcony", "to": "b.lit"},
                {"from": "b.lit", "to": "juliet@a.lit/balcony", "kind": "iq-result", "id": "8dfc70af"},
                {"from": "a.lit", "to": "b.lit", "kind": "presence"}]})",
                                           "inline.json");
  ASSERT_EQ(topology.stanzas.size(), 3u);
  EXPECT_EQ(topology.stanzas[0].kind, StanzaKind::Message);
  EXPECT_EQ(topology.stanzas[0].id, "s0");
  EXPECT_EQ(topology.stanzas[1].kind, StanzaKind::IqResult);
  EXPECT_EQ(topology.stanzas[1].id, "8dfc70af");
  EXPECT_EQ(topology.stanzas[2].kind, StanzaKind::Presence);
  EXPECT_EQ(topology.stanzas[2].id, "s2");
  const json canonical = to_json(topology);
  EXPECT_EQ(canonical["stanzas"][0], json::parse(R"({"from": "juliet@a.lit/balcony", "to": "b.lit",
                                                     "kind": "message", "id": "s0"})"));
  EXPECT_EQ(canonical["stanzas"][1]["kind"], "iq-result");
}

TEST(Loader, StanzaIdsNeedNoXmlEscaping) {
  for (const char* id : {"it's", "a<b", "a&b", "a\"b", "a\tb"}) {
    json document = json::parse(R"({"name": "k", "servers": [
        {"name": "a", "domains": ["a.lit"]}, {"name": "b", "domains": ["b.lit"]}],
      "stanzas": [{"from": "a.lit", "to": "b.lit"}]})");
    document["stanzas"][0]["id"] = id;
    const TopologyError error = error_of(document.dump());
    EXPECT_EQ(error.pointer(), "/stanzas/0/id") << id;
    EXPECT_NE(error.reason().find("invalid stanza id"), std::string::npos) << error.reason();
  }
  // Ids may repeat: a result carries the id of its get.
  EXPECT_NO_THROW(parse_topology(R"({"name": "k", "servers": [
      {"name": "a", "domains": ["a.lit"]}, {"name": "b", "domains": ["b.lit"]}],
    "stanzas": [{"from": "a.lit", "to": "b.lit", "kind": "iq-get", "id": "x"},
                {"from": "b.lit", "to": "a.lit", "kind": "iq-result", "id": "x"}]})",
                                 "inline.json"));
}

TEST(TopologyErrorFormat, IsOneLine) {
  EXPECT_EQ(std::string(TopologyError("a.json", "/servers/0", "bad").what()),
            "a.json: /servers/0: bad");
  EXPECT_EQ(std::string(TopologyError("a.json", "", "bad").what()), "a.json: (root): bad");
  EXPECT_EQ(std::string(TopologyError("", "/x", "bad").what()), "(no file): /x: bad");
  const TopologyError multi("a.json", "/x", "two\nlines\r");
  EXPECT_EQ(std::string(multi.what()), "a.json: /x: two lines ");
  EXPECT_EQ(multi.reason(), "two\nlines\r");
}

TEST(TopologyErrorFormat, PointerChildEscapes) {
  EXPECT_EQ(pointer_child("", "servers"), "/servers");
  EXPECT_EQ(pointer_child("/servers", 3), "/servers/3");
  EXPECT_EQ(pointer_child("/policy", "a/b~c"), "/policy/a~1b~0c");
  EXPECT_EQ(pointer_child("/policy", ""), "/policy/");
}

TEST(Loader, PolicySwitchesHaveProsodyDefaults) {
  const Topology topology = parse_topology(kMinimal, "inline.json");
  const Server& server = topology.servers[0];
  EXPECT_EQ(server.bidi_advertisement, BidiAdvertisement::WhenUsable);
  EXPECT_TRUE(server.sasl_authzid);
  EXPECT_TRUE(server.unknown_target_stream_error);
  EXPECT_FALSE(server.reverse_dialback);
  EXPECT_FALSE(server.verify_only_connections);
  EXPECT_EQ(server.stream_version, StreamVersion::V1_0);
  EXPECT_FALSE(server.multiplexing);
}

TEST(Loader, ReadsPolicySwitches) {
  const Topology topology = parse_topology(R"({"name": "switches", "servers": [
      {"name": "montague", "domains": ["montague.lit"], "bidi_advertisement": "pre_and_post_tls",
       "sasl_authzid": false, "unknown_target_stream_error": false, "reverse_dialback": true,
       "verify_only_connections": true, "stream_version": "0.9", "multiplexing": true}]})",
                                           "inline.json");
  const Server& server = topology.servers[0];
  EXPECT_EQ(server.stream_version, StreamVersion::V0_9);
  EXPECT_EQ(server.bidi_advertisement, BidiAdvertisement::PreAndPostTls);
  EXPECT_FALSE(server.sasl_authzid);
  EXPECT_FALSE(server.unknown_target_stream_error);
  EXPECT_TRUE(server.reverse_dialback);
  EXPECT_TRUE(server.verify_only_connections);
  EXPECT_TRUE(server.multiplexing);
}

TEST(StreamVersionNames, CORE_17_RoundTrip) {
  for (StreamVersion v : {StreamVersion::V1_0, StreamVersion::V0_9}) {
    EXPECT_EQ(parse_stream_version(to_string(v)), v);
  }
  EXPECT_STREQ(to_string(StreamVersion::V0_9), "0.9");
  EXPECT_FALSE(parse_stream_version("1").has_value());
  EXPECT_FALSE(parse_stream_version("").has_value());
}

// CORE-17: a 0.9 server negotiates no features: it authenticates with
// dialback in the clear, so it neither requires TLS nor goes without dialback.
TEST(Validator, CORE_17_LegacyServerNeedsDialback) {
  const TopologyError error = error_of(R"({"name": "n", "servers": [
      {"name": "capulet", "domains": ["capulet.lit"], "tls": "none", "dialback": false,
       "stream_version": "0.9"}]})");
  EXPECT_EQ(error.pointer(), "/servers/0/dialback");
  EXPECT_NE(error.reason().find("dialback only"), std::string::npos) << error.reason();
  EXPECT_NO_THROW(parse_topology(R"({"name": "n", "servers": [
      {"name": "capulet", "domains": ["capulet.lit"], "tls": "none", "dialback": false}]})",
                                 "inline.json"));
}

TEST(BidiAdvertisementNames, RoundTrip) {
  for (BidiAdvertisement a : {BidiAdvertisement::WhenUsable, BidiAdvertisement::PreAndPostTls}) {
    EXPECT_EQ(parse_bidi_advertisement(to_string(a)), a);
  }
  EXPECT_FALSE(parse_bidi_advertisement("pre-and-post-tls").has_value());
}

TEST(StanzaKindNames, RoundTrip) {
  for (StanzaKind kind :
       {StanzaKind::Message, StanzaKind::Presence, StanzaKind::IqGet, StanzaKind::IqResult}) {
    EXPECT_EQ(parse_stanza_kind(to_string(kind)), kind);
  }
  EXPECT_EQ(std::string(to_string(StanzaKind::IqGet)), "iq-get");
  EXPECT_FALSE(parse_stanza_kind("iq").has_value());
  EXPECT_FALSE(parse_stanza_kind("Message").has_value());
}

TEST(TlsPolicyNames, RoundTrip) {
  for (TlsPolicy policy : {TlsPolicy::Required, TlsPolicy::Offered, TlsPolicy::None}) {
    EXPECT_EQ(parse_tls_policy(to_string(policy)), policy);
  }
  EXPECT_FALSE(parse_tls_policy("Required").has_value());
}

}  // namespace
}  // namespace bidilab::topologies
