// cli/explore_command.cpp — `bidilab explore`: the whole state space of a
// topology as one self-contained HTML page to step through by hand
// (viz/explorer_page.hpp), with the traces of a check run to jump to.
#include <iostream>
#include <sstream>
#include <unistd.h>

#include "cli/commands.hpp"
#include "properties/rules.hpp"
#include "cli/driver.hpp"
#include "cli/progress.hpp"
#include "properties/catalogue.hpp"
#include "sim/explorer.hpp"
#include "viz/explorer_page.hpp"
#include "viz/output.hpp"

namespace bidilab::cli {
namespace {

using M = properties::CheckedModel;

constexpr std::uint64_t kDefaultMaxStates = 20000;

int explore(const Args& a, std::ostream& out) {
    const std::string file = topology_arg(a);
    const auto html = a.value("html");
    if (!html) throw UsageError("--html FILE is required: where to write the page");
    const std::uint64_t max_states = a.count("max-states", kDefaultMaxStates);
    if (max_states == 0) throw UsageError("--max-states: expected at least 1");
    const topologies::Topology topology = load_topology_file(file);
    const M m = model_of(file);

    // The check run the page's property table and its traces come from. A
    // topology that fits the page fits here: the check counts states up to
    // symmetry, the page every one.
    sim::ExploreOptions o;
    o.max_states = max_states;
    o.require_witnesses = false;  // as `check`: a witness is the library's to show
    o.stop = interrupt_flag();
    o.on_progress = progress_printer(a.flag("progress"));
    sim::Explorer<M> explorer(m, o);
    const sim::Report report = explorer.run();
    if (o.on_progress && isatty(STDERR_FILENO) && report.seconds >= 1) std::cerr << "\n";
    if (report.stopped_by == "max-states")
        throw LimitError(file + ": more than " + std::to_string(max_states) +
                         " states, and the page holds every one: raise --max-states or explore a smaller topology");
    if (!report.complete) {
        std::cerr << "bidilab explore: interrupted; no page written\n";
        return 3;
    }

    const auto catalogue = m.properties();
    std::vector<viz::PageProperty> props;
    for (const auto& r : report.properties) {
        viz::PageProperty p;
        p.name = r.name;
        p.kind = r.kind;
        p.rules = r.rules;
        for (const auto& id : r.rules) p.rule_texts.push_back(properties::rule_sentence(id));
        p.status = sim::to_string(r.status);
        p.trace = r.trace;
        for (const auto& c : catalogue) {
            if (c.name != r.name) continue;
            if (c.holds) p.holds = [&m, f = c.holds](const model::World& w) { return f(m, w); };
            if (c.step_holds)
                p.step_holds = [&m, f = c.step_holds](const model::World& b, const model::Action& act,
                                                      const model::World& w) { return f(m, b, act, w); };
        }
        props.push_back(std::move(p));
    }
    const viz::PageCheck check{sim::to_string(report.verdict()), report.states, report.transitions};

    nlohmann::json data;
    try {
        data = viz::explorer_data(m, topology.description, props, check, max_states);
    } catch (const viz::ExplorerTooLarge& e) {
        throw InputError(file + ": " + e.what());
    }
    const std::string page = viz::explorer_page(data);
    try {
        viz::write_file(*html, page);
    } catch (const viz::OutputError& e) {
        throw UsageError(std::string("--html: ") + e.what());
    }
    if (*html == "-") return sim::exit_code(report.verdict());  // standard output is the page's
    out << "explore: wrote " << *html << " (" << page.size() << " bytes): " << data.at("states").size()
        << " states, " << data.at("transitions").get<std::uint64_t>() << " transitions; check: "
        << check.verdict << "\n";
    return sim::exit_code(report.verdict());
}

}  // namespace

Command explore_command() {
    return {"explore", "write a web page to step through a topology's states by hand",
            "[TOPOLOGY] --html FILE [--max-states N]",
            "Explores every state of the topology and writes ONE self-contained HTML page\n"
            "(script, style and data inline: it needs no network) to walk through them as\n"
            "Stateright's Explorer does: from the initial state, pick one of the enabled\n"
            "actions (their descriptions, as a schedule names them), see each connection's\n"
            "endpoints (I<n> and R<n> machine states, TLS/bidi/SASL, the pairs each direction\n"
            "authorizes, the FIFO contents as XML), the XML the last step moved, each\n"
            "stanza's fate, and the properties that hold or fail there; step back; jump to\n"
            "the counterexample or witness of a property, from a check run done now. The\n"
            "path is kept in the URL (#path=0.3.1: initial state 0, then the index of each\n"
            "action among those enabled), so a step can be shared and a reload restores it.\n"
            "States are kept exactly (stream ids and connection numbers as the path made\n"
            "them), so the page may hold more states than `check` counts.\n\n"
            "TOPOLOGY defaults to topologies/capulet-montague.json.",
            {{"html", "FILE", "where to write the page (required; '-': standard output)"},
             {"max-states", "N", "refuse (exit 3) a topology with more than N states (default 20000)"},
             {"progress", "", "print the check run's progress to stderr even when it is not a terminal"}},
            "exit: 0 page written and every property holds, 1 page written and a property is\n"
            "violated, 2 bad input or usage, 3 too many states or interrupted",
            [](const Args& a, std::ostream& out) { return explore(a, out); }};
}

}  // namespace bidilab::cli
