// model/world.hpp — the global state: every connection (its two stream
// machines and the two FIFO channels between them), each scenario stanza's
// fate, the db:verify requests a server still has to send, and the counter of
// fresh stream ids. A value: copied per transition; hashed with its stream ids
// and connection numbers renamed canonically (CanonicalLabels).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <vector>

#include <boost/container/small_vector.hpp>

#include "model/element.hpp"
#include "model/initiating_stream.hpp"
#include "model/receiving_stream.hpp"
#include "model/scenario.hpp"

namespace bidilab::model {

// One direction of a connection: the elements written and not yet read, in
// order. Up to kFifoInline of them live inside the Connection, so copying a
// world (once per successor) allocates nothing unless a FIFO grows past that.
constexpr std::size_t kFifoInline = 8;
using Fifo = boost::container::small_vector<Element, kFifoInline>;

// One TCP connection: the initiating server dialled the receiving server.
// TCP as it is (design principle 4): one FIFO per direction.
struct Connection {
    ServerIndex initiator = 0;
    ServerIndex receiver = 0;
    std::uint16_t number = 0;  // 1, 2, ... in order of opening: the "1" of I1/R1 in transcripts
    InitiatingStream i;
    ReceivingStream r;
    Fifo to_receiver;   // written by i, read by r
    Fifo to_initiator;  // written by r, read by i

    bool closed() const {
        return i.state() == InitiatingStream::State::Closed && r.state() == ReceivingStream::State::Closed;
    }
    bool idle() const { return to_receiver.empty() && to_initiator.empty(); }
    friend bool operator==(const Connection& a, const Connection& b) {
        return a.initiator == b.initiator && a.receiver == b.receiver && a.number == b.number && a.i == b.i &&
               a.r == b.r && a.to_receiver == b.to_receiver && a.to_initiator == b.to_initiator;
    }
};

// What became of one scenario stanza (CORE-52, DB-6: delivered or bounced).
// Lost: written onto a connection that was reset before the peer read it
// (`faults.resets`, Router::reset): gone with the TCP connection (CORE-19).
enum class Fate : std::uint8_t { Unsubmitted, Queued, InFlight, Delivered, Bounced, Lost };
const char* fate_name(Fate f);

struct StanzaRecord {
    Fate fate = Fate::Unsubmitted;
    Condition bounce = Condition::None;  // the stanza error of a bounce (DB-12, DB-14, CORE-52)
    std::uint8_t deliveries = 0;         // times the target server accepted it (exactly once)
    std::uint8_t bounces = 0;            // times it was bounced (exactly once, CORE-47)
    std::uint8_t reverse = 0;            // 1: written by a receiving stream (over bidi, BIDI-5)
    std::uint16_t via = 0;               // the connection it waits for or was written to (0: none)
    std::uint8_t rerouted = 0;           // 1: it waited for a connection that was reset, and was routed
                                         // again over a new one (CORE-20, CORE-56: the reconnect)
    friend bool operator==(const StanzaRecord& a, const StanzaRecord& b) {
        return a.fate == b.fate && a.bounce == b.bounce && a.deliveries == b.deliveries && a.bounces == b.bounces &&
               a.reverse == b.reverse && a.via == b.via && a.rerouted == b.rerouted;
    }
};

// A dialback key a receiving server must have checked by the authoritative
// server of `need.from` (XEP-0220 Step 2), not yet sent as db:verify.
struct PendingVerifyRequest {
    ServerIndex at = 0;      // the server that asks
    std::uint16_t via = 0;   // the connection opened to carry it (0: none yet)
    Element need;            // the VerifyNeeded output
    friend bool operator==(const PendingVerifyRequest& a, const PendingVerifyRequest& b) {
        return a.at == b.at && a.via == b.via && a.need == b.need;
    }
};

// A protocol violation seen while delivering an element: the element had no
// row in its machine's state, or every guard rejected it.
struct ViolationRecord {
    std::uint16_t connection = 0;
    bool at_receiver = false;
    ElementKind element = ElementKind::StreamClose;
    Verdict verdict = Verdict::Handled;
    friend bool operator==(const ViolationRecord& a, const ViolationRecord& b) {
        return a.connection == b.connection && a.at_receiver == b.at_receiver && a.element == b.element &&
               a.verdict == b.verdict;
    }
};

struct World {
    std::vector<Connection> connections;       // live ones, in canonical order (put_in_canonical_order)
    std::vector<StanzaRecord> stanzas;         // by scenario index
    std::vector<PendingVerifyRequest> verifies;
    std::vector<ViolationRecord> violations;   // empty in a conforming run
    StreamId next_stream_id = 1;               // CORE-7, CORE-15: never reused
    std::uint16_t next_connection = 1;
    std::uint8_t resets_left = 0;              // TCP resets the environment may still inject (Router::reset)
    // The attackers' part (model/attacker.hpp): the dialback keys of other
    // networks they have read on the wire (they may replay them, KEY-1), the
    // elements they may still forge, and how many forged stanzas an honest
    // server accepted (the properties judge whether it should have).
    std::vector<Key> seen_keys;
    std::uint8_t forgeries_left = 0;
    std::uint8_t forged_accepted = 0;
    // The choices the topology leaves open ("any", Scenario::open_choices):
    // how many this run has decided (each by a step of its own, before any
    // other), and the branch of each (bit k: open_choices[k] took the other).
    std::uint32_t branches = 0;
    std::uint8_t choices_made = 0;

