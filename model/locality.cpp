#include "model/locality.hpp"

#include <optional>

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
// answer would then depend on their order: no step changes it since the
// order is by identity and age, but the whole-connection rule, kept for the
// TLS handshake, stays as it was argued).
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

// Everything of the world but its connections and stanza records alike: no
// db:verify request, violation, attacker knowledge, reset, forgery or
// choice came or went.
bool same_beyond_connections_and_stanzas(const World& before, const World& after) {
    return before.verifies == after.verifies && before.violations == after.violations &&
           before.seen_keys == after.seen_keys && before.resets_left == after.resets_left &&
           before.forgeries_left == after.forgeries_left && before.forged_accepted == after.forged_accepted &&
           before.branches == after.branches && before.choices_made == after.choices_made;
}

// No attacker, no reset left, no router-level quirk on either server.
bool no_outside_hand(const Scenario& sc, const World& w, const Connection& x) {
    const ServerPolicy& initiator = sc.servers[x.initiator];
    const ServerPolicy& receiver = sc.servers[x.receiver];
    if (initiator.attacker || receiver.attacker || w.resets_left > 0) return false;
    for (const ServerPolicy* p : {&initiator, &receiver})
        if (p->has_quirk("conflict-on-duplicate") || p->has_quirk("verify-on-request-connection") ||
            p->has_quirk("send-before-auth"))
            return false;
    return true;
}
}  // namespace

bool shielded(const Scenario& sc, const World& w, const Connection& x) {
    if (!no_outside_hand(sc, w, x)) return false;
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
    return before.stanzas == after.stanzas && same_beyond_connections_and_stanzas(before, after);
}

// ---------------------------------------------------------------- one end
// (model/locality.hpp, "One end at a time")

