// bidilab — the command-line entry point: the only file that sees every folder.
#include <iostream>

#include "cli/command.hpp"
#include "cli/driver.hpp"
#include "topologies/topology.hpp"
#include "topologies/topology_error.hpp"

namespace {
using namespace bidilab;
using namespace bidilab::cli;

topologies::Topology load(const std::string& file) {
    try {
        return topologies::load_topology(file);
    } catch (const topologies::TopologyError& e) {
        throw InputError(e.what());
    }
}

std::string one_file(const Args& a, const std::string& what) {
    if (a.positional().size() != 1) throw UsageError("expected one " + what + " file");
    return a.positional()[0];
}

Command topology_command() {
    return {"topology", "validate a topology file and print it with its defaults filled in",
            "usage: bidilab topology FILE [--json FILE]\n\n"
            "Reads a topology, checks it, and prints its canonical JSON (every default\n"
            "filled in). A bad file is reported as 'FILE: /json/pointer: reason', exit 2.\n\n"
            "  --json FILE   write the canonical JSON to FILE ('-': standard output, the default)\n",
            [](const std::vector<std::string>& argv, std::ostream& out) {
                Args a(argv, {}, {"json"});
                auto topology = load(one_file(a, "topology"));
                write_json(topologies::to_json(topology), a.value("json").value_or("-"), out);
                return 0;
            }};
}

Command version_command() {
    return {"version", "print the version", "usage: bidilab version\n",
            [](const std::vector<std::string>& argv, std::ostream& out) {
                Args a(argv, {}, {});
                if (!a.positional().empty()) throw UsageError("takes no arguments");
                out << "bidilab 0.1.0\n";
                return 0;
            }};
}
}  // namespace

int main(int argc, char** argv) {
    std::vector<Command> commands{topology_command(), version_command()};
    return dispatch("bidilab", commands, std::vector<std::string>(argv + 1, argv + argc), std::cout, std::cerr);
}