    const Connection* connection(std::uint16_t number) const;
    // Where connection `number` is held, as a label that does not depend on
    // when it was opened: 1 + its position, 0 for none (number 0), 0xFFFF
    // for one that is gone (all such are alike).
    std::uint16_t position_of(std::uint16_t number) const;
    friend bool operator==(const World& a, const World& b) {
        return a.connections == b.connections && a.stanzas == b.stanzas && a.verifies == b.verifies &&
               a.violations == b.violations && a.next_stream_id == b.next_stream_id &&
               a.next_connection == b.next_connection && a.resets_left == b.resets_left &&
               a.seen_keys == b.seen_keys && a.forgeries_left == b.forgeries_left &&
               a.forged_accepted == b.forged_accepted && a.branches == b.branches &&
               a.choices_made == b.choices_made;
    }
};

// Connections as a set (the "connections" symmetry, model/README.md): the
// order of World::connections carries no meaning of its own.
// put_in_canonical_order puts them in an order that no step changes: first
// the attacker's rank (connections it dialled, then those dialled to it, then
// honest ones, so routing tries an attacker's first: the worst case), then
// connection_identity(), then, among connections of one identity (a pair
// dialled again once its stream closed), the older first. The router puts a
// new connection in this place at once (Router::keep_canonical_order), so
// every router choice that takes "the first" connection takes the first in
// this order, and two worlds that hold the same
// connections, opened in another order (twins aside), are one state (same
// fingerprint, same behaviour). The pending db:verify requests are put in an order of
// their contents too (their server, then the positions of the connections
// they name).
// What a connection is for, which none of its steps changes: its servers,
// the pair its initiating stream was dialled for, and whether it is
// verify-only (DB-16). Since neither it nor the age of a connection changes,
// no step changes the order of two connections (model/locality.hpp relies
// on it).
std::uint64_t connection_identity(const Connection& c);
// A connection's place in the canonical order: connections the attacker
// dialled, then those dialled to it, then honest ones (rank 0, 1, 2); then
// by identity; then by age (number). put_in_canonical_order sorts by it and
// the router inserts by it (Router::keep_canonical_order): one key for both.
struct CanonicalKey {
    std::uint8_t rank = 2;
    std::uint64_t identity = 0;
    std::uint16_t number = 0;
    friend bool operator<(const CanonicalKey& a, const CanonicalKey& b) {
        return a.rank != b.rank ? a.rank < b.rank : a.identity != b.identity ? a.identity < b.identity : a.number < b.number;
    }
};
CanonicalKey canonical_key(const Connection& c, const Scenario& sc);
// Returns whether it moved anything.
bool put_in_canonical_order(World& w, const Scenario& sc);
// The pending db:verify requests alone (what XmppModel::next_state sorts:
// the router keeps the connections in order itself). Returns whether it
// moved anything.
bool sort_pending_verifies(World& w);

// Renames stream ids and connection numbers to a canonical form: ids in the
// order they first appear (connections in order, then pending requests,
// then the keys attackers have seen, then ids only the machines' unanswered
// db:verify hold), connection numbers by position,
// numbers of connections that are gone all alike. Both are opaque labels,
// only ever compared for equality, and fresh ones are always new: worlds
// equal up to this renaming behave alike, so they share one fingerprint (a
// symmetry reduction; transcripts keep the real labels because traces are
// replayed).
// Allocates nothing (it runs once per fingerprint): the names live in a
// per-thread table indexed by id, stamped with a generation, so a lookup is
// one load and nothing is cleared between worlds. One per thread at a time
// (a second one while the first lives throws std::logic_error). It reads
// `w` for the connection numbers, so `w` must outlive it.
class CanonicalLabels {
public:
    explicit CanonicalLabels(const World& w);
    ~CanonicalLabels();
    CanonicalLabels(const CanonicalLabels&) = delete;
    CanonicalLabels& operator=(const CanonicalLabels&) = delete;
    StreamId stream(StreamId id) const {
        if (id == kNoStream) return kNoStream;
        const Name& n = names_[id];
        // Not seen (never, as the constructor sees every place an id is
        // held): a name of its own, past every canonical one.
        return n.generation == generation_ ? n.name : static_cast<StreamId>(0x8000u | id);
    }
    std::uint16_t connection(std::uint16_t number) const { return w_.position_of(number); }
    Element element(Element e) const {
        e.id = stream(e.id);
        e.key.id = stream(e.key.id);
        return e;
    }
    // element(e)'s bytes, written at `out` (sizeof(Element) bytes): copied
    // whole, then the ids overwritten in place.
    void write_element(unsigned char* out, const Element& e) const {
        std::memcpy(out, &e, sizeof e);
        const StreamId id = stream(e.id), key_id = stream(e.key.id);
        std::memcpy(out + offsetof(Element, id), &id, sizeof id);
        std::memcpy(out + offsetof(Element, key) + offsetof(Key, id), &key_id, sizeof key_id);
    }

