// One fixture file per class of bad topology, each with the exact pointer and
// part of the reason the loader must report.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "topologies/topology.hpp"

namespace bidilab::topologies {
namespace {

namespace fs = std::filesystem;

const fs::path kBadDir = BIDILAB_TEST_BAD_DIR;

struct BadCase {
  const char* file;     // stem under tests/topologies/bad/
  const char* pointer;  // exact RFC 6901 pointer
  const char* reason;   // substring of reason()
  bool known_quirks;    // load with a known-quirk set
};

std::ostream& operator<<(std::ostream& out, const BadCase& bad) { return out << bad.file; }

const BadCase kBadCases[] = {
    // Not JSON, or not a topology at the root.
    {"invalid-json", "", "invalid JSON at line 5, column 3: ", false},
    {"empty-file", "", "invalid JSON at line 1, column 1: ", false},
    {"duplicate-key", "/servers/1/bidi", "duplicate key 'bidi'", false},
    {"root-not-object", "", "expected object, got array", false},
    // Unknown fields, at every level; the pointer names the field.
    {"unknown-field-root", "/servrs",
     "unknown field 'servrs'; allowed fields: name, description, servers, stanzas, faults, "
     "schedule, policy, expect; did you mean 'servers'?",
     false},
    {"unknown-field-server", "/servers/1/sasl",
     "unknown field 'sasl'; allowed fields: name, domains, certificate, tls, sasl_external, "
     "dialback, dialback_errors, bidi, attacker, quirks, bidi_advertisement, sasl_authzid, "
     "unknown_target_stream_error, reverse_dialback, verify_only_connections, stream_version, multiplexing",
     false},
    {"unknown-field-certificate", "/servers/0/certificate/trust",
     "unknown field 'trust'; allowed fields: names, trusted", false},
    {"unknown-field-stanza", "/stanzas/0/body",
     "unknown field 'body'; allowed fields: from, to, kind, id", false},
    {"unknown-field-faults", "/faults/drops", "unknown field 'drops'; allowed fields: resets",
     false},
    {"unknown-field-escaped", "/servers/0/tls~1mode", "unknown field 'tls/mode'", false},
    // Wrong types.
    {"wrong-type-boolean", "/servers/1/bidi", "expected boolean, got string", false},
    {"wrong-type-policy-switch", "/servers/1/reverse_dialback", "expected boolean, got string",
     false},
    {"wrong-type-domains", "/servers/0/domains", "expected array, got string", false},
    {"wrong-type-resets", "/faults/resets", "expected integer, got non-integer number", false},
    {"wrong-type-policy-value", "/policy/late_bidi", "expected string, got boolean", false},
    {"wrong-type-stanza", "/stanzas/0", "expected object, got string", false},
    {"wrong-type-quirk", "/servers/0/quirks/0", "expected string, got number", false},
    {"wrong-type-stanza-id", "/stanzas/0/id", "expected string, got number", false},
    // Missing required fields: the pointer names the object missing them.
    {"missing-name", "", "missing required field 'name'", false},
    {"missing-servers", "", "missing required field 'servers'", false},
    {"missing-server-name", "/servers/1", "missing required field 'name'", false},
    {"missing-domains", "/servers/0", "missing required field 'domains'", false},
    {"missing-certificate-names", "/servers/0/certificate", "missing required field 'names'",
     false},
    {"missing-stanza-to", "/stanzas/0", "missing required field 'to'", false},
    // Servers and domains.
    {"empty-servers", "/servers", "the servers list is empty", false},
    {"empty-domains", "/servers/1/domains", "server 'montague' has an empty domains list", false},
    {"invalid-topology-name", "/name", "invalid topology name 'capulet vs montague'", false},
    {"invalid-server-name", "/servers/0/name", "invalid server name '-capulet'", false},
    {"duplicate-server-name", "/servers/1/name",
     "duplicate server name 'capulet' (already used by /servers/0)", false},
    {"domain-on-two-servers", "/servers/1/domains/2",
     "domain 'capulet.lit' is hosted by two servers: 'capulet' (/servers/0/domains/0) and "
     "'montague'",
     false},
    {"duplicate-domain", "/servers/0/domains/1",
     "domain 'capulet.lit' is listed twice by server 'capulet' (also at /servers/0/domains/0)",
     false},
    {"invalid-domain", "/servers/0/domains/0", "invalid domain 'capulet lit': space", false},
    {"uppercase-domain", "/servers/1/domains/0",
     "invalid domain 'Montague.lit': uppercase letter 'M'", false},
    {"invalid-tls", "/servers/0/tls",
     "invalid tls value 'optional'; allowed: \"required\", \"offered\", \"none\"", false},
    {"invalid-bidi-advertisement", "/servers/1/bidi_advertisement",
     "invalid bidi_advertisement value 'always'; allowed: \"when_usable\", \"pre_and_post_tls\"",
     false},
    // CORE-17: the XMPP version, and what a 0.9 server cannot do.
    {"invalid-stream-version", "/servers/1/stream_version",
     "invalid stream_version value '0.8'; allowed: \"1.0\", \"0.9\"", false},
    {"legacy-requires-tls", "/servers/1/tls",
     "a server with stream_version \"0.9\" cannot negotiate TLS, so it cannot require it", false},
    {"empty-certificate-names", "/servers/0/certificate/names",
     "certificate names list is empty", false},
    {"invalid-certificate-name", "/servers/1/certificate/names/1",
     "invalid certificate name 'montague..lit': empty label", false},
    // Stanzas.
    {"invalid-stanza-from", "/stanzas/0/from",
     "invalid JID 'juliet@@capulet.lit': domain part: character '@'", false},
    {"invalid-stanza-to", "/stanzas/0/to", "invalid JID 'romeo@montague.lit/': empty resource",
     false},
    {"stanza-from-unhosted", "/stanzas/1/from",
     "from domain 'verona.lit' is not hosted by any server (hosted domains: capulet.lit, "
     "montague.lit, conference.montague.lit)",
     false},
    {"stanza-to-unhosted", "/stanzas/0/to", "to domain 'verona.lit' is not hosted by any server",
     false},
    {"stanza-same-server", "/stanzas/0/to",
     "from domain 'montague.lit' and to domain 'conference.montague.lit' are both hosted by "
     "server 'montague'",
     false},
    {"invalid-stanza-kind", "/stanzas/1/kind",
     "invalid kind value 'pong'; allowed: \"message\", \"presence\", \"iq-get\", \"iq-result\"",
     false},
    {"empty-stanza-id", "/stanzas/1/id", "empty stanza id; leave \"id\" out for the default 's1'",
     false},
    // Faults.
    {"resets-negative", "/faults/resets", "resets must be between 0 and 3, got -1", false},
    {"resets-too-large", "/faults/resets", "resets must be between 0 and 3, got 1000", false},
    // Expectations (topology field `expect`).
    {"expect-two-subjects", "/expect/0", "expected exactly one of \"stanza\", \"server\", \"pair\"", false},
    {"expect-fate-and-never", "/expect/0", "expected exactly one of \"fate\", \"never\"", false},
    {"expect-stanza-out-of-range", "/expect/1/stanza", "no stanza 5; the topology has 1", false},
    {"expect-invalid-fate", "/expect/0/fate", "invalid fate 'arrived'", false},
    {"expect-unknown-server", "/expect/0/server", "no server 'verona'", false},
    {"expect-server-not-bidi", "/expect/0/never", "with \"server\", expected \"never\": \"bidi\"", false},
    {"expect-pair-unhosted", "/expect/0/pair/1", "domain 'verona.lit' is not hosted by any server", false},
    {"expect-pair-one-domain", "/expect/0/pair", "expected [SENDER, TARGET], two domains", false},
    {"expect-fate-without-stanza", "/expect/0/fate", "\"fate\" goes with \"stanza\"", false},
    // Quirks.
    {"unknown-quirk", "/servers/0/quirks/1",
     "unknown quirk 'no-such-quirk'; known quirks: accept-unsolicited-result, ignore-late-bidi",
     true},
    {"duplicate-quirk", "/servers/1/quirks/2",
     "duplicate quirk 'ignore-late-bidi' (also at /servers/1/quirks/0)", false},
    {"empty-quirk", "/servers/0/quirks/0", "empty quirk name", false},
    // Schedule and policy.
    {"schedule-multi-line", "/schedule/1", "schedule entries must be a single line", false},
    {"empty-policy-key", "/policy/", "empty policy key", false},
};

LoadOptions test_quirks() {
  return LoadOptions::with_known_quirks({"ignore-late-bidi", "accept-unsolicited-result"});
}

class BadFile : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadFile, IsRejectedAtThePointer) {
  const BadCase& bad = GetParam();
  const fs::path path = kBadDir / (std::string(bad.file) + ".json");
  ASSERT_TRUE(fs::exists(path)) << path;
  const LoadOptions options = bad.known_quirks ? test_quirks() : LoadOptions{};
  try {
    load_topology(path, options);
    FAIL() << "loaded without error: " << path;
  } catch (const TopologyError& error) {
    EXPECT_EQ(error.file(), path.string());
    EXPECT_EQ(error.pointer(), bad.pointer);
    EXPECT_NE(error.reason().find(bad.reason), std::string::npos)
        << "reason: " << error.reason() << "\nexpected to contain: " << bad.reason;
    const std::string what = error.what();
    EXPECT_EQ(what.find('\n'), std::string::npos) << what;
    EXPECT_EQ(what.rfind(path.string() + ": ", 0), 0u) << what;
    EXPECT_EQ(what, TopologyError::format(error.file(), error.pointer(), error.reason()));
  }
}

// The pointer resolves to a value of the document.
TEST_P(BadFile, PointerResolvesInTheDocument) {
  const BadCase& bad = GetParam();
  if (std::string(bad.pointer).empty()) return;  // the root, even of a file that is not JSON
  std::ifstream in(kBadDir / (std::string(bad.file) + ".json"));
  std::ostringstream text;
  text << in.rdbuf();
  const nlohmann::json document = nlohmann::json::parse(text.str(), nullptr, false);
  ASSERT_FALSE(document.is_discarded()) << "not JSON";
  EXPECT_TRUE(document.contains(nlohmann::json::json_pointer(bad.pointer))) << bad.pointer;
}

std::string case_name(const ::testing::TestParamInfo<BadCase>& info) {
  std::string name = info.param.file;
  for (char& c : name) {
    if (c == '-') c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Classes, BadFile, ::testing::ValuesIn(kBadCases), case_name);

// Every fixture in bad/ is listed above, and every listed case has a fixture.
TEST(BadFiles, TableCoversTheFolder) {
  std::size_t files = 0;
  for (const auto& entry : fs::directory_iterator(kBadDir)) {
    if (entry.path().extension() != ".json") continue;
    ++files;
    const std::string stem = entry.path().stem().string();
    bool listed = false;
    for (const BadCase& bad : kBadCases) listed = listed || stem == bad.file;
    EXPECT_TRUE(listed) << "fixture without a test case: " << entry.path();
  }
  EXPECT_EQ(files, std::size(kBadCases));
}

TEST(BadFiles, UnknownQuirkIsAcceptedWithoutAKnownSet) {
  const Topology topology = load_topology(kBadDir / "unknown-quirk.json");
  EXPECT_EQ(topology.servers[0].quirks,
            (std::vector<std::string>{"ignore-late-bidi", "no-such-quirk"}));
}

TEST(BadFiles, MissingFileCannotBeOpened) {
  const fs::path path = kBadDir / "no-such-file.json";
  try {
    load_topology(path);
    FAIL() << "loaded a missing file";
  } catch (const TopologyError& error) {
    EXPECT_EQ(error.file(), path.string());
    EXPECT_EQ(error.pointer(), "");
    EXPECT_EQ(error.reason(), "cannot open file: No such file or directory");
    EXPECT_EQ(std::string(error.what()),
              path.string() + ": (root): cannot open file: No such file or directory");
  }
}

TEST(BadFiles, DirectoryCannotBeOpened) {
  try {
    load_topology(kBadDir);
    FAIL() << "loaded a directory";
  } catch (const TopologyError& error) {
    EXPECT_EQ(error.pointer(), "");
    EXPECT_EQ(error.reason(), "cannot open file: it is a directory");
  }
}

}  // namespace
}  // namespace bidilab::topologies
