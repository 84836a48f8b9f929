// cli/driver.hpp — the commands that check something, for any model on the
// sim contract: `check` explores every ordering, `simulate` walks at random.
// Exit codes: 0 pass, 1 a property is violated, 2 bad usage, 3 incomplete.
#pragma once

#include <cstdint>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <iostream>
#include <string>
#include <thread>
#include <unistd.h>

#include "cli/args.hpp"
#include "cli/interrupt.hpp"
#include "cli/progress.hpp"
#include "cli/report_output.hpp"
#include "sim/explorer.hpp"
#include "sim/memory.hpp"
#include "sim/simulator.hpp"

namespace bidilab::cli {

// The options of `check` (and of any model's check) and of `simulate`.
inline const Options check_options{
    {"bfs", "", "breadth-first (default): every trace shown is a shortest one"},
    {"dfs", "", "depth-first"},
    {"max-states", "N", "stop after N distinct states (exit 3 when hit)"},
    {"max-depth", "N", "do not expand states deeper than N steps (exit 3 when hit)"},
    {"max-memory", "SIZE", "stop before resident memory passes SIZE, e.g. 2G (exit 3);\n"
                           "default: three quarters of this machine's memory (a run\n"
                           "too large for it ends with a report, not the OOM killer);\n"
                           "0: no limit. Breadth-first, a warning comes early when the\n"
                           "levels so far say the check will not fit"},
    {"no-deadlock", "", "do not report states without successors"},
    {"eventually-by", "auto|graph|levels",
     "how `eventually` properties are decided (same verdicts and\n"
     "traces): graph: on every edge, kept (about 30 bytes more per\n"
     "state); levels: as the search goes, searching again where an\n"
     "edge goes back (less memory, may take twice the time); auto\n"
     "(default): graph up to 524,288 states, then levels"},
    {"por", "on|off", "partial-order reduction (on, the default, for a model that\n"
                      "gives footprints): the same verdicts from fewer states;\n"
                      "traces stay real but need not be the shortest (off by\n"
                      "default with --coverage and state-graph drawings, which\n"
                      "need every transition; --por on is refused with them)"},
    {"threads", "N", "search on N threads, a level at a time: the same states,\n"
                     "verdicts and traces for every N. Default: the number of\n"
                     "cores, one with --dfs or --coverage (which refuse N > 1;\n"
                     "bench/threads-and-ranks.md)"},
    {"distributed", "", "share the states among the ranks of an MPI run, started as\n"
                        "mpirun -np P bidilab check TOPOLOGY --distributed: the same\n"
                        "states, verdicts and traces as one process with --por off\n"
                        "(no partial-order reduction); --max-memory is per rank"},
    {"require-witnesses", "", "fail when a `sometimes` property finds no witness"},
    {"json", "FILE", "write the JSON report to FILE ('-': standard output)"},
    {"traces", "violations|all|none", "which traces the text report prints: the violations'\n"
                                      "(default), witnesses' too, or none (--json has them all)"},
    {"progress", "", "print progress to stderr even when it is not a terminal"},
    {"checkpoint", "FILE", "save the run to FILE every --checkpoint-every seconds and\n"
                           "when it stops early (a limit, Ctrl-C, SIGTERM): written to\n"
                           "FILE.tmp, then renamed, so FILE is always whole"},
    {"checkpoint-every", "SECONDS", "how often --checkpoint saves (default 600)"},
    {"resume", "FILE", "continue the run saved in FILE: the same states, verdicts\n"
                       "and traces as an uninterrupted run. Needs the same build,\n"
                       "topology and options (--max-states and --max-memory may\n"
                       "differ); goes on saving to FILE unless --checkpoint says"},
};

inline const Options simulate_options{
    {"seed", "N", "the seed (default 0): the same seed gives the same walks"},
    {"runs", "K", "number of walks (default 100)"},
    {"depth", "D", "the longest walk, in steps (default 1000)"},
    {"no-deadlock", "", "do not report states without successors"},
    {"json", "FILE", "write the JSON report to FILE ('-': standard output)"},
    {"traces", "violations|all|none", "which traces the text report prints (default: violations)"},
};

// What a report says besides the run's own facts (the coverage of `check
// --coverage`, say): text after the property lines, keys of the JSON report.
struct ReportAddition {
    std::function<void(const sim::Report&, std::ostream&)> text;
    std::function<void(const sim::Report&, nlohmann::json&)> json;
};

// Whether one of the outputs FILE options is '-' (standard output, which is
// then that output's alone: no text report); more than one is a usage error.
inline bool stdout_taken(const Args& args, std::initializer_list<const char*> outputs = {"json", "svg", "dot", "html"}) {
    int taken = 0;
    for (const char* o : outputs) taken += args.value(o) == std::optional<std::string>("-");
    if (taken > 1) throw UsageError("only one output can be '-' (standard output)");
    return taken == 1;
}

// --threads' default: the cores this machine has.
inline std::uint64_t default_threads() {
    const unsigned cores = std::thread::hardware_concurrency();
    return cores == 0 ? 1 : cores;
}

template <class M>
int finish(const M& model, const sim::Report& report, const Args& args, const std::string& command, std::ostream& out,
           const TraceView<M>& view, const ReportAddition& addition = {}) {
    auto json_path = args.value("json");
    if (!stdout_taken(args)) {  // first: a JSON file that fails to write loses nothing else
        const std::string traces = args.value("traces").value_or("violations");
        print_report(model, report, out, view,
                     traces == "all" ? Traces::All : traces == "none" ? Traces::None : Traces::Violations);
        if (addition.text) addition.text(report, out);
    }
    if (json_path) {
        nlohmann::json j = report_json(model, report, command, view);
        if (addition.json) addition.json(report, j);
        write_json(j, *json_path, out);
    }
    return sim::exit_code(report.verdict());
}

// A --json FILE that cannot be written is refused before a long run, not after.
inline void check_json_writable(const Args& args) {
    const auto path = args.value("json");
    if (!path || *path == "-") return;
    std::ofstream probe(*path, std::ios::app);
    if (!probe) throw UsageError("--json: cannot write '" + *path + "'");
}

// What a command does around the exploration: `before` runs just before it
// (to start recording, say), `run` with the explored graph (drawing it, say)
// before the report is printed, and `report` adds to the report. `run` may
// throw UsageError (exit 2, no report).
template <class M>
struct AfterExplore {
    bool keep_graph = false;        // keep every edge (ExploreOptions::keep_graph)
    // Each names the option that needs it, if any (exit 2 when asked for the opposite).
    const char* every_transition = nullptr;  // take every transition: no partial-order reduction
    const char* not_resumable = nullptr;     // one uninterrupted run
    const char* one_thread = nullptr;        // it records what the model does on this thread
    std::function<void()> before;
    std::function<void(const M&, const sim::Report&, const sim::StateGraph&, const std::vector<std::uint32_t>& roots)> run;
    ReportAddition report;
};

// --checkpoint, --checkpoint-every and --resume into the explorer's options.
// identity: what the checkpoint must match besides the explorer's options
// (the build, the model); checked before the run, so a bad path or a
// mismatched checkpoint costs nothing.
void set_checkpoints(const Args& args, const char* not_resumable, sim::CheckpointIdentity identity,
                     sim::ExploreOptions& o);

template <class M>
int run_distributed(const M& model, const Args& args, std::ostream& out, bool witnesses_required,
                    const TraceView<M>& view, const AfterExplore<M>& after);  // cli/distributed_check.hpp

// Asked for in so many words, what the run cannot give is refused (exit 2),
// never silently left out: --threads N > 1 with --dfs or with an option that
// records on one thread, --por on with one that takes every transition.
// Their defaults give way quietly (one thread, no reduction), as --help says.
template <class M>
void refuse_what_the_run_cannot_give(const Args& args, const sim::ExploreOptions& o, const AfterExplore<M>& after) {
    auto refuse = [](const std::string& what, const std::string& with, const std::string& why) {
        throw UsageError(what + " does not work with " + with + " (" + why + ")");
    };
    if (args.value("threads") && o.threads > 1) {
        const std::string threads = "--threads " + std::to_string(o.threads);
        if (o.order == sim::Order::DepthFirst)
            refuse(threads, "--dfs", "the threads search breadth-first, a level at a time");
        if (after.one_thread) refuse(threads, after.one_thread, "it records what the model does on one thread");
    }
    if (after.every_transition && args.value("por") == std::optional<std::string>("on"))
        refuse("--por on", after.every_transition, "it needs every transition taken");
}

// witnesses_required: the default when --require-witnesses is not given.
template <class M>
int run_check(const M& model, const Args& args, std::ostream& out, bool witnesses_required = true,
              const TraceView<M>& view = {}, const AfterExplore<M>& after = {},
              const sim::CheckpointIdentity& identity = {}) {
    if (args.flag("distributed")) return run_distributed(model, args, out, witnesses_required, view, after);
    if (args.flag("dfs") && args.flag("bfs")) throw UsageError("--bfs and --dfs exclude each other");
    check_json_writable(args);
    stdout_taken(args);  // at most one output on standard output, refused before the run
    sim::ExploreOptions o;
    o.order = args.flag("dfs") ? sim::Order::DepthFirst : sim::Order::BreadthFirst;
    o.max_states = args.count("max-states", 0);
    o.max_depth = static_cast<std::uint32_t>(args.count("max-depth", 0, 0xFFFFFFFFu));
    o.max_memory = args.bytes("max-memory", sim::physical_memory_bytes() / 4 * 3);
    o.check_deadlock = !args.flag("no-deadlock");
    o.require_witnesses = witnesses_required || args.flag("require-witnesses");
    o.stop = interrupt_flag();
    o.on_progress = progress_printer(args.flag("progress"));
    if (o.max_memory != 0) o.on_growth_warning = growth_warning_printer(o.max_memory);
    const bool progress_on_tty = o.on_progress && isatty(STDERR_FILENO);
    const std::string eventually_by = args.value("eventually-by").value_or("auto");
    // Its value, as --por's, was checked against the option table's choices when parsed (cli/args.cpp).
    o.keep_graph = after.keep_graph || eventually_by == "graph";
    if (eventually_by == "levels") o.eventually_graph_states = 0;
    const std::string por = args.value("por").value_or("on");
    o.partial_order = por == "on" && !after.every_transition;
    o.threads = static_cast<unsigned>(args.count("threads", default_threads(), 1024));
    if (o.threads == 0) throw UsageError("--threads: expected at least 1");
    refuse_what_the_run_cannot_give(args, o, after);
    if (after.one_thread) o.threads = 1;
    set_checkpoints(args, after.not_resumable, identity, o);
    sim::Explorer<M> explorer(model, o);
    if (after.before) after.before();
    sim::Report report;
    try {
        report = explorer.run();
    } catch (const sim::CheckpointError& e) {
        throw InputError(e.what());
    }
    if (progress_on_tty) std::cerr << "\n";
    if (after.run) after.run(model, report, explorer.graph(), explorer.roots());
    return finish(model, report, args, "check", out, view, after.report);
}

template <class M>
int run_simulate(const M& model, const Args& args, std::ostream& out, const TraceView<M>& view = {}) {
    sim::SimulateOptions o;
    o.seed = args.count("seed", 0);
    o.runs = static_cast<std::uint32_t>(args.count("runs", 100, 0xFFFFFFFFu));
    o.depth = static_cast<std::uint32_t>(args.count("depth", 1000, 0xFFFFFFFFu));
    if (o.depth == 0) throw UsageError("--depth: expected at least 1 (a walk of no step checks nothing)");
    if (o.runs == 0) throw UsageError("--runs: expected at least 1");
    check_json_writable(args);
    o.check_deadlock = !args.flag("no-deadlock");
    o.stop = interrupt_flag();
    auto report = sim::Simulator<M>(model, o).run();
    return finish(model, report, args, "simulate", out, view);
}

}  // namespace bidilab::cli

#include "cli/distributed_check.hpp"  // run_distributed
