#include "cli/check_coverage.hpp"

#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "viz/machine_diagram.hpp"

namespace bidilab::cli {

using model::RowCoverage;
using model::StreamMachine;

const Options coverage_options{
    {"coverage", "", "after the properties, the rows of the InitiatingStream and\n"
                     "ReceivingStream transition tables no explored ordering took\n"
                     "(with --json: the report's 'coverage' key); the exit code\n"
                     "is unchanged", "coverage"},
};

namespace {

// "Source --Event [Guard] / Action--> Target", as `bidilab fsm --dot` labels the edge.
std::string row_text(const model::TransitionRow& row) {
    return row.source + " --" + viz::row_label(row) + "--> " + row.target;
}

// What one check's coverage is while it runs: the rows, and the recording
// that marks them (from `before` to the end of the exploration).
struct Recording {
    RowCoverage coverage;
    std::optional<RowCoverage::Scope> scope;
};

}  // namespace

void print_coverage(const RowCoverage& coverage, bool complete, std::ostream& out) {
    for (StreamMachine m : model::kStreamMachines) {
        const auto never = coverage.never_taken(m);
        out << "coverage: " << RowCoverage::name(m) << " " << coverage.taken_count(m) << "/" << coverage.rows(m)
            << " rows taken" << (complete ? "" : " in the partial run");
        if (never.empty()) {
            out << "; every row taken\n";
            continue;
        }
        out << "; never taken:\n";
        for (std::size_t row : never) out << "    " << row_text(RowCoverage::table(m)[row]) << "\n";
    }
}

nlohmann::json coverage_json(const RowCoverage& coverage, bool complete) {
    nlohmann::json machines = nlohmann::json::array();
    for (StreamMachine m : model::kStreamMachines) {
        nlohmann::json never = nlohmann::json::array();
        for (std::size_t row : coverage.never_taken(m)) {
            const auto& r = RowCoverage::table(m)[row];
            never.push_back({{"source", r.source}, {"event", r.event}, {"target", r.target},
                             {"action", r.action}, {"guard", r.guard}});
        }
        machines.push_back({{"machine", RowCoverage::name(m)},
                            {"rows", coverage.rows(m)},
                            {"taken", coverage.taken_count(m)},
                            {"never_taken", never}});
    }
    return {{"complete", complete}, {"machines", machines}};
}

void add_coverage(const Args& a, AfterExplore<properties::CheckedModel>& after) {
    if (!a.flag("coverage")) return;
    auto recording = std::make_shared<Recording>();
    after.every_transition = "--coverage";  // a reduction would leave rows untaken that the full search takes
    after.not_resumable = "--coverage";  // it records the rows while the run takes them
    after.one_thread = "--coverage";     // on the thread that records (model/row_coverage.hpp)
    after.before = [recording, before = std::move(after.before)] {
        if (before) before();
        recording->scope.emplace(&recording->coverage);
    };
    // Replaying traces for the drawings and the report is no part of the run.
    after.run = [recording, run = std::move(after.run)](const properties::CheckedModel& m, const sim::Report& r,
                                                      const sim::StateGraph& g, const std::vector<std::uint32_t>& roots) {
        recording->scope.reset();
        if (run) run(m, r, g, roots);
    };
    after.report.text = [recording, text = std::move(after.report.text)](const sim::Report& r, std::ostream& out) {
        if (text) text(r, out);
        print_coverage(recording->coverage, r.complete, out);
    };
    after.report.json = [recording, json = std::move(after.report.json)](const sim::Report& r, nlohmann::json& j) {
        if (json) json(r, j);
        j["coverage"] = coverage_json(recording->coverage, r.complete);
    };
}

}  // namespace bidilab::cli
