// The probe's reports: JSON for machines, a table for people, and the one
// summary line the lab prints last.
#include <cstdio>

#include "probe/probe.hpp"
#include "validate/validator.hpp"

namespace bidilab::probe {

nlohmann::json probe_json(const ProbeResult& r) {
    nlohmann::json scenarios = nlohmann::json::array();
    for (const auto& s : r.scenarios) {
        nlohmann::json j = {{"name", s.name},
                            {"description", s.description},
                            {"verdict", s.verdict},
                            {"rules", s.rules},
                            {"elements_read", s.elements_read},
                            {"elements_written", s.elements_written}};
        // Messages quote what the live server wrote: valid UTF-8 whatever it sent.
        if (s.line != 0) j["line"] = s.line;
        if (!s.message.empty()) j["message"] = validate::printable(s.message);
        scenarios.push_back(j);
    }
    return {{"verdict", r.verdict()},
            {"topology", r.topology},
            {"live_server", r.live},
            {"live_address", r.live_at},
            {"scenarios", scenarios},
            {"counts",
             {{"scenarios", r.scenarios.size()},
              {"conform", r.count("conforms")},
              {"deviate", r.count("deviates")},
              {"inconclusive", r.count("inconclusive")}}}};
}

std::string probe_summary_line(const ProbeResult& r) {
    return "probe: " + std::to_string(r.scenarios.size()) + " scenarios, " + std::to_string(r.count("conforms")) +
           " conform, " + std::to_string(r.count("deviates")) + " deviate, " + std::to_string(r.count("inconclusive")) +
           " inconclusive";
}

std::string probe_text(const ProbeResult& r, bool explain) {
    std::string out = "probe of " + r.live + " at " + r.live_at + " (topology " + r.topology + "): " + r.verdict() + "\n";
    for (const auto& s : r.scenarios) {
        if (explain) out += "\n== scenario " + s.name + ": " + s.description + "\n" + validate::printable(s.explain) + "\n";
        char head[160];
        std::snprintf(head, sizeof head, "  %-26s %-12s read %3zu, wrote %3zu", s.name.c_str(), s.verdict.c_str(),
                      s.elements_read, s.elements_written);
        out += head;
        if (s.line != 0 || !s.message.empty()) {
            std::string rules;
            for (const auto& x : s.rules) rules += (rules.empty() ? "" : ", ") + x;
            out += "\n      " + (s.line ? "line " + std::to_string(s.line) + " " : std::string()) +
                   (rules.empty() ? "" : "[" + rules + "] ") + validate::printable(s.message);
        }
        out += "\n";
    }
    return out + probe_summary_line(r) + "\n";
}

}  // namespace bidilab::probe
