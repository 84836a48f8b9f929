// sim/visited_set.hpp — the set of visited fingerprints.
//
// An ordered linear-probing table: slot home = high bits of fp * capacity,
// which is monotone in fp, and every run of occupied slots is kept sorted.
// The whole table is therefore sorted, so a lookup stops at the first slot
// holding a larger fingerprint, and growing is one sequential pass with no
// probing. It stores 8 bytes per slot (12 with the optional index payload),
// at a load between 0.7 and 0.875: growth is by a quarter, not a doubling.
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <utility>
#include <vector>

namespace sim {

class VisitedSet {
public:
    static constexpr std::uint32_t no_index = 0xFFFFFFFFu;

    explicit VisitedSet(bool with_index = false, std::size_t initial_capacity = 1u << 16)
        : with_index_(with_index) {
        allocate(initial_capacity);
    }

    // Inserts fp (non-zero). Returns {inserted, index}: the index stored with
    // fp (the given one when newly inserted; no_index without payload).
    std::pair<bool, std::uint32_t> insert(std::uint64_t fp, std::uint32_t index = no_index) {
        if (size_ + 1 > max_load_) grow();
        std::size_t i = home(fp);
        while (slots_[i] != 0 && slots_[i] < fp) ++i;
        if (slots_[i] == fp) return {false, with_index_ ? indices_[i] : no_index};
        std::size_t end = i;
        while (slots_[end] != 0) ++end;
        if (end + 1 >= slots_.size()) {  // ran into the overflow guard
            grow();
            return insert(fp, index);
        }
        std::memmove(&slots_[i + 1], &slots_[i], (end - i) * sizeof(std::uint64_t));
        slots_[i] = fp;
        if (with_index_) {
            std::memmove(&indices_[i + 1], &indices_[i], (end - i) * sizeof(std::uint32_t));
            indices_[i] = index;
        }
        ++size_;
        return {true, index};
    }

    bool contains(std::uint64_t fp) const { return find_slot(fp) != npos; }
    // Whether fp is in the set, and its index (no_index without payload).
    std::optional<std::uint32_t> find(std::uint64_t fp) const {
        const std::size_t i = find_slot(fp);
        if (i == npos) return std::nullopt;
        return with_index_ ? indices_[i] : no_index;
    }

    // A hint: starts loading fp's home slot for an insert or lookup soon after.
    void prefetch(std::uint64_t fp) const { __builtin_prefetch(&slots_[home(fp)]); }

    // Makes room for n fingerprints in all, so that inserting them never grows
    // the table (growing is a full pass with old and new tables both alive).
    void reserve(std::size_t n) {
        if (n <= max_load_) return;
        std::size_t capacity = n;
        while (max_load_for(capacity) < n) capacity += capacity / 64 + 1;
        resize(capacity);
    }

    // Frees the indices and stores none from here on.
    void drop_indices() {
        with_index_ = false;
        std::vector<std::uint32_t>().swap(indices_);
    }

    // Replaces the index stored with fp (present, with payload); else nothing.
    void set_index(std::uint64_t fp, std::uint32_t index) {
        const std::size_t i = find_slot(fp);
        if (i != npos && with_index_) indices_[i] = index;
    }

    std::uint32_t index_of(std::uint64_t fp) const {
        std::size_t i = find_slot(fp);
        return (i == npos || !with_index_) ? no_index : indices_[i];
    }

    std::size_t size() const { return size_; }
    std::size_t capacity() const { return capacity_; }
    // Fingerprints that still fit before the table grows, and the bytes that
    // growth allocates (the new table, while the old one is still alive).
    std::size_t room() const { return max_load_ - size_; }
    std::size_t growth_bytes() const {
        return (capacity_ + capacity_ / 4 + overflow) * (sizeof(std::uint64_t) + (with_index_ ? sizeof(std::uint32_t) : 0));
    }
    std::size_t bytes() const {
        return slots_.capacity() * sizeof(std::uint64_t) + indices_.capacity() * sizeof(std::uint32_t);
    }

