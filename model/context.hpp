// model/context.hpp — what a stream machine needs from outside while it
// handles one element: its server's policy, the source of fresh stream ids,
// and the outbox its actions write to. Never part of a machine's state.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <new>

#include "model/element.hpp"
#include "model/server_policy.hpp"

namespace bidilab::model {

// The elements one delivery produced, in order: wire elements for the peer on
// this stream, and non-wire outputs (VerifyNeeded, VerifyOutcome, PairOutcome)
// for the global model. Fixed capacity, no allocation.
class Outbox {
public:
    static constexpr std::size_t kCapacity = 6;

    Outbox() {}  // slots stay uninitialized: a Context is made per delivery
    Outbox(const Outbox& o) : size_(o.size_), overflow_(o.overflow_) {
        for (std::size_t i = 0; i < size_; ++i) new (&items_[i].e) Element(o.items_[i].e);
    }
    Outbox& operator=(const Outbox& o) {
        size_ = o.size_;
        overflow_ = o.overflow_;
        for (std::size_t i = 0; i < size_; ++i) new (&items_[i].e) Element(o.items_[i].e);
        return *this;
    }

    void push(const Element& e) {
        if (size_ < kCapacity) new (&items_[size_++].e) Element(e);
        else overflow_ = true;
    }
    void clear() { size_ = 0; overflow_ = false; }
    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    bool overflow() const { return overflow_; }  // a bug: a delivery produced too much
    const Element& operator[](std::size_t i) const { return items_[i].e; }

private:
    union Slot {  // Element is trivially copyable and destructible
        Slot() {}
        Element e;
    };

public:
    class Iterator {
    public:
        using iterator_category = std::forward_iterator_tag;
        using value_type = Element;
        using difference_type = std::ptrdiff_t;
        using pointer = const Element*;
        using reference = const Element&;
        explicit Iterator(const Slot* s) : slot_(s) {}
        const Element& operator*() const { return slot_->e; }
        const Element* operator->() const { return &slot_->e; }
        Iterator& operator++() { ++slot_; return *this; }
        bool operator!=(const Iterator& o) const { return slot_ != o.slot_; }
        bool operator==(const Iterator& o) const { return slot_ == o.slot_; }

    private:
        const Slot* slot_;
    };
    Iterator begin() const { return Iterator(items_.data()); }
    Iterator end() const { return Iterator(items_.data() + size_); }

private:
    static_assert(sizeof(Slot) == sizeof(Element));
    std::array<Slot, kCapacity> items_;
    std::uint8_t size_ = 0;
    bool overflow_ = false;
};

struct Context {
    explicit Context(const ServerPolicy& p, StreamId first_free_id = 1, ChoiceBits branches_taken = 0)
        : policy(&p), next_stream_id(first_free_id), branches(branches_taken) {}
    // A Context keeps a pointer to the policy: never to a temporary one.
    explicit Context(const ServerPolicy&& p, StreamId first_free_id = 1, ChoiceBits branches_taken = 0) = delete;

    const ServerPolicy* policy;  // the server this endpoint belongs to
    // Fresh stream ids (CORE-7, CORE-15): a machine that opens a response
    // stream takes this value and increments it; the global model keeps the
    // counter in its state so ids never repeat across connections.
    StreamId next_stream_id;
    Outbox out;  // cleared by deliver() before the machine runs
    // The transition-table row whose guard passed in this delivery (-1: none
    // yet, or the row has no guard); set by the machine, read by deliver().
    std::int16_t fired_row = -1;

    // For each choice the server's policy leaves open ("any"), the branch this
    // run took (bit by SpecChoice: 1 = the other branch).
    ChoiceBits branches = 0;
    // Where to note the open choices this delivery asked about (bit by
    // SpecChoice), or nullptr: `validate` searches only the branches of those.
    ChoiceBits* asked = nullptr;
    // The pair an initiating stream asks for first when it starts dialback
    // (none: its header's, as the router opens a connection per pair); set by
    // `validate` to the pair the captured server asked for first.
    struct {
        DomainId from = kNoDomain, to = kNoDomain;
    } first_pair;

    StreamId take_stream_id() { return next_stream_id++; }
    // Does the server take the other branch of `c` (topologies/spec_choice.hpp)?
    bool takes(SpecChoice c) const {
        if (asked && policy->open(c)) *asked |= choice_bit(c);
        return policy->takes_other(c, branches);
    }
};

}  // namespace bidilab::model
