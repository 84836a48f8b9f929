#include "model/world.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <tuple>

#include "sim/fingerprint.hpp"

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

std::uint16_t World::position_of(std::uint16_t number) const {
    if (number == 0) return 0;
    for (std::size_t k = 0; k < connections.size(); ++k)
        if (connections[k].number == number) return static_cast<std::uint16_t>(k + 1);
    return 0xFFFF;
}

const Connection* World::connection(std::uint16_t number) const {
    for (const auto& c : connections)
        if (c.number == number) return &c;
    return nullptr;
}

namespace {

// Where the stream an id names lives: 1 + the position of the connection
// whose receiving (or else initiating) stream holds it, 0 for none.
std::uint8_t holder_of(const World& w, StreamId id) {
    if (id == kNoStream) return 0;
    for (std::size_t k = 0; k < w.connections.size(); ++k)
        if (w.connections[k].r.data().stream_id == id || w.connections[k].i.data().stream_id == id)
            return static_cast<std::uint8_t>(k + 1);
    return 0;
}

// The pending db:verify requests as a set too: in order of (server, the
// connection they wait for, the stream they are about, the request),
// stably: all labels replaced by positions in the sorted connections.
bool sort_verifies_in_place(World& w) {
    if (w.verifies.size() < 2) return false;
    auto key = [&w](const PendingVerifyRequest& v) {
        Element need = v.need;
        const std::uint8_t about = holder_of(w, need.id), key_about = holder_of(w, need.key.id);
        need.id = need.key.id = kNoStream;
        const std::uint16_t via = w.position_of(v.via);
        std::array<unsigned char, sizeof(Element)> bytes;
        std::memcpy(bytes.data(), &need, sizeof need);
        return std::make_tuple(v.at, via, about, key_about, bytes);
    };
    // Insertion sort: stable, in place (std::stable_sort takes a buffer), and
    // a server has only a few requests pending.
    bool moved = false;
    for (std::size_t i = 1; i < w.verifies.size(); ++i)
        for (std::size_t j = i; j > 0 && key(w.verifies[j]) < key(w.verifies[j - 1]); --j) {
            std::swap(w.verifies[j], w.verifies[j - 1]);
            moved = true;
        }
    return moved;
}

bool sort_connections(World& w, const Scenario& sc) {
    const std::size_t n = w.connections.size();
    if (n < 2) return false;
    // Sorting keys first, then the connections by them: moved (their FIFOs
    // are vectors) rather than copied.
    struct Key {
        CanonicalKey key;
        std::uint16_t at;  // position before sorting
    };
    std::array<Key, 64> inline_keys;
    std::vector<Key> more;
    Key* keys = inline_keys.data();
    if (n > inline_keys.size()) {
        more.resize(n);
        keys = more.data();
    }
    bool sorted = true;
    for (std::size_t k = 0; k < n; ++k) {
        keys[k] = Key{canonical_key(w.connections[k], sc), static_cast<std::uint16_t>(k)};
        if (k > 0 && keys[k].key < keys[k - 1].key) sorted = false;
    }
    if (sorted) return false;
    std::sort(keys, keys + n, [](const Key& a, const Key& b) { return a.key < b.key; });
    thread_local std::vector<Connection> scratch;
    scratch.resize(n);
    for (std::size_t k = 0; k < n; ++k) std::swap(scratch[k], w.connections[keys[k].at]);
    w.connections.swap(scratch);
    return true;
}

}  // namespace

bool sort_pending_verifies(World& w) { return sort_verifies_in_place(w); }

CanonicalKey canonical_key(const Connection& c, const Scenario& sc) {
    const std::uint8_t rank = sc.servers[c.initiator].attacker ? 0 : sc.servers[c.receiver].attacker ? 1 : 2;
    return CanonicalKey{rank, connection_identity(c), c.number};
}

std::uint64_t connection_identity(const Connection& c) {
    const InitiatingData& d = c.i.data();
    return std::uint64_t{c.initiator} << 48 | std::uint64_t{c.receiver} << 32 | std::uint64_t{d.from} << 17 |
           std::uint64_t{d.to} << 2 | (d.has(InitiatingData::kVerifyOnly) ? 1u : 0u);
}

bool put_in_canonical_order(World& w, const Scenario& sc) {
    const bool connections = sort_connections(w, sc);
    const bool verifies = sort_verifies_in_place(w);
    return connections || verifies;
}

namespace {

// Per thread: for each stream id, the generation that named it and its name.
struct StreamNames {
    std::vector<CanonicalLabels::Name> names = std::vector<CanonicalLabels::Name>(std::size_t{1} << 16);
    std::uint32_t generation = 0;
    bool in_use = false;
};
thread_local StreamNames table;

}  // namespace

CanonicalLabels::CanonicalLabels(const World& w) : w_(w) {
    StreamNames& t = table;
    if (t.in_use) throw std::logic_error("CanonicalLabels: one per thread at a time");
    t.in_use = true;
    if (++t.generation == 0) {  // wrapped: no stamp may look current
        std::fill(t.names.begin(), t.names.end(), Name{});
        t.generation = 1;
    }
    names_ = t.names.data();
    generation_ = t.generation;
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

CanonicalLabels::~CanonicalLabels() { table.in_use = false; }

void CanonicalLabels::see(StreamId id) {
    if (id == kNoStream) return;
    Name& n = names_[id];
    if (n.generation == generation_) return;
    n.generation = generation_;
    n.name = ++seen_;
}

}  // namespace bidilab::model
