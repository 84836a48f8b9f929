// sim/report.hpp — what a run found: counts, limits hit, and per property a
// status with its shortest trace (a counterexample or a witness).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/property.hpp"
#include "sim/trace.hpp"

namespace sim {

enum class Status { Holds, Violated, Witnessed, NotWitnessed, Unknown };
enum class Verdict { Pass, Fail, Incomplete };

inline const char* to_string(Status s) {
    switch (s) {
        case Status::Holds: return "holds";
        case Status::Violated: return "violated";
        case Status::Witnessed: return "witnessed";
        case Status::NotWitnessed: return "not witnessed";
        case Status::Unknown: return "unknown";
    }
    return "?";
}

inline const char* to_string(Verdict v) {
    switch (v) {
        case Verdict::Pass: return "pass";
        case Verdict::Fail: return "fail";
        case Verdict::Incomplete: return "incomplete";
    }
    return "?";
}

struct PropertyResult {
    std::string name;
    Kind kind = Kind::Always;
    std::vector<std::string> rules;
    Status status = Status::Unknown;
    std::optional<Trace> trace;
};

// What a run kept in memory, by part, in bytes (frontier: the most it held at
// once). Their sum over the states is the report's bytes per state.
struct MemoryUse {
    std::size_t visited = 0;        // the visited set: fingerprints (and state indices)
    std::size_t parents = 0;        // per state, its parent and the action from it
    std::size_t edges = 0;          // the kept graph: every transition (eventually, drawings)
    std::size_t eventually = 0;     // deciding eventually properties: goal bits per state with a
                                    // kept graph, else the bits of two levels at their most
    std::size_t frontier_peak = 0;  // the queued states, at their most
    bool edges_dropped = false;     // the graph was kept for `eventually`, then dropped (too many states)
    std::size_t total() const { return visited + parents + edges + eventually + frontier_peak; }
};

// A checkpoint written or resumed from (sim/checkpoint.hpp): its file, the
// states visited when it was taken, and its size in bytes (0: not known).
struct CheckpointNote {
    std::string file;
    std::uint64_t states = 0;
    std::uint64_t bytes = 0;
};

struct Report {
    bool complete = false;
    std::string stopped_by;  // "" when complete; else "max-states", "max-depth", "max-memory", "interrupted"
    std::uint64_t states = 0;
    std::uint64_t transitions = 0;
    std::uint32_t depth = 0;  // the deepest level reached
    double seconds = 0;
    MemoryUse memory;
    std::size_t peak_rss = 0;       // the process's peak resident memory, in bytes
    std::vector<PropertyResult> properties;
    std::uint32_t eventually_searches = 0;  // eventually properties decided by a second search
    std::vector<std::string> reductions;  // what the run merged or skipped, in words (empty: none)
    // Partial-order reduction (sim/por.hpp): enabled actions left out of the
    // expansions (ample sets), and states expanded in full after all (C3).
    std::uint64_t transitions_postponed = 0;
    std::uint64_t expanded_in_full = 0;
    // The final states reached (is_final), counted by the model's outcome()
    // of each, in the order of the outcome text (empty: the model has none).
    // Counts are of states after the reductions, not of orderings.
    std::vector<std::pair<std::string, std::uint64_t>> outcomes;
    bool witnesses_required = true;  // does a `sometimes` without witness fail the run?
    std::optional<CheckpointNote> checkpoint;  // the last checkpoint this run wrote
    std::optional<CheckpointNote> resumed;     // the checkpoint this run continued
    unsigned threads = 1;  // that computed successors (ExploreOptions::threads; depth-first: 1)
    unsigned ranks = 1;    // processes that shared the states (sim/distributed_explorer.hpp)

    double bytes_per_state() const { return states ? double(memory.total()) / double(states) : 0.0; }
    double states_per_second() const { return seconds > 0 ? double(states) / seconds : 0.0; }

    // fail: some property is violated (definitive even when incomplete), or a
    // complete run found no witness for a `sometimes` (when witnesses are
    // required); incomplete: a limit was hit and nothing failed; pass otherwise.
    Verdict verdict() const {
        for (const auto& p : properties)
            if (p.status == Status::Violated || (p.status == Status::NotWitnessed && witnesses_required))
                return Verdict::Fail;
        return complete ? Verdict::Pass : Verdict::Incomplete;
    }

    const PropertyResult* find(const std::string& name) const {
        for (const auto& p : properties)
            if (p.name == name) return &p;
        return nullptr;
    }
};

// The process exit code of a verdict: 0 pass, 1 fail, 3 incomplete.
inline int exit_code(Verdict v) { return v == Verdict::Pass ? 0 : v == Verdict::Fail ? 1 : 3; }

}  // namespace sim
