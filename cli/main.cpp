// bidilab — the command-line entry point.
#include <iostream>

#include "cli/command.hpp"
#include "cli/commands.hpp"

namespace {
// The commands, in the order `bidilab --help` lists them.
std::vector<bidilab::cli::Command> all_commands() {
    using namespace bidilab::cli;
    return {check_command(),    simulate_command(), run_command(),   explore_command(),
            fsm_command(),      topology_command(), validate_command(), probe_command(), quirks_command(),
            rules_command(),    coverage_command(), completion_command(all_commands), version_command()};
}
}  // namespace

int main(int argc, char** argv) {
    return bidilab::cli::dispatch("bidilab", all_commands(), std::vector<std::string>(argv + 1, argv + argc), std::cout,
                                  std::cerr);
}
