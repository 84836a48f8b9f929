// cli/protocol_commands.cpp — the commands over the protocol model: check,
// simulate, topology, version.
#include <cstdio>
#include <iostream>
#include <sstream>

#include "cli/check_coverage.hpp"
#include "cli/blame.hpp"
#include "cli/check_drawings.hpp"
#include "cli/commands.hpp"
#include "cli/driver.hpp"
#include "cli/stanza_fates.hpp"
#include "properties/catalogue.hpp"
#include "properties/rules.hpp"
#include "properties/quirks.hpp"
#include "revision.hpp"  // generated: BIDILAB_REVISION
#include "topologies/topology.hpp"
#include "topologies/topology_error.hpp"
#include "viz/transcript.hpp"

#include <xxhash.h>

namespace bidilab::cli {


topologies::Topology load_topology_file(const std::string& file) {
    try {
        return topologies::load_topology(file, topologies::LoadOptions::with_known_quirks(properties::quirk_names()));
    } catch (const topologies::TopologyError& e) {
        throw InputError(e.what());
    }
}

static std::string one_file(const Args& a, const std::string& what) {
    if (a.positional().size() != 1) throw UsageError("expected one " + what + " file");
    return a.positional()[0];
}

Command topology_command() {
    return {"topology", "validate a topology file and print it with its defaults filled in", "FILE [--json FILE]",
            "Reads a topology, checks it, and prints its canonical JSON (every default\n"
            "filled in). A bad file is reported as 'FILE: /json/pointer: reason', exit 2.",
            {{"json", "FILE", "write the canonical JSON to FILE ('-': standard output, the default)"}},
            "",
            [](const Args& a, std::ostream& out) {
                auto topology = load_topology_file(one_file(a, "topology"));
                write_json(topologies::to_json(topology), a.value("json").value_or("-"), out);
                return 0;
            }};
}

// The topology file of a command: its one positional argument, or the default.
std::string topology_arg(const Args& a) {
    if (a.positional().size() > 1) throw UsageError("expected at most one topology file");
    return a.positional().empty() ? topologies::default_topology_file().string() : a.positional()[0];
}

// The model of a topology read from `file` (named in its errors).
static properties::CheckedModel model_of(const topologies::Topology& topology, const std::string& file) {
    try {
        return properties::CheckedModel(model::make_scenario(topology));
    } catch (const std::invalid_argument& e) {
        throw InputError(file + ": " + e.what());
    }
}

properties::CheckedModel model_of(const std::string& file) { return model_of(load_topology_file(file), file); }

// What a checkpoint of a check of `topology` must match besides the
// explorer's options: this build, and the topology as read (its canonical
// JSON, so a file only reformatted still matches).
static sim::CheckpointIdentity checkpoint_identity(const topologies::Topology& topology) {
    const std::string canonical = topologies::to_json(topology).dump();
    char hash[17];
    std::snprintf(hash, sizeof hash, "%016llx", static_cast<unsigned long long>(XXH3_64bits(canonical.data(), canonical.size())));
    return {{"program", std::string("bidilab 0.1.0 (") + BIDILAB_REVISION + ")"}, {"topology (XXH3 of its canonical JSON)", hash}};
}

// Traces of the protocol model as XEP-style transcripts.
TraceView<properties::CheckedModel> transcript_view() {
    using M = properties::CheckedModel;
    auto steps_of = [](const M& m, const sim::Trace& t) {
        auto r = sim::replay(m, t);
        std::vector<std::pair<model::Action, model::World>> steps;
        for (auto& s : r.steps) steps.emplace_back(s.action, s.state);
        return viz::transcript_steps(r.initial, steps);
    };
    TraceView<M> v;
    v.text = [steps_of](const M& m, const sim::Trace& t, const sim::PropertyResult& p, std::ostream& out) {
        const auto steps = steps_of(m, t);
        std::istringstream lines(viz::transcript_text(m, steps, blame_of(m, steps, p)));
        for (std::string line; std::getline(lines, line);) out << "    " << line << "\n";
        if (t.loop_start) out << "    <!-- and back to the state after step " << *t.loop_start << ": a loop -->\n";
    };
    v.json = [steps_of](const M& m, const sim::Trace& t, const sim::PropertyResult& p) {
        const auto steps = steps_of(m, t);
        nlohmann::json j = {{"initial", t.initial}, {"steps", viz::transcript_json(m, steps, blame_of(m, steps, p))}};
        j["loop_start"] = t.loop_start ? nlohmann::json(*t.loop_start) : nlohmann::json(nullptr);
        return j;
    };
    v.outcome_lines = [](const M& m, const sim::Report& r) { return stanza_fate_lines(m, r); };
    v.witness_hint = [](const M& m, const std::string& p) { return properties::witness_hint(m.scenario(), p); };
    v.outcome_json = [](const M& m, const sim::Report& r, nlohmann::json& j) { j["stanza_fates"] = stanza_fates_json(m, r); };
    // "CORE-7: «...» §4.3.3.": the rule's first line in spec/RULES.md, without its markup.
    v.rule_sentence = properties::rule_sentence;
    return v;
}

Command check_command() {
    return {"check", "explore every ordering of a topology and check every property", "[TOPOLOGY] [options]",
            "Explores every interleaving of the elements the topology's servers exchange and\n"
            "checks the property catalogue; violations and witnesses come with a shortest trace.\n"
            "TOPOLOGY defaults to topologies/capulet-montague.json.",
            check_options +
                Options{{"symmetry", "on|off", "on (default): states that differ only in the order their\n"
                                               "connections were opened in are one state; off: only stream\n"
                                               "ids and connection numbers are renamed"}} +
                drawing_options + coverage_options,
            "exit: 0 every property holds, 1 a property is violated, 2 bad input or usage,\n"
            "3 incomplete (a limit was hit or the run was interrupted)",
            [](const Args& a, std::ostream& out) {
                auto after = check_drawings(a);
                add_coverage(a, after);
                // A `sometimes` is witnessed somewhere in the topology library, not in each topology.
                const std::string file = topology_arg(a);
                const auto topology = load_topology_file(file);
                auto model = model_of(topology, file);
                const std::string symmetry = a.value("symmetry").value_or("on");
                model.set_symmetry(symmetry == "on" ? model::Symmetry::Connections : model::Symmetry::StreamIds);
                return run_check(model, a, out, false, transcript_view(), after, checkpoint_identity(topology));
            }};
}

Command simulate_command() {
    return {"simulate", "walk a topology's orderings at random, seeded", "[TOPOLOGY] [options]",
            "Random walks with the same step function as check; the same seed gives the same\n"
            "walks on every run and machine. Finds violations, proves nothing.",
            simulate_options,
            "exit: 0 no walk broke a property, 1 a property is violated, 2 bad input or usage,\n"
            "3 interrupted",
            [](const Args& a, std::ostream& out) {
                return run_simulate(model_of(topology_arg(a)), a, out, transcript_view());
            }};
}

Command version_command() {
    return {"version", "print the version and the git revision it was built from",
            "  (also: bidilab --version, bidilab -V)", "", {}, "",
            [](const Args& a, std::ostream& out) {
                if (!a.positional().empty()) throw UsageError("takes no arguments");
                out << "bidilab 0.1.0 (" << BIDILAB_REVISION << ")\n";
                return 0;
            }};
}

Command completion_command(std::function<std::vector<Command>()> all) {
    return {"completion", "print a bash completion script for bidilab", "bash",
            "Prints a bash completion script (command names, each command's options, the\n"
            "values an option accepts, file names where one is expected), written from the\n"
            "same tables as every --help. `cmake --install` installs it; to try it at once:\n"
            "  source <(bidilab completion bash)",
            {}, "",
            [all](const Args& a, std::ostream& out) {
                if (a.positional().size() != 1 || a.positional()[0] != "bash")
                    throw UsageError("expected the shell: bash (the only one supported)");
                out << bash_completion("bidilab", all());
                return 0;
            }};
}
}  // namespace bidilab::cli
