// validate/finding.hpp — what the validator reports about one capture line:
// the rule IDs of spec/RULES.md an element breaks and why.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace bidilab::validate {

// A problem found while checking one element, before it is placed on a line.
// `rules` is a comma-separated list of rule IDs ("CORE-10, DB-6").
struct Problem {
    std::string rules;
    std::string message;
};

struct Finding {
    std::size_t line = 0;            // the capture line where the offending element begins
    std::vector<std::string> rules;  // rule IDs, without duplicates, most specific first
    std::string message;

    // "line 23 [CORE-10, DB-6]: message"
    std::string describe() const;
};

// Appends the IDs of a comma-separated list that `into` does not hold yet.
void add_rules(std::vector<std::string>& into, const std::string& rules);

// One finding from the problems of the writer and the reader of an element
// (either may be absent, not both).
Finding make_finding(std::size_t line, const std::string& subject, const std::optional<Problem>& writer,
                     const std::optional<Problem>& reader);

}  // namespace bidilab::validate
