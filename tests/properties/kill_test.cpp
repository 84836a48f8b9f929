// The kill table: every quirk, given to the servers of a topology where it
// matters, makes the checker report its target property as violated, with a
// trace; the same topology without it violates nothing.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <iostream>

#include "properties/catalogue.hpp"
#include "properties/quirks.hpp"
#include "sim/explorer.hpp"
#include "topologies/topology.hpp"

namespace bidilab::properties {
namespace {

sim::Report check(topologies::Topology t) {
    CheckedModel m(model::make_scenario(t));
    return sim::Explorer<CheckedModel>(m).run();
}

// Each quirk has a topology where it matters: topologies/mutants/QUIRK.json.
TEST(KillTable, EveryQuirkIsCaughtByItsProperty) {
    for (const auto& q : quirks()) {
        const auto path = topologies::shipped_topologies_dir() / "mutants" / (q.name + ".json");
        auto t = topologies::load_topology(path, topologies::LoadOptions::with_known_quirks(quirk_names()));
        bool given = false;
        for (const auto& s : t.servers) given = given || s.has_quirk(q.name);
        EXPECT_TRUE(given) << path << " does not give the quirk";
        auto r = check(t);
        const auto* p = r.find(q.property);
        ASSERT_NE(p, nullptr) << q.name << ": no property " << q.property;
        EXPECT_EQ(p->status, sim::Status::Violated) << q.name;
        ASSERT_TRUE(p->trace) << q.name;
        EXPECT_GT(p->trace->length(), 0u);
        std::cout << "kill table: " << q.name << " -> " << q.property << ", trace of " << p->trace->length()
                  << " steps (" << r.states << " states)\n";
        // The property cites the rule the quirk breaks.
        EXPECT_NE(std::find(p->rules.begin(), p->rules.end(), q.rules.front()), p->rules.end()) << q.name;
        // Without the quirk, the same topology violates nothing.
        for (auto& s : t.servers) s.quirks.clear();
        auto clean = check(t);
        for (const auto& c : clean.properties) EXPECT_NE(c.status, sim::Status::Violated) << q.name << " clean: " << c.name;
    }
}

TEST(KillTable, EveryMutantTopologyNamesAKnownQuirk) {
    std::size_t files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(topologies::shipped_topologies_dir() / "mutants")) {
        ++files;
        const auto stem = entry.path().stem().string();
        EXPECT_TRUE(quirk_names().count(stem)) << entry.path();
    }
    EXPECT_EQ(files, quirks().size());
}

TEST(KillTable, UnknownQuirksAreRejectedByTheLoader) {
    auto options = topologies::LoadOptions::with_known_quirks(quirk_names());
    EXPECT_THROW(topologies::parse_topology(R"({"name": "t", "servers": [
        {"name": "a", "domains": ["a.lit"], "quirks": ["no-such-quirk"]}]})", "t.json", options),
                 topologies::TopologyError);
}

}  // namespace
}  // namespace bidilab::properties