namespace {

// Whether `server` may still have a stanza to route to `peer` (unsubmitted
// or queued): routing (CORE-51, BIDI-7), multiplexing (DB-40) and reverse
// requests (BIDI-8) reach only into streams between the two.
bool stanzas_toward(const Scenario& sc, const World& w, ServerIndex server, ServerIndex peer) {
    for (std::size_t k = 0; k < sc.stanzas.size(); ++k) {
        const Fate f = w.stanzas[k].fate;
        if (sc.stanzas[k].origin == server && sc.stanzas[k].target == peer &&
            (f == Fate::Unsubmitted || f == Fate::Queued))
            return true;
    }
    return false;
}

// Whether another step of `server` may send a db:verify to `peer`: a
// request waiting, or a stream other than x on which one may arise (a
// db:result read on an incoming stream from the peer, DB-15; a reverse
// request on an outgoing bidi stream to it, BIDI-8).
bool verifies_toward(const Scenario& sc, const World& w, ServerIndex server, ServerIndex peer, std::uint16_t x) {
    for (const auto& req : w.verifies)
        if (req.at == server && sc.server_of(req.need.from) == peer) return true;
    for (const auto& y : w.connections) {
        if (y.number == x) continue;
        if (y.receiver == server && y.initiator == peer && y.r.state() != RS::Closed) return true;
        if (y.initiator == server && y.receiver == peer && y.i.state() != IS::Closed &&
            y.i.data().has(InitiatingData::kBidi))
            return true;
    }
    return false;
}

// Whether a's and b's initiating ends answer live_outgoing alike for every
// pair but the dialled one (found by the header whatever its state):
// multiplexed pairs (DB-40) are found while not Idle.
bool same_other_pairs(const InitiatingData& a, const InitiatingData& b) {
    for (const InitiatingData* d : {&a, &b})
        for (std::size_t k = 0; k < d->fwd.size(); ++k) {
            const auto& p = d->fwd[k];
            if (p.sender == a.from && p.target == a.to) continue;
            if ((a.fwd.get(p.sender, p.target) != PairState::Idle) != (b.fwd.get(p.sender, p.target) != PairState::Idle))
                return false;
        }
    return true;
}

// What the router and the other steps read of one end, the same in a and b.
bool same_end_view(const Connection& a, const Connection& b, bool receiver) {
    if (receiver) {
        const ReceivingData& ra = a.r.data();
        const ReceivingData& rb = b.r.data();
        // Without bidi a receiving end answers no lookup (route and
        // request_reverse need it; the verdict due was refused before), so
        // only bidi matters while it negotiates or when it closes.
        if (!ra.has(ReceivingData::kBidi) &&
            (b.r.state() == RS::Closed ||
             (routing_class(a.r.state()) == 2 && routing_class(b.r.state()) == 2 && !rb.has(ReceivingData::kBidi))))
            return true;
        return routing_class(a.r.state()) == routing_class(b.r.state()) && ra.fwd == rb.fwd && ra.rev == rb.rev &&
               ra.has(ReceivingData::kSasl) == rb.has(ReceivingData::kSasl) && ra.authz == rb.authz &&
               ra.has(ReceivingData::kBidi) == rb.has(ReceivingData::kBidi);
    }
    const InitiatingData& ia = a.i.data();
    const InitiatingData& ib = b.i.data();
    // Negotiating before and after: lookups find it by its dialled pair or a
    // multiplexed one and wait for it (may_send needs Established).
    if (routing_class(a.i.state()) == 2 && routing_class(b.i.state()) == 2)
        return same_other_pairs(ia, ib) && ia.rev == ib.rev && ia.verifies == ib.verifies;
    return routing_class(a.i.state()) == routing_class(b.i.state()) && ia.fwd == ib.fwd && ia.rev == ib.rev &&
           ia.has(InitiatingData::kSasl) == ib.has(InitiatingData::kSasl) && ia.verifies == ib.verifies;
}

// The stanza records alike, but for the scenario stanza the end read (the
// head of its incoming FIFO) going from in flight to delivered once more:
// no router reads an in-flight or delivered record (they route, bounce and
// wait on queued ones only), only properties do (visibility).
// With `routed()` (the sole route, asked only when some other record
// changed): stanzas of the end's server to the peer may go from queued to
// in flight over x too.
template <class Routed>
bool same_records_but_the_read(const Scenario& sc, const World& before, const World& after, const Connection& x,
                               bool receiver, Routed routed) {
    if (before.stanzas == after.stanzas) return true;
    const Fifo& in = receiver ? x.to_receiver : x.to_initiator;
    const bool read_stanza = !in.empty() && in.front().kind == ElementKind::Stanza && in.front().seq < before.stanzas.size();
    const std::size_t k = read_stanza ? in.front().seq : before.stanzas.size();
    const ServerIndex server = receiver ? x.receiver : x.initiator;
    const ServerIndex peer = receiver ? x.initiator : x.receiver;
    for (std::size_t j = 0; j < before.stanzas.size(); ++j) {
        if (j == k || before.stanzas[j] == after.stanzas[j]) continue;
        const StanzaRecord& b = before.stanzas[j];
        const StanzaRecord& a = after.stanzas[j];
        if (sc.stanzas[j].origin != server || sc.stanzas[j].target != peer || b.fate != Fate::Queued ||
            a.fate != Fate::InFlight || a.via != x.number || a.bounce != b.bounce || a.deliveries != b.deliveries ||
            a.bounces != b.bounces || a.rerouted != b.rerouted || !routed())
            return false;
    }
    if (!read_stanza) return true;
    StanzaRecord expected = before.stanzas[k];
    if (expected.fate != Fate::InFlight) return false;
    expected.fate = Fate::Delivered;
    ++expected.deliveries;
    return after.stanzas[k] == expected;
}

// Whether the server's end of y has a pair (asked for, or granted) to one of
// the peer's domains, so that the server's stanzas for the peer could go over
// y: never, between honest servers, on a connection with a third one (a
// pair is asked for only on a stream to the server that hosts its target,
// DB-3, DB-40; over bidi, to the initiator's own domains, BIDI-7), but an
// attacker or a mutant may make one.
bool carries_to(const Scenario& sc, const Connection& y, ServerIndex server, ServerIndex peer) {
    auto hosted = [&](DomainId d) { return d < sc.host_of.size() && sc.server_of(d) == peer; };
    auto any = [&](const PairTable& t, bool by_target) {
        for (std::size_t k = 0; k < t.size(); ++k)
            if (t[k].state != PairState::Idle && hosted(by_target ? t[k].target : t[k].sender)) return true;
        return false;
    };
    return (y.initiator == server && any(y.i.data().fwd, true)) ||
           (y.receiver == server && (any(y.r.data().fwd, false) || any(y.r.data().rev, true)));
}

// Whether nothing but x's own steps reads the view of x's end of `server`,
// or routes that server's stanzas for the peer, from before to after this
// step (model/locality.hpp, "The sole route"):
// x is the only connection between the server and the peer, in either
// direction, before and after, and the server has nothing more for the
// peer: no stanza to it still to submit or queued (routing, CORE-51, BIDI-7;
// dialling, DB-3; multiplexing, DB-40; reverse requests, BIDI-8) and no
// db:verify request to its authority (DB-16, BIDI-6, DB-15).
bool sole_route(const Scenario& sc, const World& before, const World& after, const Connection& x, bool receiver) {
    const ServerIndex server = receiver ? x.receiver : x.initiator;
    const ServerIndex peer = receiver ? x.initiator : x.receiver;
    for (const World* w : {&before, &after}) {
        for (const auto& y : w->connections)
            if (y.number != x.number &&
                ((y.initiator == server && y.receiver == peer) || (y.initiator == peer && y.receiver == server) ||
                 carries_to(sc, y, server, peer)))
                return false;
        for (const auto& req : w->verifies)
            if (req.at == server && sc.server_of(req.need.from) == peer) return false;
    }
    return !stanzas_toward(sc, after, server, peer);
}

bool is_prefix(const Fifo& a, const Fifo& b) {
    if (a.size() > b.size()) return false;
    for (std::size_t k = 0; k < a.size(); ++k)
        if (!(a[k] == b[k])) return false;
    return true;
}

}  // namespace

