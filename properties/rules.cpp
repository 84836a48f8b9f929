#include "properties/rules.hpp"

#include <regex>
#include <sstream>

namespace bidilab::properties {

namespace {
// spec/RULES.md as the build found it (properties/CMakeLists.txt).
const char* const kRulesMarkdown =
#include "rules_md.inc"
    ;

bool starts_entry(const std::string& line) { return line.rfind("- **", 0) == 0 && line.find("** (") != std::string::npos; }
}  // namespace

std::vector<RuleInfo> parse_rule_catalogue(const std::string& markdown) {
    static const std::regex head(R"(^- \*\*([A-Z]+-[0-9]+)\*\* \(([^)]*)\))");
    static const std::regex must(R"(\b(MUST|SHALL|REQUIRED)\b)");
    std::vector<RuleInfo> out;
    std::istringstream in(markdown);
    std::string line;
    RuleInfo* open = nullptr;  // the entry being read
    while (std::getline(in, line)) {
        std::smatch m;
        if (starts_entry(line) && std::regex_search(line, m, head)) {
            RuleInfo r;
            r.id = m[1];
            r.kind = m[2];
            r.text = line;
            for (std::size_t at = line.find("«"); at != std::string::npos; at = line.find("«", at + 1)) {
                const std::size_t end = line.find("»", at);
                if (end == std::string::npos) break;
                const std::string q = line.substr(at + std::string("«").size(), end - at - std::string("«").size());
                if (r.quote.empty()) r.quote = q;
                r.must = r.must || std::regex_search(q, must);
            }
            if (r.quote.empty()) r.quote = line.substr(m.length());  // no quote: what the entry says instead
            if (r.quote.rfind(": ", 0) == 0) r.quote.erase(0, 2);
            r.summary = r.quote.size() > 110 ? r.quote.substr(0, 107) + "..." : r.quote;
            out.push_back(std::move(r));
            open = &out.back();
        } else if (open && !line.empty() && line[0] != '#') {
            open->text += "\n" + line;
        } else if (!line.empty() && line[0] == '#') {
            open = nullptr;
        }
    }
    return out;
}

const std::vector<RuleInfo>& rule_catalogue() {
    static const std::vector<RuleInfo> rules = parse_rule_catalogue(kRulesMarkdown);
    return rules;
}

const RuleInfo* find_rule(const std::string& id) {
    for (const auto& r : rule_catalogue())
        if (r.id == id) return &r;
    return nullptr;
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

std::string rule_sentence(const std::string& id) {
    const RuleInfo* r = find_rule(id);
    if (!r) return "";
    const std::string first = r->text.substr(0, r->text.find('\n'));
    const std::size_t colon = first.find("): ");
    return id + ": " + (colon == std::string::npos ? first : first.substr(colon + 3));
}

}  // namespace bidilab::properties
