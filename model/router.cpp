#include "model/router.hpp"

#include <algorithm>

#include "model/attacker.hpp"
#include "model/context.hpp"
#include "model/row_coverage.hpp"

namespace bidilab::model {

Router::Taking::Taking(Router& r, RouterStep::Kind kind, ServerIndex server, const char* rules)
    : r_(r), saved_(r.current_) {
    if (!r.log_) return;
    RouterStep s;
    s.kind = kind;
    s.server = server;
    s.rules = rules;
    r.log_->push_back(s);
    r.current_ = static_cast<int>(r.log_->size()) - 1;
}

void Router::Taking::cancel() {
    if (!r_.log_ || r_.current_ != static_cast<int>(r_.log_->size()) - 1) return;
    r_.log_->pop_back();
    r_.current_ = saved_;
}

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

// Where a new connection goes. In canonical order (keep_canonical_order):
// after every connection that goes before it by (attacker rank, identity,
// age), the new one being the youngest. Otherwise, connections with an
// attacker go before every honest one, whenever they were dialled (those it
// dialled first): routing tries them first (the worst case); among the
// rest, in order of opening.
void Router::add_connection(const Connection& c) {
    const CanonicalKey key = canonical_key(c, sc_);
    const auto before_it = [&](const Connection& x) {
        const CanonicalKey other = canonical_key(x, sc_);
        return canonical_ ? other < key : other.rank <= key.rank;
    };
    auto at = w_.connections.begin();
    while (at != w_.connections.end() && before_it(*at)) ++at;
    w_.connections.insert(at, c);
    changed();
    wrote(Cell::of(Cell::Kind::Connections, c.number));
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
    if (o.handled() || (o.violation() && is_wire(e.kind)) || !ctx.out.empty() || !(c->i == i_before) || !(c->r == r_before)) changed();
    if (log_ && !(side == Side::Initiator ? c->i == i_before : c->r == r_before)) wrote(end_of(number, side));
    if (o.violation() && is_wire(e.kind)) {
        // An element the machine has no transition for: recorded (never
        // ignored), and answered with the stream error it names (CORE-23).
        // What an attacker wrote, an honest machine refusing it is no
        // violation of the model: it is answered all the same.
        if (!sc_.servers[writer].attacker) {
            w_.violations.push_back(ViolationRecord{number, side == Side::Receiver, e.kind, o.verdict});
            wrote(Cell::of(Cell::Kind::Violations));
        }
        ctx.out.clear();
        if (side == Side::Initiator) c->i.abort(o.condition, ctx);
        else c->r.abort(o.condition, ctx);
        wrote(end_of(number, side));
    }
    if (w_.next_stream_id != ctx.next_stream_id) wrote(Cell::of(Cell::Kind::StreamIds));
    w_.next_stream_id = ctx.next_stream_id;
    if (e.kind == ElementKind::Stanza && o.handled() && e.seq < w_.stanzas.size()) {
        auto& rec = w_.stanzas[e.seq];
        ++rec.deliveries;
        rec.fate = Fate::Delivered;
        wrote(Cell::stanza(e.seq));
    } else if (e.kind == ElementKind::Stanza && o.handled() && e.seq == kForgedStanza && w_.forged_accepted < 255) {
        ++w_.forged_accepted;  // the properties judge whether it should have been
        wrote(Cell::of(Cell::Kind::Keys));
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
        Taking t(*this, RouterStep::Kind::CloseDuplicate, server, "quirk conflict-on-duplicate, CORE-21");
        if (log_) t->connection = c.number;
        Context ctx = context_for(server);
        c.i.abort(Condition::Conflict, ctx);
        changed();
        wrote(Cell::end(c.number, false));
        for (const Element& x : ctx.out) c.to_receiver.push_back(x);
        if (!ctx.out.empty()) wrote(Cell::fifo(c.number, true));
        fail_pending_verifies(c.number);
    }
}

void Router::handle_output(std::uint16_t number, Side side, const Element& out) {
    Connection* c = find(number);
    if (!c) return;
    if (is_wire(out.kind)) {
        (side == Side::Initiator ? c->to_receiver : c->to_initiator).push_back(out);
        wrote(Cell::fifo(number, side == Side::Initiator));
        return;
    }
    const ServerIndex server = side == Side::Initiator ? c->initiator : c->receiver;
    switch (out.kind) {
        case ElementKind::VerifyNeeded: {
            // XEP-0220 Step 2: ask the authoritative server, over another
            // connection than the one the request came in on (BIDI-6).
            Taking t(*this, RouterStep::Kind::AskAuthority, server, "XEP-0220 Step 2, BIDI-6");
            if (log_) t->about = out, t->connection = number, t->receiving_end = side == Side::Receiver;
            w_.verifies.push_back(PendingVerifyRequest{server, 0, out});
            wrote(Cell::of(Cell::Kind::Verifies, server));
            break;
        }
        case ElementKind::VerifyOutcome:
            deliver_verdict(server, out);
            break;
        case ElementKind::PairOutcome:
            // DB-12: invalid bounces with internal-server-error; DB-14: error
            // with remote-server-timeout. Valid: settle() flushes the queue (DB-11).
            if (out.type == DbType::Invalid) bounce_pair(server, out.from, out.to, Condition::InternalServerError, "DB-12");
            if (out.type == DbType::Error) bounce_pair(server, out.from, out.to, Condition::RemoteServerTimeout, "DB-14");
            break;
        default: break;
    }
}

void Router::bounce(std::size_t k, Condition c, std::uint16_t via, const char* rules) {
    Taking t(*this, RouterStep::Kind::Bounce, sc_.stanzas[k].origin, rules);
    if (log_) t->stanza = static_cast<std::int16_t>(k), t->condition = c, t->connection = via;
    changed();
    auto& rec = w_.stanzas[k];
    rec.fate = Fate::Bounced;
    rec.bounce = c;
    ++rec.bounces;
    wrote(Cell::stanza(k));
}

void Router::bounce_pair(ServerIndex server, DomainId from, DomainId to, Condition c, const char* rules) {
    for (std::size_t k = 0; k < sc_.stanzas.size(); ++k) {
        const auto& s = sc_.stanzas[k];
        if (s.origin == server && s.from == from && s.to == to && w_.stanzas[k].fate == Fate::Queued)
            bounce(k, c, w_.stanzas[k].via, rules);
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
            Taking t(*this, RouterStep::Kind::Route, s.origin, outgoing ? "CORE-51, DB-11" : "BIDI-5, BIDI-7");
            if (log_) {
                t->stanza = static_cast<std::int16_t>(k), t->connection = number, t->receiving_end = !outgoing;
                t.read(Cell::of(Cell::Kind::Routes, s.origin));
            }
            Outcome o = run(number, outgoing ? Side::Initiator : Side::Receiver,
                            Element::send_stanza(s.from, s.to, static_cast<std::uint16_t>(k)));
            if (!o.handled()) {
                t.cancel();
                continue;
            }
            auto& rec = w_.stanzas[k];
            rec.fate = Fate::InFlight;
            rec.via = number;
            rec.reverse = outgoing ? 0 : 1;
            wrote(Cell::stanza(k));
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
// authorizes I for P→D (BIDI-13).
bool Router::request_reverse(std::size_t k) {
    const auto& s = sc_.stanzas[k];
    if (!sc_.servers[s.origin].reverse_dialback) return false;  // Prosody 0.12 dials out
    for (const auto& c : w_.connections) {
        if (c.receiver != s.origin || c.initiator != s.target || c.r.state() != ReceivingStream::State::Established)
            continue;
        if (ask_pair(k, c.number, Side::Receiver, RouterStep::Kind::RequestReverse, "BIDI-8, BIDI-9")) return true;
    }
    return false;
}

// Stanza k's pair asked for on one end of connection `number` (a db:result,
// RequestDialback or RequestReverseDialback): the step, when its machine
// takes it, and the stanza then waits for that connection.
bool Router::ask_pair(std::size_t k, std::uint16_t number, Side side, RouterStep::Kind kind, const char* rules) {
    const auto& s = sc_.stanzas[k];
    Taking t(*this, kind, s.origin, rules);
    if (log_) {
        t->stanza = static_cast<std::int16_t>(k), t->connection = number, t->receiving_end = side == Side::Receiver;
        t.read(Cell::of(Cell::Kind::Routes, s.origin));
    }
    if (!run(number, side, Element::request_pair(s.from, s.to)).handled()) {
        t.cancel();
        return false;
    }
    w_.stanzas[k].via = number;
    wrote(Cell::stanza(k));
    return true;
}

// DB-3: no stream carries the pair and none was asked for it: a connection
// of its own.
void Router::dial(std::size_t k) {
    const auto& s = sc_.stanzas[k];
    Taking t(*this, RouterStep::Kind::Dial, s.origin, "DB-3");
    if (log_) t->stanza = static_cast<std::int16_t>(k), t.read(Cell::of(Cell::Kind::Routes, s.origin));
    const std::uint16_t number = open(s.origin, s.from, s.to);
    if (log_) t->connection = number;
    w_.stanzas[k].via = number;
    wrote(Cell::stanza(k));
}

void Router::attacker_read(bool counts) {
    if (!sc_.has_attacker()) return;
    // Logged only when it read something: its server is the first attacker.
    ServerIndex attacker = 0;
    while (attacker < sc_.servers.size() && !sc_.servers[attacker].attacker) ++attacker;
    Taking t(*this, RouterStep::Kind::AttackerReads, attacker, "");
    // With a log: the stanza records before, to name those its reads change
    // (a stanza written to it is delivered there).
    std::vector<StanzaRecord> before;
    if (log_) before = w_.stanzas;
    if (!attacker_reads(sc_, w_)) {
        t.cancel();
        return;
    }
    if (counts) changed();
    if (!log_) return;
    for (std::size_t k = 0; k < before.size(); ++k)
        if (!(before[k] == w_.stanzas[k])) wrote(Cell::stanza(k));
    for (const auto& c : w_.connections)
        if (sc_.servers[c.initiator].attacker || sc_.servers[c.receiver].attacker)
            for (const bool to_receiver : {true, false}) wrote(Cell::fifo(c.number, to_receiver));
    wrote(Cell::of(Cell::Kind::Keys));
    wrote(Cell::of(Cell::Kind::StreamIds));
}

// The router's steps after an action, in rounds: the queued stanzas in file
// order, the db:verify requests, the verify-only connections, the
// connections that are gone; rounds until one takes no step (each counts
// through changed()).
void Router::settle() {
    for (int round = 0; round < 8; ++round) {
        const std::uint32_t before = changes_;
        attacker_read(true);  // at once: model/attacker.hpp
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
                if (c->i.state() == InitiatingStream::State::Established && pair == PairState::Invalid) {
                    bounce(k, Condition::InternalServerError, c->number, "DB-12");
                } else if (c->i.state() == InitiatingStream::State::Established && pair == PairState::Error) {
                    bounce(k, Condition::RemoteServerTimeout, c->number, "DB-14");
                } else if (rec.via != c->number) {
                    Taking t(*this, RouterStep::Kind::Await, s.origin, "DB-6");
                    if (log_) t->stanza = static_cast<std::int16_t>(k), t->connection = c->number;
                    rec.via = c->number;  // wait for it to be authorized (DB-6)
                    changed();
                    wrote(Cell::stanza(k));
                }
            } else if (rec.via != 0 && !live(rec.via)) {
                bounce(k, Condition::RemoteServerTimeout, rec.via, "CORE-52");  // streams could not be negotiated
            } else if (rec.via == 0) {
                // BIDI-8 or DB-40, when the policy says so; else a connection of its own.
                if (!request_reverse(k) && !multiplex(k)) dial(k);
                changed();
            }
        }
        request_verifications();
        close_finished_verify_connections();
        forget_gone_connections();
        if (changes_ == before) break;
    }
    attacker_read(false);
}

// A connection whose streams are both closed and whose FIFOs are empty is gone.
void Router::forget_gone_connections() {
    for (std::size_t n = 0; n < w_.connections.size();) {
        const Connection& c = w_.connections[n];
        if (!c.closed() || !c.idle()) {
            ++n;
            continue;
        }
        Taking t(*this, RouterStep::Kind::Forget, c.initiator, "");
        if (log_) t->connection = c.number;
        wrote(Cell::of(Cell::Kind::Connections, c.number));
        w_.connections.erase(w_.connections.begin() + static_cast<std::ptrdiff_t>(n));
        changed();
    }
}

}  // namespace bidilab::model
