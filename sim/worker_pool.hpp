// sim/worker_pool.hpp — a fixed set of threads that run one batch of
// independent tasks at a time: run(n, f) calls f(0) .. f(n - 1), each once,
// spread over the workers and the calling thread, and returns when all are
// done. Tasks are taken in order from a shared counter, so a slow task does
// not hold up the others. An exception from a task is rethrown by run()
// (the first one; the batch is finished first).
#pragma once

#include <atomic>
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
    // `threads` in all, the calling thread included (1: run() is a plain loop).
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

    void run(std::size_t n, const std::function<void(std::size_t)>& task) {
        if (workers_.empty() || n <= 1) {
            for (std::size_t i = 0; i < n; ++i) task(i);
            return;
        }
        start(task, n, false);
        take(task, n);
        finish();
    }

    // Calls f(t) once on each thread t (0: the calling one): the same thread
    // gets the same t every time, so what it touched stays in its cache.
    void run_each(const std::function<void(std::size_t)>& f) {
        if (workers_.empty()) return f(0);
        start(f, threads(), true);
        try {
            f(0);
        } catch (...) {
            std::lock_guard<std::mutex> lock(mutex_);
            if (!error_) error_ = std::current_exception();
        }
        finish();
    }

private:
    void start(const std::function<void(std::size_t)>& task, std::size_t n, bool each) {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            task_ = &task;
            each_ = each;
            size_ = n;
            next_.store(0);
            busy_ = workers_.size();
            error_ = nullptr;
            ++generation_;
        }
        wake_.notify_all();
    }
    void finish() {
        std::unique_lock<std::mutex> lock(mutex_);
        done_.wait(lock, [this] { return busy_ == 0; });
        task_ = nullptr;
        if (error_) std::rethrow_exception(error_);
    }

    // Takes tasks until none is left.
    void take(const std::function<void(std::size_t)>& task, std::size_t n) {
        for (std::size_t i; (i = next_.fetch_add(1, std::memory_order_relaxed)) < n;) {
            try {
                task(i);
            } catch (...) {
                std::lock_guard<std::mutex> lock(mutex_);
                if (!error_) error_ = std::current_exception();
            }
        }
    }
    void work(std::size_t index) {
        std::uint64_t seen = 0;
        for (;;) {
            const std::function<void(std::size_t)>* task;
            std::size_t n;
            bool each;
            {
                std::unique_lock<std::mutex> lock(mutex_);
                wake_.wait(lock, [&] { return quit_ || generation_ != seen; });
                if (quit_) return;
                seen = generation_;
                task = task_;
                n = size_;
                each = each_;
            }
            if (!each) {
                take(*task, n);
            } else {
                try {
                    (*task)(index);
                } catch (...) {
                    std::lock_guard<std::mutex> lock(mutex_);
                    if (!error_) error_ = std::current_exception();
                }
            }
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
    std::size_t size_ = 0, busy_ = 0;
    bool each_ = false;
    std::atomic<std::size_t> next_{0};
    std::uint64_t generation_ = 0;
    bool quit_ = false;
    std::exception_ptr error_;
};

}  // namespace sim
