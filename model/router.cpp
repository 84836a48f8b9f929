#include "model/router.hpp"

#include <algorithm>

#include "model/attacker.hpp"
#include "model/context.hpp"
#include "model/row_coverage.hpp"

namespace bidilab::model {

int Router::next_stanza(const Scenario& sc, const World& w, ServerIndex server) {
    for (std::size_t k = 0; k < sc.stanzas.size(); ++k)
        if (sc.stanzas[k].origin == server && w.stanzas[k].fate == Fate::Unsubmitted) return static_cast<int>(k);
    return -1;
}

Connection* Router::find(std::uint16_t number) {
    for (auto& c : w_.connections)
        if (c.number == number) return &c;
    return nullptr;
}

bool Router::live(std::uint16_t number) const {
    const Connection* c = w_.connection(number);
    return c && c->i.state() != InitiatingStream::State::Closed;
}

// Our outgoing stream from → to that is not closed. A verify-only one
// (DB-16) carries db:verify but never stanzas, so it counts only for those.
const Connection* Router::live_outgoing(ServerIndex server, DomainId from, DomainId to, Use use) const {
    for (const auto& c : w_.connections)
        // The stream dialled for the pair, or one it was multiplexed onto (DB-40).
        if (c.initiator == server && c.i.state() != InitiatingStream::State::Closed &&
            ((c.i.data().from == from && c.i.data().to == to) ||
             (use == Use::Stanzas && c.i.pair(from, to) != PairState::Idle)) &&
            (use == Use::Verify || !c.i.data().has(InitiatingData::kVerifyOnly)))
            return &c;
    return nullptr;
}

// Connections with an attacker go before every honest one, whenever they
// were dialled (those it dialled first): routing tries them first (the worst
// case), and worlds that differ only in when the attacker came in share one
// order. Without an attacker, in order of opening.
void Router::add_connection(const Connection& c) {
    const auto rank = [this](const Connection& x) {
        return sc_.servers[x.initiator].attacker ? 0 : sc_.servers[x.receiver].attacker ? 1 : 2;
    };
    auto at = w_.connections.begin();
    while (at != w_.connections.end() && rank(*at) <= rank(c)) ++at;
    w_.connections.insert(at, c);
    changed();
}

// A new TCP connection from `server` (as `from`) to the server hosting `to`;
// the initiating stream sends its header at once (CORE-6).
std::uint16_t Router::open(ServerIndex server, DomainId from, DomainId to, InitiatingStream::Purpose purpose) {
    Connection c;
    c.initiator = server;
    c.receiver = sc_.server_of(to);
    c.number = w_.next_connection++;
    c.i = InitiatingStream::initial(from, to, purpose);
    c.r = ReceivingStream::initial();
    add_connection(c);
    run(c.number, Side::Initiator, Element::tcp_connected());
    return c.number;
}

void Router::submit(ServerIndex server) {
    int k = next_stanza(sc_, w_, server);
    if (k < 0) return;
    w_.stanzas[k].fate = Fate::Queued;
    settle();
}

void Router::deliver(std::uint16_t number, bool to_receiver) {
    Connection* c = find(number);
    if (!c) return;
    auto& fifo = to_receiver ? c->to_receiver : c->to_initiator;
    if (fifo.empty()) return;
    Element e = fifo.front();
    fifo.erase(fifo.begin());
    run(number, to_receiver ? Side::Receiver : Side::Initiator, e);
    settle();
}

void Router::complete_tls(std::uint16_t number) {
    if (!find(number)) return;
    tls_done_at(number, Side::Initiator);
    tls_done_at(number, Side::Receiver);
    settle();
}

void Router::complete_tls_at(std::uint16_t number, bool receiver) {
    if (!find(number)) return;
    tls_done_at(number, receiver ? Side::Receiver : Side::Initiator);
    settle();
}

// One end learns the names the other's certificate is trusted for (SASL-2, CORE-53).
void Router::tls_done_at(std::uint16_t number, Side side) {
    const Connection* c = find(number);
    if (!c) return;
    const ServerIndex other = side == Side::Initiator ? c->receiver : c->initiator;
    run(number, side, sc_.servers[other].tls_done_for_peer());
}

// model/attacker.hpp: the victim's end reads what the attacker wrote, at once.
void Router::forge(ServerIndex attacker, std::uint16_t number, bool to_receiver, const Element& e) {
    if (!find(number)) {  // the attacker dials a victim: its header opens the connection
        Connection c;
        c.initiator = attacker;
        c.receiver = sc_.server_of(e.to);
        c.number = number;
        c.i = InitiatingStream::initial(e.from, e.to);  // the attacker's end: never run
        c.r = ReceivingStream::initial();
        w_.next_connection = static_cast<std::uint16_t>(number + 1);
        add_connection(c);
    } else if (w_.forgeries_left > 0) {
        --w_.forgeries_left;
    }
    run(number, to_receiver ? Side::Receiver : Side::Initiator, e);
    settle();
}

// A TCP reset, injected by the environment at most `faults.resets` times:
// - both ends are Closed at once, without </stream:stream> (TCP is gone, as
//   when TLS fails, CORE-32): abort()'s output is never written;
// - what either end wrote and the other has not read is gone with it: a
//   scenario stanza among it is Lost (CORE-19: written stanzas are lost only
//   when TCP is torn down), never bounced, as its sender cannot know;
// - what the servers knew of the connection goes as after a stream error
//   (CORE-23): its authorized pairs with the machines; the db:verify its
//   initiating end carried are failed (DB-17, DB-36), and requests waiting
//   for it fail in request_verifications();
// - stanzas still queued for it (not yet written) stay queued and are routed
//   again: settle() opens a new connection (CORE-51, DB-3), the reconnect of
//   CORE-20 and CORE-56 ("both re-establish"). A reset is no close by the
//   Receiving Server (DB-9), so nothing is bounced for it.
void Router::reset(std::uint16_t number) {
    Connection* c = find(number);
    if (!c || c->closed() || w_.resets_left == 0) return;
    --w_.resets_left;
    for (const auto* fifo : {&c->to_receiver, &c->to_initiator})
        for (const Element& e : *fifo)
            if (e.kind == ElementKind::Stanza && e.seq < w_.stanzas.size() && w_.stanzas[e.seq].fate == Fate::InFlight)
                w_.stanzas[e.seq].fate = Fate::Lost;
    c->to_receiver.clear();
    c->to_initiator.clear();
    Context ictx = context_for(c->initiator);
    c->i.abort(Condition::None, ictx);
    Context rctx = context_for(c->receiver);
    c->r.abort(Condition::None, rctx);
    for (auto& rec : w_.stanzas)
        if (rec.fate == Fate::Queued && rec.via == number) {
            rec.via = 0;
            rec.rerouted = 1;
        }
    fail_pending_verifies(number);
    settle();
}

Outcome Router::run(std::uint16_t number, Side side, const Element& e) {
    Connection* c = find(number);
    if (!c) return Outcome{Verdict::NoTransition, e.kind, Condition::None, "", ""};
    const ServerIndex server = side == Side::Initiator ? c->initiator : c->receiver;
    const ServerIndex writer = side == Side::Initiator ? c->receiver : c->initiator;
    Context ctx = context_for(server);
    const bool initiator_was_open = c->i.state() != InitiatingStream::State::Closed;
    const InitiatingStream i_before = c->i;
    const ReceivingStream r_before = c->r;
    const RowCoverage::Ends ends(server, writer);  // for a coverage of one peer's connections (probe)
    Outcome o = side == Side::Initiator ? c->i.deliver(e, ctx) : c->r.deliver(e, ctx);
    // What a delivery changed: the machine, what it emitted, or what it answered (below).
    if (o.handled() || o.violation() || !ctx.out.empty() || !(c->i == i_before) || !(c->r == r_before)) changed();
    if (o.violation() && is_wire(e.kind)) {
        // An element the machine has no transition for: recorded (never
        // ignored), and answered with the stream error it names (CORE-23).
        // What an attacker wrote, an honest machine refusing it is no
        // violation of the model: it is answered all the same.
        if (!sc_.servers[writer].attacker)
            w_.violations.push_back(ViolationRecord{number, side == Side::Receiver, e.kind, o.verdict});
        ctx.out.clear();
        if (side == Side::Initiator) c->i.abort(o.condition, ctx);
        else c->r.abort(o.condition, ctx);
    }
    w_.next_stream_id = ctx.next_stream_id;
    if (e.kind == ElementKind::Stanza && o.handled() && e.seq < w_.stanzas.size()) {
        auto& rec = w_.stanzas[e.seq];
        ++rec.deliveries;
        rec.fate = Fate::Delivered;
    } else if (e.kind == ElementKind::Stanza && o.handled() && e.seq == kForgedStanza && w_.forged_accepted < 255) {
        ++w_.forged_accepted;  // the properties judge whether it should have been
    }
    const Outbox out = ctx.out;  // handling outputs may run other machines
    for (const Element& x : out) handle_output(number, side, x);
    if (side == Side::Initiator && initiator_was_open) fail_pending_verifies(number);
    if (e.kind == ElementKind::Bidi && o.handled() && side == Side::Receiver &&
        sc_.servers[server].has_quirk("conflict-on-duplicate"))
        close_duplicates(server, writer);
    return o;
}

// Quirk conflict-on-duplicate (the community mod_bidi, REAL-WORLD RW-14):
// once an incoming stream from `peer` is bidi, our own outgoing streams to
// it are closed with <conflict/> (CORE-21 allows that only for a peer that
// negotiates a second stream); what waited for them is bounced by settle().
void Router::close_duplicates(ServerIndex server, ServerIndex peer) {
    for (auto& c : w_.connections) {
        if (c.initiator != server || c.receiver != peer || c.i.state() == InitiatingStream::State::Closed) continue;
        Context ctx = context_for(server);
        c.i.abort(Condition::Conflict, ctx);
        changed();
        for (const Element& x : ctx.out) c.to_receiver.push_back(x);
        fail_pending_verifies(c.number);
    }
}

// DB-17: the db:verify an initiating stream sent and got no answer for are
// failed once it is closed, and answered like an error (DB-36) to the
// streams that asked; they are not left waiting forever (DB-8).
void Router::fail_pending_verifies(std::uint16_t number) {
    const Connection* c = find(number);
    if (!c || c->i.state() != InitiatingStream::State::Closed) return;
    const ServerIndex server = c->initiator;
    const PendingVerifies pending = c->i.data().verifies;  // a copy: verdicts run other machines
    for (std::size_t k = 0; k < pending.size(); ++k)
        deliver_verdict(server, Element::verify_outcome(pending[k].to, pending[k].from, pending[k].id, DbType::Error));
}

void Router::handle_output(std::uint16_t number, Side side, const Element& out) {
    Connection* c = find(number);
    if (!c) return;
    if (is_wire(out.kind)) {
        (side == Side::Initiator ? c->to_receiver : c->to_initiator).push_back(out);
        return;
    }
    const ServerIndex server = side == Side::Initiator ? c->initiator : c->receiver;
    switch (out.kind) {
        case ElementKind::VerifyNeeded:
            // XEP-0220 Step 2: ask the authoritative server, over another
            // connection than the one the request came in on (BIDI-6).
            w_.verifies.push_back(PendingVerifyRequest{server, 0, out});
            break;
        case ElementKind::VerifyOutcome:
            deliver_verdict(server, out);
            break;
        case ElementKind::PairOutcome:
            // DB-12: invalid bounces with internal-server-error; DB-14: error
            // with remote-server-timeout. Valid: settle() flushes the queue (DB-11).
            if (out.type == DbType::Invalid) bounce_pair(server, out.from, out.to, Condition::InternalServerError);
            if (out.type == DbType::Error) bounce_pair(server, out.from, out.to, Condition::RemoteServerTimeout);
            break;
        default: break;
    }
}

// Step 3 answered: the verdict goes to the stream that asked, the one whose
// stream id the key was bound to (DB-15): a receiving stream, or an initiating
// one that took a reverse request over bidi (BIDI-8). None left: the verdict
// is dropped silently (DB-19).
void Router::deliver_verdict(ServerIndex server, const Element& verdict) {
    for (const auto& other : w_.connections) {
        if (other.receiver == server && other.r.data().stream_id == verdict.id &&
            other.r.state() != ReceivingStream::State::Closed) {
            run(other.number, Side::Receiver, verdict);
            return;
        }
        if (other.initiator == server && other.i.data().stream_id == verdict.id &&
            other.i.state() != InitiatingStream::State::Closed) {
            run(other.number, Side::Initiator, verdict);
            return;
        }
    }
}

void Router::bounce(std::size_t k, Condition c) {
    changed();
    auto& rec = w_.stanzas[k];
    rec.fate = Fate::Bounced;
    rec.bounce = c;
    ++rec.bounces;
}

void Router::bounce_pair(ServerIndex server, DomainId from, DomainId to, Condition c) {
    for (std::size_t k = 0; k < sc_.stanzas.size(); ++k) {
        const auto& s = sc_.stanzas[k];
        if (s.origin == server && s.from == from && s.to == to && w_.stanzas[k].fate == Fate::Queued) bounce(k, c);
    }
}

// Sends stanza k if some stream may carry it now: an outgoing stream
// authorized for the pair, or an incoming one with bidi (CORE-51, BIDI-7).
bool Router::route(std::size_t k) {
    const auto& s = sc_.stanzas[k];
    for (int pass = 0; pass < 2; ++pass) {
        const bool outgoing = pass == 0;
        // CORE-49: one output stream per pair. While our own outgoing stream
        // for the pair exists, an incoming bidi stream is not used for it
        // (Prosody registers the outgoing route at once, REAL-WORLD §A.8).
        if (!outgoing && live_outgoing(s.origin, s.from, s.to, Use::Stanzas)) break;
        for (const auto& c : w_.connections) {
            // Only an established stream carries stanzas: not one in the middle
            // of a restart (CORE-35: nothing between <success/> and the new
            // features). A receiving stream still negotiating never may either,
            // unless a quirk says otherwise (send-before-auth): its machine decides.
            const ServerPolicy& policy = sc_.servers[s.origin];
            const bool usable =
                outgoing ? c.initiator == s.origin && c.i.state() == InitiatingStream::State::Established &&
                               c.i.may_send(s.from, s.to, policy)
                         : c.receiver == s.origin &&
                               (c.r.state() == ReceivingStream::State::Established ||
                                c.r.state() == ReceivingStream::State::AwaitingNegotiation) &&
                               c.r.may_send(s.from, s.to, policy);
            if (!usable) continue;
            const std::uint16_t number = c.number;
            Outcome o = run(number, outgoing ? Side::Initiator : Side::Receiver,
                            Element::send_stanza(s.from, s.to, static_cast<std::uint16_t>(k)));
            if (!o.handled()) continue;
            auto& rec = w_.stanzas[k];
            rec.fate = Fate::InFlight;
            rec.via = number;
            rec.reverse = outgoing ? 0 : 1;
            return true;
        }
    }
    return false;
}

// BIDI-8, BIDI-9, DB-44, EXT-2: rather than dial out for stanza k (from our
// domain D to the peer's P), ask for (D, P) on an incoming bidi stream from
// P's server on which P has proven itself; the receiving stream's guard
// (MayRequestReverse) decides. The initiating side has the key checked by
// D's authority over another connection (BIDI-6) and answers on this stream
// (AnswerReverseRequest); the valid pair then carries the stanza R→I and also
// authorizes I for P→D (BIDI-13). Returns the connection asked, or 0.
std::uint16_t Router::request_reverse(std::size_t k) {
    const auto& s = sc_.stanzas[k];
    if (!sc_.servers[s.origin].reverse_dialback) return 0;  // Prosody 0.12 dials out
    for (const auto& c : w_.connections) {
        if (c.receiver != s.origin || c.initiator != s.target || c.r.state() != ReceivingStream::State::Established)
            continue;
        const std::uint16_t number = c.number;
        if (run(number, Side::Receiver, Element::request_pair(s.from, s.to)).handled()) return number;
    }
    return 0;
}

void Router::request_verifications() {
    for (std::size_t v = 0; v < w_.verifies.size();) {
        auto& req = w_.verifies[v];
        // db:verify from = the asking domain (target), to = the sender's domain (DB-15).
        const DomainId asker = req.need.to, authority_domain = req.need.from;
        if (verify_on_incoming(req)) {  // quirk verify-on-request-connection: breaks BIDI-6
            w_.verifies.erase(w_.verifies.begin() + static_cast<std::ptrdiff_t>(v));
            changed();
            continue;
        }
        const Connection* c = live_outgoing(req.at, asker, authority_domain, Use::Verify);
        if (!c && req.via != 0) {
            // The connection to the authority failed: the request is failed
            // too, and answered like an error (DB-17, DB-36).
            const Element failed = Element::verify_outcome(req.need.from, req.need.to, req.need.id, DbType::Error);
            const ServerIndex at = req.at;
            w_.verifies.erase(w_.verifies.begin() + static_cast<std::ptrdiff_t>(v));
            changed();
            deliver_verdict(at, failed);
            continue;
        }
        if (!c) {
            // DB-16: a connection only for db:verify (ejabberd), or our ordinary
            // outgoing stream to the authority (Prosody 0.12).
            const auto purpose = sc_.servers[req.at].verify_only_connections ? InitiatingStream::Purpose::VerifyOnly
                                                                              : InitiatingStream::Purpose::Stanzas;
            const std::uint16_t number = open(req.at, asker, authority_domain, purpose);
            w_.verifies[v].via = number;  // open() may have grown the list: index again
            ++v;
            continue;
        }
        if (c->i.state() == InitiatingStream::State::Established) {
            const std::uint16_t number = c->number;
            const Element send = Element::send_verify_for(req.need);
            w_.verifies.erase(w_.verifies.begin() + static_cast<std::ptrdiff_t>(v));
            changed();
            run(number, Side::Initiator, send);
            continue;
        }
        ++v;
    }
}

// Quirk verify-on-request-connection (RULES BIDI-6 MUT): the db:verify is
// routed through the routing table, which already maps the authority's
// domain to its incoming bidi stream, the connection the request came in on.
// The receiving stream's guard VerifiesOnRequestConnection decides.
bool Router::verify_on_incoming(PendingVerifyRequest req) {
    if (sc_.servers[req.at].quirks.empty() || !sc_.servers[req.at].has_quirk("verify-on-request-connection")) return false;
    const ServerIndex authority = sc_.server_of(req.need.from);
    for (const auto& c : w_.connections) {
        if (c.receiver != req.at || c.initiator != authority || c.r.state() == ReceivingStream::State::Closed) continue;
        if (run(c.number, Side::Receiver, Element::send_verify_for(req.need)).handled()) return true;
    }
    return false;
}

// DB-16, EXT-3: a verify-only connection is closed as soon as it has no
// db:verify waiting for an answer and none waiting to be sent on it.
void Router::close_finished_verify_connections() {
    for (auto& c : w_.connections) {
        const InitiatingData& d = c.i.data();
        if (!d.has(InitiatingData::kVerifyOnly) || c.i.state() != InitiatingStream::State::Established ||
            d.verifies.size() != 0)
            continue;
        bool wanted = false;
        for (const auto& req : w_.verifies)
            wanted = wanted || live_outgoing(req.at, req.need.to, req.need.from, Use::Verify) == &c;
        if (wanted) continue;
        Context ctx = context_for(c.initiator);
        c.i.abort(Condition::None, ctx);  // </stream:stream>
        changed();
        for (const Element& x : ctx.out) c.to_receiver.push_back(x);
    }
}

void Router::settle() {
    // Rounds until one changes nothing (changed() counts every write).
    for (int round = 0; round < 8; ++round) {
        const std::uint32_t before = changes_;
        if (attacker_reads(sc_, w_)) changed();  // at once: model/attacker.hpp
        for (std::size_t k = 0; k < sc_.stanzas.size(); ++k) {
            if (w_.stanzas[k].fate != Fate::Queued) continue;
            const auto& s = sc_.stanzas[k];
            bool earlier_waiting = false;  // CORE-49: per pair, in order
            for (std::size_t j = 0; j < k; ++j)
                if (w_.stanzas[j].fate == Fate::Queued && sc_.stanzas[j].origin == s.origin &&
                    sc_.stanzas[j].from == s.from && sc_.stanzas[j].to == s.to)
                    earlier_waiting = true;
            if (earlier_waiting || route(k)) continue;
            auto& rec = w_.stanzas[k];
            if (const Connection* c = live_outgoing(s.origin, s.from, s.to, Use::Stanzas)) {
                const PairState pair = c->i.pair(s.from, s.to);
                if (c->i.state() == InitiatingStream::State::Established && pair == PairState::Invalid)
                    bounce(k, Condition::InternalServerError);  // DB-12
                else if (c->i.state() == InitiatingStream::State::Established && pair == PairState::Error)
                    bounce(k, Condition::RemoteServerTimeout);  // DB-14
                else if (rec.via != c->number)
                    rec.via = c->number, changed();  // wait for it to be authorized (DB-6)
            } else if (rec.via != 0 && !live(rec.via)) {
                bounce(k, Condition::RemoteServerTimeout);  // CORE-52: streams could not be negotiated
            } else if (rec.via == 0) {
                // BIDI-8 or DB-40, when the policy says so; else a connection of its own.
                std::uint16_t via = request_reverse(k);
                if (via == 0) via = multiplex(k);
                w_.stanzas[k].via = via != 0 ? via : open(s.origin, s.from, s.to);
                changed();
            }
        }
        request_verifications();
        close_finished_verify_connections();
        // A connection whose streams are both closed and whose FIFOs are empty is gone.
        const std::size_t live = w_.connections.size();
        w_.connections.erase(std::remove_if(w_.connections.begin(), w_.connections.end(),
                                            [](const Connection& c) { return c.closed() && c.idle(); }),
                             w_.connections.end());
        if (w_.connections.size() != live) changed();
        if (changes_ == before) break;
    }
    attacker_reads(sc_, w_);
}

}  // namespace bidilab::model
