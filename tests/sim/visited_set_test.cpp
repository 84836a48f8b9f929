#include "sim/visited_set.hpp"

#include <gtest/gtest.h>

#include <set>

#include "sim/random.hpp"

TEST(VisitedSet, InsertsOnceAndFindsAgainAcrossGrowth) {
    sim::VisitedSet set(true, 16);
    sim::Random rng(7);
    std::vector<std::uint64_t> keys;
    for (std::uint32_t i = 0; i < 200000; ++i) {
        std::uint64_t fp = rng.next() | 1;
        keys.push_back(fp);
        auto [inserted, index] = set.insert(fp, i);
        ASSERT_TRUE(inserted);
        ASSERT_EQ(index, i);
    }
    EXPECT_EQ(set.size(), keys.size());
    EXPECT_GT(set.capacity(), 200000u);
    for (std::uint32_t i = 0; i < keys.size(); ++i) {
        auto [inserted, index] = set.insert(keys[i], 999);
        ASSERT_FALSE(inserted);
        ASSERT_EQ(index, i) << "payload follows its fingerprint through growth";
        ASSERT_EQ(set.index_of(keys[i]), i);
    }
    EXPECT_FALSE(set.contains(12345678ull * 2));
}

TEST(VisitedSet, KeepsLoadBetweenTwoThirdsAndSevenEighths) {
    sim::VisitedSet set(false, 1024);
    sim::Random rng(11);
    for (int i = 0; i < 1000000; ++i) set.insert(rng.next() | 1);
    double load = double(set.size()) / double(set.capacity());
    EXPECT_GT(load, 0.6);
    EXPECT_LE(load, 0.876);
    EXPECT_LT(double(set.bytes()) / double(set.size()), 8.0 / 0.6 + 0.5);
}

TEST(VisitedSet, ClusteredKeysStaySorted) {
    // Many fingerprints sharing one home slot: they must form one sorted run.
    sim::VisitedSet set(true, 1u << 10);
    std::set<std::uint64_t> reference;
    for (std::uint64_t i = 1; i <= 600; ++i) {
        std::uint64_t fp = (i * 7919) % 1000 + 1;  // all tiny: home slot 0
        bool fresh = reference.insert(fp).second;
        EXPECT_EQ(set.insert(fp, static_cast<std::uint32_t>(fp)).first, fresh);
    }
    for (auto fp : reference) EXPECT_EQ(set.index_of(fp), fp);
    EXPECT_EQ(set.size(), reference.size());
}

TEST(VisitedSet, ReserveAvoidsGrowthAndKeepsEntries) {
    sim::VisitedSet set(true, 1024);
    for (std::uint32_t i = 1; i <= 100; ++i) set.insert(std::uint64_t{i} * 0x9E3779B97F4A7C15ull, i);
    set.reserve(50000);
    const std::size_t capacity = set.capacity();
    EXPECT_GE(capacity * 7 / 8, 50000u);
    for (std::uint32_t i = 1; i <= 100; ++i) EXPECT_EQ(set.index_of(std::uint64_t{i} * 0x9E3779B97F4A7C15ull), i);
    sim::Random rng(3);
    for (int i = 0; i < 49000; ++i) set.insert(rng.next() | 1);
    EXPECT_EQ(set.capacity(), capacity) << "no growth within the reservation";
}
