#include "cli/options.hpp"

#include <sstream>

namespace bidilab::cli {

namespace {
constexpr std::size_t kColumn = 22;  // where the help starts: two spaces, then 20
}

std::vector<std::string> Option::choices() const {
    std::vector<std::string> out;
    if (value.find('|') == std::string::npos) return out;
    std::istringstream in(value);
    for (std::string c; std::getline(in, c, '|');) out.push_back(c);
    return out;
}

Options operator+(Options a, const Options& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

std::string options_text(const Options& options) {
    std::ostringstream out;
    for (const auto& o : options) {
        if (!o.heading.empty()) out << "\n" << o.heading << ":\n";
        std::string left = "  --" + o.name + (o.takes_value() ? " " + o.value : "");
        std::istringstream lines(o.help);
        std::string line;
        bool first = true;
        if (left.size() + 1 > kColumn) {
            out << left << "\n";
            left.clear();
        }
        while (std::getline(lines, line)) {
            const std::string& lead = first ? left : std::string();
            out << lead << std::string(kColumn - lead.size(), ' ') << line << "\n";
            first = false;
        }
        if (first) out << left << "\n";
    }
    return out.str();
}

}  // namespace bidilab::cli
