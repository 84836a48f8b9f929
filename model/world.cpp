#include "model/world.hpp"

namespace bidilab::model {

const char* fate_name(Fate f) {
    switch (f) {
        case Fate::Unsubmitted: return "unsubmitted";
        case Fate::Queued: return "queued";
        case Fate::InFlight: return "in flight";
        case Fate::Delivered: return "delivered";
        case Fate::Bounced: return "bounced";
        case Fate::Lost: return "lost";
    }
    return "?";
}

const Connection* World::connection(std::uint16_t number) const {
    for (const auto& c : connections)
        if (c.number == number) return &c;
    return nullptr;
}

CanonicalLabels::CanonicalLabels(const World& w) : w_(w) {
    for (const auto& c : w.connections) {
        see(c.i.data().stream_id);
        see(c.r.data().stream_id);
        for (const auto& e : c.to_receiver) see(e.id), see(e.key.id);
        for (const auto& e : c.to_initiator) see(e.id), see(e.key.id);
    }
    for (const auto& v : w.verifies) see(v.need.id), see(v.need.key.id);
    for (const auto& k : w.seen_keys) see(k.id);
    // Last, the ids only a machine's unanswered db:verify still holds (the
    // stream they named is gone): without a canonical name each would keep
    // its own, and a reconnect loop would never close on itself.
    for (const auto& c : w.connections) {
        const PendingVerifies& pending = c.i.data().verifies;
        for (std::size_t k = 0; k < pending.size(); ++k) see(pending[k].id);
    }
}

void CanonicalLabels::see(StreamId id) {
    if (id == kNoStream || stream(id) < 0x8000u) return;
    if (seen_ < kInline) streams_[seen_] = id;
    else more_.push_back(id);
    ++seen_;
}

StreamId CanonicalLabels::stream(StreamId id) const {
    if (id == kNoStream) return kNoStream;
    const std::size_t inline_seen = seen_ < kInline ? seen_ : kInline;
    for (std::size_t k = 0; k < inline_seen; ++k)
        if (streams_[k] == id) return static_cast<StreamId>(k + 1);
    for (std::size_t k = 0; k < more_.size(); ++k)
        if (more_[k] == id) return static_cast<StreamId>(kInline + k + 1);
    // Not seen (never, as the constructor sees every place an id is held):
    // a name of its own, past every canonical one.
    return static_cast<StreamId>(0x8000u | id);
}

std::uint16_t CanonicalLabels::connection(std::uint16_t number) const {
    if (number == 0) return 0;
    for (std::size_t k = 0; k < w_.connections.size(); ++k)
        if (w_.connections[k].number == number) return static_cast<std::uint16_t>(k + 1);
    return 0xFFFF;  // a connection that is gone: all such are alike
}

}  // namespace bidilab::model
