// model/multiplexing.cpp — dialback multiplexing (XEP-0220 §2.6), the
// Router's part: a server with policy.multiplexing asks for a new domain pair
// on an established outgoing stream to the server that hosts the target,
// instead of opening a connection per pair (Prosody 0.12 does the latter).
// The initiating stream's guard MayRequestPair decides whether the stream
// may carry it: sender multiplexing freely (DB-41), target multiplexing only
// when the peer offered dialback errors (DB-42, DB-43), never on a
// verify-only connection or after an invalid result (DB-13).
#include "model/router.hpp"

namespace bidilab::model {

bool Router::multiplex(std::size_t k) {
    const auto& s = sc_.stanzas[k];
    if (!sc_.servers[s.origin].multiplexing) return false;
    const ServerIndex peer = sc_.server_of(s.to);
    for (std::size_t n = 0; n < w_.connections.size(); ++n) {
        const Connection& c = w_.connections[n];
        if (c.initiator != s.origin || c.receiver != peer || c.i.state() != InitiatingStream::State::Established)
            continue;
        // DB-3, DB-40: a db:result for (from, to) on this stream (RequestDialback).
        if (ask_pair(k, c.number, Side::Initiator, RouterStep::Kind::Multiplex, "DB-40, DB-3")) return true;
    }
    return false;
}

}  // namespace bidilab::model
