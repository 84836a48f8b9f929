// model/router_actions.cpp — the Router's part of each action of the model
// (model/xmpp_model.hpp): a stanza submitted, an element read, a TLS
// handshake, a forgery, a TCP reset. Each is the action's own step; then
// settle() takes the router's steps it led to (model/router_step.hpp).
#include <algorithm>

#include "model/router.hpp"

namespace bidilab::model {

void Router::submit(ServerIndex server) {
    int k = next_stanza(sc_, w_, server);
    if (k < 0) return;
    {
        Taking t(*this, RouterStep::Kind::Action, server, "");
        w_.stanzas[k].fate = Fate::Queued;
        wrote(Cell::stanza(static_cast<std::size_t>(k)));
    }
    settle();
}

void Router::deliver(std::uint16_t number, bool to_receiver) {
    Connection* c = find(number);
    if (!c) return;
    auto& fifo = to_receiver ? c->to_receiver : c->to_initiator;
    if (fifo.empty()) return;
    {
        Taking t(*this, RouterStep::Kind::Action, to_receiver ? c->receiver : c->initiator, "");
        t.read(Cell::fifo(number, to_receiver));
        Element e = fifo.front();
        fifo.erase(fifo.begin());
        wrote(Cell::fifo(number, to_receiver));
        run(number, to_receiver ? Side::Receiver : Side::Initiator, e);
    }
    settle();
}

void Router::complete_tls(std::uint16_t number) {
    const Connection* c = find(number);
    if (!c) return;
    {
        Taking t(*this, RouterStep::Kind::Action, c->initiator, "CORE-32");
        tls_done_at(number, Side::Initiator);
        tls_done_at(number, Side::Receiver);
    }
    settle();
}

void Router::complete_tls_at(std::uint16_t number, bool receiver) {
    const Connection* c = find(number);
    if (!c) return;
    {
        Taking t(*this, RouterStep::Kind::Action, receiver ? c->receiver : c->initiator, "CORE-32");
        tls_done_at(number, receiver ? Side::Receiver : Side::Initiator);
    }
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
    forge_once(attacker, number, to_receiver, e);
    settle();
}

void Router::forge_once(ServerIndex attacker, std::uint16_t number, bool to_receiver, const Element& e) {
    Taking t(*this, RouterStep::Kind::Action, attacker, "");
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
        wrote(Cell::of(Cell::Kind::Budgets));
    }
    run(number, to_receiver ? Side::Receiver : Side::Initiator, e);
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
//   again: settle() opens a new connection (DB-3), the reconnect of
//   CORE-20 and CORE-56 ("both re-establish"). A reset is no close by the
//   Receiving Server (DB-9), so nothing is bounced for it.
void Router::reset(std::uint16_t number) {
    Connection* c = find(number);
    if (!c || c->closed() || w_.resets_left == 0) return;
    reset_once(*c);
    settle();
}

void Router::reset_once(Connection& c0) {
    Connection* c = &c0;
    const std::uint16_t number = c->number;
    Taking t(*this, RouterStep::Kind::Action, c->initiator, "CORE-19, CORE-23");
    --w_.resets_left;
    wrote(Cell::of(Cell::Kind::Budgets));
    for (const auto* fifo : {&c->to_receiver, &c->to_initiator})
        for (const Element& e : *fifo)
            if (e.kind == ElementKind::Stanza && e.seq < w_.stanzas.size() && w_.stanzas[e.seq].fate == Fate::InFlight) {
                w_.stanzas[e.seq].fate = Fate::Lost;
                wrote(Cell::stanza(e.seq));
            }
    c->to_receiver.clear();
    c->to_initiator.clear();
    Context ictx = context_for(c->initiator);
    c->i.abort(Condition::None, ictx);
    Context rctx = context_for(c->receiver);
    c->r.abort(Condition::None, rctx);
    for (const bool receiving : {false, true}) {
        wrote(Cell::fifo(number, receiving));
        wrote(Cell::end(number, receiving));
    }
    for (std::size_t k = 0; k < w_.stanzas.size(); ++k) {
        auto& rec = w_.stanzas[k];
        if (rec.fate == Fate::Queued && rec.via == number) {
            rec.via = 0;
            rec.rerouted = 1;
            wrote(Cell::stanza(k));
        }
    }
    fail_pending_verifies(number);
}

}  // namespace bidilab::model
