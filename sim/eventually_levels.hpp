// sim/eventually_levels.hpp — deciding `eventually P` during a breadth-first
// search, without keeping the graph.
//
// A violation of `eventually P` is a path from an initial state that never
// meets P and either ends (a state without successors) or loops. Breadth-
// first, states are expanded level by level (level = depth), and every edge
// into a state first found at level d + 1 comes from level d. While no edge
// goes back (to a state of the source's level or an earlier one), the graph
// is layered by depth and has no cycle at all, and for each state it is
// known, once its level is complete, whether some P-free path from an
// initial state reaches it: that is so when P fails in it and in one of its
// predecessors such a path arrives (one bit per eventually property, `free`).
// A state without successors that such a path reaches is a violation. So is
// nothing else, as long as no edge went back.
//
// This class keeps the bits for two levels only: the one being expanded and
// the next, in open-addressing tables keyed by fingerprint (16 bytes a slot,
// at most 3/4 full; up to kMaxProperties eventually properties). When an edge goes
// back (cyclic()), or a violation needs its trace, the explorer hands the
// property to sim/eventually_search.hpp, which searches the graph again.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

namespace sim {

class EventuallyLevels {
public:
    static constexpr std::size_t kMaxProperties = 32;

    // A root: its fingerprint and the properties that fail in it (`open`).
    void root(std::uint64_t fp, std::uint64_t open) { set(next_, fp, open, open); }

    // The state `fp` at `depth` is about to be expanded: the properties for
    // which a P-free path from a root reaches it.
    std::uint64_t expand(std::uint64_t fp, std::uint32_t depth) {
        if (!started_ || depth != depth_) {  // a new level: the next one becomes the current one
            std::swap(current_, next_);
            clear(next_);
            depth_ = depth;
            started_ = true;
        }
        const Slot* s = find(current_, fp);
        return s ? s->free : 0;
    }

    // An edge from the state being expanded (its bits `from_free`) to the
    // state `fp`: one found just now (`open`: the properties that fail in it)
    // or one found before (open unused).
    void edge(std::uint64_t from_free, std::uint64_t fp, bool found_now, std::uint64_t open) {
        if (found_now) {
            set(next_, fp, from_free & open, open);
            return;
        }
        Slot* s = find(next_, fp);
        if (!s) {
            cyclic_ = true;  // back to this level or an earlier one
            return;
        }
        s->free |= from_free & s->open;
    }

    // An edge from the state being expanded to one found at its level or
    // an earlier one (sim/level_search.hpp knows so without a lookup).
    void edge_back() { cyclic_ = true; }

    // Some edge went back: the graph may have cycles, and the levels decide nothing.
    bool cyclic() const { return cyclic_; }
    std::size_t peak_bytes() const { return peak_bytes_; }

    // To and from a checkpoint (sim/checkpoint.hpp): both tables slot for slot.
    template <class Writer>
    void save(Writer& w) const {
        for (const Table* t : {&current_, &next_}) {
            w.array(t->slots.data(), t->slots.size());
            w.template value<std::uint64_t>(t->size);
        }
        w.template value<std::uint32_t>(depth_);
        w.template value<std::uint8_t>(started_);
        w.template value<std::uint8_t>(cyclic_);
        w.template value<std::uint64_t>(peak_bytes_);
    }
    template <class Reader>
    void load(Reader& r) {
        for (Table* t : {&current_, &next_}) {
            t->slots = r.template array<Slot>();
            t->size = r.template value<std::uint64_t>();
            std::size_t used = 0;
            for (const Slot& s : t->slots) used += s.fp != 0;
            const std::size_t n = t->slots.size();
            if ((n & (n - 1)) != 0 || used != t->size || (n != 0 && used * 4 > n * 3)) r.fail("a level table out of shape");
        }
        depth_ = r.template value<std::uint32_t>();
        started_ = r.flag();
        cyclic_ = r.flag();
        peak_bytes_ = r.template value<std::uint64_t>();
    }

private:
    struct Slot {
        std::uint64_t fp = 0;  // 0: empty
        std::uint32_t free = 0;
        std::uint32_t open = 0;
    };
    struct Table {
        std::vector<Slot> slots;
        std::size_t size = 0;
    };

    static std::size_t home(const Table& t, std::uint64_t fp) { return fp & (t.slots.size() - 1); }

    Slot* find(Table& t, std::uint64_t fp) {
        if (t.slots.empty()) return nullptr;
        for (std::size_t i = home(t, fp);; i = (i + 1) & (t.slots.size() - 1)) {
            if (t.slots[i].fp == fp) return &t.slots[i];
            if (t.slots[i].fp == 0) return nullptr;
        }
    }
    void set(Table& t, std::uint64_t fp, std::uint64_t free, std::uint64_t open) {
        if ((t.size + 1) * 4 > t.slots.size() * 3) grow(t);  // at most 3/4 full
        std::size_t i = home(t, fp);
        while (t.slots[i].fp != 0 && t.slots[i].fp != fp) i = (i + 1) & (t.slots.size() - 1);
        if (t.slots[i].fp == 0) ++t.size;
        t.slots[i] = Slot{fp, static_cast<std::uint32_t>(free), static_cast<std::uint32_t>(open)};
    }
    void grow(Table& t) {
        std::vector<Slot> old;
        old.swap(t.slots);
        t.slots.assign(old.empty() ? 1024 : 2 * old.size(), Slot{});
        t.size = 0;
        for (const Slot& s : old)
            if (s.fp != 0) set(t, s.fp, s.free, s.open);
        const std::size_t held = (current_.slots.size() + next_.slots.size()) * sizeof(Slot);
        if (held > peak_bytes_) peak_bytes_ = held;
    }
    static void clear(Table& t) {
        for (Slot& s : t.slots) s = Slot{};
        t.size = 0;
    }

    Table current_, next_;
    std::uint32_t depth_ = 0;
    bool started_ = false;
    bool cyclic_ = false;
    std::size_t peak_bytes_ = 0;
};

}  // namespace sim
