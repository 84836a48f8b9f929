// cli/options.hpp — a command's options as one table: the parser reads it
// (cli/args.hpp), `--help` is printed from it, and so are the bash completion
// (`bidilab completion bash`) and the man page built from `--help`.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace bidilab::cli {

struct Option {
    Option(std::string name_, std::string value_, std::string help_, std::string heading_ = "")
        : name(std::move(name_)), value(std::move(value_)), help(std::move(help_)), heading(std::move(heading_)) {}

    std::string name;     // spelled --name
    std::string value;    // what it takes ("N", "FILE", "on|off"); empty: a flag
    std::string help;     // lines separated by '\n', without indentation
    std::string heading;  // when set, a blank line and "heading:" come before it

    bool takes_value() const { return !value.empty(); }
    // The values it accepts, for a value written as "a|b|c"; empty otherwise.
    std::vector<std::string> choices() const;
};

using Options = std::vector<Option>;

// Two tables as one, in order (a command made of shared parts).
Options operator+(Options a, const Options& b);

// The options as `--help` prints them: "  --name VALUE" in a 20-character
// column, the help beside it (or on the next line when the name is wider).
std::string options_text(const Options& options);

}  // namespace bidilab::cli
