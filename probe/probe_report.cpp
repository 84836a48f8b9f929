// The probe's reports: JSON for machines, a table for people, and the one
// summary line the lab prints last.
#include <cstdio>

#include "probe/probe.hpp"
#include "validate/validator.hpp"

namespace bidilab::probe {

namespace {

// Of the rows the model's orderings take with the live server: how many the
// scenarios took, and which they did not (the others they took came from
// attacks, which the model's orderings do not play).
struct Rows {
    std::size_t reachable_taken = 0;
    std::vector<std::size_t> reachable_not_taken;
};
Rows rows_of(const ProbeResult& r, model::StreamMachine m) {
    Rows x;
    for (std::size_t row = 0; row < r.reachable.rows(m); ++row) {
        if (!r.reachable.taken(m, row)) continue;
        if (r.rows.taken(m, row)) ++x.reachable_taken;
        else x.reachable_not_taken.push_back(row);
    }
    return x;
}

}  // namespace

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
        // Judged as it came (probe/judge.hpp): how often, and where it stopped.
        j["judged_online"] = s.judged_online;
        if (s.stopped_at != 0) j["stopped_at"] = s.stopped_at;
        scenarios.push_back(j);
    }
    // The played servers' machine rows taken on connections with the live
    // server, against those the model's orderings take there.
    nlohmann::json machines = nlohmann::json::array();
    for (model::StreamMachine m : model::kStreamMachines) {
        const Rows x = rows_of(r, m);
        machines.push_back({{"machine", model::RowCoverage::name(m)},
                            {"rows", r.rows.rows(m)},
                            {"taken", r.rows.taken_count(m)},
                            {"never_taken", r.rows.never_taken(m)},
                            {"reachable", r.reachable.taken_count(m)},
                            {"reachable_taken", x.reachable_taken},
                            {"reachable_not_taken", x.reachable_not_taken}});
    }
    return {{"verdict", r.verdict()},
            {"topology", r.topology},
            {"live_server", r.live},
            {"live_address", r.live_at},
            {"scenarios", scenarios},
            {"played_rows", machines},
            {"played_rows_complete", r.reachable_complete},
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
        if (s.stopped_at != 0) out += ", stopped at line " + std::to_string(s.stopped_at);
        if (s.line != 0 || !s.message.empty()) {
            std::string rules;
            for (const auto& x : s.rules) rules += (rules.empty() ? "" : ", ") + x;
            out += "\n      " + (s.line ? "line " + std::to_string(s.line) + " " : std::string()) +
                   (rules.empty() ? "" : "[" + rules + "] ") + validate::printable(s.message);
        }
        out += "\n";
    }
    // "InitiatingStream 12 of 20 (and 3 more) of 43": of the rows the model's
    // orderings take with the live server, those taken; others taken (by
    // attacks); the table's rows.
    out += "rows of the played servers' machines taken with the live server, of those the model's orderings take";
    out += r.reachable_complete ? ":" : " (at least):";
    for (model::StreamMachine m : model::kStreamMachines) {
        const Rows x = rows_of(r, m);
        const std::size_t more = r.rows.taken_count(m) - x.reachable_taken;
        out += std::string(m == model::StreamMachine::Initiating ? " " : ", ") + model::RowCoverage::name(m) + " " +
               std::to_string(x.reachable_taken) + " of " + std::to_string(r.reachable.taken_count(m)) +
               (more ? " (and " + std::to_string(more) + " more)" : "") + " of " + std::to_string(r.rows.rows(m));
    }
    return out + "\n" + probe_summary_line(r) + "\n";
}

}  // namespace bidilab::probe
