// The property catalogue: every property cites rules, the state properties
// can fail on worlds built by hand, and all of them hold on a clean model.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "properties/catalogue.hpp"
#include "sim/explorer.hpp"
#include "topologies/topology.hpp"

namespace bidilab::properties {
namespace {

CheckedModel two_stanzas_one_pair() {
    return CheckedModel(model::make_scenario(topologies::parse_topology(R"({"name": "t", "servers": [
        {"name": "capulet", "domains": ["capulet.lit"]}, {"name": "montague", "domains": ["montague.lit"]}],
        "stanzas": [{"from": "capulet.lit", "to": "montague.lit"}, {"from": "capulet.lit", "to": "montague.lit"}]})",
                                                                        "t.json")));
}

const sim::Property<CheckedModel>& find(const std::vector<sim::Property<CheckedModel>>& ps, const std::string& name) {
    for (const auto& p : ps)
        if (p.name == name) return p;
    throw std::runtime_error("no property " + name);
}
// The result refers into `ps`: never a temporary list.
const sim::Property<CheckedModel>& find(const std::vector<sim::Property<CheckedModel>>&& ps, const std::string& name) = delete;

TEST(Catalogue, EveryPropertyCitesRulesAndNamesAreUnique) {
    auto ps = two_stanzas_one_pair().properties();
    std::set<std::string> names;
    for (const auto& p : ps) {
        EXPECT_FALSE(p.rules.empty()) << p.name;
        EXPECT_TRUE(names.insert(p.name).second) << p.name;
    }
    EXPECT_GE(ps.size(), 15u);
}

TEST(Catalogue, CORE_49_PerPairOrderFailsWhenALaterStanzaOvertakes) {
    auto m = two_stanzas_one_pair();
    auto ps = m.properties();
    auto w = m.initial_states()[0];
    const auto& order = find(ps, "per-pair-order-kept");
    EXPECT_TRUE(order.holds(m, w));
    w.stanzas[0].fate = model::Fate::InFlight;
    w.stanzas[1].fate = model::Fate::Delivered;
    EXPECT_FALSE(order.holds(m, w));
    w.stanzas[0].fate = model::Fate::Bounced;
    EXPECT_TRUE(order.holds(m, w));
}

TEST(Catalogue, CORE_52_AtMostOnceFailsOnADoubleDelivery) {
    auto m = two_stanzas_one_pair();
    auto w = m.initial_states()[0];
    const auto properties = m.properties();
    const auto& once = find(properties, "stanza-at-most-once");
    w.stanzas[0].deliveries = 1;
    EXPECT_TRUE(once.holds(m, w));
    w.stanzas[0].bounces = 1;
    EXPECT_FALSE(once.holds(m, w));
}

TEST(Catalogue, CORE_23_UnexpectedElementFails) {
    auto m = two_stanzas_one_pair();
    auto w = m.initial_states()[0];
    const auto properties = m.properties();
    const auto& expected = find(properties, "every-element-expected");
    EXPECT_TRUE(expected.holds(m, w));
    w.violations.push_back(model::ViolationRecord{1, true, model::ElementKind::Stanza, model::Verdict::NoTransition});
    EXPECT_FALSE(expected.holds(m, w));
}

TEST(Catalogue, CleanModelViolatesNothing) {
    auto m = two_stanzas_one_pair();
    auto r = sim::Explorer<CheckedModel>(m).run();
    ASSERT_TRUE(r.complete);
    for (const auto& p : r.properties) EXPECT_NE(p.status, sim::Status::Violated) << p.name;
    EXPECT_EQ(r.find("dialback-cross-verification")->status, sim::Status::Witnessed);
}

// The step view is computed once per bracketed transition and shared; outside
// a bracket, or for another transition, it is computed afresh (never stale).
TEST(Catalogue, StepViewIsSharedOnlyWithinItsTransition) {
    auto m = two_stanzas_one_pair();
    const auto w0 = m.initial_states()[0];
    const model::Action submit{model::Action::Kind::Submit, 0, 0, false};
    const auto w1 = *m.next_state(w0, submit);
    std::vector<model::Action> enabled;
    m.actions(w1, enabled);
    ASSERT_FALSE(enabled.empty());
    const auto w2 = *m.next_state(w1, enabled.back());
    const StepView fresh = view_step(m, w0, submit, w1);
    {
        const sim::StepScope<CheckedModel> scope(m, w0, submit, w1);
        const StepView& shared = m.step_view(w0, submit, w1);
        EXPECT_EQ(&m.step_view(w0, submit, w1), &shared);
        EXPECT_EQ(shared.written.size(), fresh.written.size());
        EXPECT_EQ(m.step_view(w1, enabled.back(), w2).written.size(),
                  view_step(m, w1, enabled.back(), w2).written.size());
    }
    EXPECT_EQ(m.step_view(w1, enabled.back(), w2).written.size(), view_step(m, w1, enabled.back(), w2).written.size());
    EXPECT_EQ(m.step_view(w0, submit, w1).written.size(), fresh.written.size());
}

}  // namespace
}  // namespace bidilab::properties

namespace bidilab::properties {
namespace {

// The model is not vacuous: every `sometimes` of the catalogue is witnessed
// by some clean topology of the shipped library.
TEST(Catalogue, EverySometimesIsWitnessedInTheShippedLibrary) {
    std::set<std::string> wanted, witnessed;
    for (const auto& p : two_stanzas_one_pair().properties())
        if (p.kind == sim::Kind::Sometimes) wanted.insert(p.name);
    ASSERT_GE(wanted.size(), 5u);
    for (const auto& entry : std::filesystem::directory_iterator(topologies::shipped_topologies_dir())) {
        if (entry.path().extension() != ".json") continue;
        CheckedModel m(model::make_scenario(topologies::load_topology(entry.path())));
        auto r = sim::Explorer<CheckedModel>(m).run();
        ASSERT_TRUE(r.complete) << entry.path();
        for (const auto& p : r.properties) {
            EXPECT_NE(p.status, sim::Status::Violated) << entry.path() << ": " << p.name;
            if (p.status == sim::Status::Witnessed) witnessed.insert(p.name);
        }
    }
    for (const auto& name : wanted) EXPECT_TRUE(witnessed.count(name)) << name << " is witnessed by no shipped topology";
}

}  // namespace
}  // namespace bidilab::properties
