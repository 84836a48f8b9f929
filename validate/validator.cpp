#include "validate/validator.hpp"

#include <sstream>

#include "model/scenario.hpp"
#include "validate/replayer.hpp"

namespace bidilab::validate {

Result validate(const topologies::Topology& topology, const capture::WireLog& log) {
    const model::Scenario sc = model::make_scenario(topology);
    Replayer replay(sc, log.source, log.notes);
    for (const auto& event : log.events)
        if (!replay.step(event)) break;
    replay.finish();
    Result r;
    r.topology = topology.name;
    r.capture = log.source;
    r.findings = replay.findings();
    r.notes = log.warnings;
    r.notes.insert(r.notes.end(), replay.notes().begin(), replay.notes().end());
    r.connections = replay.connections();
    r.transcript = replay.transcript();
    return r;
}

nlohmann::json result_json(const Result& r) {
    nlohmann::json findings = nlohmann::json::array();
    for (const auto& f : r.findings) findings.push_back({{"line", f.line}, {"rules", f.rules}, {"message", f.message}});
    return {{"verdict", r.accepted() ? "accepted" : "rejected"},
            {"topology", r.topology},
            {"capture", r.capture},
            {"findings", findings},
            {"notes", r.notes}};
}

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
    for (const auto& n : r.notes) out << "  note: " << n << "\n";
    return out.str();
}

std::string explain_text(const Result& r) {
    return transcript_text(r.connections, r.transcript) + "\n" + result_text(r);
}

}  // namespace bidilab::validate
