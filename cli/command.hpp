// cli/command.hpp — one `bidilab <command>`: its name, a one-line summary,
// its option table, the text around it, and what it does with the arguments.
// `--help`, the parser, the bash completion and the man page all come from
// the same table.
#pragma once

#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "cli/args.hpp"
#include "cli/options.hpp"

namespace bidilab::cli {

struct Command {
    std::string name;
    std::string summary;
    std::string synopsis;     // what follows "usage: PROGRAM NAME" (lines after the first: whole usages)
    std::string description;  // paragraphs between the usage line and the options
    Options options;
    std::string epilogue;     // after the options (exit codes)
    std::function<int(const Args& args, std::ostream& out)> run;

    // The whole `--help` text.
    std::string usage(const std::string& program) const;
};

// Runs `bidilab ARGV...` over a command table: help, dispatch, and the
// mapping of errors to exit code 2 with a one-line message on stderr.
// `PROGRAM help --all` prints every command's help after the list.
int dispatch(const std::string& program, const std::vector<Command>& commands, const std::vector<std::string>& argv,
             std::ostream& out, std::ostream& err);

// A bash completion script for PROGRAM's commands and their options.
std::string bash_completion(const std::string& program, const std::vector<Command>& commands);

}  // namespace bidilab::cli
