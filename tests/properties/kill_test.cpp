// The kill table: every quirk, given to the servers of a topology where it
// matters, makes the checker report its target property as violated, with a
// trace; the same topology without it violates nothing.
#include <gtest/gtest.h>

#include <algorithm>

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

TEST(KillTable, EveryQuirkIsCaughtByItsProperty) {
    const auto clean = topologies::load_topology(topologies::default_topology_file());
    for (const auto& q : quirks()) {
        auto t = clean;
        for (auto& s : t.servers) s.quirks.push_back(q.name);
        auto r = check(t);
        const auto* p = r.find(q.property);
        ASSERT_NE(p, nullptr) << q.name << ": no property " << q.property;
        EXPECT_EQ(p->status, sim::Status::Violated) << q.name;
        ASSERT_TRUE(p->trace) << q.name;
        EXPECT_GT(p->trace->length(), 0u);
        // The property cites the rule the quirk breaks.
        EXPECT_NE(std::find(p->rules.begin(), p->rules.end(), q.rules.front()), p->rules.end()) << q.name;
    }
    auto r = check(clean);
    for (const auto& p : r.properties) EXPECT_NE(p.status, sim::Status::Violated) << p.name;
}

TEST(KillTable, UnknownQuirksAreRejectedByTheLoader) {
    auto options = topologies::LoadOptions::with_known_quirks(quirk_names());
    EXPECT_THROW(topologies::parse_topology(R"({"name": "t", "servers": [
        {"name": "a", "domains": ["a.lit"], "quirks": ["no-such-quirk"]}]})", "t.json", options),
                 topologies::TopologyError);
}

}  // namespace
}  // namespace bidilab::properties
