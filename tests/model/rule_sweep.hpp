// tests/model/rule_sweep.hpp — walks every reachable world of the shipped
// topologies once and runs a list of per-rule checks on every state and every
// transition; each rule gets a tally (how often its check applied, and the
// first failures with where they happened). A test then asserts its rule's
// tally: applied at least once (not vacuous) and never failed.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "model/xmpp_model.hpp"
#include "properties/step_view.hpp"
#include "sim/fingerprint.hpp"
#include "topologies/topology.hpp"

namespace bidilab::model::test {

struct Tally {
    std::uint64_t applied = 0;              // times the rule's check had something to check
    std::uint64_t failed = 0;
    std::vector<std::string> failures;      // the first few, with where they happened
};

// One transition as the checks see it.
struct Transition {
    const std::string& topology;
    const XmppModel& m;
    const World& before;
    const Action& a;
    const World& after;
    const properties::StepView& v;

    const Scenario& sc() const { return m.scenario(); }
    // The server at the writing end of `w`.
    ServerIndex writer(const properties::Written& w) const {
        return w.by_initiator ? w.after->initiator : w.after->receiver;
    }
    ServerIndex peer(const properties::Written& w) const {
        return w.by_initiator ? w.after->receiver : w.after->initiator;
    }
    std::string where(const Element& e) const {
        return topology + ": " + m.describe(a) + ": " + model::describe(e, sc().names) + " | " +
               to_xml(e, sc().names);
    }
};

// A rule's check: `state` runs on every reachable world, `step` on every
// transition; each calls check(tally, condition, message) per instance it checks.
struct RuleCheck {
    const char* rule;
    std::function<void(const std::string& topology, const XmppModel&, const World&, Tally&)> state;
    std::function<void(const Transition&, Tally&)> step;
};

inline void check(Tally& t, bool holds, const std::string& where) {
    ++t.applied;
    if (holds) return;
    ++t.failed;
    if (t.failures.size() < 3) t.failures.push_back(where);
}

inline std::vector<std::string> shipped_topology_names() {
    std::vector<std::string> names;
    for (const auto& f : std::filesystem::directory_iterator(topologies::shipped_topologies_dir()))
        if (f.path().extension() == ".json") names.push_back(f.path().stem().string());
    std::sort(names.begin(), names.end());
    return names;
}

// Breadth-first over every world reachable in `m` (fingerprints as the
// explorer's, so up to its symmetry reduction), running every check.
inline std::uint64_t sweep_model(const std::string& name, const XmppModel& m, const std::vector<RuleCheck>& checks,
                                 std::map<std::string, Tally>& tallies) {
    std::unordered_set<std::uint64_t> seen;
    std::deque<World> frontier;
    auto visit = [&](World w) {
        if (!seen.insert(sim::fingerprint(w)).second) return;
        for (const auto& c : checks)
            if (c.state) c.state(name, m, w, tallies[c.rule]);
        frontier.push_back(std::move(w));
    };
    for (auto& w : m.initial_states()) visit(std::move(w));
    std::vector<Action> acts;
    while (!frontier.empty()) {
        const World w = std::move(frontier.front());
        frontier.pop_front();
        acts.clear();
        m.actions(w, acts);
        for (const auto& a : acts) {
            std::optional<World> next = m.next_state(w, a);
            if (!next) continue;
            const properties::StepView v = properties::view_step(m, w, a, *next);
            const Transition s{name, m, w, a, *next, v};
            for (const auto& c : checks)
                if (c.step) c.step(s, tallies[c.rule]);
            visit(std::move(*next));
        }
        if (seen.size() > 1000000) {
            ADD_FAILURE() << name << ": more than 1,000,000 worlds; sweep stopped";
            break;
        }
    }
    return seen.size();
}

// Every shipped topology, then the extra ones given inline (JSON text).
inline std::map<std::string, Tally> sweep_all(const std::vector<RuleCheck>& checks,
                                              const std::vector<std::string>& extra_json = {}) {
    std::map<std::string, Tally> tallies;
    for (const auto& c : checks) tallies[c.rule];
    for (const auto& name : shipped_topology_names()) {
        const XmppModel m(make_scenario(
            topologies::load_topology(topologies::shipped_topologies_dir() / (name + ".json"))));
        // These checks judge honest servers among themselves; what an attacker
        // writes, and keys it forged that a victim passes on, are judged by
        // the attacker properties (model/attacker.hpp, properties/).
        if (m.scenario().has_attacker()) continue;
        sweep_model(name, m, checks, tallies);
    }
    for (std::size_t k = 0; k < extra_json.size(); ++k) {
        const XmppModel m(make_scenario(topologies::parse_topology(extra_json[k], "inline.json")));
        sweep_model(m.scenario().name, m, checks, tallies);
    }
    return tallies;
}

inline std::string failures_of(const Tally& t) {
    std::string s = std::to_string(t.failed) + " failure(s):";
    for (const auto& f : t.failures) s += "\n  " + f;
    return s;
}

// The assertion every sweep-based test ends with.
#define EXPECT_RULE_HOLDS(tallies, rule)                                            \
    do {                                                                            \
        const ::bidilab::model::test::Tally& t_ = (tallies).at(rule);               \
        EXPECT_GT(t_.applied, 0u) << rule << ": the check never applied (vacuous)";  \
        EXPECT_EQ(t_.failed, 0u) << rule << ": " << ::bidilab::model::test::failures_of(t_); \
    } while (0)

}  // namespace bidilab::model::test
