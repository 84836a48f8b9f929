// sim/level_index.hpp — the replay's table of the states one level found
// (sim/level_search.hpp), for a level whose claim table lost an offer and so
// cannot say which transition reaches each state first: fingerprint to
// index. The replay takes the level's transitions in (parent, action) order;
// the first to reach a state gives it its index, the later ones find it
// here. One thread uses it, while another inserts the same states into the
// visited set; it is much smaller than the visited set (a level's states,
// not the run's) and keeps no order, so a lookup is one or two probes into
// memory the replay just touched.
#pragma once

#include <cstdint>
#include <vector>

namespace sim {

class LevelIndex {
public:
    static constexpr std::uint32_t kNone = ~std::uint32_t{0};

    // Room for `states` fingerprints (non-zero), all forgotten.
    void reset(std::size_t states) {
        std::size_t capacity = 1024;
        while (capacity < 2 * states) capacity *= 2;
        slots_.assign(capacity, Slot{});
        mask_ = capacity - 1;
    }

    // fp's index, or kNone.
    std::uint32_t find(std::uint64_t fp) const {
        for (std::size_t i = fp & mask_;; i = (i + 1) & mask_) {
            if (slots_[i].fp == fp) return slots_[i].index;
            if (slots_[i].fp == 0) return kNone;
        }
    }

    // fp (not in the table) with its index; at most the `states` of reset().
    void add(std::uint64_t fp, std::uint32_t index) {
        std::size_t i = fp & mask_;
        while (slots_[i].fp != 0) i = (i + 1) & mask_;
        slots_[i] = Slot{fp, index};
    }

    std::size_t bytes() const { return slots_.capacity() * sizeof(Slot); }

private:
    struct __attribute__((packed)) Slot {  // 12 bytes
        std::uint64_t fp = 0;  // 0: empty
        std::uint32_t index = 0;
    };
    std::vector<Slot> slots_;
    std::size_t mask_ = 0;
};

}  // namespace sim
