// cli/fsm_command.cpp — `bidilab fsm`: the protocol machines as the code has
// them, drawn from their transition tables (never by hand).
#include <filesystem>

#include "cli/commands.hpp"
#include "viz/graphviz.hpp"
#include "viz/machine_diagram.hpp"

namespace bidilab::cli {

namespace {
std::string directory(const Args& a, const char* option) {
    const std::string dir = *a.value(option);
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec || !std::filesystem::is_directory(dir)) throw UsageError(std::string("--") + option + ": cannot create '" + dir + "'");
    return dir;
}
}  // namespace

Command fsm_command() {
    return {"fsm", "draw the stream machines and the pair authorization from their tables", "[--dot DIR] [--svg DIR] [--hide-errors]",
            "The transition tables of InitiatingStream and ReceivingStream (read from their\n"
            "Boost.MSM types) and of the pair authorization, one row per transition:\n"
            "Source, Event, Guard, Action, Target. Without options they are printed as text;\n"
            "with options each machine is a diagram, states as vertices and rows as edges\n"
            "labelled 'Event [Guard] / Action': DIR/initiating_stream, receiving_stream, pair_auth.",
            {{"dot", "DIR", "write the diagrams as Graphviz DOT (DIR/NAME.dot)"},
             {"svg", "DIR", "... laid out by Graphviz (dot -Tsvg) as SVG (DIR/NAME.svg)"},
             {"hide-errors", "", "leave out the error rows, those that end the stream (target\n"
                                 "Closed: stream errors, closes, refusals): the negotiation\n"
                                 "alone, for a slide"}},
            "",
            [](const Args& a, std::ostream& out) {
                if (!a.positional().empty()) throw UsageError("takes no arguments");
                auto tables = viz::machine_tables();
                if (a.flag("hide-errors"))
                    for (auto& t : tables) t = viz::without_error_rows(t);
                if (!a.value("dot") && !a.value("svg")) {
                    for (std::size_t i = 0; i < tables.size(); ++i)
                        out << (i ? "\n" : "") << viz::machine_table_text(tables[i]);
                    return 0;
                }
                try {
                    for (const auto& t : tables) {
                        const std::string dot = viz::machine_dot(t);
                        if (a.value("dot"))
                            viz::write_file((std::filesystem::path(directory(a, "dot")) / (t.name + ".dot")).string(), dot);
                        if (a.value("svg"))
                            viz::render_svg(dot, (std::filesystem::path(directory(a, "svg")) / (t.name + ".svg")).string());
                    }
                } catch (const viz::OutputError& e) {
                    throw UsageError(e.what());
                }
                return 0;
            }};
}

}  // namespace bidilab::cli
