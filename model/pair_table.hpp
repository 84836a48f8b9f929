// model/pair_table.hpp — the dialback pairs of one stream and direction: a
// sorted small map (sender, target) → PairState with fixed capacity, so a
// stream's state stays a few plain bytes (XEP-0220 §2.6 multiplexing).
// Absent pairs are Idle. Unused slots stay zero: equal tables are equal bytes.
#pragma once

#include <array>
#include <cstdint>

#include "model/pair_auth.hpp"

namespace bidilab::model {

struct PairEntry {
    DomainId sender = kNoDomain;
    DomainId target = kNoDomain;
    PairState state = PairState::Idle;
};

class PairTable {
public:
    static constexpr std::size_t kCapacity = 4;

    PairState get(DomainId sender, DomainId target) const {
        const PairEntry* e = find(sender, target);
        return e ? e->state : PairState::Idle;
    }
    // Whether pair_auth allows `ev` for the pair (and there is room for a new one).
    bool can_apply(DomainId sender, DomainId target, PairEvent ev) const {
        if (!pair_auth_next(get(sender, target), ev)) return false;
        return find(sender, target) != nullptr || size_ < kCapacity;
    }
    // Applies `ev`; false (and no change) when can_apply is false.
    bool apply(DomainId sender, DomainId target, PairEvent ev);

    bool any(PairState s) const {
        for (std::size_t i = 0; i < size_; ++i)
            if (entries_[i].state == s) return true;
        return false;
    }
    // Some valid pair has this sender (as sender) / this target (as target).
    bool valid_sender(DomainId sender) const;
    bool valid_target(DomainId target) const;

    std::size_t size() const { return size_; }
    const PairEntry& operator[](std::size_t i) const { return entries_[i]; }
    void clear() { *this = PairTable(); }

    template <class H>
    void encode(H& h) const {
        h.value(size_);
        for (std::size_t i = 0; i < size_; ++i) {
            h.value(entries_[i].sender); h.value(entries_[i].target);
            h.value(static_cast<std::uint8_t>(entries_[i].state));
        }
    }
    friend bool operator==(const PairTable& a, const PairTable& b);
    friend bool operator!=(const PairTable& a, const PairTable& b) { return !(a == b); }

private:
    const PairEntry* find(DomainId sender, DomainId target) const {
        for (std::size_t i = 0; i < size_; ++i)
            if (entries_[i].sender == sender && entries_[i].target == target) return &entries_[i];
        return nullptr;
    }

    std::array<PairEntry, kCapacity> entries_{};  // sorted by (sender, target)
    std::uint8_t size_ = 0;
};
static_assert(sizeof(PairTable) == 13);

// The db:verify requests a stream sent and has no answer for (DB-18).
struct PendingVerify {
    StreamId id = kNoStream;
    DomainId from = kNoDomain;  // as sent: the asking domain
    DomainId to = kNoDomain;    // as sent: the domain whose key it is
};

class PendingVerifies {
public:
    static constexpr std::size_t kCapacity = 3;

    bool contains(DomainId from, DomainId to, StreamId id) const;
    bool full() const { return size_ == kCapacity; }
    bool add(DomainId from, DomainId to, StreamId id);     // false when full or present
    bool remove(DomainId from, DomainId to, StreamId id);  // false when absent
    std::size_t size() const { return size_; }
    const PendingVerify& operator[](std::size_t i) const { return entries_[i]; }

    // The same requests with every stream id renamed by f (kept sorted).
    template <class F>
    PendingVerifies renamed(F f) const {
        PendingVerifies out;
        for (std::size_t i = 0; i < size_; ++i) out.add(entries_[i].from, entries_[i].to, f(entries_[i].id));
        return out;
    }

    template <class H>
    void encode(H& h) const {
        h.value(size_);
        for (std::size_t i = 0; i < size_; ++i) {
            h.value(entries_[i].id); h.value(entries_[i].from); h.value(entries_[i].to);
        }
    }
    friend bool operator==(const PendingVerifies& a, const PendingVerifies& b);
    friend bool operator!=(const PendingVerifies& a, const PendingVerifies& b) { return !(a == b); }

private:
    std::array<PendingVerify, kCapacity> entries_{};  // sorted by (id, from, to)
    std::uint8_t size_ = 0;
    [[maybe_unused]] std::uint8_t reserved_ = 0;  // padding, kept zero: bytes are the value
};
static_assert(sizeof(PendingVerifies) == 14);

}  // namespace bidilab::model
