// sim/worker_pool.hpp — a fixed set of threads that run one call at a time
// on every thread: run_each(f) calls f(t) on each thread t (0: the calling
// one, the same thread for the same t every time) and returns when all are
// done. An exception from a call is rethrown by run_each (the first one;
// every thread finishes first).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace sim {

class WorkerPool {
public:
    // `threads` in all, the calling thread included (1: run_each calls f(0) alone).
    explicit WorkerPool(unsigned threads) {
        for (unsigned i = 1; i < threads; ++i) workers_.emplace_back([this, i] { work(i); });
    }
    ~WorkerPool() {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            quit_ = true;
        }
        wake_.notify_all();
        for (auto& t : workers_) t.join();
    }
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    unsigned threads() const { return static_cast<unsigned>(workers_.size()) + 1; }

    // Calls f(t) once on each thread t (0: the calling one): the same thread
    // gets the same t every time, so what it touched stays in its cache.
    void run_each(const std::function<void(std::size_t)>& f) {
        if (workers_.empty()) return f(0);
        {
            std::lock_guard<std::mutex> lock(mutex_);
            task_ = &f;
            busy_ = workers_.size();
            error_ = nullptr;
            ++generation_;
        }
        wake_.notify_all();
        call(f, 0);
        std::unique_lock<std::mutex> lock(mutex_);
        done_.wait(lock, [this] { return busy_ == 0; });
        task_ = nullptr;
        if (error_) std::rethrow_exception(error_);
    }

private:
    // f(index), an exception kept for run_each.
    void call(const std::function<void(std::size_t)>& f, std::size_t index) {
        try {
            f(index);
        } catch (...) {
            std::lock_guard<std::mutex> lock(mutex_);
            if (!error_) error_ = std::current_exception();
        }
    }
    void work(std::size_t index) {
        std::uint64_t seen = 0;
        for (;;) {
            const std::function<void(std::size_t)>* task;
            {
                std::unique_lock<std::mutex> lock(mutex_);
                wake_.wait(lock, [&] { return quit_ || generation_ != seen; });
                if (quit_) return;
                seen = generation_;
                task = task_;
            }
            call(*task, index);
            {
                std::lock_guard<std::mutex> lock(mutex_);
                --busy_;
            }
            done_.notify_one();
        }
    }

    std::vector<std::thread> workers_;
    std::mutex mutex_;
    std::condition_variable wake_, done_;
    const std::function<void(std::size_t)>* task_ = nullptr;
    std::size_t busy_ = 0;
    std::uint64_t generation_ = 0;
    bool quit_ = false;
    std::exception_ptr error_;
};

}  // namespace sim
