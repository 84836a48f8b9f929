// cli/coverage_command.cpp — `bidilab coverage [TOPOLOGY...]`: the rows of the
// two stream machines' transition tables that no ordering of any topology of
// a library takes. `check --coverage` judges one topology; this judges the
// library (by default the shipped one and its mutants): a row none of them
// takes is behaviour that only the hand-fed machine tests reach, and the place
// for a new topology or quirk.
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "cli/check_coverage.hpp"
#include "cli/commands.hpp"
#include "cli/progress.hpp"
#include "cli/report_output.hpp"
#include "cli/interrupt.hpp"
#include "sim/explorer.hpp"

namespace bidilab::cli {

namespace {

namespace fs = std::filesystem;

// topologies/*.json, then topologies/mutants/*.json, each sorted by name.
std::vector<std::string> library_files() {
    std::vector<std::string> files;
    for (const fs::path& dir : {topologies::shipped_topologies_dir(), topologies::shipped_topologies_dir() / "mutants"}) {
        std::vector<std::string> here;
        for (const auto& entry : fs::directory_iterator(dir))
            if (entry.is_regular_file() && entry.path().extension() == ".json") here.push_back(entry.path().string());
        std::sort(here.begin(), here.end());
        files.insert(files.end(), here.begin(), here.end());
    }
    return files;
}

}  // namespace

Command coverage_command() {
    return {"coverage", "list the machine rows that no ordering of a topology library takes",
            "[TOPOLOGY...] [--json] [--max-states N]",
            "Explores every ordering of each TOPOLOGY (default: topologies/*.json and\n"
            "topologies/mutants/*.json) and lists, per machine, the transition-table rows that\n"
            "none of them took; per topology, how many rows it took first.",
            {{"json", "", "{topologies: [{file, states, complete, first_taken}], coverage:\n"
                          "{complete, machines: [{machine, rows, taken, never_taken}]}}"},
             {"max-states", "N", "stop each exploration after N distinct states"},
             {"progress", "", "print each exploration's progress to stderr even when it is not a terminal"}},
            "exit: 0; 2 on a bad topology or option; 3 when an exploration stopped at\n"
            "--max-states or was interrupted (the counts are then those of partial runs)",
            [](const Args& a, std::ostream& out) {
                const std::vector<std::string> files = a.positional().empty() ? library_files() : a.positional();
                std::vector<properties::CheckedModel> models;  // every file loads before anything runs
                for (const auto& file : files) models.push_back(model_of(file));
                sim::ExploreOptions options;
                options.max_states = a.count("max-states", 0);
                options.require_witnesses = false;
                options.stop = interrupt_flag();  // SIGINT: the partial counts, exit 3
                options.on_progress = progress_printer(a.flag("progress"));
                model::RowCoverage coverage;
                bool complete = true;
                nlohmann::json per_topology = nlohmann::json::array();
                for (std::size_t i = 0; i < files.size(); ++i) {
                    const std::size_t before = coverage.taken_total();
                    sim::Report r;
                    {
                        const model::RowCoverage::Scope recording(&coverage);
                        r = sim::Explorer<properties::CheckedModel>(models[i], options).run();
                    }
                    if (options.on_progress && isatty(STDERR_FILENO) && r.seconds >= 1) std::cerr << "\n";
                    complete = complete && r.complete;
                    const std::size_t first = coverage.taken_total() - before;
                    per_topology.push_back({{"file", files[i]}, {"states", r.states}, {"complete", r.complete},
                                            {"first_taken", first}});
                    if (!a.flag("json"))
                        out << files[i] << ": " << r.states << " states" << (r.complete ? "" : " (partial)") << ", "
                            << first << " row(s) taken first\n";
                }
                if (a.flag("json"))
                    out << json_text({{"topologies", per_topology}, {"coverage", coverage_json(coverage, complete)}});
                else
                    print_coverage(coverage, complete, out);
                return complete ? 0 : 3;
            }};
}

}  // namespace bidilab::cli
