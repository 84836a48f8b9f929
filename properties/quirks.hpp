// properties/quirks.hpp — the named deviations a topology may give a server,
// each taken from a real implementation's bug and each breaking one rule on
// purpose: the mutants that prove the catalogue's properties can fail.
#pragma once

#include <set>
#include <string>
#include <vector>

namespace bidilab::properties {

struct Quirk {
    std::string name;
    std::vector<std::string> rules;  // the rules it breaks
    std::string property;            // the catalogue property that must catch it
    std::string description;
};

const std::vector<Quirk>& quirks();
std::set<std::string> quirk_names();

}  // namespace bidilab::properties
