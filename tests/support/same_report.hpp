// tests/support/same_report.hpp — two reports of one search are the same run:
// every count, status, trace, outcome and memory part equal (the time and
// the process's peak aside). What a resumed run must give (sim/checkpoint.hpp),
// and a run on more threads.
#pragma once

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sim/report.hpp"

namespace test_support {

// The verdict of every property, in catalogue order ("NAME STATUS").
inline std::vector<std::string> verdicts(const sim::Report& r) {
    std::vector<std::string> v;
    for (const auto& p : r.properties) v.push_back(p.name + " " + sim::to_string(p.status));
    return v;
}

// frontier_too: the frontier's peak as well (a run with another thread count
// takes states from the frontier in other batches, so it holds other peaks).
inline void expect_same_report(const sim::Report& a, const sim::Report& b, const std::string& what,
                               bool frontier_too = true) {
    EXPECT_EQ(a.complete, b.complete) << what;
    EXPECT_EQ(a.stopped_by, b.stopped_by) << what;
    EXPECT_EQ(a.states, b.states) << what;
    EXPECT_EQ(a.transitions, b.transitions) << what;
    EXPECT_EQ(a.depth, b.depth) << what;
    EXPECT_EQ(a.transitions_postponed, b.transitions_postponed) << what;
    EXPECT_EQ(a.expanded_in_full, b.expanded_in_full) << what;
    EXPECT_EQ(a.eventually_searches, b.eventually_searches) << what;
    EXPECT_EQ(a.outcomes, b.outcomes) << what;
    EXPECT_EQ(a.reductions, b.reductions) << what;
    EXPECT_EQ(a.memory.visited, b.memory.visited) << what;
    EXPECT_EQ(a.memory.parents, b.memory.parents) << what;
    EXPECT_EQ(a.memory.edges, b.memory.edges) << what;
    EXPECT_EQ(a.memory.eventually, b.memory.eventually) << what;
    if (frontier_too) {
        EXPECT_EQ(a.memory.frontier_peak, b.memory.frontier_peak) << what;
    }
    EXPECT_EQ(a.memory.edges_dropped, b.memory.edges_dropped) << what;
    ASSERT_EQ(a.properties.size(), b.properties.size()) << what;
    for (std::size_t p = 0; p < a.properties.size(); ++p) {
        EXPECT_EQ(a.properties[p].status, b.properties[p].status) << what << ": " << a.properties[p].name;
        EXPECT_EQ(a.properties[p].trace, b.properties[p].trace) << what << ": " << a.properties[p].name;
    }
}

}  // namespace test_support
