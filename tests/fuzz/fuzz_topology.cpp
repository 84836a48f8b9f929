// Fuzz target: the topology loader. Any bytes either load into a topology
// whose canonical JSON loads back to the same topology, or give a one-line
// TopologyError naming the file; nothing else may happen (an uncaught
// exception, a sanitizer report or a timeout is a finding).
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.hpp"
#include "model/scenario.hpp"
#include "properties/quirks.hpp"
#include "topologies/topology.hpp"
#include "topologies/topology_error.hpp"

using namespace bidilab;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    const auto options = topologies::LoadOptions::with_known_quirks(properties::quirk_names());
    topologies::Topology t;
    try {
        t = topologies::parse_topology(text, "fuzz.json", options);
    } catch (const topologies::TopologyError& e) {
        fuzz::expect_one_line(e.what(), "fuzz.json");
        return 0;
    }
    const std::string canonical = topologies::to_json(t).dump();
    try {
        topologies::Topology again = topologies::parse_topology(canonical, "canonical.json", options);
        again.source_file = t.source_file;  // the one field not in the JSON
        if (!(again == t))
            fuzz::finding("the canonical JSON loads back to another topology: " + canonical);
    } catch (const topologies::TopologyError& e) {
        fuzz::finding(std::string("the canonical JSON does not load: ") + e.what());
    }
    try {
        (void)model::make_scenario(t);
    } catch (const std::invalid_argument&) {  // beyond the model's bounds: bad input, as `check` says
    }
    return 0;
}