    // One stream id's slot in the per-thread table: the generation that
    // named it, and its name.
    struct Name {
        std::uint32_t generation = 0;
        StreamId name = 0;
    };

private:
    void see(StreamId id);
    const World& w_;
    Name* names_;               // this thread's table, one slot per id
    std::uint32_t generation_;  // this world's stamp in the table
    StreamId seen_ = 0;         // ids named so far: the next is seen_ + 1
};

// A value whose bytes are its value (trivially copyable, no padding, unused
// slots kept zero, as the stream machines and Element are), as one block.
template <class H, class T>
void append_object(H& h, const T& v) {
    static_assert(std::is_trivially_copyable_v<T> && std::has_unique_object_representations_v<T>);
    h.bytes(&v, sizeof v);
}

// The canonical bytes of a world's records (every part but its
// connections), for its fingerprint.
template <class H>
void hash_append_records(H& h, const World& w, const CanonicalLabels& L) {
    for (const auto& s : w.stanzas) {
        h.value(static_cast<std::uint8_t>(s.fate));
        h.value(static_cast<std::uint8_t>(s.bounce));
        h.value(s.deliveries);
        h.value(s.bounces);
        h.value(s.reverse);
        h.value(L.connection(s.via));
        h.value(s.rerouted);
    }
    h.value(static_cast<std::uint8_t>(w.verifies.size()));
    for (const auto& v : w.verifies) {
        h.value(v.at);
        h.value(L.connection(v.via));
        L.write_element(h.extend(sizeof v.need), v.need);
    }
    h.value(static_cast<std::uint8_t>(w.violations.size()));
    for (const auto& v : w.violations) {
        h.value(L.connection(v.connection));
        h.value(static_cast<std::uint8_t>(v.at_receiver));
        h.value(static_cast<std::uint8_t>(v.element));
        h.value(static_cast<std::uint8_t>(v.verdict));
    }
    h.value(w.resets_left);
    h.value(static_cast<std::uint8_t>(w.seen_keys.size()));
    for (const auto& k : w.seen_keys) {
        h.value(L.stream(k.id));
        h.value(k.secret);
        h.value(k.from);
        h.value(k.to);
    }
    h.value(w.forgeries_left);
    h.value(w.forged_accepted);
    h.value(w.branches);
    h.value(w.choices_made);
}

// The canonical bytes of a world, for its fingerprint: each connection's
// machines and FIFOs, their stream ids renamed, then the records. Values
// are copied whole and then renamed in the hasher's buffer (write_renamed,
// write_element), not assembled renamed on the stack and read back at once:
// the same bytes as appending with_streams_renamed(...) and element(...)
// (tests/model/fingerprint_test.cpp), at about half the cost.
template <class H>
void hash_append(H& h, const World& w) {
    const CanonicalLabels L(w);
    auto rename = [&L](StreamId id) { return L.stream(id); };
    h.value(static_cast<std::uint8_t>(w.connections.size()));
    for (const auto& c : w.connections) {
        h.value(c.initiator);
        h.value(c.receiver);
        c.i.write_renamed(h.extend(sizeof c.i), rename);
        c.r.write_renamed(h.extend(sizeof c.r), rename);
        h.value(static_cast<std::uint8_t>(c.to_receiver.size()));
        for (const auto& e : c.to_receiver) L.write_element(h.extend(sizeof e), e);
        h.value(static_cast<std::uint8_t>(c.to_initiator.size()));
        for (const auto& e : c.to_initiator) L.write_element(h.extend(sizeof e), e);
    }
    hash_append_records(h, w, L);
}

}  // namespace bidilab::model
