// bidilab — the command-line entry point.
#include <iostream>

#include "cli/command.hpp"
#include "cli/commands.hpp"

int main(int argc, char** argv) {
    using namespace bidilab::cli;
    std::vector<Command> commands{check_command(), simulate_command(), run_command(), explore_command(), fsm_command(), topology_command(), validate_command(), quirks_command(), rules_command(), coverage_command(), version_command()};
    return dispatch("bidilab", commands, std::vector<std::string>(argv + 1, argv + argc), std::cout, std::cerr);
}
