// The explorer's compact storage: the byte queue of the frontier, zero-run
// squeezing, packed goal bits, and the kept graph's 5-byte edges.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

#include "sim/bit_array.hpp"
#include "sim/frontier.hpp"
#include "sim/state_graph.hpp"
#include "sim/zero_runs.hpp"

namespace {

std::vector<unsigned char> bytes_of(std::uint32_t k) {
    std::vector<unsigned char> b(k % 37, 0);
    for (std::size_t i = 0; i < b.size(); i += 3) b[i] = static_cast<unsigned char>(k + i);
    return b;
}

TEST(ByteQueue, FirstInFirstOutAndLastInFirstOut) {
    sim::ByteQueue q;
    for (std::uint32_t k = 0; k < 5000; ++k) q.push(k * 7 + 1, k, k / 10, bytes_of(k));
    EXPECT_EQ(q.size(), 5000u);
    for (std::uint32_t k = 0; k < 2500; ++k) {  // from the front: in order
        auto v = q.front();
        ASSERT_EQ(v.fp, k * 7 + 1);
        ASSERT_EQ(v.index, k);
        ASSERT_EQ(v.depth, k / 10);
        ASSERT_EQ(std::vector<unsigned char>(v.bytes, v.bytes + v.length), bytes_of(k));
        q.pop_front();
    }
    for (std::uint32_t k = 5000; k-- > 2500;) {  // from the back: newest first
        auto v = q.back();
        ASSERT_EQ(v.index, k);
        ASSERT_EQ(std::vector<unsigned char>(v.bytes, v.bytes + v.length), bytes_of(k));
        q.pop_back();
    }
    EXPECT_TRUE(q.empty());
    EXPECT_EQ(q.held_bytes(), 0u);  // every block freed
    EXPECT_GT(q.peak_bytes(), 0u);
}

TEST(ByteQueue, AnEntryLargerThanABlockGetsOneOfItsOwn) {
    sim::ByteQueue q;
    std::vector<unsigned char> big(3u << 20, 7);
    q.push(1, 1, 0, {1, 2, 3});
    q.push(2, 2, 0, big);
    q.push(3, 3, 0, {});
    q.pop_front();
    auto v = q.front();
    EXPECT_EQ(v.index, 2u);
    EXPECT_EQ(v.length, big.size());
    q.pop_front();
    EXPECT_EQ(q.front().length, 0u);
}

TEST(ZeroRuns, RoundTripsAndSqueezesZeros) {
    std::mt19937_64 rng(7);
    for (int round = 0; round < 200; ++round) {
        std::vector<unsigned char> raw(rng() % 2000);
        for (auto& b : raw) b = (rng() % 8 == 0) ? static_cast<unsigned char>(rng() | 1) : 0;
        std::vector<unsigned char> squeezed, back{9};  // expand appends
        sim::squeeze_zero_runs(raw.data(), raw.size(), squeezed);
        sim::expand_zero_runs(squeezed.data(), squeezed.size(), back);
        ASSERT_EQ(std::vector<unsigned char>(back.begin() + 1, back.end()), raw) << round;
        if (raw.size() > 100) {
            EXPECT_LT(squeezed.size(), raw.size() / 2) << round;
        }
    }
}

TEST(ZeroRuns, ALiteralRunPastTheEndIsRefused) {
    const unsigned char bad[] = {5, 1, 2};
    std::vector<unsigned char> out;
    EXPECT_THROW(sim::expand_zero_runs(bad, sizeof bad, out), std::length_error);
}

TEST(BitArray, FieldsOfEveryWidthAcrossWordBoundaries) {
    for (unsigned width : {1u, 3u, 7u, 13u, 64u}) {
        sim::BitArray a(width);
        std::mt19937_64 rng(width);
        std::vector<std::uint64_t> expect;
        for (int k = 0; k < 1000; ++k) {
            const std::uint64_t v = width == 64 ? rng() : rng() & ((std::uint64_t{1} << width) - 1);
            a.push_back(v);
            expect.push_back(v);
        }
        for (std::size_t k = 0; k < expect.size(); ++k) ASSERT_EQ(a[k], expect[k]) << width << " " << k;
    }
    EXPECT_THROW(sim::BitArray(0), std::invalid_argument);
    sim::BitArray one(1);
    for (int k = 0; k < 8 * 1024 * 1024; ++k) one.push_back(k & 1);
    EXPECT_LE(one.bytes(), 2u * 1024u * 1024u);  // a bit per state (and a block), not a word
    EXPECT_EQ(one[12345], 1u);
}

TEST(StateGraph, EdgesKeepTargetsActionsAndCountsPastTheirFastRanges) {
    sim::StateGraph g(true);
    g.add_state(sim::StateGraph::root, 0);
    g.add_state(0, 0);
    g.begin_edges(0);
    g.add_edge(0, 1, 3);
    g.add_edge(0, 0, 300);  // past the one-byte action range
    g.begin_edges(1);
    for (std::uint32_t k = 0; k < 70000; ++k) g.add_edge(1, k % 2, k % 256);  // past 16-bit counts
    EXPECT_EQ(g.edge_count(0), 2u);
    EXPECT_EQ(g.edge(0, 0).target, 1u);
    EXPECT_EQ(g.edge(0, 0).action, 3u);
    EXPECT_EQ(g.edge(0, 1).action, 300u);
    EXPECT_EQ(g.edge_count(1), 70000u);
    EXPECT_EQ(g.edge(1, 69999).target, 1u);
    EXPECT_EQ(g.edge(1, 69999).action, 69999u % 256);
    EXPECT_EQ(g.edge_total(), 70002u);
    g.forget_edges(1);
    EXPECT_FALSE(g.expanded(1));
    EXPECT_TRUE(g.expanded(0));
}

}  // namespace
