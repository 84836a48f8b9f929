// cli/commands.hpp — the commands of bidilab, one function each; main.cpp
// lists them in the order `bidilab --help` shows.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "cli/args.hpp"
#include "cli/command.hpp"
#include "cli/report_output.hpp"
#include "properties/catalogue.hpp"
#include "topologies/topology.hpp"

namespace bidilab::cli {

Command check_command();
Command fsm_command();
Command simulate_command();
Command run_command();
Command explore_command();
Command topology_command();
Command version_command();
Command validate_command();
Command probe_command();
Command quirks_command();
Command rules_command();
Command coverage_command();
// `completion bash`: the script for every command `all` lists (itself included).
Command completion_command(std::function<std::vector<Command>()> all);

// Shared by the commands: a topology file loaded, or InputError (exit 2).
topologies::Topology load_topology_file(const std::string& file);
// The topology file of a command: its one positional argument, or the default.
std::string topology_arg(const Args& a);
// The protocol model with its property catalogue, for a topology file.
properties::CheckedModel model_of(const std::string& file);
// Traces of the protocol model as XEP-style transcripts (text and JSON).
TraceView<properties::CheckedModel> transcript_view();

}  // namespace bidilab::cli
