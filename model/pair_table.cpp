#include "model/pair_table.hpp"

#include <cstring>
#include <tuple>

namespace bidilab::model {

bool PairTable::apply(DomainId sender, DomainId target, PairEvent ev) {
    if (!can_apply(sender, target, ev)) return false;
    const PairState next = *pair_auth_next(get(sender, target), ev);
    for (std::size_t i = 0; i < size_; ++i)
        if (entries_[i].sender == sender && entries_[i].target == target) {
            entries_[i].state = next;
            return true;
        }
    std::size_t at = 0;  // insert keeping (sender, target) order
    while (at < size_ && std::tie(entries_[at].sender, entries_[at].target) < std::tie(sender, target)) ++at;
    for (std::size_t i = size_; i > at; --i) entries_[i] = entries_[i - 1];
    entries_[at] = PairEntry{sender, target, next};
    ++size_;
    return true;
}

bool PairTable::valid_sender(DomainId sender) const {
    for (std::size_t i = 0; i < size_; ++i)
        if (entries_[i].sender == sender && entries_[i].state == PairState::Valid) return true;
    return false;
}

bool PairTable::valid_target(DomainId target) const {
    for (std::size_t i = 0; i < size_; ++i)
        if (entries_[i].target == target && entries_[i].state == PairState::Valid) return true;
    return false;
}

bool operator==(const PairTable& a, const PairTable& b) { return std::memcmp(&a, &b, sizeof a) == 0; }

bool PendingVerifies::contains(DomainId from, DomainId to, StreamId id) const {
    for (std::size_t i = 0; i < size_; ++i)
        if (entries_[i].from == from && entries_[i].to == to && entries_[i].id == id) return true;
    return false;
}

bool PendingVerifies::add(DomainId from, DomainId to, StreamId id) {
    if (full() || contains(from, to, id)) return false;
    std::size_t at = 0;
    while (at < size_ && std::tie(entries_[at].id, entries_[at].from, entries_[at].to) < std::tie(id, from, to)) ++at;
    for (std::size_t i = size_; i > at; --i) entries_[i] = entries_[i - 1];
    entries_[at] = PendingVerify{id, from, to};
    ++size_;
    return true;
}

bool PendingVerifies::remove(DomainId from, DomainId to, StreamId id) {
    for (std::size_t i = 0; i < size_; ++i)
        if (entries_[i].from == from && entries_[i].to == to && entries_[i].id == id) {
            for (std::size_t j = i; j + 1 < size_; ++j) entries_[j] = entries_[j + 1];
            entries_[--size_] = PendingVerify{};
            return true;
        }
    return false;
}

bool operator==(const PendingVerifies& a, const PendingVerifies& b) { return std::memcmp(&a, &b, sizeof a) == 0; }

}  // namespace bidilab::model
