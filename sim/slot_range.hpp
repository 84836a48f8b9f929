// sim/slot_range.hpp — the slots of a batch not taken yet, [front, back),
// taken one at a time by several threads without a lock: some from the
// front, one from the back (the explorer's merging thread, when it joins in:
// so each slot's buffers mostly stay with the thread that took it the time
// before). Every slot is taken exactly once.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace sim {

class SlotRange {
public:
    static constexpr std::size_t none = ~std::size_t{0};

    SlotRange() = default;
    // Meaningful only while a batch is under way: a copy or a move (of an
    // Explorer between runs, never during one) starts empty.
    SlotRange(const SlotRange&) noexcept {}
    SlotRange& operator=(const SlotRange&) noexcept { return *this; }

    // Slots [0, n) are to be taken (n < 2^32). Not while threads take.
    void reset(std::size_t n) { range_.store(std::uint64_t{n} << 32, std::memory_order_relaxed); }

    // The slot taken, or none once all are.
    std::size_t take(bool from_back) {
        std::uint64_t old = range_.load(std::memory_order_relaxed);
        for (;;) {
            const std::uint64_t front = old & 0xFFFFFFFFu, back = old >> 32;
            if (front >= back) return none;
            const std::uint64_t left = from_back ? (back - 1) << 32 | front : back << 32 | (front + 1);
            if (range_.compare_exchange_weak(old, left, std::memory_order_relaxed))
                return static_cast<std::size_t>(from_back ? back - 1 : front);
        }
    }

private:
    std::atomic<std::uint64_t> range_{0};  // back << 32 | front
};

}  // namespace sim
