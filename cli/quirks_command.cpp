// cli/quirks_command.cpp — `bidilab quirks`: the mutants a topology can switch on.
#include <iomanip>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/report_output.hpp"
#include "properties/quirks.hpp"

namespace bidilab::cli {

Command quirks_command() {
    return {"quirks", "list the quirks (named deviations) a server can be given, with the rules they break", "[--json]",
            "Each quirk breaks one rule on purpose, as a real implementation did; put its name in a\n"
            "server's \"quirks\" list in a topology, and `bidilab check` must report the property\n"
            "named here as violated.",
            {{"json", "", "a list of {name, rules, property, description}"}},
            "",
            [](const Args& a, std::ostream& out) {
                if (!a.positional().empty()) throw UsageError("takes no arguments");
                if (a.flag("json")) {
                    nlohmann::json j = nlohmann::json::array();
                    for (const auto& q : properties::quirks())
                        j.push_back({{"name", q.name}, {"rules", q.rules}, {"property", q.property}, {"description", q.description}});
                    out << json_text(j);
                    return 0;
                }
                for (const auto& q : properties::quirks()) {
                    out << std::left << std::setw(34) << q.name;
                    for (std::size_t i = 0; i < q.rules.size(); ++i) out << (i ? ", " : "") << q.rules[i];
                    out << "\n    caught by " << q.property << ": " << q.description << "\n";
                }
                return 0;
            }};
}

}  // namespace bidilab::cli
