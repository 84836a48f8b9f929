// The element a violated step property blames: every mutant whose quirk a
// step property catches ends its trace on a step whose blamed element is one
// the step read or wrote, of the kind the quirk gets wrong; the transcripts
// mark it (tests/cli/check_blame_test.cpp shows the report).
#include <gtest/gtest.h>

#include <map>

#include "properties/catalogue.hpp"
#include "properties/quirks.hpp"
#include "sim/explorer.hpp"
#include "sim/trace.hpp"
#include "topologies/topology.hpp"

namespace bidilab::properties {
namespace {

using model::ElementKind;

// What each step-property quirk writes or reads wrongly.
const std::map<std::string, ElementKind>& blamed_kinds() {
    static const std::map<std::string, ElementKind> kinds = {
        {"bidi-before-tls", ElementKind::Bidi},
        {"reuse-stream-id", ElementKind::StreamOpen},
        {"send-before-auth", ElementKind::Stanza},
        {"route-under-stream-from", ElementKind::Stanza},
        {"assume-pairs-after-sasl", ElementKind::Stanza},
        {"skip-pair-check", ElementKind::Stanza},
        {"verify-on-request-connection", ElementKind::DbVerify},
        {"swapped-bidi-namespaces", ElementKind::StreamFeatures},  // the bidi feature in urn:xmpp:bidi
        {"no-dialback-errors", ElementKind::DbResult},
        {"conflict-on-duplicate", ElementKind::StreamError},
        {"reject-reverse-dialback", ElementKind::DbResult},
    };
    return kinds;
}

TEST(Blame, EveryStepPropertyMutantEndsOnTheElementItGetsWrong) {
    std::size_t checked = 0;
    for (const auto& q : quirks()) {
        const auto path = topologies::shipped_topologies_dir() / "mutants" / (q.name + ".json");
        auto t = topologies::load_topology(path, topologies::LoadOptions::with_known_quirks(quirk_names()));
        CheckedModel m(model::make_scenario(t));
        const auto r = sim::Explorer<CheckedModel>(m).run();
        const auto* p = r.find(q.property);
        ASSERT_NE(p, nullptr) << q.name;
        if (p->kind != sim::Kind::Step) continue;
        ++checked;
        ASSERT_TRUE(p->trace) << q.name;
        const auto replayed = sim::replay(m, *p->trace);
        ASSERT_FALSE(replayed.steps.empty()) << q.name;
        const model::World& before =
            replayed.steps.size() > 1 ? replayed.steps[replayed.steps.size() - 2].state : replayed.initial;
        const auto& last = replayed.steps.back();
        const auto blamed = m.blamed(q.property, before, last.action, last.state);
        ASSERT_TRUE(blamed) << q.name << ": " << q.property << " blames no element";
        const StepView v = view_step(m, before, last.action, last.state);
        ElementKind kind;
        if (*blamed == StepView::kBlameRead) {
            ASSERT_TRUE(v.read) << q.name;
            kind = v.read->kind;
        } else {
            ASSERT_GE(*blamed, 0) << q.name;
            ASSERT_LT(static_cast<std::size_t>(*blamed), v.written.size()) << q.name;
            kind = v.written[static_cast<std::size_t>(*blamed)].element.kind;
        }
        const auto expected = blamed_kinds().find(q.name);
        ASSERT_NE(expected, blamed_kinds().end()) << q.name << " has no expected kind here";
        EXPECT_EQ(kind, expected->second) << q.name;
        // The same step with the property holding blames nothing: a property
        // that holds on the trace's first step does not mark an element there.
        if (replayed.steps.size() > 1) {
            EXPECT_FALSE(m.blamed(q.property, replayed.initial, replayed.steps[0].action, replayed.steps[0].state))
                << q.name;
        }
    }
    EXPECT_EQ(checked, blamed_kinds().size());
}

}  // namespace
}  // namespace bidilab::properties
