// A hint says a `sometimes` cannot be witnessed under the topology's
// policies: it must never be given where the property is witnessed, and it
// is given where a policy plainly rules the witness out.
#include <gtest/gtest.h>

#include "properties/catalogue.hpp"
#include "sim/explorer.hpp"
#include "support/library.hpp"

namespace bidilab::properties {
namespace {

TEST(WitnessHints, NeverGivenWhereTheWitnessIsFound) {
    std::size_t hints = 0, witnessed = 0;
    for (const auto& file : test_support::library_files()) {
        const CheckedModel m(model::make_scenario(test_support::load_library_topology(file)));
        sim::ExploreOptions o;
        o.partial_order = true;
        const auto r = sim::Explorer<CheckedModel>(m, o).run();
        for (const auto& p : r.properties) {
            if (p.kind != sim::Kind::Sometimes) continue;
            const std::string hint = witness_hint(m.scenario(), p.name);
            if (p.status == sim::Status::Witnessed) {
                ++witnessed;
                EXPECT_EQ(hint, "") << file << ": " << p.name << " is witnessed, yet the hint says: " << hint;
            }
            hints += !hint.empty();
        }
    }
    EXPECT_GT(witnessed, 0u);
    EXPECT_GT(hints, 20u);  // the library's topologies leave many witnesses to others
}

TEST(WitnessHints, NameTheFieldThatRulesTheWitnessOut) {
    const CheckedModel m(model::make_scenario(
        test_support::load_library_topology(topologies::shipped_topologies_dir() / "capulet-montague.json")));
    EXPECT_EQ(witness_hint(m.scenario(), "stanza-delivered-after-reset"), "faults.resets is 0: no reset happens");
    EXPECT_EQ(witness_hint(m.scenario(), "reverse-dialback-validates"), "no server has reverse_dialback: true (BIDI-8)");
    EXPECT_EQ(witness_hint(m.scenario(), "starttls-offered-alone"),
              "no server sets features_before_tls to \"starttls_only\" or \"any\"");
    EXPECT_EQ(witness_hint(m.scenario(), "stanza-over-bidi"), "");  // both servers have bidi
    const CheckedModel reset(model::make_scenario(
        test_support::load_library_topology(topologies::shipped_topologies_dir() / "capulet-montague-reset.json")));
    EXPECT_EQ(witness_hint(reset.scenario(), "stanza-delivered-after-reset"), "");
}

}  // namespace
}  // namespace bidilab::properties
