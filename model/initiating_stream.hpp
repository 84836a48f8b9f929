// model/initiating_stream.hpp — the dialling end of one s2s connection: it
// sends the initial stream, negotiates STARTTLS, SASL EXTERNAL or dialback and
// bidi, and carries stanzas I→R (and R→I once bidi is on).
//
// A value: the machine's state id plus one plain data block, 56 bytes,
// trivially copyable without padding (hash it as bytes or with encode()).
// deliver() restores a Boost.MSM machine from the value in O(1), runs one
// event and reads the value back; the MSM table lives in
// model/fsm/initiating_stream.cpp and nothing else includes Boost.MSM.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <vector>

#include "model/context.hpp"
#include "model/element.hpp"
#include "model/outcome.hpp"
#include "model/pair_table.hpp"
#include "model/transition_row.hpp"

namespace bidilab::model {

struct InitiatingData {
    enum Flag : std::uint8_t {
        kTls = 1,         // TLS completed on this connection (CORE-29)
        kBidi = 2,        // we sent <bidi/> in this security context (BIDI-2, BIDI-3)
        kSasl = 4,        // SASL EXTERNAL succeeded (SASL-8): authz = from
        kVerifyOnly = 8,  // a connection only for db:verify (DB-16)
        kLegacy = 16,     // the stream is 0.9: a header without version (CORE-17)
        kPeerDeclaresDialback = 32,  // R's header in this epoch declared xmlns:db (DB-33)
    };
    DomainSet peer_cert = 0;      // R's trusted certificate names, learnt at TLS (CORE-53)
    StreamId stream_id = kNoStream;  // R's id in this epoch (DB-15, RULES §8.8)
    DomainId from = kNoDomain;    // our stream header (CORE-13), fixed per connection
    DomainId to = kNoDomain;      // (CORE-14)
    Features features = 0;        // what R offered in this epoch (CORE-27: reset at restart)
    std::uint8_t flags = 0;
    PairTable fwd;                // pairs we asked R for: stanzas I→R (DB-2)
    PairTable rev;                // pairs R asked us for over bidi: stanzas R→I (BIDI-8)
    PendingVerifies verifies;     // db:verify we sent, unanswered (DB-18)
    std::uint8_t reserved[2] = {0, 0};

    bool has(Flag f) const { return (flags & f) != 0; }
    friend bool operator==(const InitiatingData& a, const InitiatingData& b);
};
static_assert(sizeof(InitiatingData) == 52);

// May we send a stanza from → to on this stream? (DB-6, DB-13, SASL-8, CORE-11)
bool initiator_may_send(const InitiatingData& d, DomainId from, DomainId to);
// The same as a server with this policy applies it: quirk assume-pairs-after-sasl
// sends for every hosted domain once SASL succeeded (breaks SASL-8, CORE-11).
bool initiator_may_send(const InitiatingData& d, DomainId from, DomainId to, const ServerPolicy& p);
// May R send us a stanza from → to on this stream? (BIDI-13, CORE-46, CORE-53)
bool initiator_accepts(const InitiatingData& d, DomainId from, DomainId to);
// DB-35: a server without dialback error support (no <errors/>, DB-34), on a
// stream without bidi (where BIDI-10 demands the support), may end the
// stream over a dialback error it does not understand (XEP-0220 §2.5). The
// machine's guard, the property dialback-errors-affect-only-their-pair and
// validate's judgement all ask this one question.
inline bool may_end_over_dialback_error(const ServerPolicy& p, const InitiatingData& d) {
    return !p.dialback_errors && !d.has(InitiatingData::kBidi);
}

class InitiatingStream {
public:
    // Ids as Boost.MSM numbers them (checked at compile time in the .cpp).
    enum class State : std::uint8_t {
        AwaitingConnection, AwaitingStreamOpen, AwaitingFeatures, AwaitingProceed,
        AwaitingTlsHandshake, AwaitingSaslResult, Established, Closed,
    };
    static constexpr int kStateCount = 8;
    enum class Purpose : std::uint8_t { Stanzas, VerifyOnly };

