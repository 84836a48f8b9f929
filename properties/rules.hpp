// properties/rules.hpp — the rule catalogue of spec/RULES.md and how each rule
// is covered: by the properties that cite it, and by the tests whose names
// cite it (CORE_7 in a test name cites CORE-7).
#pragma once

#include <string>
#include <vector>

namespace bidilab::properties {

struct RuleInfo {
    const char* id;
    const char* kind;     // T, A, S, L (RULES.md legend)
    bool must;            // its quote holds MUST / MUST NOT / SHALL / REQUIRED
    const char* summary;  // the start of its quote
};

const std::vector<RuleInfo>& rule_catalogue();

struct RuleCoverage {
    const RuleInfo* rule;
    std::vector<std::string> properties;
    std::vector<std::string> tests;
    bool covered() const { return !properties.empty() || !tests.empty(); }
};

// The rule IDs a test name cites: "SASL_9_CORE_43_Fallback" cites SASL-9 and CORE-43.
std::vector<std::string> rules_cited_by_test(const std::string& test_name);

// Coverage of every rule, given the properties' citations and the test names.
std::vector<RuleCoverage> rule_coverage(const std::vector<std::pair<std::string, std::vector<std::string>>>& properties,
                                        const std::vector<std::string>& test_names);

// The names of the project's tests (Suite.Name), read from tests/ at build time.
const std::vector<std::string>& project_test_names();

}  // namespace bidilab::properties
