// cli/args.hpp — a small command-line parser: options `--name value`,
// `--name=value` and boolean `--name`, and positional arguments. Every error
// is a UsageError whose message is one line naming the offending argument.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "cli/options.hpp"

namespace bidilab::cli {

// A bad command line: reported as "bidilab COMMAND: message", exit 2.
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// A limit hit (--max-states, --max-nodes, ...): a run or a drawing too large
// for the limit the user gave or the default; one line, exit 3, as every hit
// limit.
struct LimitError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Bad input in a file: the message already names the file and the place
// ("FILE: /json/pointer: reason" or "FILE:LINE: reason"); exit 2.
struct InputError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class Args {
public:
    // flags: boolean options; valued: options that take a value.
    Args(const std::vector<std::string>& argv, const std::set<std::string>& flags, const std::set<std::string>& valued);
    // The same, from a command's option table (cli/options.hpp).
    Args(const std::vector<std::string>& argv, const Options& options);

    bool flag(const std::string& name) const { return flags_.count(name) != 0; }
    std::optional<std::string> value(const std::string& name) const;
    const std::vector<std::string>& positional() const { return positional_; }

    // A non-negative integer, at most `max` (a larger one is a UsageError, never wrapped).
    std::uint64_t count(const std::string& name, std::uint64_t fallback,
                        std::uint64_t max = std::uint64_t{999999999999999999}) const;
    std::size_t bytes(const std::string& name, std::size_t fallback) const;        // 512M, 4G, 1000000

private:
    std::set<std::string> flags_;
    std::map<std::string, std::string> values_;
    std::vector<std::string> positional_;
};

}  // namespace bidilab::cli
