// cli/report_output.hpp — a run's report as text for people and as JSON for
// tools. JSON keys are stable: verdict, complete, stopped_by, states,
// transitions, depth, seconds, threads, ranks, reductions, partial_order, outcomes,
// properties[{name, rules, kind, status, trace}], checkpoint and resumed
// when a checkpoint was written or resumed (and what a model's view
// adds: the protocol model's stanza_fates); a trace is {initial, loop_start,
// steps[{step, action, description}]} (the protocol model's: transcript steps).
#pragma once

#include <fstream>
#include <functional>
#include <iomanip>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/args.hpp"
#include "sim/printable.hpp"
#include "sim/report.hpp"
#include "sim/trace.hpp"

namespace bidilab::cli {

// How traces are shown: by default one line per step from the model's
// describe(); a model with richer views (XML transcripts) supplies its own.
template <class M>
struct TraceView {
    // The trace of `property` (its status and kind say what the trace shows).
    std::function<void(const M&, const sim::Trace&, const sim::PropertyResult& property, std::ostream&)> text;
    std::function<nlohmann::json(const M&, const sim::Trace&, const sim::PropertyResult& property)> json;
    // The sentence of a rule ID, quoted under a violation ("" or none: nothing).
    std::function<std::string(const std::string& rule)> rule_sentence;
    // What the final states add up to (e.g. each stanza's fates over them):
    // lines after the outcomes, and keys added to the JSON report.
    std::function<std::vector<std::string>(const M&, const sim::Report&)> outcome_lines;
    std::function<void(const M&, const sim::Report&, nlohmann::json&)> outcome_json;
    // Why a `sometimes` went unwitnessed, when the model can tell ("": no hint).
    std::function<std::string(const M&, const std::string& property)> witness_hint;
};

// The final states by outcome: [{outcome, final_states}].
inline nlohmann::json outcomes_json(const sim::Report& r) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& [outcome, n] : r.outcomes) out.push_back({{"outcome", outcome}, {"final_states", n}});
    return out;
}

template <class M>
nlohmann::json trace_json(const M& model, const sim::Trace& trace) {
    nlohmann::json steps = nlohmann::json::array();
    auto replayed = sim::replay(model, trace);
    for (std::size_t i = 0; i < replayed.steps.size(); ++i)
        steps.push_back({{"step", i + 1}, {"action", trace.actions[i]}, {"description", model.describe(replayed.steps[i].action)}});
    nlohmann::json j = {{"initial", trace.initial}, {"steps", steps}};
    j["loop_start"] = trace.loop_start ? nlohmann::json(*trace.loop_start) : nlohmann::json(nullptr);
    return j;
}

template <class M>
nlohmann::json report_json(const M& model, const sim::Report& r, const std::string& command, const TraceView<M>& view = {}) {
    nlohmann::json props = nlohmann::json::array();
    for (const auto& p : r.properties) {
        nlohmann::json j = {{"name", p.name}, {"rules", p.rules}, {"kind", sim::to_string(p.kind)},
                            {"status", sim::to_string(p.status)}};
        j["trace"] = !p.trace ? nlohmann::json(nullptr) : view.json ? view.json(model, *p.trace, p) : trace_json(model, *p.trace);
        if (p.status == sim::Status::NotWitnessed && view.witness_hint) {
            const std::string hint = view.witness_hint(model, p.name);
            if (!hint.empty()) j["hint"] = hint;
        }
        props.push_back(j);
    }
    nlohmann::json report = {{"command", command},
            {"verdict", sim::to_string(r.verdict())},
            {"complete", r.complete},
            {"stopped_by", r.stopped_by.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.stopped_by)},
            {"states", r.states},
            {"transitions", r.transitions},
            {"depth", r.depth},
            {"seconds", r.seconds},
            {"threads", r.threads},
            {"ranks", r.ranks},
            {"bytes_per_state", r.bytes_per_state()},
            {"peak_memory_bytes", r.peak_rss},
            {"memory", {{"visited_set", r.memory.visited}, {"parent_log", r.memory.parents},
                        {"edges", r.memory.edges}, {"eventually", r.memory.eventually},
                        {"frontier_peak", r.memory.frontier_peak}, {"total", r.memory.total()},
                        {"edges_dropped", r.memory.edges_dropped}}},
            {"reductions", r.reductions},
            {"partial_order", {{"transitions_postponed", r.transitions_postponed},
                               {"expanded_in_full", r.expanded_in_full}}},
            {"outcomes", outcomes_json(r)},
            {"eventually_searches", r.eventually_searches},
            {"properties", props}};
    auto note = [](const sim::CheckpointNote& c) {
        return nlohmann::json{{"file", c.file}, {"states", c.states}, {"bytes", c.bytes}};
    };
    if (r.checkpoint) report["checkpoint"] = note(*r.checkpoint);  // the last one written
    if (r.resumed) report["resumed"] = note(*r.resumed);
    if (view.outcome_json) view.outcome_json(model, r, report);
    return report;
}

template <class M>
void print_trace(const M& model, const sim::Trace& trace, std::ostream& out) {
    auto replayed = sim::replay(model, trace);
    out << "    initial state #" << trace.initial << "\n";
    for (std::size_t i = 0; i < replayed.steps.size(); ++i) {
        out << "    " << (i + 1) << ". " << model.describe(replayed.steps[i].action);
        if (trace.loop_start && i + 1 == replayed.steps.size()) out << "   (back to the state after step " << *trace.loop_start << ": a loop)";
        out << "\n";
    }
}

