#include "validate/validator.hpp"

#include <optional>
#include <sstream>

#include "model/scenario.hpp"
#include "sim/printable.hpp"
#include "validate/replayer.hpp"

namespace bidilab::validate {

namespace {

// One replay of the whole capture with the given branches per server.
struct Replay {
    Result result;
    std::vector<model::ChoiceBits> asked;  // per server: the open choices it asked about
};

Replay replay_with(const topologies::Topology& topology, const model::Scenario& sc, const capture::WireLog& log,
                   const std::vector<model::ChoiceBits>& branches) {
    Replayer replay(sc, log, branches);
    for (const auto& event : log.events)
        if (!replay.step(event)) break;
    replay.finish();
    Replay out;
    Result& r = out.result;
    r.topology = topology.name;
    r.capture = log.source;
    r.findings = replay.findings();
    r.notes = log.warnings;
    r.notes.insert(r.notes.end(), replay.notes().begin(), replay.notes().end());
    r.connections = replay.connections();
    r.transcript = replay.transcript();
    out.asked = replay.asked();
    for (model::ServerIndex s = 0; s < sc.servers.size(); ++s)
        for (const auto& c : topologies::spec_choices())
            if (out.asked[s] & model::choice_bit(c.choice))
                r.branches.push_back(sc.server_names[s] + ": " +
                                     topologies::describe_branch(c.choice, branches[s] & model::choice_bit(c.choice)));
    return out;
}

// A choice left open, fixed to one branch for a subtree of the search.
struct Fixed {
    model::ServerIndex server;
    model::ChoiceBits bit;
    bool other;
};

}  // namespace

Result validate(const topologies::Topology& topology, const capture::WireLog& log) {
    // Choices the topology leaves unset are open: the capture is accepted if
    // some branch of each makes it so. A depth-first search over the branches
    // of the choices a replay asked about (only those can change what it
    // found): each replay that is rejected spawns, for each asked choice not
    // yet fixed, the replay with that one on its other branch and the ones
    // before it fixed as they were. Complete, and small in practice (a few
    // choices are asked per capture). The report is an accepting replay, or
    // the rejected one that got furthest into the capture.
    const model::Scenario sc = model::make_scenario(topology, model::UnsetChoices::Any);
    std::vector<std::vector<Fixed>> stack{{}};
    std::optional<Result> furthest;
    int replays = 0;
    while (!stack.empty() && replays < kMaxReplays) {
        const std::vector<Fixed> fixed = std::move(stack.back());
        stack.pop_back();
        std::vector<model::ChoiceBits> branches(sc.servers.size(), 0);
        for (const Fixed& f : fixed)
            if (f.other) branches[f.server] |= f.bit;
        Replay r = replay_with(topology, sc, log, branches);
        ++replays;
        if (r.result.accepted()) return r.result;
        if (!furthest || r.result.findings.front().line > furthest->findings.front().line) furthest = r.result;
        std::vector<Fixed> prefix = fixed;
        for (model::ServerIndex s = 0; s < sc.servers.size(); ++s) {
            for (const auto& c : topologies::spec_choices()) {
                const model::ChoiceBits bit = model::choice_bit(c.choice);
                bool already = false;
                for (const Fixed& f : fixed) already = already || (f.server == s && f.bit == bit);
                if (already || !(r.asked[s] & bit)) continue;
                std::vector<Fixed> child = prefix;
                child.push_back(Fixed{s, bit, true});
                stack.push_back(std::move(child));
                prefix.push_back(Fixed{s, bit, false});
            }
        }
    }
    if (!stack.empty())
        furthest->notes.push_back("the search over the choices the topology leaves open stopped after " +
                                  std::to_string(kMaxReplays) + " replays; pin some in the topology");
    return *furthest;
}

nlohmann::json result_json(const Result& r) {
    nlohmann::json findings = nlohmann::json::array();
    for (const auto& f : r.findings) findings.push_back({{"line", f.line}, {"rules", f.rules}, {"message", f.message}});
    return {{"verdict", r.accepted() ? "accepted" : "rejected"},
            {"topology", r.topology},
            {"capture", r.capture},
            {"findings", findings},
            {"choices", r.branches},
            {"notes", r.notes}};
}

std::string printable(const std::string& s) { return sim::printable(s); }

std::string result_text(const Result& r) {
    std::ostringstream out;
    out << "verdict: " << (r.accepted() ? "accepted" : "rejected") << " (" << r.capture << " against topology "
        << r.topology << ", " << r.connections.size() << " connection" << (r.connections.size() == 1 ? "" : "s")
        << ")\n";
    for (const auto& f : r.findings) {
        out << "  " << r.capture << ":" << f.line << ":";
        for (std::size_t i = 0; i < f.rules.size(); ++i) out << (i ? ", " : " [") << f.rules[i];
        out << (f.rules.empty() ? " " : "] ") << f.message << "\n";
    }
    if (!r.branches.empty()) {
        out << "  choices left open, as replayed:";
        for (std::size_t i = 0; i < r.branches.size(); ++i) out << (i ? "; " : " ") << r.branches[i];
        out << "\n";
    }
    for (const auto& n : r.notes) out << "  note: " << n << "\n";
    return printable(out.str());
}

std::string explain_text(const Result& r) {
    return printable(transcript_text(r.connections, r.transcript)) + "\n" + result_text(r);
}

}  // namespace bidilab::validate
