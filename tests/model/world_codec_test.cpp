// model/world_codec.hpp: every reachable world of every shipped topology and
// mutant (and the attacker's) encodes to bytes that decode to an equal world
// with the same fingerprint; bytes cut short or run long are refused.
#include <gtest/gtest.h>

#include <filesystem>
#include <vector>

#include "model/world_codec.hpp"
#include "properties/catalogue.hpp"
#include "properties/quirks.hpp"
#include "sim/fingerprint.hpp"
#include "support/reachable_worlds.hpp"
#include "topologies/topology.hpp"

namespace bidilab::model {
namespace {

namespace fs = std::filesystem;

TEST(WorldCodec, RoundTripsEveryReachableWorldOfTheLibrary) {
    std::size_t worlds = 0, encoded_bytes = 0;
    for (const auto& dir : {topologies::shipped_topologies_dir(), topologies::shipped_topologies_dir() / "mutants"}) {
        for (const auto& entry : fs::directory_iterator(dir)) {
            if (entry.path().extension() != ".json") continue;
            const auto t = topologies::load_topology(
                entry.path(), topologies::LoadOptions::with_known_quirks(properties::quirk_names()));
            const XmppModel m(make_scenario(t));
            std::vector<unsigned char> bytes;
            World back;
            back.connections.resize(7);  // decoding reuses, and must clear, what is there
            test_support::each_reachable_state(m, 150000, [&](const World& w, std::size_t) {
                bytes.clear();
                m.encode(w, bytes);
                m.decode(bytes.data(), bytes.size(), back);
                ASSERT_TRUE(back == w) << t.name;
                ASSERT_EQ(back.next_stream_id, w.next_stream_id);
                ASSERT_EQ(sim::fingerprint(back), sim::fingerprint(w)) << t.name;
                ASSERT_EQ(m.concrete_fingerprint(back), m.concrete_fingerprint(w)) << t.name;
                ++worlds;
                encoded_bytes += bytes.size();
            });
        }
    }
    EXPECT_GT(worlds, 100000u);
    std::cout << "world codec: " << worlds << " worlds, " << encoded_bytes / worlds << " bytes each on average\n";
}

TEST(WorldCodec, RefusesBytesItDidNotWrite) {
    const XmppModel m(make_scenario(topologies::load_topology(topologies::default_topology_file())));
    World w = m.initial_states().front();
    std::vector<unsigned char> bytes;
    m.encode(w, bytes);
    World back;
    std::vector<unsigned char> longer = bytes;
    longer.push_back(0);  // a byte after the end
    EXPECT_THROW(m.decode(longer.data(), longer.size(), back), std::length_error);
    for (std::size_t n = 0; n < bytes.size(); ++n)  // every cut short
        EXPECT_THROW(m.decode(bytes.data(), n, back), std::length_error) << n;
}

}  // namespace
}  // namespace bidilab::model
