// cli/rules_command.cpp — `bidilab rules`: each MUST rule of the catalogue
// with the properties and tests that cover it, and the uncovered ones.
#include <iomanip>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/report_output.hpp"
#include "properties/catalogue.hpp"
#include "properties/rules.hpp"

namespace bidilab::cli {

namespace {
// `bidilab rules ID...`: each entry, and what covers it.
int print_rules(const std::vector<std::string>& ids, const std::vector<properties::RuleCoverage>& coverage, bool json,
                std::ostream& out) {
    nlohmann::json j = nlohmann::json::array();
    for (const auto& id : ids) {
        const properties::RuleCoverage* c = nullptr;
        for (const auto& k : coverage)
            if (k.rule->id == id) c = &k;
        if (!c) throw UsageError("no rule '" + id + "' in spec/RULES.md (IDs look like CORE-7, DB-20, BIDI-3)");
        if (json) {
            j.push_back({{"id", id}, {"kind", c->rule->kind}, {"must", c->rule->must}, {"quote", c->rule->quote},
                         {"text", c->rule->text}, {"covered_by", {{"properties", c->properties}, {"tests", c->tests}}}});
            continue;
        }
        out << c->rule->text << "\n";
        out << "  covered by: ";
        if (!c->covered()) out << "nothing yet";
        for (std::size_t i = 0; i < c->properties.size(); ++i) out << (i ? ", " : "") << c->properties[i];
        if (!c->properties.empty() && !c->tests.empty()) out << "; ";
        for (std::size_t i = 0; i < c->tests.size(); ++i) out << (i ? ", " : "") << c->tests[i];
        out << "\n";
    }
    if (json) out << json_text(j);
    return 0;
}
}  // namespace

Command rules_command() {
    return {"rules", "list each MUST rule of the specs with the properties and tests that cover it, or print rules",
            "[--all] [--json]\nID... [--json]",
            "Every rule of spec/RULES.md whose quote holds MUST, MUST NOT, SHALL or REQUIRED,\n"
            "with the properties that cite it and the tests whose names cite it (CORE_7 cites\n"
            "CORE-7). Exit 1 when some MUST rule is uncovered.\n"
            "With IDs (CORE-7 DB-20 ...): each rule's entry of the catalogue, its normative\n"
            "sentence, section and check, and what covers it; exit 2 for an unknown ID.",
            {{"all", "", "list the SHOULD and MAY rules too"},
             {"json", "", "a list of {id, kind, must, covered_by: {properties, tests}} (with IDs: and text)"}},
            "",
            [](const Args& a, std::ostream& out) {
                std::vector<std::pair<std::string, std::vector<std::string>>> cited;
                for (const auto& p : properties::CheckedModel(model::Scenario{}).properties()) cited.emplace_back(p.name, p.rules);
                const auto coverage = properties::rule_coverage(cited, properties::project_test_names());
                if (!a.positional().empty()) return print_rules(a.positional(), coverage, a.flag("json"), out);
                int uncovered = 0;
                nlohmann::json j = nlohmann::json::array();
                for (const auto& c : coverage) {
                    if (!c.rule->must && !a.flag("all")) continue;
                    if (c.rule->must && !c.covered()) ++uncovered;
                    if (a.flag("json")) {
                        j.push_back({{"id", c.rule->id}, {"kind", c.rule->kind}, {"must", c.rule->must},
                                     {"covered_by", {{"properties", c.properties}, {"tests", c.tests}}}});
                        continue;
                    }
                    out << std::left << std::setw(9) << c.rule->id << (c.rule->must ? "MUST  " : "      ");
                    if (!c.covered()) out << "UNCOVERED";
                    for (std::size_t i = 0; i < c.properties.size(); ++i) out << (i ? ", " : "") << c.properties[i];
                    if (!c.properties.empty() && !c.tests.empty()) out << "; ";
                    if (!c.tests.empty()) out << c.tests.size() << (c.tests.size() == 1 ? " test: " : " tests: ") << c.tests.front();
                    out << "\n";
                }
                if (a.flag("json")) out << json_text(j);
                else out << uncovered << " MUST rule(s) uncovered\n";
                return uncovered == 0 ? 0 : 1;
            }};
}

}  // namespace bidilab::cli
