// tests/support/run_in_parts.hpp — a run cut into parts: after every
// `every` expansions a checkpoint is saved and the part stops (as Ctrl-C
// would); the next part resumes from it, until the run ends
// (sim/explorer_checkpoint.hpp).
#pragma once

#include <atomic>
#include <string>

#include <gtest/gtest.h>

#include "sim/explorer.hpp"

namespace test_support {

struct Parts {
    sim::Report report;  // the last part's
    sim::Report first;   // the first part's
    int runs = 0;
};

// The run cut after every `every` expansions: each part saves a checkpoint,
// stops (as Ctrl-C would), and the next resumes from it.
template <class M>
Parts run_in_parts(const M& m, sim::ExploreOptions o, std::uint64_t every, const std::string& file) {
    std::atomic<bool> stop{false};
    o.stop = &stop;
    o.checkpoint_file = file;
    o.checkpoint_expansions = every;
    o.identity = {{"model", "under test"}};
    o.on_checkpoint = [&](const sim::CheckpointNote&) { stop = true; };
    Parts parts;
    for (;;) {
        stop = false;
        parts.report = sim::Explorer<M>(m, o).run();
        if (++parts.runs == 1) parts.first = parts.report;
        if (parts.report.stopped_by != "interrupted" || parts.runs > 10000) return parts;
        EXPECT_TRUE(parts.report.checkpoint.has_value());
        o.resume_file = file;
    }
}

}  // namespace test_support
