// sim/slot_range.hpp: slots are taken from both ends, each exactly once, by
// threads that take at the same time; a copy starts empty.
#include "sim/slot_range.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

TEST(SlotRange, BothEndsMeetInTheMiddle) {
    sim::SlotRange r;
    EXPECT_EQ(r.take(false), sim::SlotRange::none) << "nothing before reset";
    r.reset(5);
    EXPECT_EQ(r.take(false), 0u);
    EXPECT_EQ(r.take(true), 4u);
    EXPECT_EQ(r.take(false), 1u);
    EXPECT_EQ(r.take(true), 3u);
    EXPECT_EQ(r.take(true), 2u);
    EXPECT_EQ(r.take(false), sim::SlotRange::none);
    EXPECT_EQ(r.take(true), sim::SlotRange::none);
    EXPECT_EQ(r.take(true), sim::SlotRange::none) << "taking past the end takes nothing, again";
    r.reset(1);
    EXPECT_EQ(r.take(true), 0u);
    EXPECT_EQ(r.take(false), sim::SlotRange::none);
    r.reset(2);
    const sim::SlotRange copy = r;
    sim::SlotRange moved = std::move(r);
    EXPECT_EQ(sim::SlotRange(copy).take(false), sim::SlotRange::none) << "a copy starts empty";
    EXPECT_EQ(moved.take(false), sim::SlotRange::none) << "so does a moved one";
}

TEST(SlotRange, ThreadsTakeEverySlotExactlyOnce) {
    constexpr std::size_t n = 200000;
    for (int round = 0; round < 5; ++round) {
        sim::SlotRange r;
        r.reset(n);
        std::vector<std::vector<std::size_t>> taken(4);
        std::vector<std::thread> threads;
        for (std::size_t t = 0; t < 4; ++t)
            threads.emplace_back([&, t] {
                for (std::size_t i; (i = r.take(t == 0)) != sim::SlotRange::none;) taken[t].push_back(i);
            });
        for (auto& th : threads) th.join();
        std::vector<int> count(n, 0);
        for (const auto& mine : taken)
            for (std::size_t i : mine) ++count[i];
        for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(count[i], 1) << "slot " << i << ", round " << round;
        for (std::size_t k = 1; k < taken[0].size(); ++k)
            ASSERT_LT(taken[0][k], taken[0][k - 1]) << "the back is taken downwards";
    }
}
