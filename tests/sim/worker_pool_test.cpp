// sim/worker_pool.hpp: every task runs once, on any number of threads; each
// thread of run_each gets its own index, the same every time; an exception
// from a task comes out of run(); and the explorer on several threads gives
// the one-thread report on the toy models (a step property checked on the
// workers among them).
#include "sim/worker_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "sim/explorer.hpp"
#include "support/same_report.hpp"
#include "toy_models.hpp"

TEST(WorkerPool, EveryTaskRunsOnce) {
    for (unsigned threads : {1u, 2u, 3u, 8u}) {
        sim::WorkerPool pool(threads);
        EXPECT_EQ(pool.threads(), threads);
        for (std::size_t n : {0u, 1u, 2u, 7u, 1000u}) {
            std::vector<std::atomic<int>> runs(n);
            pool.run(n, [&](std::size_t i) { ++runs[i]; });
            for (std::size_t i = 0; i < n; ++i) EXPECT_EQ(runs[i].load(), 1) << threads << " threads, task " << i;
        }
    }
}

TEST(WorkerPool, EachThreadKeepsItsIndex) {
    sim::WorkerPool pool(3);
    std::vector<std::thread::id> first(3), again(3);
    pool.run_each([&](std::size_t t) { first[t] = std::this_thread::get_id(); });
    pool.run_each([&](std::size_t t) { again[t] = std::this_thread::get_id(); });
    EXPECT_EQ(first, again);
    EXPECT_EQ(std::set<std::thread::id>(first.begin(), first.end()).size(), 3u);
    EXPECT_EQ(first[0], std::this_thread::get_id()) << "index 0 is the calling thread";
}

TEST(WorkerPool, AnExceptionFromATaskComesOut) {
    sim::WorkerPool pool(2);
    EXPECT_THROW(pool.run(100, [](std::size_t i) { if (i == 57) throw std::runtime_error("task 57"); }),
                 std::runtime_error);
    EXPECT_THROW(pool.run_each([](std::size_t t) { if (t == 1) throw std::runtime_error("thread 1"); }),
                 std::runtime_error);
    std::atomic<int> after{0};
    pool.run(10, [&](std::size_t) { ++after; });
    EXPECT_EQ(after.load(), 10) << "the pool still works";
}

TEST(WorkerPool, TheExplorerOnThreadsGivesTheOneThreadReport) {
    auto same = [](const auto& model, const std::string& what) {
        using M = std::decay_t<decltype(model)>;
        sim::ExploreOptions o;
        const sim::Report one = sim::Explorer<M>(model, o).run();
        for (unsigned threads : {2u, 3u}) {
            o.threads = threads;
            test_support::expect_same_report(one, sim::Explorer<M>(model, o).run(), what, false);
        }
    };
    same(toy::Grid{40, 30}, "grid");
    same(toy::Grid{40, 30, 31, 12}, "grid with a target");
    same(toy::Ring{9, 10}, "ring without exit");
    same(toy::Pair{40, -1, true}, "pair with a jump");  // a step property, checked on the workers
    same(toy::Pair{40, 20}, "pair with a deadlock");
}
