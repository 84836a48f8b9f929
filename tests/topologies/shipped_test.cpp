// Every topology shipped in topologies/ loads, is small, and round-trips.
#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "topologies/topology.hpp"

namespace bidilab::topologies {
namespace {

namespace fs = std::filesystem;

const fs::path kShippedDir = BIDILAB_TEST_SHIPPED_DIR;

std::vector<std::string> shipped_files() {
  std::vector<std::string> out;
  for (const auto& entry : fs::directory_iterator(kShippedDir)) {
    if (entry.path().extension() == ".json") out.push_back(entry.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

class ShippedTopology : public ::testing::TestWithParam<std::string> {};

TEST_P(ShippedTopology, Loads) {
  const Topology topology = load_topology(GetParam());
  EXPECT_EQ(topology.source_file, GetParam());
  EXPECT_EQ(topology.name, fs::path(GetParam()).stem().string()) << "name should match the file";
  EXPECT_FALSE(topology.description.empty()) << "say what the topology shows";
}

// Every ordering gets explored, so shipped topologies stay small.
TEST_P(ShippedTopology, IsSmall) {
  const Topology topology = load_topology(GetParam());
  EXPECT_GE(topology.servers.size(), 2u);
  EXPECT_LE(topology.servers.size(), 3u);
  EXPECT_GE(topology.stanzas.size(), 1u);
  // Four at most: xep0288-example5 has the ping both ways and one stanza each
  // way for conference.montague.lit (BIDI-8, BIDI-13).
  EXPECT_LE(topology.stanzas.size(), 4u);
}

TEST_P(ShippedTopology, RoundTripsThroughCanonicalJson) {
  const Topology topology = load_topology(GetParam());
  const nlohmann::json canonical = to_json(topology);
  const Topology again = parse_topology(canonical.dump(2), topology.source_file);
  EXPECT_EQ(again, topology);
  EXPECT_EQ(to_json(again), canonical);
}

std::string file_case_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = fs::path(info.param).stem().string();
  for (char& c : name) {
    if (c == '-') c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Files, ShippedTopology, ::testing::ValuesIn(shipped_files()),
                         file_case_name);

TEST(Shipped, TheLibraryIsComplete) {
  const std::vector<std::string> files = shipped_files();
  for (const char* stem : {"capulet-montague", "three-servers-muc", "no-bidi", "no-tls",
                           "untrusted-cert", "mixed-policies", "xep0288-example3",
                           "xep0288-example4", "xep0288-example5", "capulet-montague-reset",
                           "legacy-peer", "multiplexing"}) {
    const std::string path = (kShippedDir / (std::string(stem) + ".json")).string();
    EXPECT_NE(std::find(files.begin(), files.end(), path), files.end()) << path;
  }
}

TEST(Shipped, DirectoryIsKnownToTheLibrary) {
  EXPECT_TRUE(fs::equivalent(shipped_topologies_dir(), kShippedDir));
  EXPECT_EQ(default_topology_file().filename(), "capulet-montague.json");
  EXPECT_TRUE(fs::exists(default_topology_file()));
}

// Each shipped file shows what its name says.
TEST(Shipped, FilesShowWhatTheirNamesSay) {
  const auto load = [](const char* stem) {
    return load_topology(kShippedDir / (std::string(stem) + ".json"));
  };
  const Topology muc = load("three-servers-muc");
  EXPECT_EQ(muc.servers.size(), 3u);
  ASSERT_TRUE(muc.server_of_domain("conference.montague.lit").has_value());

  const Topology no_bidi = load("no-bidi");
  EXPECT_TRUE(std::any_of(no_bidi.servers.begin(), no_bidi.servers.end(),
                          [](const Server& s) { return !s.bidi; }));

  const Topology no_tls = load("no-tls");
  EXPECT_TRUE(std::any_of(no_tls.servers.begin(), no_tls.servers.end(),
                          [](const Server& s) { return s.tls == TlsPolicy::None; }));

  const Topology untrusted = load("untrusted-cert");
  EXPECT_TRUE(std::any_of(untrusted.servers.begin(), untrusted.servers.end(),
                          [](const Server& s) { return s.certificate && !s.certificate->trusted; }));

  // CORE-17: a 0.9 server next to a 1.0 one with TLS and bidi.
  const Topology legacy = load("legacy-peer");
  EXPECT_TRUE(std::any_of(legacy.servers.begin(), legacy.servers.end(),
                          [](const Server& s) { return s.stream_version == StreamVersion::V0_9; }));
  EXPECT_TRUE(std::any_of(legacy.servers.begin(), legacy.servers.end(), [](const Server& s) {
    return s.stream_version == StreamVersion::V1_0 && s.bidi && s.tls != TlsPolicy::None;
  }));

  // DB-40: both servers multiplex; one of them hosts two domains.
  const Topology mux = load("multiplexing");
  EXPECT_TRUE(std::all_of(mux.servers.begin(), mux.servers.end(), [](const Server& s) { return s.multiplexing; }));
  EXPECT_TRUE(std::any_of(mux.servers.begin(), mux.servers.end(), [](const Server& s) { return s.domains.size() > 1; }));

  const Topology reset = load("capulet-montague-reset");
  EXPECT_GT(reset.faults.resets, 0);
  EXPECT_EQ(load("capulet-montague").faults.resets, 0);

  const Topology mixed = load("mixed-policies");
  EXPECT_TRUE(std::any_of(mixed.servers.begin(), mixed.servers.end(), [](const Server& s) {
    return s.tls == TlsPolicy::Required && !s.sasl_external;
  }));
  EXPECT_TRUE(std::any_of(mixed.servers.begin(), mixed.servers.end(), [](const Server& s) {
    return s.tls == TlsPolicy::Offered && !s.bidi && !s.dialback_errors;
  }));

  // The XEP-0288 §3 examples carry the schedule that reproduces them.
  for (const char* stem : {"xep0288-example3", "xep0288-example4", "xep0288-example5"}) {
    EXPECT_FALSE(load(stem).schedule.empty()) << stem;
  }
  // Their first two stanzas are the XEP's ping and its result, one id for both.
  for (const char* stem : {"xep0288-example3", "xep0288-example4", "xep0288-example5"}) {
    const Topology example = load(stem);
    ASSERT_GE(example.stanzas.size(), 2u) << stem;
    const Stanza& get = example.stanzas[0];
    const Stanza& result = example.stanzas[1];
    EXPECT_EQ(get.kind, StanzaKind::IqGet) << stem;
    EXPECT_EQ(result.kind, StanzaKind::IqResult) << stem;
    EXPECT_EQ(get.from, "juliet@capulet.lit/balcony") << stem;
    EXPECT_EQ(get.to, "montague.lit") << stem;
    EXPECT_EQ(result.from, get.to) << stem;
    EXPECT_EQ(result.to, get.from) << stem;
    EXPECT_EQ(get.id, "8dfc70af") << stem;
    EXPECT_EQ(result.id, get.id) << stem;
  }
  const Topology sasl = load("xep0288-example3");
  EXPECT_EQ(sasl.servers[1].bidi_advertisement, BidiAdvertisement::PreAndPostTls);
  const Topology before_tls = load("xep0288-example5");
  EXPECT_TRUE(std::all_of(before_tls.servers.begin(), before_tls.servers.end(),
                          [](const Server& s) { return s.tls == TlsPolicy::None; }));
  EXPECT_TRUE(std::any_of(before_tls.servers.begin(), before_tls.servers.end(),
                          [](const Server& s) { return s.reverse_dialback; }));
  // Both directions for conference.montague.lit once its pair is valid (BIDI-13).
  EXPECT_TRUE(std::any_of(before_tls.stanzas.begin(), before_tls.stanzas.end(),
                          [](const Stanza& s) { return s.to_domain() == "conference.montague.lit"; }));
  EXPECT_TRUE(std::any_of(before_tls.stanzas.begin(), before_tls.stanzas.end(),
                          [](const Stanza& s) { return s.from_domain() == "conference.montague.lit"; }));
}

}  // namespace
}  // namespace bidilab::topologies
