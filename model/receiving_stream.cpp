// The parts of ReceivingStream that need no Boost.MSM.
#include "model/receiving_stream.hpp"

#include <cstring>

namespace bidilab::model {

bool operator==(const ReceivingData& a, const ReceivingData& b) { return std::memcmp(&a, &b, sizeof a) == 0; }

Features receiver_offer(const ReceivingData& d, const Context& c) {
    const ServerPolicy& p = *c.policy;
    Features f = 0;
    const bool tls = d.has(ReceivingData::kTls), sasl = d.has(ReceivingData::kSasl);
    // CORE-28, CORE-30, SASL-1; CORE-33: never after TLS. TLS needs our certificate.
    if (!tls && p.can_offer_tls())
        f |= feature::kStartTls | (p.tls == TlsPolicy::Required ? feature::kTlsRequired : 0);
    // RFC 6120 §5.3.1: before a mandatory-to-negotiate STARTTLS the other
    // features SHOULD NOT be advertised; ejabberd offers <starttls/> alone
    // (REAL-WORLD RW-26), Prosody offers them all (choice features_before_tls).
    if (has(f, feature::kTlsRequired) && c.takes(SpecChoice::StarttlsOnlyBeforeTls)) return f;
    // SASL-4, CORE-36, CORE-37: EXTERNAL only after TLS, when I's certificate
    // covers 'from' (Prosody); or to any peer that presented a certificate,
    // refused at <auth/> if it is not acceptable (ejabberd, REAL-WORLD RW-27;
    // XEP-0178 §3 step 11b; choice sasl_external_offer).
    const bool acceptable = contains(d.peer_cert, d.hdr_from);
    if (tls && !sasl && p.sasl_external &&
        (acceptable || (d.has(ReceivingData::kPeerCertificate) && c.takes(SpecChoice::ExternalOfferedAlways))))
        f |= feature::kSaslExternal;
    // DB-34: dialback in every epoch (Prosody also pre-TLS and after SASL, for
    // piggybacking); DB-33: or not at all, the header's xmlns:db saying that we
    // do dialback (XEP-0220 §2.4.1, XEP-0288 Example 4; choice dialback_feature).
    if (p.dialback && !c.takes(SpecChoice::DialbackFeatureOmitted))
        f |= feature::kDialback | (p.dialback_errors ? feature::kDialbackErrors : 0);
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
