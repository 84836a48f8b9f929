// The played servers' own order: the model's orderings projected on the
// played server, seeded and repeatable, and planned as scenarios (the wire
// names they match by: probe_unit_test.cpp).
#include <gtest/gtest.h>

#include <algorithm>

#include "model/scenario.hpp"
#include "probe/model_orders.hpp"
#include "probe/played_order.hpp"
#include "probe/probe.hpp"
#include "topologies/topology.hpp"

namespace bp = bidilab::probe;
namespace bm = bidilab::model;

namespace {

bidilab::topologies::Topology dialback_topology() {
    return bidilab::topologies::load_topology(PROBE_TEST_DATA "/dialback.topology.json");
}

}  // namespace

TEST(PlayedOrder, AWitnessIsProjectedOnThePlayedServerOnly) {
    const bm::Scenario sc = bm::make_scenario(dialback_topology());
    const bm::ServerIndex live = 0, played = 1;  // capulet is live, montague played
    const std::vector<bp::ModelOrder> orders = bp::witness_orders(sc, live, 100000);
    ASSERT_FALSE(orders.empty());
    for (const auto& o : orders) {
        EXPECT_EQ(o.name.rfind("witness-", 0), 0u) << o.name;
        ASSERT_FALSE(o.order.empty()) << o.name;
        // Nothing happens before the played server has a stanza to send (the
        // router dials for it): the first played step is its Submit.
        EXPECT_EQ(o.order.front().kind, bp::PlayedStep::Kind::Submit) << o.name;
        for (const auto& s : o.order) {
            EXPECT_EQ(s.server, played) << o.name;
            if (s.kind == bp::PlayedStep::Kind::Read) {
                EXPECT_FALSE(s.element.empty()) << o.name;
            }
        }
        // Different witnesses with the same played steps are one scenario.
        EXPECT_EQ(std::count_if(orders.begin(), orders.end(), [&](const bp::ModelOrder& x) { return x.order == o.order; }), 1)
            << o.name;
    }
    // Montague dials, so it reads the live server's header as the initiating end.
    const auto& first = orders.front().order;
    EXPECT_TRUE(std::any_of(first.begin(), first.end(), [](const bp::PlayedStep& s) {
        return s.kind == bp::PlayedStep::Kind::Read && s.initiator && s.element == "stream:stream";
    })) << orders.front().name;
}

TEST(PlayedOrder, WalksAreSeededAndRepeatable) {
    const bm::Scenario sc = bm::make_scenario(dialback_topology());
    const auto a = bp::walk_orders(sc, 0, 7, 3, 64);
    const auto b = bp::walk_orders(sc, 0, 7, 3, 64);
    ASSERT_FALSE(a.empty());
    EXPECT_LE(a.size(), 3u);
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        EXPECT_EQ(a[i].name, b[i].name);
        EXPECT_EQ(a[i].order, b[i].order) << a[i].name;
        EXPECT_EQ(a[i].name.rfind("walk-7-", 0), 0u) << a[i].name;
    }
    EXPECT_TRUE(bp::walk_orders(sc, 0, 7, 0, 64).empty());
}

TEST(PlayedOrder, ThePlanHasTheModelsOrdersAfterTheOthers) {
    const auto t = dialback_topology();
    const auto plans = bp::plan_scenarios(t, "capulet", false);
    std::size_t witnesses = 0, walks = 0;
    bool ordered_seen = false;
    for (const auto& p : plans) {
        const bool ordered = p.order.has_value();
        EXPECT_EQ(ordered, p.name.rfind("witness-", 0) == 0 || p.name.rfind("walk-", 0) == 0) << p.name;
        EXPECT_FALSE(ordered_seen && !ordered) << p.name << " comes after an ordered scenario";
        ordered_seen = ordered_seen || ordered;
        witnesses += p.name.rfind("witness-", 0) == 0;
        walks += p.name.rfind("walk-1-", 0) == 0;
    }
    EXPECT_GT(witnesses, 0u);
    EXPECT_GT(walks, 0u);
    EXPECT_LE(walks, 3u);
    bp::PlanOptions none;
    none.walks = 0;
    none.witnesses = false;
    for (const auto& p : bp::plan_scenarios(t, "capulet", false, none)) EXPECT_FALSE(p.order.has_value()) << p.name;
}
