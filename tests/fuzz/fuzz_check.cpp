// Fuzz target: `check` on small fuzzed topologies. A topology that loads is
// explored breadth-first with a tight state limit; the run must end (complete
// or stopped by the limit) with every property decided or left unknown, and
// each counterexample must replay to a state or step that breaks it.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.hpp"
#include "properties/catalogue.hpp"
#include "properties/quirks.hpp"
#include "sim/explorer.hpp"
#include "sim/trace.hpp"
#include "topologies/topology.hpp"
#include "topologies/topology_error.hpp"

using namespace bidilab;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    topologies::Topology t;
    try {
        t = topologies::parse_topology(text, "fuzz.json",
                                       topologies::LoadOptions::with_known_quirks(properties::quirk_names()));
    } catch (const topologies::TopologyError&) {
        return 0;  // fuzz_topology checks the messages
    }
    model::Scenario scenario;
    try {
        scenario = model::make_scenario(t);
    } catch (const std::invalid_argument&) {
        return 0;
    }
    const properties::CheckedModel m(std::move(scenario));
    sim::ExploreOptions o;
    o.max_states = 3000;
    o.require_witnesses = false;
    const sim::Report r = sim::Explorer<properties::CheckedModel>(m, o).run();
    if (r.complete && r.states > 3000) fuzz::finding("more states than the limit");
    for (const auto& p : r.properties) {
        if (p.status != sim::Status::Violated || !p.trace) continue;
        const auto replayed = sim::replay(m, *p.trace);
        if (replayed.steps.size() != p.trace->actions.size()) fuzz::finding("a counterexample of " + p.name + " does not replay");
    }
    return 0;
}
