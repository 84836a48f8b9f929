// sim/worker_pool.hpp: every thread runs a call once, on any number of
// threads; each gets its own index, the same every time; an exception from
// any thread comes out of run_each (or wait, once); start() returns while the
// other threads still run, and wait() waits for them; and the explorer on
// several threads (its next batch computed while one is merged) gives
// the one-thread report on the toy models (a step property checked on the
// workers among them).
#include "sim/worker_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "sim/explorer.hpp"
#include "support/same_report.hpp"
#include "toy_models.hpp"

TEST(WorkerPool, EveryThreadRunsOnce) {
    for (unsigned threads : {1u, 2u, 3u, 8u}) {
        sim::WorkerPool pool(threads);
        EXPECT_EQ(pool.threads(), threads);
        for (int round = 0; round < 50; ++round) {
            std::vector<std::atomic<int>> runs(threads);
            pool.run_each([&](std::size_t t) { ++runs[t]; });
            for (std::size_t t = 0; t < threads; ++t) EXPECT_EQ(runs[t].load(), 1) << threads << " threads, thread " << t;
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
    EXPECT_THROW(pool.run_each([](std::size_t t) { if (t == 0) throw std::runtime_error("thread 0"); }),
                 std::runtime_error);
    EXPECT_THROW(pool.run_each([](std::size_t t) { if (t == 1) throw std::runtime_error("thread 1"); }),
                 std::runtime_error);
    std::atomic<int> after{0};
    pool.run_each([&](std::size_t) { ++after; });
    EXPECT_EQ(after.load(), 2) << "the pool still works";
}

TEST(WorkerPool, StartRunsTheOthersWhileTheCallerGoesOn) {
    for (unsigned threads : {1u, 2u, 4u}) {
        sim::WorkerPool pool(threads);
        for (int round = 0; round < 20; ++round) {
            std::vector<std::atomic<int>> runs(threads);
            std::atomic<bool> caller_done{false};
            std::atomic<int> saw_caller_done{0};
            const std::function<void(std::size_t)> f = [&](std::size_t t) {
                ++runs[t];
                while (!caller_done.load()) std::this_thread::yield();  // returns only after the caller went on
                ++saw_caller_done;
            };
            pool.start(f);
            caller_done = true;  // start() returned while the others wait for this
            pool.wait();
            EXPECT_EQ(runs[0].load(), 0) << "start() leaves the calling thread out";
            for (std::size_t t = 1; t < threads; ++t) EXPECT_EQ(runs[t].load(), 1) << threads << " threads, thread " << t;
            EXPECT_EQ(saw_caller_done.load(), static_cast<int>(threads) - 1) << "wait() waited for every call";
        }
        pool.wait();  // none running: returns at once
    }
}

TEST(WorkerPool, WaitRethrowsOnceAndThePoolGoesOn) {
    sim::WorkerPool pool(3);
    const std::function<void(std::size_t)> fail = [](std::size_t t) { if (t == 2) throw std::runtime_error("thread 2"); };
    pool.start(fail);
    EXPECT_THROW(pool.wait(), std::runtime_error);
    EXPECT_NO_THROW(pool.wait()) << "the error is reported once";
    std::atomic<int> after{0};
    pool.run_each([&](std::size_t) { ++after; });
    EXPECT_EQ(after.load(), 3);
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
