#include "properties/rules.hpp"

#include <regex>

namespace bidilab::properties {

const std::vector<RuleInfo>& rule_catalogue() {
    static const std::vector<RuleInfo> rules{
#include "properties/rules_table.inc"
    };
    return rules;
}

std::vector<std::string> rules_cited_by_test(const std::string& name) {
    static const std::regex id(R"((BIDI|DBTLS|DB|CORE|SASL|KEY|EXT)_([0-9]+))");
    std::vector<std::string> out;
    for (auto it = std::sregex_iterator(name.begin(), name.end(), id); it != std::sregex_iterator(); ++it)
        out.push_back((*it)[1].str() + "-" + (*it)[2].str());
    return out;
}

std::vector<RuleCoverage> rule_coverage(const std::vector<std::pair<std::string, std::vector<std::string>>>& properties,
                                        const std::vector<std::string>& test_names) {
    std::vector<RuleCoverage> out;
    for (const auto& rule : rule_catalogue()) {
        RuleCoverage c{&rule, {}, {}};
        for (const auto& [name, rules] : properties)
            for (const auto& r : rules)
                if (r == rule.id) c.properties.push_back(name);
        for (const auto& t : test_names)
            for (const auto& r : rules_cited_by_test(t))
                if (r == rule.id) {
                    c.tests.push_back(t);
                    break;
                }
        out.push_back(std::move(c));
    }
    return out;
}

const std::vector<std::string>& project_test_names() {
    static const std::vector<std::string> names{
#include "test_manifest.inc"
    };
    return names;
}

}  // namespace bidilab::properties
