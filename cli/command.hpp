// cli/command.hpp — one `bidilab <command>`: its name, a one-line summary,
// its usage text, and what it does with the rest of the arguments.
#pragma once

#include <functional>
#include <ostream>
#include <string>
#include <vector>

namespace bidilab::cli {

struct Command {
    std::string name;
    std::string summary;
    std::string usage;  // the whole `--help` text
    std::function<int(const std::vector<std::string>& args, std::ostream& out)> run;
};

// Runs `bidilab ARGV...` over a command table: help, dispatch, and the
// mapping of errors to exit code 2 with a one-line message on stderr.
int dispatch(const std::string& program, const std::vector<Command>& commands, const std::vector<std::string>& argv,
             std::ostream& out, std::ostream& err);

}  // namespace bidilab::cli
