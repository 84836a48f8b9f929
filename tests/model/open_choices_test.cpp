// The choices the specs leave open, as `check` explores them: a server's
// choice set to "any" is decided by a step of its own before anything else,
// and the run then is the run with that choice pinned to the branch taken.
#include <gtest/gtest.h>

#include "properties/catalogue.hpp"
#include "sim/explorer.hpp"
#include "topologies/topology.hpp"

namespace bidilab::model {
namespace {

using properties::CheckedModel;
using topologies::ChoiceSetting;
using topologies::SpecChoice;

topologies::Topology default_topology() { return topologies::load_topology(topologies::default_topology_file()); }

sim::Report explore(const topologies::Topology& t) {
    CheckedModel m(make_scenario(t));
    sim::ExploreOptions o;
    o.require_witnesses = false;
    return sim::Explorer<CheckedModel>(m, o).run();
}

topologies::Topology with(topologies::Topology t, const std::string& server, SpecChoice c, ChoiceSetting s) {
    for (auto& sv : t.servers)
        if (sv.name == server) sv.choices[static_cast<std::size_t>(c)] = s;
    return t;
}

// "any" = one step to decide, then the union of both pinned runs: the states
// of both, plus the initial one before the choice; the verdict is the worse.
TEST(OpenChoices, AnyExploresBothBranchesAndNothingElse) {
    const auto base = default_topology();
    for (const auto& info : topologies::spec_choices()) {
        for (const std::string server : {"capulet", "montague"}) {
            SCOPED_TRACE(server + " " + info.field);
            const auto usual = explore(with(base, server, info.choice, ChoiceSetting::Usual));
            const auto other = explore(with(base, server, info.choice, ChoiceSetting::Other));
            const auto any = explore(with(base, server, info.choice, ChoiceSetting::Any));
            ASSERT_TRUE(usual.complete && other.complete && any.complete);
            EXPECT_EQ(any.states, 1 + usual.states + other.states);
            EXPECT_EQ(any.transitions, 2 + usual.transitions + other.transitions);
            EXPECT_EQ(any.verdict(), usual.verdict() == sim::Verdict::Pass ? other.verdict() : usual.verdict());
        }
    }
}

// Unset is the usual branch (Prosody 0.12's) for `check`.
TEST(OpenChoices, UnsetIsTheUsualBranch) {
    const auto base = default_topology();
    for (const auto& info : topologies::spec_choices()) {
        const auto pinned = explore(with(base, "montague", info.choice, ChoiceSetting::Usual));
        EXPECT_EQ(pinned.states, explore(base).states) << info.field;
    }
}

// The decisions come first, one choice at a time, in a fixed order, and each
// step says which server takes which branch and why the specs allow both.
TEST(OpenChoices, CORE_30_EXT_1_ChoicesAreStepsOfTheirOwnWithTheirRules) {
    auto t = with(default_topology(), "montague", SpecChoice::StarttlsOnlyBeforeTls, ChoiceSetting::Any);
    t = with(t, "capulet", SpecChoice::CloseWhenTlsNotOffered, ChoiceSetting::Any);
    const XmppModel m(make_scenario(t));
    ASSERT_EQ(m.scenario().open_choices.size(), 2u);
    World w = m.initial_states().front();
    for (const char* expected : {"capulet takes starttls_unoffered = close (EXT-1, CORE-55",
                                 "montague takes features_before_tls = starttls_only (CORE-30, DB-34"}) {
        std::vector<Action> enabled;
        m.actions(w, enabled);
        ASSERT_EQ(enabled.size(), 2u);  // nothing else happens before the choices are made
        EXPECT_EQ(m.describe(enabled[1]).rfind(expected, 0), 0u) << m.describe(enabled[1]);
        w = *m.next_state(w, enabled[1]);
    }
    EXPECT_EQ(w.branches, 3u);
    EXPECT_EQ(m.scenario().branches_of(1, w.branches), choice_bit(SpecChoice::StarttlsOnlyBeforeTls));
    std::vector<Action> enabled;
    m.actions(w, enabled);
    for (const Action& a : enabled) EXPECT_NE(a.kind, Action::Kind::Choose);
}

// More than 32 open choices cannot be held in a World: a clear error.
TEST(OpenChoices, AtMost32OpenChoices) {
    auto t = default_topology();
    for (int k = 0; k < 5; ++k) {
        topologies::Server s = t.servers[0];
        s.name = "s" + std::to_string(k);
        s.domains = {"d" + std::to_string(k) + ".lit"};
        s.certificate.reset();
        s.choices.fill(ChoiceSetting::Any);
        t.servers.push_back(s);
    }
    try {
        make_scenario(t);
        ADD_FAILURE() << "40 open choices accepted";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("at most 32 choices"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace bidilab::model
