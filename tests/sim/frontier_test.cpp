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
    for (std::uint32_t k = 0; k < 5000; ++k) {
        const auto b = bytes_of(k);
        q.push(k * 7 + 1, k, k / 10, b.data(), b.size());
    }
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
    const unsigned char small[] = {1, 2, 3};
    q.push(1, 1, 0, small, sizeof small);
    q.push(2, 2, 0, big.data(), big.size());
    q.push(3, 3, 0, nullptr, 0);
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
        const std::size_t n = rng() % 2000;
        std::vector<unsigned char> raw(n), base(n + 64, 0), zeros(n + 64, 0);
        for (auto& b : raw) b = (rng() % 8 == 0) ? static_cast<unsigned char>(rng() | 1) : 0;
        // A base that differs from raw in a few places: its sibling.
        for (std::size_t k = 0; k < n; ++k) base[k] = (rng() % 50 == 0) ? static_cast<unsigned char>(rng()) : raw[k];
        for (const auto* b : {&zeros, &base}) {
            std::vector<unsigned char> squeezed(sim::squeezed_bound(n)), back(n + 64);
            const std::size_t length = sim::squeeze_zero_runs(raw.data(), b->data(), n, squeezed.data());
            ASSERT_LE(length, sim::squeezed_bound(n));
            const std::size_t m = sim::expand_zero_runs(squeezed.data(), length, b->data(), back.data(), back.size());
            ASSERT_EQ(std::vector<unsigned char>(back.begin(), back.begin() + static_cast<std::ptrdiff_t>(m)), raw) << round;
            if (n > 100) {
                EXPECT_LT(length, n / 2) << round;
                if (b == &base) {
                    EXPECT_LT(length, n / 8) << round;  // the sibling leaves little
                }
            }
        }
    }
}

// The squeeze's definition, a byte at a time (what it was before it scanned
// eight bytes at once): the token stream must be this one, byte for byte,
// so that queues and checkpoints read the same.
static std::vector<unsigned char> squeeze_byte_by_byte(const unsigned char* raw, const unsigned char* base, std::size_t n) {
    std::vector<unsigned char> out;
    auto at = [&](std::size_t k) { return static_cast<unsigned char>(raw[k] ^ base[k]); };
    for (std::size_t i = 0; i < n;) {
        std::size_t j = i + 1;
        if (at(i) == 0) {
            while (j < n && j - i < 128 && at(j) == 0) ++j;
            out.push_back(static_cast<unsigned char>(0x7F + (j - i)));
        } else {
            while (j < n && j - i < 128 && !(at(j) == 0 && (j + 1 == n || at(j + 1) == 0))) ++j;
            out.push_back(static_cast<unsigned char>(j - i - 1));
            for (std::size_t k = i; k < j; ++k) out.push_back(at(k));
        }
        i = j;
    }
    return out;
}

TEST(ZeroRuns, WordScanWritesTheByteByByteTokens) {
    std::mt19937_64 rng(11);
    for (int round = 0; round < 3000; ++round) {
        // Lengths around the word size and the 128-byte token limit, and
        // densities from all-equal to all-different, with lone zeros.
        const std::size_t n = round < 300 ? static_cast<std::size_t>(round) : rng() % 1200;
        const unsigned density = static_cast<unsigned>(rng() % 6);  // 0: none differ ... 5: all
        std::vector<unsigned char> raw(n), base(n);
        for (std::size_t k = 0; k < n; ++k) {
            base[k] = static_cast<unsigned char>(rng() % 3 == 0 ? rng() : 0);
            const bool differs = density == 5 || (density != 0 && rng() % (1u << (2 * (5 - density))) == 0);
            raw[k] = differs ? static_cast<unsigned char>(base[k] ^ (1u + rng() % 255)) : base[k];
        }
        std::vector<unsigned char> squeezed(sim::squeezed_bound(n));
        const std::size_t length = sim::squeeze_zero_runs(raw.data(), base.data(), n, squeezed.data());
        squeezed.resize(length);
        ASSERT_EQ(squeezed, squeeze_byte_by_byte(raw.data(), base.data(), n)) << "round " << round << ", n " << n;
        std::vector<unsigned char> back(n + 8);
        const std::size_t m = sim::expand_zero_runs(squeezed.data(), length, base.data(), back.data(), n);
        back.resize(m);
        ASSERT_EQ(back, raw) << "round " << round;
    }
}

TEST(ZeroRuns, BadInputIsRefused) {
    const unsigned char literal_past_end[] = {5, 1, 2};
    std::vector<unsigned char> base(16, 0), out(16);
    EXPECT_THROW(sim::expand_zero_runs(literal_past_end, sizeof literal_past_end, base.data(), out.data(), out.size()),
                 std::length_error);
    const unsigned char too_long[] = {0xFF};  // 128 zeros into 16 bytes
    EXPECT_THROW(sim::expand_zero_runs(too_long, sizeof too_long, base.data(), out.data(), out.size()), std::length_error);
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
