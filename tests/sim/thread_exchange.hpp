// tests/sim/thread_exchange.hpp — sim::Exchange between threads of one
// process: each thread is a rank, and every collective call meets the
// others' at a barrier. For testing the distributed search in process
// (and under the sanitizers) without mpirun.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "sim/exchange.hpp"

namespace test_support {

class ThreadHub {
public:
    explicit ThreadHub(unsigned ranks) : boxes_(ranks), values_(ranks), blobs_(ranks), ranks_(ranks) {}
    unsigned ranks() const { return ranks_; }

    void barrier() {
        std::unique_lock<std::mutex> lock(m_);
        const unsigned generation = generation_;
        if (++arrived_ == ranks_) {
            arrived_ = 0;
            ++generation_;
            cv_.notify_all();
        } else {
            cv_.wait(lock, [&] { return generation_ != generation; });
        }
    }

    std::vector<std::vector<std::vector<unsigned char>>> boxes_;  // [from][to]
    std::vector<std::vector<std::uint64_t>> values_;
    std::vector<std::vector<unsigned char>> blobs_;

private:
    unsigned ranks_;
    std::mutex m_;
    std::condition_variable cv_;
    unsigned arrived_ = 0, generation_ = 0;
};

class ThreadExchange final : public sim::Exchange {
public:
    ThreadExchange(ThreadHub& hub, unsigned rank) : hub_(hub), rank_(rank) {}
    unsigned rank() const override { return rank_; }
    unsigned size() const override { return hub_.ranks(); }
    void all_to_all(const std::vector<std::vector<unsigned char>>& send, std::vector<unsigned char>& received,
                    std::vector<std::size_t>& from) override {
        hub_.boxes_[rank_] = send;
        hub_.barrier();
        received.clear();
        from.assign(size(), 0);
        for (unsigned r = 0; r < size(); ++r) {
            const auto& box = hub_.boxes_[r].at(rank_);
            received.insert(received.end(), box.begin(), box.end());
            from[r] = box.size();
        }
        hub_.barrier();
    }
    void all_reduce(std::vector<std::uint64_t>& values, sim::Reduce op) override {
        hub_.values_[rank_] = values;
        hub_.barrier();
        for (unsigned r = 0; r < size(); ++r)
            for (std::size_t i = 0; i < values.size(); ++i) {
                const std::uint64_t v = hub_.values_[r].at(i);
                if (r == 0) values[i] = v;
                else if (op == sim::Reduce::Sum) values[i] += v;
                else if (op == sim::Reduce::Max) values[i] = std::max(values[i], v);
                else values[i] = std::min(values[i], v);
            }
        hub_.barrier();
    }
    std::vector<std::vector<unsigned char>> gather(const std::vector<unsigned char>& mine) override {
        hub_.blobs_[rank_] = mine;
        hub_.barrier();
        std::vector<std::vector<unsigned char>> all;
        if (rank_ == 0) all = hub_.blobs_;
        hub_.barrier();
        return all;
    }

private:
    ThreadHub& hub_;
    unsigned rank_;
};

// Runs f(exchange) on `ranks` threads, one rank each; returns what each returned.
template <class R>
std::vector<R> on_ranks(unsigned ranks, const std::function<R(sim::Exchange&)>& f) {
    ThreadHub hub(ranks);
    std::vector<R> results(ranks);
    std::vector<std::thread> threads;
    for (unsigned r = 0; r < ranks; ++r)
        threads.emplace_back([&, r] {
            ThreadExchange net(hub, r);
            results[r] = f(net);
        });
    for (auto& t : threads) t.join();
    return results;
}

}  // namespace test_support
