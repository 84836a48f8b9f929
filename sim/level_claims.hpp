// sim/level_claims.hpp — the states the threads of sim/level_search.hpp
// have stored in the level being expanded, by fingerprint, so that a state
// two transitions reach is stored once whichever threads take them.
//
// Per fingerprint one word: the least key (the parent's position in the
// level, the action) of a transition whose thread stored the state, and
// where (thread, number), packed so that comparing words compares keys;
// lowered by compare-and-swap, no lock. A transition may use a state stored
// for a smaller key: the replay takes transitions in key order within a
// level, so that one inserts the state first and its world is the
// representative, as on one thread. Not found, or found only for larger
// keys, the thread stores its own. What does not fit the packing or the
// table is simply not shared.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <stdexcept>

namespace sim {

class LevelClaims {
public:
    static constexpr std::uint64_t kNone = ~std::uint64_t{0};

    // Between two levels (one thread): all forgotten, and room for `states`
    // fingerprints at half load (a table past three quarters shares no more,
    // give or take a batch per thread: reserve()).
    void reset(std::size_t states) {
        std::size_t capacity = 1024;
        while (capacity < 2 * states) capacity *= 2;
        if (capacity != capacity_) {
            slots_.reset(new Slot[capacity]);
            capacity_ = capacity;
        } else {
            for (std::size_t i = 0; i < capacity_; ++i) {
                slots_[i].fp.store(0, std::memory_order_relaxed);
                slots_[i].word.store(0, std::memory_order_relaxed);
            }
        }
        limit_ = capacity_ / 4 * 3;
        used_.store(0, std::memory_order_relaxed);
        for (auto& r : reserved_) r.slots = 0;
        lost_.store(false, std::memory_order_relaxed);
    }

    // A state stored for fp by a transition with a key below (position,
    // action): its (thread, number), else false.
    bool find(std::uint64_t fp, std::uint32_t position, std::uint32_t action, std::uint32_t& thread,
              std::uint32_t& number) const {
        const std::uint64_t key = pack(position, action, 0, 0);
        const std::uint64_t word = key == kNone ? 0 : word_of(fp);
        if (word == 0 || word >= key) return false;
        where(word, thread, number);
        return true;
    }

    // The thread stored fp as its `number`-th state for (position, action).
    void offer(std::uint64_t fp, std::uint32_t position, std::uint32_t action, std::uint32_t thread,
               std::uint32_t number) {
        const std::uint64_t word = pack(position, action, thread, number);
        if (word == kNone || capacity_ == 0) return lose();
        for (std::size_t i = fp & (capacity_ - 1), n = 0; n < kProbes; i = (i + 1) & (capacity_ - 1), ++n) {
            std::uint64_t at = slots_[i].fp.load(std::memory_order_relaxed);
            if (at == 0) {
                if (!reserve(thread)) return lose();  // full enough: not shared
                if (slots_[i].fp.compare_exchange_strong(at, fp, std::memory_order_relaxed)) {
                    --reserved_[thread].slots;
                    at = fp;
                }
            }
            if (at != fp) continue;
            std::uint64_t old = slots_[i].word.load(std::memory_order_relaxed);
            while ((old == 0 || word < old) &&
                   !slots_[i].word.compare_exchange_weak(old, word, std::memory_order_relaxed)) {
            }
            return;
        }
        lose();
    }

    // After the level: whether every offer was kept, so that least() knows.
    bool complete() const { return !lost_.load(std::memory_order_relaxed); }

    // After a complete level, for a transition (position, action) whose
    // thread stored fp or found it stored: whether its key is the least of
    // them all, else where the state of the least is stored (thread, number).
    bool least(std::uint64_t fp, std::uint32_t position, std::uint32_t action, std::uint32_t& thread,
               std::uint32_t& number) const {
        const std::uint64_t word = word_of(fp);
        if (word == 0) throw std::logic_error("a level's state missing from its complete claim table");
        if (word >> kKeyShift == pack(position, action, 0, 0) >> kKeyShift) return true;
        where(word, thread, number);
        return false;
    }

    std::size_t bytes() const { return capacity_ * sizeof(Slot); }

private:
    // A word: position (26 bits), action (12), thread (6), number (20), high to low.
    static constexpr unsigned kNumberBits = 20, kThreadBits = 6, kActionBits = 12, kPositionBits = 26;
    static constexpr unsigned kKeyShift = kThreadBits + kNumberBits;  // a word's key: the bits above
    static constexpr std::size_t kProbes = 64;
    static std::uint64_t pack(std::uint32_t position, std::uint32_t action, std::uint32_t thread, std::uint32_t number) {
        if ((std::uint64_t{position} + 1) >> kPositionBits || action >> kActionBits || thread >> kThreadBits ||
            number >> kNumberBits)
            return kNone;
        // + 1 on the position: a word is never 0 (0 is "not offered yet").
        return (std::uint64_t{position} + 1) << (kActionBits + kThreadBits + kNumberBits) |
               std::uint64_t{action} << (kThreadBits + kNumberBits) | std::uint64_t{thread} << kNumberBits | number;
    }
    // fp's word: 0 when fp is not in the table.
    std::uint64_t word_of(std::uint64_t fp) const {
        if (capacity_ == 0) return 0;
        for (std::size_t i = fp & (capacity_ - 1), n = 0; n < kProbes; i = (i + 1) & (capacity_ - 1), ++n) {
            const std::uint64_t at = slots_[i].fp.load(std::memory_order_relaxed);
            if (at == 0) return 0;
            if (at == fp) return slots_[i].word.load(std::memory_order_relaxed);
        }
        return 0;
    }
    // Where a word's state is stored.
    static void where(std::uint64_t word, std::uint32_t& thread, std::uint32_t& number) {
        thread = static_cast<std::uint32_t>(word >> kNumberBits & ((1u << kThreadBits) - 1));
        number = static_cast<std::uint32_t>(word & ((1u << kNumberBits) - 1));
    }
    struct Slot {
        std::atomic<std::uint64_t> fp{0};
        std::atomic<std::uint64_t> word{0};
    };
    // Empty slots are counted against the limit a batch at a time, each
    // thread drawing on its own batch: one shared count bumped per slot taken
    // made both threads' cores pass its cache line back and forth (with the
    // table's address and size beside it) once per new state. So the table
    // may pass three quarters by up to a batch per thread.
    static constexpr std::size_t kBatch = 32;
    struct alignas(64) Reserved {
        std::size_t slots = 0;  // empty slots the thread may still take
    };
    bool reserve(std::uint32_t thread) {  // pack() let only threads below 1 << kThreadBits here
        if (reserved_[thread].slots > 0) return true;
        if (used_.fetch_add(kBatch, std::memory_order_relaxed) >= limit_) return false;
        reserved_[thread].slots = kBatch;
        return true;
    }
    std::unique_ptr<Slot[]> slots_;
    std::size_t capacity_ = 0, limit_ = 0;
    alignas(64) std::atomic<std::size_t> used_{0};  // slots handed out in batches
    std::atomic<bool> lost_{false};                 // an offer not kept this level
    Reserved reserved_[std::size_t{1} << kThreadBits];
    void lose() {  // once: a full table loses many
        if (!lost_.load(std::memory_order_relaxed)) lost_.store(true, std::memory_order_relaxed);
    }
};

}  // namespace sim
