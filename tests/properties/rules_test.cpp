// The rule catalogue and its coverage report.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "properties/catalogue.hpp"
#include "properties/rules.hpp"

namespace bidilab::properties {
namespace {

TEST(Rules, CatalogueHas139RulesOf71Must) {
    std::size_t must = 0;
    for (const auto& r : rule_catalogue()) must += r.must;
    EXPECT_EQ(rule_catalogue().size(), 139u);
    EXPECT_EQ(must, 71u);
}

// The catalogue is spec/RULES.md, built in: every entry with its text.
TEST(Rules, CatalogueIsSpecRulesMdWithEachEntrysText) {
    const RuleInfo* r = find_rule("CORE-7");
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->kind, "T");
    EXPECT_TRUE(r->must);
    EXPECT_NE(r->quote.find("MUST generate a new stream ID"), std::string::npos) << r->quote;
    EXPECT_NE(r->text.find("Check:"), std::string::npos) << r->text;
    EXPECT_EQ(find_rule("CORE-57"), nullptr);
    const RuleInfo* sub_bullets = find_rule("CORE-26");  // its conditions are bullets under the entry
    ASSERT_NE(sub_bullets, nullptr);
    EXPECT_NE(sub_bullets->text.find("unsupported-stanza-type"), std::string::npos);
    EXPECT_FALSE(sub_bullets->must);  // MUST only in a bullet, not on its first line
    for (const auto& rule : rule_catalogue()) EXPECT_FALSE(rule.quote.empty()) << rule.id;
}

TEST(Rules, ParserReadsEntriesUntilTheNextEntryOrHeading) {
    const auto rules = parse_rule_catalogue(
        "# title\n\n- **X-1** (T): «It MUST do so.» §1.\n  Check: a line.\n\n  more of X-1\n"
        "- **X-2** (A, S): «It may.» and «SHALL not.» §2.\n## next\nprose after a heading\n"
        "- **not an entry\n");
    ASSERT_EQ(rules.size(), 2u);
    EXPECT_EQ(rules[0].id, "X-1");
    EXPECT_TRUE(rules[0].must);
    EXPECT_EQ(rules[0].text, "- **X-1** (T): «It MUST do so.» §1.\n  Check: a line.\n  more of X-1");
    EXPECT_EQ(rules[1].kind, "A, S");
    EXPECT_EQ(rules[1].quote, "It may.");
    EXPECT_TRUE(rules[1].must);  // the second quote of its first line
    EXPECT_EQ(rules[1].text.find("prose"), std::string::npos);
}

TEST(Rules, TestNamesCiteRules) {
    EXPECT_EQ(rules_cited_by_test("Sasl.SASL_9_CORE_43_FallsBack"), (std::vector<std::string>{"SASL-9", "CORE-43"}));
    EXPECT_EQ(rules_cited_by_test("X.DBTLS_2_and_DB_10"), (std::vector<std::string>{"DBTLS-2", "DB-10"}));
    EXPECT_TRUE(rules_cited_by_test("Explorer.GridCountsArePinned").empty());
}

TEST(Rules, CoverageCountsPropertiesAndTests) {
    auto cov = rule_coverage({{"fresh-stream-ids", {"CORE-7"}}}, {"A.CORE_8_Restart", "B.Nothing"});
    auto of = [&cov](const std::string& id) {
        for (const auto& c : cov)
            if (id == c.rule->id) return c;
        throw std::runtime_error("no rule " + id);
    };
    EXPECT_EQ(of("CORE-7").properties, std::vector<std::string>{"fresh-stream-ids"});
    EXPECT_EQ(of("CORE-8").tests, std::vector<std::string>{"A.CORE_8_Restart"});
    EXPECT_FALSE(of("CORE-9").covered());
}

TEST(Rules, ProjectTestsAreKnownAndEveryCitedIdExists) {
    const auto& names = project_test_names();
    EXPECT_GT(names.size(), 150u);
    EXPECT_NE(std::find(names.begin(), names.end(), "Rules.ProjectTestsAreKnownAndEveryCitedIdExists"), names.end());
    for (const auto& n : names)
        for (const auto& id : rules_cited_by_test(n)) {
            bool known = false;
            for (const auto& r : rule_catalogue()) known = known || id == r.id;
            EXPECT_TRUE(known) << n << " cites " << id << ", which RULES.md does not have";
        }
    for (const auto& p : CheckedModel(model::Scenario{}).properties())
        for (const auto& id : p.rules) {
            bool known = false;
            for (const auto& r : rule_catalogue()) known = known || id == r.id;
            EXPECT_TRUE(known) << p.name << " cites " << id;
        }
}

}  // namespace
}  // namespace bidilab::properties
