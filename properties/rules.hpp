// properties/rules.hpp — the rule catalogue of spec/RULES.md and how each rule
// is covered: by the properties that cite it, and by the tests whose names
// cite it (CORE_7 in a test name cites CORE-7).
#pragma once

#include <string>
#include <vector>

namespace bidilab::properties {

struct RuleInfo {
    std::string id;       // "CORE-7"
    std::string kind;     // T, A, S, L (RULES.md legend), e.g. "T, S"
    bool must = false;    // a quote on its first line holds MUST / MUST NOT / SHALL / REQUIRED
    std::string quote;    // its first «quote» (none on its first line: that line's text)
    std::string summary;  // the start of that quote (at most 110 characters)
    std::string text;     // the whole entry as spec/RULES.md writes it (quotes, sections, Check lines)
};

// The catalogue of spec/RULES.md, in its order, read from the copy built
// into the program.
const std::vector<RuleInfo>& rule_catalogue();
// Parses a catalogue in the format of spec/RULES.md (an entry starts with
// "- **ID** (KIND): " and runs to the next entry or heading).
std::vector<RuleInfo> parse_rule_catalogue(const std::string& markdown);
// The entry of one ID, or nullptr.
const RuleInfo* find_rule(const std::string& id);
// "CORE-7: «...» §4.3.3.": the rule's first line in spec/RULES.md without its
// markup, for a report or a tooltip; "" for an unknown ID.
std::string rule_sentence(const std::string& id);

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
