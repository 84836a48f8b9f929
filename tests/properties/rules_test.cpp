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

TEST(Rules, TableMatchesTheSpecFolderWhenItIsThere) {
    // shared/spec/RULES.md sits beside the checkout on the project's machines and in CI.
    std::ifstream in(std::string(SOURCE_DIR) + "/../shared/spec/RULES.md");
    if (!in) {
        EXPECT_EQ(rule_catalogue().front().id, std::string("BIDI-1"));
        return;
    }
    std::stringstream text;
    text << in.rdbuf();
    std::string s = text.str();
    std::regex entry(R"(^- \*\*([A-Z]+-[0-9]+)\*\* \()", std::regex::multiline);
    std::vector<std::string> ids;
    for (auto it = std::sregex_iterator(s.begin(), s.end(), entry); it != std::sregex_iterator(); ++it) ids.push_back((*it)[1]);
    ASSERT_EQ(ids.size(), rule_catalogue().size());
    for (std::size_t k = 0; k < ids.size(); ++k) EXPECT_EQ(ids[k], rule_catalogue()[k].id);
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
