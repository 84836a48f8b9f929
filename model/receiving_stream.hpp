// model/receiving_stream.hpp — the accepting end of one s2s connection: it
// answers the stream header with a fresh id, offers features per policy,
// runs STARTTLS and SASL EXTERNAL, accepts <bidi/>, takes dialback requests
// (verified by the global model over another connection: BIDI-6), answers
// db:verify as the authoritative server, and with bidi sends stanzas R→I.
//
// A value like InitiatingStream: state id + data block, 44 bytes, trivially
// copyable without padding. The MSM table is in model/fsm/receiving_stream.cpp.
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

struct ReceivingData {
    enum Flag : std::uint8_t {
        kTls = 1,   // TLS completed (CORE-27: everything before is discarded)
        kBidi = 2,  // <bidi/> received in this security context (BIDI-3)
        kSasl = 4,  // SASL EXTERNAL succeeded; authz = hdr_from (SASL-8)
        kLegacy = 8,  // the stream is 0.9: a header without version (CORE-17)
        kPeerCertificate = 16,  // I presented a certificate at TLS, trusted or not
    };
    DomainSet peer_cert = 0;          // I's trusted certificate names, learnt at TLS
    StreamId stream_id = kNoStream;   // the id we sent in this epoch (CORE-7)
    DomainId hdr_from = kNoDomain;    // latest initial header (CORE-12, CORE-27)
    DomainId hdr_to = kNoDomain;
    DomainId authz = kNoDomain;       // SASL authorization identity (CORE-11)
    Features offered = 0;             // what we offered in this epoch
    std::uint8_t flags = 0;
    PairTable fwd;                    // pairs I asked us: stanzas I→R (DB-22)
    PairTable rev;                    // pairs we asked I over bidi: stanzas R→I (BIDI-8)
    std::uint8_t sasl_failures = 0;   // failed <auth/> in this epoch (CORE-40)
    std::uint8_t reserved[2] = {0, 0};

    bool has(Flag f) const { return (flags & f) != 0; }
    bool authenticated() const { return has(kSasl) || fwd.any(PairState::Valid); }
    friend bool operator==(const ReceivingData& a, const ReceivingData& b);
};
static_assert(sizeof(ReceivingData) == 40);

// The features we offer now (BIDI-1, CORE-28, CORE-30, CORE-33, CORE-36,
// SASL-4, DB-34; RULES §8.1 per policy.bidi_advertisement).
Features receiver_offer(const ReceivingData& d, const Context& c);
// Does a dialback key check out for this db:verify? (DB-30, KEY-1)
bool key_is_valid(const Element& verify, const ServerPolicy& p);
// May I send us a stanza from → to? (CORE-45, CORE-46, DB-26, BIDI-13)
bool receiver_accepts(const ReceivingData& d, DomainId from, DomainId to);
// May we send I a stanza from → to on this stream? (BIDI-5, BIDI-7, BIDI-13)
bool receiver_may_send(const ReceivingData& d, DomainId from, DomainId to);
// The same as a server with this policy applies it. Quirk route-under-stream-from
// sends for any hosted domain to the peer's stream-header 'from' (REAL-WORLD
// RW-22; breaks BIDI-7); quirk send-before-auth sends as soon as <bidi/> came
// (breaks BIDI-5).
bool receiver_may_send(const ReceivingData& d, DomainId from, DomainId to, const ServerPolicy& p);

class ReceivingStream {
public:
    // Ids as Boost.MSM numbers them (checked at compile time in the .cpp).
    enum class State : std::uint8_t {
        AwaitingStreamOpen, AwaitingNegotiation, AwaitingTlsHandshake, Established, Closed,
    };
    static constexpr int kStateCount = 5;

    // A freshly accepted TCP connection.
    static ReceivingStream initial() { return ReceivingStream(); }

    Outcome deliver(const Element& e, Context& ctx);
    void abort(Condition c, Context& ctx);  // as InitiatingStream::abort

    State state() const { return state_; }
    int current_state() const { return static_cast<int>(state_); }
    const char* state_name() const { return state_name(state_); }
    static const char* state_name(State s);
    const ReceivingData& data() const { return data_; }

    bool accepts(DomainId from, DomainId to) const { return receiver_accepts(data_, from, to); }
    bool may_send(DomainId from, DomainId to) const { return receiver_may_send(data_, from, to); }
    bool may_send(DomainId from, DomainId to, const ServerPolicy& p) const { return receiver_may_send(data_, from, to, p); }
    PairState pair(DomainId sender, DomainId target) const { return data_.fwd.get(sender, target); }

    static const std::vector<TransitionRow>& transition_table();
    static bool has_row(State s, ElementKind k);

    // The same stream with its stream id renamed by f (see InitiatingStream).
    template <class F>
    ReceivingStream with_streams_renamed(F f) const {
        ReceivingStream s = *this;
        s.data_.stream_id = f(data_.stream_id);
        return s;
    }
    // with_streams_renamed(f)'s bytes, written at `out` (see InitiatingStream).
    template <class F>
    void write_renamed(unsigned char* out, F f) const {
        std::memcpy(out, this, sizeof *this);
        const StreamId id = f(data_.stream_id);
        std::memcpy(out + offsetof(ReceivingStream, data_) + offsetof(ReceivingData, stream_id), &id, sizeof id);
    }

    template <class H>
    void encode(H& h) const {
        h.value(static_cast<std::uint8_t>(state_));
        h.value(data_.peer_cert); h.value(data_.stream_id); h.value(data_.hdr_from); h.value(data_.hdr_to);
        h.value(data_.authz); h.value(data_.offered); h.value(data_.flags); h.value(data_.sasl_failures);
        data_.fwd.encode(h); data_.rev.encode(h);
    }
    friend bool operator==(const ReceivingStream& a, const ReceivingStream& b) {
        return std::memcmp(&a, &b, sizeof a) == 0;  // unique object representation: bytes are the value
    }
    friend bool operator!=(const ReceivingStream& a, const ReceivingStream& b) { return !(a == b); }

private:
    friend struct ReceivingEngine;  // model/fsm/receiving_stream.cpp
    ReceivingData data_{};
    State state_ = State::AwaitingStreamOpen;
    [[maybe_unused]] std::uint8_t reserved_[3] = {0, 0, 0};  // padding, kept zero: bytes are the value
};
static_assert(sizeof(ReceivingStream) == 44);
static_assert(std::is_standard_layout_v<ReceivingStream> && std::is_standard_layout_v<ReceivingData>);
static_assert(std::is_trivially_copyable_v<ReceivingStream>);
static_assert(std::has_unique_object_representations_v<ReceivingStream>);

template <class H>
void hash_append(H& h, const ReceivingStream& s) { s.encode(h); }

}  // namespace bidilab::model
