// The topology's `expect` entries as properties: each holds where the model
// agrees and is violated, with a real trace ending where it breaks, where it
// does not; partial-order reduction gives the same verdicts.
#include <gtest/gtest.h>

#include "properties/catalogue.hpp"
#include "sim/explorer.hpp"
#include "sim/trace.hpp"
#include "support/library.hpp"

namespace bidilab::properties {
namespace {

topologies::Expectation stanza_fate(std::size_t k, const char* fate) {
    topologies::Expectation e;
    e.stanza = k;
    e.fate = fate;
    return e;
}
topologies::Expectation stanza_never(std::size_t k, const char* fate) {
    topologies::Expectation e;
    e.stanza = k;
    e.never = fate;
    return e;
}
topologies::Expectation server_never_bidi(const char* server) {
    topologies::Expectation e;
    e.server = server;
    e.never = "bidi";
    return e;
}
topologies::Expectation pair_never_dialback(const char* sender, const char* target) {
    topologies::Expectation e;
    e.pair = {sender, target};
    e.never = "dialback";
    return e;
}

sim::Report check(const char* file, const std::vector<topologies::Expectation>& expect, bool por) {
    auto t = test_support::load_library_topology(topologies::shipped_topologies_dir() / file);
    t.expect = expect;
    topologies::validate_topology(t);
    const CheckedModel m(model::make_scenario(t));
    sim::ExploreOptions o;
    o.partial_order = por;
    return sim::Explorer<CheckedModel>(m, o).run();
}

sim::Status status(const sim::Report& r, const std::string& name) {
    const auto* p = r.find(name);
    EXPECT_NE(p, nullptr) << name;
    return p ? p->status : sim::Status::Unknown;
}

TEST(Expectations, HoldWhereTheModelAgreesAndFailWithATraceWhereItDoesNot) {
    const std::vector<topologies::Expectation> expect = {
        stanza_fate(0, "delivered"), stanza_never(0, "bounced"), stanza_fate(0, "bounced"),
        server_never_bidi("montague")};
    for (bool por : {false, true}) {
        const auto r = check("capulet-montague.json", expect, por);
        ASSERT_TRUE(r.complete);
        EXPECT_EQ(status(r, "expect: #0 always delivered"), sim::Status::Holds) << por;
        EXPECT_EQ(status(r, "expect: #0 never bounced"), sim::Status::Holds) << por;
        EXPECT_EQ(status(r, "expect: #0 always bounced"), sim::Status::Violated) << por;
        // montague takes <bidi/> from capulet (XEP-0288).
        EXPECT_EQ(status(r, "expect: montague never bidi"), sim::Status::Violated) << por;
        // Each violation's trace is real and ends where the expectation breaks.
        const auto t = test_support::load_library_topology(topologies::shipped_topologies_dir() / "capulet-montague.json");
        auto with = t;
        with.expect = expect;
        const CheckedModel m(model::make_scenario(with));
        const auto catalogue = m.properties();
        for (std::size_t p = 0; p < r.properties.size() && p < catalogue.size(); ++p) {
            if (r.properties[p].status != sim::Status::Violated || r.properties[p].name.rfind("expect: ", 0) != 0) continue;
            ASSERT_TRUE(r.properties[p].trace);
            const auto replayed = sim::replay(m, *r.properties[p].trace);
            const model::World& end = replayed.steps.empty() ? replayed.initial : replayed.steps.back().state;
            EXPECT_FALSE(catalogue[p].holds(m, end)) << r.properties[p].name;
            EXPECT_TRUE(r.properties[p].rules.empty()) << "the user's expectations cite no rule";
        }
    }
}

TEST(Expectations, NoBidiServerNeverUsesIt) {
    const auto r = check("no-bidi.json", {server_never_bidi("montague")}, true);
    EXPECT_EQ(status(r, "expect: montague never bidi"), sim::Status::Holds);
}

// Without TLS on montague, each way is authorized by dialback (DB-22): so
// "never by dialback" fails, for either direction; with SASL EXTERNAL
// (capulet-montague: both certificates trusted, montague requires TLS), capulet.lit
// never needs it towards montague.lit.
TEST(Expectations, PairNeverByDialback) {
    for (bool por : {false, true}) {
        const auto clear = check("no-tls.json", {pair_never_dialback("capulet.lit", "montague.lit"),
                                                 pair_never_dialback("montague.lit", "capulet.lit")},
                                 por);
        EXPECT_EQ(status(clear, "expect: capulet.lit → montague.lit never by dialback"), sim::Status::Violated);
        EXPECT_EQ(status(clear, "expect: montague.lit → capulet.lit never by dialback"), sim::Status::Violated);
        const auto sasl = check("capulet-montague.json", {pair_never_dialback("capulet.lit", "montague.lit")}, por);
        EXPECT_EQ(status(sasl, "expect: capulet.lit → montague.lit never by dialback"), sim::Status::Holds);
    }
}

}  // namespace
}  // namespace bidilab::properties