    // A stream from our domain `from` to the peer's `to`, before TCP is up.
    static InitiatingStream initial(DomainId from, DomainId to, Purpose purpose = Purpose::Stanzas);

    // Runs one element (wire or non-wire) through the machine. ctx.out is
    // cleared first and holds what the machine emitted. A violation leaves the
    // value unchanged (see Outcome).
    Outcome deliver(const Element& e, Context& ctx);
    // Local decision to end the stream: <stream:error/> (unless None) and
    // </stream:stream>, then Closed (CORE-23). Outside the table.
    void abort(Condition c, Context& ctx);

    State state() const { return state_; }
    int current_state() const { return static_cast<int>(state_); }  // the MSM id
    const char* state_name() const { return state_name(state_); }
    static const char* state_name(State s);
    const InitiatingData& data() const { return data_; }

    bool may_send(DomainId from, DomainId to) const { return initiator_may_send(data_, from, to); }
    bool may_send(DomainId from, DomainId to, const ServerPolicy& p) const { return initiator_may_send(data_, from, to, p); }
    bool accepts(DomainId from, DomainId to) const { return initiator_accepts(data_, from, to); }
    PairState pair(DomainId sender, DomainId target) const { return data_.fwd.get(sender, target); }

    // The MSM transition table as data, in table order.
    static const std::vector<TransitionRow>& transition_table();
    // Whether some row handles `k` in `s` (lets an explorer skip hopeless events).
    static bool has_row(State s, ElementKind k);

    // The same stream with every stream id renamed by f (a symmetry: ids are
    // opaque tokens, compared only for equality).
    template <class F>
    InitiatingStream with_streams_renamed(F f) const {
        InitiatingStream s = *this;
        s.data_.stream_id = f(data_.stream_id);
        s.data_.verifies = data_.verifies.renamed(f);
        return s;
    }
    // with_streams_renamed(f)'s bytes, written at `out` (sizeof(InitiatingStream)
    // bytes): copied whole, then the ids overwritten in place (what the
    // fingerprint hashes; no copy assembled field by field on the stack).
    template <class F>
    void write_renamed(unsigned char* out, F f) const {
        std::memcpy(out, this, sizeof *this);
        const StreamId id = f(data_.stream_id);
        std::memcpy(out + offsetof(InitiatingStream, data_) + offsetof(InitiatingData, stream_id), &id, sizeof id);
        if (data_.verifies.size() != 0) {
            const PendingVerifies renamed = data_.verifies.renamed(f);
            std::memcpy(out + offsetof(InitiatingStream, data_) + offsetof(InitiatingData, verifies), &renamed, sizeof renamed);
        }
    }

    template <class H>
    void encode(H& h) const {
        h.value(static_cast<std::uint8_t>(state_));
        h.value(data_.peer_cert); h.value(data_.stream_id); h.value(data_.from); h.value(data_.to);
        h.value(data_.features); h.value(data_.flags);
        data_.fwd.encode(h); data_.rev.encode(h); data_.verifies.encode(h);
    }
    friend bool operator==(const InitiatingStream& a, const InitiatingStream& b) {
        return std::memcmp(&a, &b, sizeof a) == 0;  // unique object representation: bytes are the value
    }
    friend bool operator!=(const InitiatingStream& a, const InitiatingStream& b) { return !(a == b); }

private:
    friend struct InitiatingEngine;  // model/fsm/initiating_stream.cpp
    InitiatingData data_{};
    State state_ = State::AwaitingConnection;
    [[maybe_unused]] std::uint8_t reserved_[3] = {0, 0, 0};  // padding, kept zero: bytes are the value
};
static_assert(sizeof(InitiatingStream) == 56);
static_assert(std::is_standard_layout_v<InitiatingStream> && std::is_standard_layout_v<InitiatingData>);
static_assert(std::is_trivially_copyable_v<InitiatingStream>);
static_assert(std::has_unique_object_representations_v<InitiatingStream>);

template <class H>
void hash_append(H& h, const InitiatingStream& s) { s.encode(h); }

}  // namespace bidilab::model