bool shielded_end(const Scenario& sc, const World& w, const Connection& x, bool receiver) {
    // The order of the connections is no concern: no step changes it
    // (put_in_canonical_order, world.hpp).
    if (!no_outside_hand(sc, w, x)) return false;
    if (receiver) {
        if (x.r.state() == RS::Closed) return true;
        return !awaits_verdict(x.r.data().fwd);  // DB-15: a verdict comes back into it
    }
    if (x.i.state() == IS::Closed) return true;
    if (awaits_verdict(x.i.data().rev)) return false;  // BIDI-8: a reverse request's verdict
    // Not an established verify-only stream: the router closes it once idle (DB-16, EXT-3).
    return routing_class(x.i.state()) != 1 || !x.i.data().has(InitiatingData::kVerifyOnly);
}

bool busy_end(const Scenario& sc, const World& w, const Connection& x, bool receiver) {
    if (receiver)
        return (routing_class(x.r.state()) == 1 || x.r.data().has(ReceivingData::kBidi)) &&
               stanzas_toward(sc, w, x.receiver, x.initiator);
    return routing_class(x.i.state()) == 1 && (stanzas_toward(sc, w, x.initiator, x.receiver) ||
                                                verifies_toward(sc, w, x.initiator, x.receiver, x.number));
}

bool stays_inside_end(const Scenario& sc, const World& before, const World& after, std::uint16_t number,
                      bool receiver) {
    const Connection* x = before.connection(number);
    const Connection* now = after.connection(number);
    if (!x) return false;
    // Gone: it was closed at both ends already, and the step read what was
    // left; and no db:verify request waits (their order is by the positions
    // of the connections they name, which one gone would shift).
    if (!now && (x->i.state() != IS::Closed || x->r.state() != RS::Closed || !before.verifies.empty())) return false;
    if (before.connections.size() != after.connections.size() + (now ? 0 : 1)) return false;
    for (const auto& y : before.connections) {
        if (y.number == number) continue;
        const Connection* z = after.connection(y.number);
        if (!z || !(y == *z)) return false;
    }
    // The sole route, looked for only when the step needs it (it reads every
    // connection and request of both worlds).
    std::optional<bool> sole_found;
    const auto sole = [&] {
        if (!sole_found) sole_found = now && sole_route(sc, before, after, *x, receiver);
        return *sole_found;
    };
    if (now) {
        if (!same_end_view(*x, *now, receiver) && !sole()) return false;
        if (receiver ? !(x->i == now->i) : !(x->r == now->r)) return false;  // the other end untouched
        // Written only at the tail of its own FIFO (the other end reads its
        // head), and nothing at all where another step of its server may
        // write there too: their writes would come in another order.
        const Fifo& out_before = receiver ? x->to_initiator : x->to_receiver;
        const Fifo& out_after = receiver ? now->to_initiator : now->to_receiver;
        if (!is_prefix(out_before, out_after)) return false;
        // (With the sole route nothing of S is left for the peer after it.)
        if (out_after.size() != out_before.size() && busy_end(sc, before, *x, receiver) && !sole()) return false;
    }
    return same_records_but_the_read(sc, before, after, *x, receiver, sole) &&
           same_beyond_connections_and_stanzas(before, after);
}

}  // namespace bidilab::model
