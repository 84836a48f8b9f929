// The parts of ReceivingStream that need no Boost.MSM.
#include "model/receiving_stream.hpp"

#include <cstring>

namespace bidilab::model {

bool operator==(const ReceivingData& a, const ReceivingData& b) { return std::memcmp(&a, &b, sizeof a) == 0; }

Features receiver_offer(const ReceivingData& d, const ServerPolicy& p) {
    Features f = 0;
    const bool tls = d.has(ReceivingData::kTls), sasl = d.has(ReceivingData::kSasl);
    // CORE-28, CORE-30, SASL-1; CORE-33: never after TLS. TLS needs our certificate.
    if (!tls && p.can_offer_tls())
        f |= feature::kStartTls | (p.tls == TlsPolicy::Required ? feature::kTlsRequired : 0);
    // SASL-4, CORE-36, CORE-37: EXTERNAL only after TLS, when I's certificate covers 'from'.
    if (tls && !sasl && p.sasl_external && contains(d.peer_cert, d.hdr_from)) f |= feature::kSaslExternal;
    // DB-34: dialback in every epoch (Prosody also pre-TLS and after SASL, for piggybacking).
    if (p.dialback) f |= feature::kDialback | (p.dialback_errors ? feature::kDialbackErrors : 0);
    // BIDI-1 (RULES §8.1): before authentication; pre-TLS only where TLS is not
    // required (Prosody) or always (PreAndPostTls, ejabberd).
    const bool usable = tls || p.tls != TlsPolicy::Required ||
                        p.bidi_advertisement == BidiAdvertisement::PreAndPostTls;
    if (p.bidi && !sasl && usable) f |= feature::kBidi;
    return f;
}

bool key_is_valid(const Element& v, const ServerPolicy& p) {
    // db:verify from = asking (target) domain, to = sender; the key was minted
    // by the sender's authority for (sender, target, id) (DB-30, KEY-1).
    return v.key.secret == p.secret && p.secret != kNoSecret && v.key.from == v.to &&
           v.key.to == v.from && v.key.id == v.id;
}

bool receiver_accepts(const ReceivingData& d, DomainId from, DomainId to) {
    if (d.fwd.get(from, to) == PairState::Valid) return true;  // DB-2, DB-22
    if (d.has(ReceivingData::kSasl) && from == d.authz && to == d.hdr_to) return true;  // SASL-8, CORE-45
    // BIDI-13: a reverse pair to→from that I validated authorizes I for from→to.
    return d.has(ReceivingData::kBidi) && d.rev.get(to, from) == PairState::Valid;
}

bool receiver_may_send(const ReceivingData& d, DomainId from, DomainId to) {
    if (!d.has(ReceivingData::kBidi)) return false;  // CORE-1, DB-32
    if (d.rev.get(from, to) == PairState::Valid) return true;    // BIDI-8
    if (d.fwd.get(to, from) == PairState::Valid) return true;    // BIDI-7: inverse of a validated pair
    return d.has(ReceivingData::kSasl) && from == d.hdr_to && to == d.authz;  // BIDI-7: stream 'to' → authz
}

bool receiver_may_send(const ReceivingData& d, DomainId from, DomainId to, const ServerPolicy& p) {
    if (!d.has(ReceivingData::kBidi)) return false;
    if (!p.quirks.empty()) {  // a quirk's name is a std::string built per call
        if (p.has_quirk("send-before-auth") && p.hosts(from) && to == d.hdr_from) return true;
        if (p.has_quirk("route-under-stream-from") && d.authenticated() && p.hosts(from) && to == d.hdr_from) return true;
    }
    return receiver_may_send(d, from, to);
}

void ReceivingStream::abort(Condition c, Context& ctx) {
    ctx.out.clear();
    if (state_ == State::Closed) return;
    if (state_ != State::AwaitingTlsHandshake) {
        if (c != Condition::None) ctx.out.push(Element::stream_error(c));
        ctx.out.push(Element::stream_close());
    }
    state_ = State::Closed;
}

}  // namespace bidilab::model
