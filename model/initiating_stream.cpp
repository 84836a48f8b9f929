// The parts of InitiatingStream that need no Boost.MSM.
#include "model/initiating_stream.hpp"

#include <cstring>

namespace bidilab::model {

bool operator==(const InitiatingData& a, const InitiatingData& b) {
    return std::memcmp(&a, &b, sizeof a) == 0;
}

bool initiator_may_send(const InitiatingData& d, DomainId from, DomainId to) {
    if (d.fwd.any(PairState::Invalid)) return false;  // DB-13: R is closing the stream
    if (d.fwd.get(from, to) == PairState::Valid) return true;          // DB-6, DB-11
    if (d.has(InitiatingData::kSasl) && from == d.from && to == d.to) return true;  // SASL-8, CORE-11
    // BIDI-13: a reverse pair t→s we validated lets us send s→t.
    return d.has(InitiatingData::kBidi) && d.rev.get(to, from) == PairState::Valid;
}

bool initiator_may_send(const InitiatingData& d, DomainId from, DomainId to, const ServerPolicy& p) {
    // The quirk last: its name is a std::string built per call.
    if (d.has(InitiatingData::kSasl) && to == d.to && p.hosts(from) && p.has_quirk("assume-pairs-after-sasl")) return true;
    return initiator_may_send(d, from, to);
}

bool initiator_accepts(const InitiatingData& d, DomainId from, DomainId to) {
    if (!d.has(InitiatingData::kBidi)) return false;  // CORE-1, DB-32: no R→I stanzas without bidi
    if (d.rev.get(from, to) == PairState::Valid) return true;  // BIDI-8: R proved `from` to us
    // BIDI-13: the pair to→from that R validated for us authorizes R for from→to;
    // we dialled R's domain and R answered for it (CORE-53).
    if (d.fwd.get(to, from) == PairState::Valid) return true;
    return d.has(InitiatingData::kSasl) && from == d.to && to == d.from;  // BIDI-7: stream 'to' → authz
}

InitiatingStream InitiatingStream::initial(DomainId from, DomainId to, Purpose purpose) {
    InitiatingStream s;
    s.data_.from = from;
    s.data_.to = to;
    if (purpose == Purpose::VerifyOnly) s.data_.flags |= InitiatingData::kVerifyOnly;
    return s;
}

void InitiatingStream::abort(Condition c, Context& ctx) {
    ctx.out.clear();
    if (state_ == State::Closed) return;
    if (state_ != State::AwaitingConnection && state_ != State::AwaitingTlsHandshake) {
        if (c != Condition::None) ctx.out.push(Element::stream_error(c));
        ctx.out.push(Element::stream_close());
    }
    state_ = State::Closed;
}

}  // namespace bidilab::model
