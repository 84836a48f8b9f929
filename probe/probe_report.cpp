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
        if (s.order_steps)
            j["order"] = {{"steps", *s.order_steps}, {"taken", s.order_taken}, {"skipped", s.order_skipped}};
        j["rows_taken"] = s.rows.taken_total();
        scenarios.push_back(j);
    }
    // The played servers' machine rows the live server's answers made them take.
    nlohmann::json machines = nlohmann::json::array();
    for (model::StreamMachine m : model::kStreamMachines)
        machines.push_back({{"machine", model::RowCoverage::name(m)},
                            {"rows", r.rows.rows(m)},
                            {"taken", r.rows.taken_count(m)},
                            {"never_taken", r.rows.never_taken(m)}});
    return {{"verdict", r.verdict()},
            {"topology", r.topology},
            {"live_server", r.live},
            {"live_address", r.live_at},
            {"scenarios", scenarios},
            {"played_rows", machines},
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
        if (s.order_steps)
            out += ", order " + std::to_string(s.order_taken) + " of " + std::to_string(*s.order_steps) + " steps";
        if (s.line != 0 || !s.message.empty()) {
            std::string rules;
            for (const auto& x : s.rules) rules += (rules.empty() ? "" : ", ") + x;
            out += "\n      " + (s.line ? "line " + std::to_string(s.line) + " " : std::string()) +
                   (rules.empty() ? "" : "[" + rules + "] ") + validate::printable(s.message);
        }
        out += "\n";
    }
    out += "rows of the played servers' machines taken:";
    for (model::StreamMachine m : model::kStreamMachines)
        out += std::string(m == model::StreamMachine::Initiating ? " " : ", ") + model::RowCoverage::name(m) + " " +
               std::to_string(r.rows.taken_count(m)) + " of " + std::to_string(r.rows.rows(m));
    return out + "\n" + probe_summary_line(r) + "\n";
}

}  // namespace bidilab::probe