    // To and from a checkpoint (sim/checkpoint.hpp): the capacity, then the
    // fingerprints in table order (with their indices). The table's layout
    // depends on its capacity and contents alone (every run of slots is
    // sorted), so loading rebuilds it slot for slot.
    template <class Writer>
    void save(Writer& w) const {
        w.template value<std::uint8_t>(with_index_);
        w.template value<std::uint64_t>(capacity_);
        w.template value<std::uint64_t>(size_);
        for (std::size_t i = 0; i < slots_.size(); ++i) {
            if (slots_[i] == 0) continue;
            w.template value<std::uint64_t>(slots_[i]);
            if (with_index_) w.template value<std::uint32_t>(indices_[i]);
        }
    }
    template <class Reader>
    void load(Reader& r) {
        with_index_ = r.flag();
        const std::uint64_t capacity = r.template value<std::uint64_t>();
        const std::uint64_t size = r.count(with_index_ ? 12 : 8);
        if (capacity == 0 || size > max_load_for(capacity) || capacity > size * 4 + (std::uint64_t{1} << 24))
            r.fail("a visited set out of shape");
        std::vector<std::uint64_t> old_slots(size);
        std::vector<std::uint32_t> old_indices(with_index_ ? size : 0);
        for (std::uint64_t i = 0; i < size; ++i) {
            old_slots[i] = r.template value<std::uint64_t>();
            if (with_index_) old_indices[i] = r.template value<std::uint32_t>();
            if (old_slots[i] == 0 || (i != 0 && old_slots[i] <= old_slots[i - 1])) r.fail("visited fingerprints out of order");
        }
        std::vector<std::uint64_t>().swap(slots_);  // allocated anew at the saved capacity
        std::vector<std::uint32_t>().swap(indices_);
        if (!rehash(capacity, old_slots, old_indices)) r.fail("visited fingerprints that do not fit their table");
        size_ = size;
    }

private:
    static constexpr std::size_t npos = ~std::size_t{0};
    static constexpr std::size_t overflow = 4096;  // runs past the last home slot

    std::size_t home(std::uint64_t fp) const {
        return static_cast<std::size_t>((static_cast<unsigned __int128>(fp) * capacity_) >> 64);
    }

    std::size_t find_slot(std::uint64_t fp) const {
        std::size_t i = home(fp);
        while (slots_[i] != 0 && slots_[i] < fp) ++i;
        return slots_[i] == fp ? i : npos;
    }

    static std::size_t max_load_for(std::size_t capacity) { return capacity / 8 * 7; }  // 0.875

    void allocate(std::size_t capacity) {
        capacity_ = capacity;
        max_load_ = max_load_for(capacity);
        slots_.assign(capacity + overflow, 0);
        if (with_index_) indices_.assign(capacity + overflow, no_index);
    }

    void grow() { resize(capacity_ + capacity_ / 4); }

    void resize(std::size_t capacity) {
        std::vector<std::uint64_t> old_slots;
        std::vector<std::uint32_t> old_indices;
        old_slots.swap(slots_);
        old_indices.swap(indices_);
        while (!rehash(capacity, old_slots, old_indices)) capacity += capacity / 4;
    }

    // Entries arrive in sorted order, so each goes to max(home, next free).
    bool rehash(std::size_t capacity, const std::vector<std::uint64_t>& old_slots,
                const std::vector<std::uint32_t>& old_indices) {
        allocate(capacity);
        std::size_t next = 0;
        for (std::size_t j = 0; j < old_slots.size(); ++j) {
            if (old_slots[j] == 0) continue;
            std::size_t i = home(old_slots[j]);
            if (i < next) i = next;
            if (i + 1 >= slots_.size()) return false;
            slots_[i] = old_slots[j];
            if (with_index_) indices_[i] = old_indices[j];
            next = i + 1;
        }
        return true;
    }

    bool with_index_;
    std::size_t capacity_ = 0;
    std::size_t max_load_ = 0;
    std::size_t size_ = 0;
    std::vector<std::uint64_t> slots_;
    std::vector<std::uint32_t> indices_;
};

}  // namespace sim
