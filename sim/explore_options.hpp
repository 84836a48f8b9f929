// sim/explore_options.hpp — what a run of the explorer (sim/explorer.hpp)
// is asked to do: the search order, its limits, partial order, threads,
// checkpoints, and the callbacks for progress, checkpoints and growth.
// Included by explorer.hpp.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "sim/checkpoint.hpp"
#include "sim/growth_estimate.hpp"
#include "sim/report.hpp"

namespace sim {

enum class Order { BreadthFirst, DepthFirst };

struct Progress {
    std::uint64_t states = 0;
    std::uint64_t transitions = 0;
    std::uint32_t depth = 0;
    std::size_t queue = 0;
    double seconds = 0;
    std::size_t resident = 0;
};

struct ExploreOptions {
    Order order = Order::BreadthFirst;
    std::uint64_t max_states = 0;  // 0: no limit
    std::uint32_t max_depth = 0;   // 0: no limit
    std::size_t max_memory = 0;    // bytes of resident memory; 0: no limit
    bool check_deadlock = true;
    bool keep_graph = false;       // keep every edge (drawings; implied by eventually properties depth-first)
    // Breadth-first, `eventually` properties are decided on the kept graph
    // while a run has at most this many states (fast: no second search), and
    // level by level past it, the graph then dropped (sim/eventually_levels.hpp:
    // about 30 bytes a state less; 524,288 states: at most about 25 MiB of
    // graph before it goes). 0: never keep it for them. Either way the
    // same verdicts and traces; the choice depends on the state count alone.
    std::uint64_t eventually_graph_states = std::uint64_t{1} << 19;
    std::uint64_t expected_states = 0;  // sizes the visited set up front; 0: grow as needed
    bool require_witnesses = true; // a `sometimes` never witnessed fails a complete run
    // Partial-order reduction (sim/por.hpp) when the model gives footprints:
    // the same verdicts, fewer states; traces need not be the shortest.
    // Off unless asked for (`check --por on`, its default, asks).
    bool partial_order = false;
    // Breadth-first, a level at a time on this many threads
    // (sim/level_search.hpp: the model's codec, next_state, fingerprints,
    // footprints and properties must be thread-safe); one of them replays
    // each level into the visited set and the graph in index order, so every
    // thread count gives the same states, numbering, verdicts and traces.
    // Depth-first runs on one thread.
    unsigned threads = 1;
    const std::atomic<bool>* stop = nullptr;
    std::function<void(const Progress&)> on_progress;  // called at most once a second
    // Checkpoints (sim/explorer_checkpoint.hpp): written to checkpoint_file
    // every checkpoint_seconds (0: none on a timer) and every
    // checkpoint_expansions expansions (0: none by count), and when a limit
    // or the stop flag ends the run; resume_file: the checkpoint this run
    // continues, written by a run with the same identity (the caller's part:
    // the build, the model; the explorer adds its own options).
    std::string checkpoint_file;
    double checkpoint_seconds = 0;
    std::uint64_t checkpoint_expansions = 0;
    std::string resume_file;
    CheckpointIdentity identity;
    std::function<void(const CheckpointNote&)> on_checkpoint;  // after each one written
    // Breadth-first with a memory limit: called once, early, when the levels
    // so far say the run will not fit (sim/growth_estimate.hpp).
    std::function<void(const GrowthWarning&)> on_growth_warning;
};

}  // namespace sim
