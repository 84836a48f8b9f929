#include "cli/check_drawings.hpp"

#include <filesystem>
#include <iostream>
#include <optional>

#include <boost/graph/adjacency_list.hpp>

#include "properties/rules.hpp"
#include "viz/graphviz.hpp"
#include "viz/protocol_graph.hpp"
#include "cli/blame.hpp"
#include "viz/sequence_chart.hpp"

namespace bidilab::cli {

using M = properties::CheckedModel;

const Options drawing_options{
    {"dot", "FILE", "write the explored state graph as Graphviz DOT ('-': standard\n"
                    "output, instead of the text report)", "drawings"},
    {"svg", "FILE", "... laid out by Graphviz (dot -Tsvg) as SVG ('-' likewise)"},
    {"highlight", "NAME", "draw the trace of this property along the graph\n"
                          "(default: the first violated property; 'none': no trace)"},
    {"max-nodes", "N", "refuse (exit 3) to draw more than N vertices (default 60: past\n"
                       "that a graph is too wide to read; draw a --quotient)"},
    {"quotient", "P", "merge the states equal on P: connection:N (the endpoint\n"
                      "states of connection N), stanzas (their fates), endpoints\n"
                      "(all endpoint states, no channels or ids)"},
    {"chart-dir", "DIR", "write a sequence chart (SVG) per violated or witnessed\n"
                         "property's trace: DIR/PROPERTY.svg"},
};

namespace {

constexpr std::uint64_t kDefaultMaxNodes = 60;  // wider is unreadable on a page or slide

struct Request {
    std::optional<std::string> dot, svg, chart_dir, highlight;
    std::optional<viz::Projection> quotient;
    std::uint64_t max_nodes = kDefaultMaxNodes;
    bool graph() const { return dot || svg; }
};

// The property whose trace the graph shows, or none.
const sim::PropertyResult* highlighted(const Request& r, const sim::Report& report) {
    if (r.highlight) {
        if (*r.highlight == "none") return nullptr;
        const sim::PropertyResult* p = report.find(*r.highlight);
        if (!p) {
            std::string names;
            for (const auto& q : report.properties) names += (names.empty() ? "" : ", ") + q.name;
            throw UsageError("--highlight: no property '" + *r.highlight + "'; properties: " + names);
        }
        if (!p->trace) {
            std::cerr << "bidilab check: --highlight: '" << p->name << "' " << sim::to_string(p->status)
                      << ", no trace to draw\n";
            return nullptr;
        }
        return p;
    }
    for (const auto& p : report.properties)
        if (p.status == sim::Status::Violated && p.trace) return &p;
    return nullptr;
}

void draw_graph(const Request& r, const M& m, const sim::Report& report, const sim::StateGraph& g,
                const std::vector<std::uint32_t>& roots) {
    if (!r.quotient && g.size() > r.max_nodes)
        throw LimitError("the state graph has " + std::to_string(g.size()) + " states, more than --max-nodes " +
                         std::to_string(r.max_nodes) + ", too many to read: draw a quotient (--quotient " +
                         viz::kProjectionForms + ") or raise --max-nodes");
    const sim::PropertyResult* path = highlighted(r, report);
    viz::DiagramOptions options;
    options.highlight = path ? &*path->trace : nullptr;
    options.mark_deadlocks = report.find("no-deadlock") != nullptr;
    viz::Diagram d = viz::protocol_diagram(m, g, roots, r.quotient, options);
    const std::size_t vertices = boost::num_vertices(d);
    if (vertices > r.max_nodes)
        throw LimitError("the quotient by " + r.quotient->text() + " has " + std::to_string(vertices) +
                         " vertices, more than --max-nodes " + std::to_string(r.max_nodes) +
                         ": choose a coarser projection (" + viz::kProjectionForms + ") or raise --max-nodes");
    viz::DotStyle style;
    style.title = m.scenario().name + ": " + std::to_string(g.size()) + " states, " +
                  std::to_string(g.edge_total()) + " transitions" + (report.complete ? "" : " (incomplete)");
    if (r.quotient)
        style.title += "; quotient by " + r.quotient->text() + ": " + std::to_string(vertices) + " vertices, " +
                       std::to_string(boost::num_edges(d)) + " edges";
    if (path) style.title += "; highlighted: " + path->name + " (" + sim::to_string(path->status) + ")";
    style.path_is_violation = path && path->status == sim::Status::Violated;
    const std::string dot = viz::dot_text(d, style);
    if (r.dot) viz::write_file(*r.dot, dot);
    if (r.svg) viz::render_svg(dot, *r.svg);
}

void draw_charts(const std::string& dir, const M& m, const sim::Report& report) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec || !std::filesystem::is_directory(dir)) throw UsageError("--chart-dir: cannot create '" + dir + "'");
    for (const auto& p : report.properties) {
        if (!p.trace || (p.status != sim::Status::Violated && p.status != sim::Status::Witnessed)) continue;
        auto replayed = sim::replay(m, *p.trace);
        std::vector<std::pair<model::Action, model::World>> steps;
        for (auto& s : replayed.steps) steps.emplace_back(s.action, std::move(s.state));
        viz::ChartOptions o;
        const bool violated = p.status == sim::Status::Violated;
        o.title = m.scenario().name + ": " + p.name + " " + sim::to_string(p.status);
        o.ending = violated ? viz::ChartOptions::Ending::Violation : viz::ChartOptions::Ending::Witness;
        o.final_rules = p.rules;
        o.rule_text = properties::rule_sentence;
        o.loop_start = p.trace->loop_start;
        const auto transcript = viz::transcript_steps(replayed.initial, steps);
        o.blame = blame_of(m, transcript, p);
        viz::write_sequence_chart(m, transcript, (std::filesystem::path(dir) / (p.name + ".svg")).string(), o);
    }
}

}  // namespace

AfterExplore<M> check_drawings(const Args& a) {
    Request r;
    r.dot = a.value("dot");
    r.svg = a.value("svg");
    r.chart_dir = a.value("chart-dir");
    r.highlight = a.value("highlight");
    r.max_nodes = a.count("max-nodes", kDefaultMaxNodes);
    if (auto q = a.value("quotient")) {
        try {
            r.quotient = viz::parse_projection(*q);
        } catch (const std::invalid_argument& e) {
            throw UsageError(std::string("--quotient: ") + e.what());
        }
    }
    if (!r.graph())
        for (const char* option : {"highlight", "max-nodes", "quotient"})
            if (a.value(option)) throw UsageError(std::string("--") + option + " needs --dot or --svg");
    AfterExplore<M> after;
    if (!r.graph() && !r.chart_dir) return after;
    after.keep_graph = r.graph();
    if (r.graph()) after.every_transition = "--dot or --svg";  // a picture of the state space shows all of it
    after.run = [r](const M& m, const sim::Report& report, const sim::StateGraph& g,
                    const std::vector<std::uint32_t>& roots) {
        try {
            if (r.graph()) draw_graph(r, m, report, g, roots);
            if (r.chart_dir) draw_charts(*r.chart_dir, m, report);
        } catch (const viz::OutputError& e) {
            throw UsageError(e.what());
        }
    };
    return after;
}

}  // namespace bidilab::cli
