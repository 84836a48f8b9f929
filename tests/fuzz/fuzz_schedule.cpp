// Fuzz target: the schedule reader (`run --schedule`). Any bytes, one entry
// a line, either name enabled actions of the model in
// turn (a trace that replays) or give a ScheduleError naming the entry;
// the model is XEP-0288 Example 3's, whose schedule seeds the corpus.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "fuzz_support.hpp"
#include "properties/catalogue.hpp"
#include "properties/quirks.hpp"
#include "sim/schedule.hpp"
#include "sim/trace.hpp"
#include "topologies/topology.hpp"

using namespace bidilab;

namespace {
const properties::CheckedModel& example3() {
    static const properties::CheckedModel m(model::make_scenario(topologies::load_topology(
        std::string(SOURCE_DIR) + "/topologies/xep0288-example3.json",
        topologies::LoadOptions::with_known_quirks(properties::quirk_names()))));
    return m;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
    std::vector<std::string> entries;
    for (std::string line; std::getline(in, line) && entries.size() < 200;)
        if (!line.empty()) entries.push_back(line);
    try {
        const sim::Trace t = sim::schedule_trace(example3(), entries);
        if (t.actions.size() != entries.size()) fuzz::finding("a schedule played a different number of steps");
        (void)sim::replay(example3(), t);
    } catch (const sim::ScheduleError& e) {
        if (e.index() >= entries.size()) fuzz::finding("a ScheduleError past the schedule's end");
    }
    return 0;
}
