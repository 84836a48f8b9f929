#include "model/locality.hpp"

namespace bidilab::model {

namespace {
using IS = InitiatingStream::State;
using RS = ReceivingStream::State;

// What the router distinguishes of an end's state (model/router.cpp): 0
// closed, 1 may carry stanzas or db:verify, 2 negotiating. A receiving end
// AwaitingNegotiation carries stanzas only under the quirk send-before-auth,
// which shielded() refuses.
int routing_class(IS s) { return s == IS::Closed ? 0 : s == IS::Established ? 1 : 2; }
int routing_class(RS s) { return s == RS::Closed ? 0 : s == RS::Established ? 1 : 2; }

// A pair some other connection's step answers (DB-15): the verdict of a
// db:verify sent elsewhere comes back into this end.
bool awaits_verdict(const PairTable& t) { return t.any(PairState::Requested) || t.any(PairState::Verifying); }

// Whether an initiating stream has asked for a pair besides the one it was
// dialled for (multiplexing, DB-40): live_outgoing then finds it by that pair too.
bool carries_other_pairs(const Connection& c) {
    const InitiatingData& d = c.i.data();
    for (std::size_t k = 0; k < d.fwd.size(); ++k)
        if (d.fwd[k].sender != d.from || d.fwd[k].target != d.to) return true;
    return false;
}

// Whether Router::live_outgoing could find both x and y for one lookup (its
// answer would then depend on their order, which x's steps may change).
bool rivals(const Connection& x, const Connection& y) {
    if (y.number == x.number || y.initiator != x.initiator || y.i.state() == IS::Closed) return false;
    const InitiatingData& a = x.i.data();
    const InitiatingData& b = y.i.data();
    return (a.from == b.from && a.to == b.to) || carries_other_pairs(x) || carries_other_pairs(y);
}

bool same_view(const Connection& a, const Connection& b) {
    const InitiatingData& ia = a.i.data();
    const InitiatingData& ib = b.i.data();
    const ReceivingData& ra = a.r.data();
    const ReceivingData& rb = b.r.data();
    return routing_class(a.i.state()) == routing_class(b.i.state()) &&
           routing_class(a.r.state()) == routing_class(b.r.state()) && ia.fwd == ib.fwd && ia.rev == ib.rev &&
           ra.fwd == rb.fwd && ra.rev == rb.rev && ia.has(InitiatingData::kSasl) == ib.has(InitiatingData::kSasl) &&
           ra.has(ReceivingData::kSasl) == rb.has(ReceivingData::kSasl) && ra.authz == rb.authz &&
           ia.verifies == ib.verifies;
}
}  // namespace

bool shielded(const Scenario& sc, const World& w, const Connection& x) {
    const ServerPolicy& initiator = sc.servers[x.initiator];
    const ServerPolicy& receiver = sc.servers[x.receiver];
    if (initiator.attacker || receiver.attacker || w.resets_left > 0) return false;
    for (const ServerPolicy* p : {&initiator, &receiver})
        if (p->has_quirk("conflict-on-duplicate") || p->has_quirk("verify-on-request-connection") ||
            p->has_quirk("send-before-auth"))
            return false;
    if (routing_class(x.i.state()) != 2 || routing_class(x.r.state()) != 2) return false;
    if (awaits_verdict(x.r.data().fwd) || awaits_verdict(x.i.data().rev)) return false;
    for (const auto& y : w.connections)
        if (rivals(x, y)) return false;
    // A verify-only stream carries no stanza (DB-16): a stanza for its pair
    // still to be routed would get a stream of its own, a rival.
    if (x.i.data().has(InitiatingData::kVerifyOnly))
        for (std::size_t k = 0; k < sc.stanzas.size(); ++k) {
            const auto& s = sc.stanzas[k];
            const Fate f = w.stanzas[k].fate;
            if (s.origin == x.initiator && s.from == x.i.data().from && s.to == x.i.data().to &&
                (f == Fate::Unsubmitted || f == Fate::Queued))
                return false;
        }
    return true;
}

bool stays_inside(const World& before, const World& after, std::uint16_t number) {
    if (before.connections.size() != after.connections.size()) return false;
    for (const auto& y : before.connections) {
        const Connection* now = after.connection(y.number);
        if (!now) return false;
        if (y.number == number ? !same_view(y, *now) : !(y == *now)) return false;
    }
    return before.stanzas == after.stanzas && before.verifies == after.verifies &&
           before.violations == after.violations && before.seen_keys == after.seen_keys &&
           before.resets_left == after.resets_left && before.forgeries_left == after.forgeries_left &&
           before.forged_accepted == after.forged_accepted && before.branches == after.branches &&
           before.choices_made == after.choices_made;
}

}  // namespace bidilab::model
