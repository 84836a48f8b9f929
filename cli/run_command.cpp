// cli/run_command.cpp — `bidilab run`: play ONE ordering of a topology (its
// own schedule, a schedule file, or a seeded random walk) and show it the way
// the XEPs print their examples, then what became of each stanza and which
// properties the run broke.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <utility>
#include <vector>

#include "cli/commands.hpp"
#include "cli/driver.hpp"
#include "properties/catalogue.hpp"
#include "properties/rules.hpp"
#include "sim/schedule.hpp"
#include "sim/simulator.hpp"
#include "sim/trace.hpp"
#include "topologies/topology_error.hpp"
#include "viz/output.hpp"
#include "viz/sequence_chart.hpp"
#include "viz/transcript.hpp"

namespace bidilab::cli {
namespace {

using M = properties::CheckedModel;

constexpr std::uint64_t kDefaultMaxSteps = 1000;

// Where the ordering came from, for the summary and the JSON.
struct Ordering {
    sim::Trace trace;
    std::string source;              // "schedule", "schedule-file", "seed"
    std::string what;                // one phrase for the summary
    std::optional<std::uint64_t> seed;
    std::optional<std::string> file; // the schedule file
    bool truncated = false;          // --max-steps cut the schedule short
};

// One schedule entry and where it stands in its source.
struct Entry {
    std::string text;
    std::size_t line = 0;  // 1-based line of a schedule file; 0 for the topology's schedule
};

std::string trim(const std::string& s) {
    const auto first = s.find_first_not_of(" \t\r");
    if (first == std::string::npos) return "";
    const auto last = s.find_last_not_of(" \t\r");
    return s.substr(first, last - first + 1);
}

// One entry a line; '#' starts a comment (action descriptions never hold one);
// blank lines are skipped.
// A regular file of at most 1 MiB (a directory, a FIFO or a device is bad
// input, as is a schedule without one entry).
constexpr std::uintmax_t kMaxScheduleBytes = std::uintmax_t{1} << 20;

std::vector<Entry> read_schedule_file(const std::string& file) {
    std::error_code ec;
    const auto status = std::filesystem::status(file, ec);
    if (ec || !std::filesystem::exists(status)) throw InputError(file + ":0: cannot open the schedule file");
    if (!std::filesystem::is_regular_file(status)) throw InputError(file + ":0: not a regular file");
    if (std::filesystem::file_size(file, ec) > kMaxScheduleBytes)
        throw InputError(file + ":0: larger than 1 MiB, the limit of a schedule file");
    std::ifstream in(file, std::ios::binary);
    if (!in) throw InputError(file + ":0: cannot open the schedule file");
    std::vector<Entry> out;
    std::string line;
    for (std::size_t n = 1; std::getline(in, line); ++n) {
        if (const auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
        line = trim(line);
        if (!line.empty()) out.push_back(Entry{line, n});
    }
    if (out.empty()) throw InputError(file + ":0: no schedule entry (one action description a line)");
    return out;
}

// The trace of a schedule; an entry that names no enabled action is bad
// input, reported at its line (a file) or its JSON pointer (the topology).
sim::Trace trace_of(const M& m, const std::vector<Entry>& entries, const std::string& file, bool from_file) {
    std::vector<std::string> texts;
    for (const auto& e : entries) texts.push_back(e.text);
    try {
        return sim::schedule_trace(m, texts);
    } catch (const sim::ScheduleError& e) {
        const std::string reason = sim::ScheduleError::reason(e.entry(), e.enabled());
        if (from_file) throw InputError(file + ":" + std::to_string(entries[e.index()].line) + ": " + reason);
        throw InputError(topologies::TopologyError::format(file, topologies::pointer_child("/schedule", e.index()), reason));
    }
}

Ordering choose_ordering(const M& m, const topologies::Topology& t, const std::string& file, const Args& a,
                         std::uint64_t max_steps) {
    if (a.value("seed") && a.value("schedule")) throw UsageError("--seed and --schedule exclude each other");
    Ordering o;
    std::vector<Entry> entries;
    std::string entries_file;
    bool from_file = false;
    if (a.value("schedule")) {
        entries_file = *a.value("schedule");
        entries = read_schedule_file(entries_file);
        from_file = true;
        o.source = "schedule-file";
        o.file = entries_file;
        o.what = "the schedule in " + entries_file;
    } else if (!a.value("seed") && !t.schedule.empty()) {
        entries_file = file;
        for (const auto& s : t.schedule) entries.push_back(Entry{s, 0});
        o.source = "schedule";
        o.what = "the topology's schedule";
    } else {
        // sim::Simulator's walk: the same choices `simulate --seed N` makes in its first run.
        sim::SimulateOptions so;
        so.seed = a.count("seed", 0);
        so.runs = 1;
        so.depth = static_cast<std::uint32_t>(std::min<std::uint64_t>(max_steps, 0xFFFFFFFFu));
        o.trace = sim::Simulator<M>(m, so).walk(0);
        o.source = "seed";
        o.seed = so.seed;
        o.what = "a random walk, seed " + std::to_string(so.seed);
        return o;
    }
    if (entries.size() > max_steps) {
        entries.resize(max_steps);
        o.truncated = true;
    }
    o.trace = trace_of(m, entries, entries_file, from_file);
    return o;
}

struct Violation {
    std::string name;
    sim::Kind kind;
    std::vector<std::string> rules;
    std::size_t step;  // the first step whose state (or transition) breaks it; 0: the initial state
};

// The always properties on every state of the run, the step properties on
// every transition; each violated property once, at its first step.
std::vector<Violation> violations_of(const M& m, const sim::Replay<M>& r) {
    const auto props = m.properties();
    std::vector<std::optional<std::size_t>> first(props.size());
    auto check_state = [&](const model::World& w, std::size_t step) {
        for (std::size_t p = 0; p < props.size(); ++p)
            if (!first[p] && props[p].kind == sim::Kind::Always && !props[p].holds(m, w)) first[p] = step;
    };
    check_state(r.initial, 0);
    const model::World* before = &r.initial;
    for (std::size_t i = 0; i < r.steps.size(); ++i) {
        const auto& s = r.steps[i];
        for (std::size_t p = 0; p < props.size(); ++p)
            if (!first[p] && props[p].kind == sim::Kind::Step && !props[p].step_holds(m, *before, s.action, s.state))
                first[p] = i + 1;
        check_state(s.state, i + 1);
        before = &s.state;
    }
    std::vector<Violation> out;
    for (std::size_t p = 0; p < props.size(); ++p)
        if (first[p]) out.push_back(Violation{props[p].name, props[p].kind, props[p].rules, *first[p]});
    return out;
}

// How the run ended: "final", "deadlock" (a violation too), or "stopped".
std::string end_of(const M& m, const model::World& last, std::size_t* enabled_count) {
    std::vector<model::Action> acts;
    m.actions(last, acts);
    std::size_t enabled = 0;
    for (const auto& a : acts)
        if (m.next_state(last, a)) ++enabled;
    *enabled_count = enabled;
    if (enabled > 0) return "stopped";
    return m.is_final(last) ? "final" : "deadlock";
}

std::string end_text(const std::string& end, const Ordering& o, std::size_t steps, std::size_t enabled,
                     std::uint64_t max_steps, bool lost) {
    const std::string still = std::to_string(enabled) + (enabled == 1 ? " action is" : " actions are") +
                              " still enabled: not a final state";
    if (end == "final" && lost)  // only after a reset (faults.resets)
        return "a final state: every stanza delivered, bounced or lost in a connection reset, nothing in flight";
    if (end == "final") return "a final state: every stanza delivered or bounced, nothing in flight";
    if (end == "deadlock") return "a deadlock: nothing is enabled, but the run is not over";
    if (o.source != "seed" && !o.truncated) return "the schedule ends here; " + still;
    if (steps >= max_steps) return "stopped at --max-steps " + std::to_string(max_steps) + "; " + still;
    return "the walk came back to a state it had seen; " + still;
}

std::string arrow_pair(const model::ScenarioStanza& s) { return s.from_jid + " → " + s.to_jid; }

// What became of stanza k, in one line.
std::string fate_text(const model::StanzaRecord& rec) {
    const std::string n = std::to_string(rec.via);
    const std::string over = rec.reverse ? "R" + n + " → I" + n + ", bidi" : "I" + n + " → R" + n;
    switch (rec.fate) {
        case model::Fate::Unsubmitted: return "not submitted";
        case model::Fate::Queued:
            return rec.via ? "queued, waiting for connection " + n : "queued";
        case model::Fate::InFlight: return "in flight on connection " + n + " (" + over + ")";
        case model::Fate::Delivered: return "delivered over connection " + n + " (" + over + ")";
        case model::Fate::Bounced:
            return std::string("bounced with ") + model::condition_name(rec.bounce);
        case model::Fate::Lost: return "lost in a reset of connection " + n;
    }
    return "?";
}

nlohmann::json stanzas_json(const M& m, const model::World& w) {
    nlohmann::json out = nlohmann::json::array();
    const auto& st = m.scenario().stanzas;
    for (std::size_t k = 0; k < st.size(); ++k) {
        const auto& rec = w.stanzas[k];
        out.push_back({{"stanza", k},
                       {"from", st[k].from_jid},
                       {"to", st[k].to_jid},
                       {"fate", model::fate_name(rec.fate)},
                       {"connection", rec.via},
                       {"bidi", rec.reverse != 0},
                       {"bounce", rec.fate == model::Fate::Bounced ? nlohmann::json(model::condition_name(rec.bounce))
                                                                   : nlohmann::json(nullptr)},
                       {"summary", fate_text(rec)}});
    }
    return out;
}

int run(const Args& a, std::ostream& out) {
    const std::string file = topology_arg(a);
    const topologies::Topology topology = load_topology_file(file);
    const M m = [&] {
        try {
            return M(model::make_scenario(topology));
        } catch (const std::invalid_argument& e) {  // beyond the model's bounds: bad input, as in check
            throw InputError(file + ": " + e.what());
        }
    }();
    const std::uint64_t max_steps = a.count("max-steps", kDefaultMaxSteps);
    stdout_taken(a, {"json", "svg"});  // at most one of them '-'

    const Ordering o = choose_ordering(m, topology, file, a, max_steps);
    const auto r = sim::replay(m, o.trace);
    std::vector<std::pair<model::Action, model::World>> pairs;
    for (const auto& s : r.steps) pairs.emplace_back(s.action, s.state);
    const auto steps = viz::transcript_steps(r.initial, pairs);
    const model::World& last = r.steps.empty() ? r.initial : r.steps.back().state;

    auto violations = violations_of(m, r);
    std::size_t enabled = 0;
    const std::string end = end_of(m, last, &enabled);
    if (end == "deadlock")
        violations.push_back(Violation{"no-deadlock", sim::Kind::Deadlock, m.deadlock_rules(), r.steps.size()});
    const bool pass = violations.empty();

    if (auto svg = a.value("svg")) {  // the run as a message sequence chart
        viz::ChartOptions chart;
        chart.title = topology.name + ": " + o.what;
        chart.rule_text = properties::rule_sentence;
        if (!pass) chart.ending = viz::ChartOptions::Ending::Violation;
        try {
            viz::write_sequence_chart(m, steps, *svg, chart);
        } catch (const viz::OutputError& e) {
            throw UsageError(std::string("--svg: ") + e.what());
        }
    }

    if (auto json_path = a.value("json")) {
        nlohmann::json ordering = {{"source", o.source}, {"steps", r.steps.size()}};
        if (o.seed) ordering["seed"] = *o.seed;
        if (o.file) ordering["file"] = *o.file;
        nlohmann::json vs = nlohmann::json::array();
        for (const auto& v : violations)
            vs.push_back({{"name", v.name}, {"kind", sim::to_string(v.kind)}, {"rules", v.rules}, {"step", v.step}});
        const nlohmann::json j = {{"topology", topology.name},
                                  {"ordering", ordering},
                                  {"verdict", pass ? "pass" : "fail"},
                                  {"end", end},
                                  {"steps", viz::transcript_json(m, steps)},
                                  {"stanzas", stanzas_json(m, last)},
                                  {"violations", vs}};
        write_json(j, *json_path, out);
    }
    if (stdout_taken(a, {"json", "svg"})) return pass ? 0 : 1;  // standard output is the JSON's or the chart's

    out << viz::transcript_text(m, steps) << "\n";
    out << "run: " << topology.name << ", " << o.what << ", " << r.steps.size()
        << (r.steps.size() == 1 ? " step" : " steps") << "\n";
    const bool lost = std::any_of(last.stanzas.begin(), last.stanzas.end(),
                                  [](const model::StanzaRecord& rec) { return rec.fate == model::Fate::Lost; });
    out << "end: " << end_text(end, o, r.steps.size(), enabled, max_steps, lost) << "\n";
    const auto& st = m.scenario().stanzas;
    for (std::size_t k = 0; k < st.size(); ++k)
        out << "stanza #" << k << " " << arrow_pair(st[k]) << ": " << fate_text(last.stanzas[k]) << "\n";
    if (pass) out << "properties: every always and step property holds on every state of the run\n";
    for (const auto& v : violations) {
        out << "violated: " << v.name << " [" << sim::to_string(v.kind) << "]";
        for (std::size_t i = 0; i < v.rules.size(); ++i) out << (i ? ", " : "  ") << v.rules[i];
        out << (v.step == 0 ? "  in the initial state" : "  at step " + std::to_string(v.step)) << "\n";
    }
    return pass ? 0 : 1;
}

}  // namespace

Command run_command() {
    return {"run", "play one ordering of a topology and print it as an XEP-style transcript",
            "[TOPOLOGY] [--seed N | --schedule FILE] [--json FILE] [--svg FILE] [--max-steps N]",
            "Plays ONE ordering of the model and prints it as the XEPs print their examples:\n"
            "each element as XML, marked with its connection and direction (I1 → R1: from the\n"
            "initiating end of connection 1 to its receiving end), each step captioned. Then\n"
            "one line per stanza saying what became of it, and the properties the run broke\n"
            "(the always properties on every state of the run, the step properties on every\n"
            "step, and a deadlock if the run ends in one).\n\n"
            "The ordering is the topology's own \"schedule\" if it has one, else seed 0.\n"
            "A schedule lists action descriptions, one per step, each exactly as the model\n"
            "names an action enabled at that point, e.g. \"capulet submits its next stanza\",\n"
            "\"R1 reads the next element\", \"connection 1: TLS handshake completes\". An entry\n"
            "that matches no enabled action is bad input (exit 2): the message names the file,\n"
            "the line or JSON pointer, and lists the enabled actions. When the schedule ends\n"
            "the run stops, final state or not.\n\n"
            "TOPOLOGY defaults to topologies/capulet-montague.json.",
            {{"seed", "N", "a random walk instead: the choices `simulate --seed N` makes in\n"
                           "its first walk (the same on every run and machine)"},
             {"schedule", "FILE", "the schedule in FILE instead: one entry per line, '#' starts a\n"
                                  "comment, blank lines are skipped"},
             {"max-steps", "N", "stop after N steps (default 1000)"},
             {"json", "FILE", "write {topology, ordering, verdict, end, steps, stanzas,\n"
                              "violations} to FILE ('-': standard output, instead of the text)"},
             {"svg", "FILE", "draw the run as a message sequence chart (one lifeline per\n"
                             "server and connection end, an arrow per element; '-':\n"
                             "standard output, instead of the text)"}},
            "exit: 0 no property violated, 1 a property violated, 2 bad input or usage",
            [](const Args& a, std::ostream& out) { return run(a, out); }};
}

}  // namespace bidilab::cli