// Which traces the text report prints (the JSON report has them all).
enum class Traces { None, Violations, All };

// Why an incomplete run stopped, in words: "stopped by max-states", "interrupted".
inline std::string stop_reason(const sim::Report& r) {
    return r.stopped_by == "interrupted" ? r.stopped_by : "stopped by " + r.stopped_by;
}

template <class M>
void print_report(const M& model, const sim::Report& r, std::ostream& out, const TraceView<M>& view = {},
                  Traces traces = Traces::Violations) {
    std::size_t hidden = 0;  // witness traces left out
    out << "verdict: " << sim::to_string(r.verdict()) << (r.complete ? "" : " (" + stop_reason(r) + ")") << "\n"
        << "states: " << r.states << "  transitions: " << r.transitions << "  depth: " << r.depth
        << "  seconds: " << r.seconds << (r.threads > 1 ? "  threads: " + std::to_string(r.threads) : "")
        << (r.ranks > 1 ? "  ranks: " + std::to_string(r.ranks) : "") << "\n";
    if (!r.reductions.empty()) {
        out << "reductions:";
        for (std::size_t i = 0; i < r.reductions.size(); ++i) out << (i ? "; " : " ") << r.reductions[i];
        out << "\n";
    }
    if (r.resumed) out << "resumed: from " << sim::printable_line(r.resumed->file) << " (" << r.resumed->states << " states)\n";
    if (r.checkpoint) {
        const std::string file = sim::printable_line(r.checkpoint->file);
        out << "checkpoint: " << r.checkpoint->states << " states saved in " << file;
        if (!r.complete) out << "; continue with --resume " << file;
        out << "\n";
    }
    for (const auto& p : r.properties) {
        out << "  " << sim::to_string(p.status) << "  " << p.name << " [" << sim::to_string(p.kind) << "]";
        for (std::size_t i = 0; i < p.rules.size(); ++i) out << (i ? ", " : "  ") << p.rules[i];
        out << "\n";
        // A violation quotes the first rule it breaks (`bidilab rules ID` has the rest).
        if (p.status == sim::Status::Violated && !p.rules.empty() && view.rule_sentence) {
            const std::string sentence = view.rule_sentence(p.rules.front());
            if (!sentence.empty()) out << "    " << sentence << "\n";
        }
        if (p.status == sim::Status::NotWitnessed && view.witness_hint) {
            const std::string hint = view.witness_hint(model, p.name);
            if (!hint.empty()) out << "    hint: " << hint << "\n";
        }
        if (!p.trace) continue;
        const bool shown = traces == Traces::All || (traces == Traces::Violations && p.status == sim::Status::Violated);
        if (!shown) {
            ++hidden;
            continue;
        }
        if (view.text) view.text(model, *p.trace, p, out);
        else print_trace(model, *p.trace, out);
    }
    if (hidden)
        out << "  (" << hidden << (hidden == 1 ? " trace" : " traces") << " not shown: --traces all prints "
            << (hidden == 1 ? "it" : "them") << ", --json has every one)\n";
    // What became of the stanzas: the final states by outcome (after the
    // reductions: states, not orderings).
    if (!r.outcomes.empty()) {
        std::uint64_t total = 0;
        for (const auto& o : r.outcomes) total += o.second;
        out << "outcomes (" << total << " final state" << (total == 1 ? "" : "s") << "):\n";
        for (const auto& [outcome, n] : r.outcomes) out << "  " << n << " × " << outcome << "\n";
        if (view.outcome_lines)
            for (const auto& line : view.outcome_lines(model, r)) out << line << "\n";
    }
    // The last line answers at a glance: verdict, size, time, what broke.
    std::string violated;
    std::size_t count = 0;
    for (const auto& p : r.properties)
        if (p.status == sim::Status::Violated) violated += (count++ ? ", " : " (") + p.name;
    std::ostringstream seconds;
    seconds << std::fixed << std::setprecision(3) << r.seconds;
    out << "summary: " << sim::to_string(r.verdict()) << ", " << r.states << " states in " << seconds.str() << " s, "
        << count << " violated" << (count ? violated + ")" : "") << (r.complete ? "" : ", " + stop_reason(r))
        << "\n";
}

// JSON text that is valid UTF-8 whatever the strings held (a capture's bytes
// echoed in a report): each invalid byte becomes U+FFFD.
inline std::string json_text(const nlohmann::json& j) {
    return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

// Writes the JSON report to a file, or to `out` for "-". A file that cannot
// be written, or a write that fails (a full disk), is a usage error (exit 2).
inline void write_json(const nlohmann::json& j, const std::string& path, std::ostream& out) {
    if (path == "-") {
        out << json_text(j) << std::flush;
        if (!out) throw UsageError("--json: cannot write to standard output");
        return;
    }
    std::ofstream f(path);
    if (!f) throw UsageError("--json: cannot write '" + path + "'");
    f << json_text(j);
    f.close();
    if (!f) throw UsageError("--json: cannot write '" + path + "' (disk full?)");
}

}  // namespace bidilab::cli
