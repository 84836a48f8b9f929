// The played servers' own order: the model's orderings projected on the
// played server, seeded and repeatable, and planned as scenarios (the wire
// names they match by: probe_unit_test.cpp).
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>

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

// Every row the live server can make a played machine take in some ordering
// (reachable_rows) is taken by some planned ordering: with no witnesses and
// no walks, the row scenarios alone cover them; after the witnesses and the
// walks, they add only what those left out.
TEST(PlayedOrder, RowScenariosCoverEveryReachableRow) {
    const bm::Scenario sc = bm::make_scenario(dialback_topology());
    const bm::ServerIndex live = 0;
    const bp::ReachableRows reachable = bp::reachable_rows(sc, live, 100000);
    ASSERT_TRUE(reachable.complete);
    ASSERT_GT(reachable.rows.taken_total(), 0u);
    bm::RowCoverage covered;
    covered.only_with(live);
    const auto alone = bp::row_orders(sc, live, 100000, covered);
    ASSERT_FALSE(alone.empty());
    for (const auto machine : bm::kStreamMachines)
        for (std::size_t row = 0; row < reachable.rows.rows(machine); ++row)
            EXPECT_EQ(covered.taken(machine, row), reachable.rows.taken(machine, row))
                << bm::RowCoverage::name(machine) << " row " << row;
    for (const auto& o : alone) {
        EXPECT_EQ(o.name.rfind("row-", 0), 0u) << o.name;
        EXPECT_FALSE(o.order.empty()) << o.name;
        EXPECT_NE(o.description.find("takes row "), std::string::npos) << o.description;
    }
    // Already covered: nothing to add, and the same search twice gives the same scenarios.
    EXPECT_TRUE(bp::row_orders(sc, live, 100000, covered).empty());
    bm::RowCoverage again;
    again.only_with(live);
    const auto repeated = bp::row_orders(sc, live, 100000, again);
    ASSERT_EQ(repeated.size(), alone.size());
    for (std::size_t i = 0; i < alone.size(); ++i) EXPECT_EQ(repeated[i].order, alone[i].order) << alone[i].name;
    // After a witness or two, fewer (or as many) row scenarios are needed.
    bm::RowCoverage after_witnesses;
    after_witnesses.only_with(live);
    ASSERT_FALSE(bp::witness_orders(sc, live, 100000, &after_witnesses).empty());
    EXPECT_GT(after_witnesses.taken_total(), 0u);
    EXPECT_LE(bp::row_orders(sc, live, 100000, after_witnesses).size(), alone.size());
    EXPECT_EQ(after_witnesses.taken_total(), reachable.rows.taken_total());
}

TEST(PlayedOrder, ThePlanHasTheModelsOrdersAfterTheOthers) {
    const auto t = dialback_topology();
    const auto plans = bp::plan_scenarios(t, "capulet", false);
    std::size_t witnesses = 0, walks = 0;
    bool ordered_seen = false;
    for (const auto& p : plans) {
        const bool ordered = p.order.has_value();
        EXPECT_EQ(ordered, p.name.rfind("witness-", 0) == 0 || p.name.rfind("walk-", 0) == 0 ||
                               p.name.rfind("row-", 0) == 0)
            << p.name;
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
    none.rows = false;
    for (const auto& p : bp::plan_scenarios(t, "capulet", false, none)) EXPECT_FALSE(p.order.has_value()) << p.name;
    // Rows alone: the row scenarios, each an ordering of the model.
    none.rows = true;
    std::size_t rows = 0;
    for (const auto& p : bp::plan_scenarios(t, "capulet", false, none)) {
        EXPECT_EQ(p.order.has_value(), p.name.rfind("row-", 0) == 0) << p.name;
        rows += p.name.rfind("row-", 0) == 0;
    }
    EXPECT_GT(rows, 0u);
    // The row search is also what the probe measures with: the plan hands it
    // on when it ran, and only then.
    std::optional<bp::ReachableRows> planned;
    bp::plan_scenarios(t, "capulet", false, none, &planned);
    ASSERT_TRUE(planned.has_value());
    EXPECT_TRUE(planned->complete);
    EXPECT_GT(planned->rows.taken_total(), 0u);
    none.rows = false;
    std::optional<bp::ReachableRows> not_planned;
    bp::plan_scenarios(t, "capulet", false, none, &not_planned);
    EXPECT_FALSE(not_planned.has_value());
}
