#include "validate/finding.hpp"

#include <algorithm>

namespace bidilab::validate {

std::string Finding::describe() const {
    std::string s = "line " + std::to_string(line);
    if (!rules.empty()) {
        s += " [";
        for (std::size_t i = 0; i < rules.size(); ++i) s += (i ? ", " : "") + rules[i];
        s += "]";
    }
    return s + ": " + message;
}

void add_rules(std::vector<std::string>& into, const std::string& rules) {
    std::size_t pos = 0;
    while (pos < rules.size()) {
        std::size_t end = rules.find(',', pos);
        if (end == std::string::npos) end = rules.size();
        std::string id = rules.substr(pos, end - pos);
        id.erase(0, id.find_first_not_of(' '));
        id.erase(id.find_last_not_of(' ') + 1);
        if (!id.empty() && std::find(into.begin(), into.end(), id) == into.end()) into.push_back(id);
        pos = end + 1;
    }
}

Finding make_finding(std::size_t line, const std::string& subject, const std::optional<Problem>& writer,
                     const std::optional<Problem>& reader) {
    Finding f;
    f.line = line;
    f.message = subject + ": ";
    if (writer) {
        add_rules(f.rules, writer->rules);
        f.message += writer->message;
    }
    if (reader) {
        add_rules(f.rules, reader->rules);
        f.message += (writer ? "; " : "") + reader->message;
    }
    return f;
}

}  // namespace bidilab::validate
