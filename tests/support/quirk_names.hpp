// tests/support/quirk_names.hpp — the name of every quirk the catalogue
// knows (properties/quirks.hpp): what RandomTopology::make may give a server
// in the differential tests of the reductions.
#pragma once

#include <string>
#include <vector>

#include "properties/quirks.hpp"

namespace bidilab::test {

inline std::vector<std::string> quirk_names() {
    std::vector<std::string> names;
    for (const auto& q : properties::quirks()) names.push_back(q.name);
    return names;
}

}  // namespace bidilab::test
