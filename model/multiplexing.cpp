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

std::uint16_t Router::multiplex(std::size_t k) {
    const auto& s = sc_.stanzas[k];
    if (!sc_.servers[s.origin].multiplexing) return 0;
    const ServerIndex peer = sc_.server_of(s.to);
    for (std::size_t n = 0; n < w_.connections.size(); ++n) {
        const Connection& c = w_.connections[n];
        if (c.initiator != s.origin || c.receiver != peer || c.i.state() != InitiatingStream::State::Established)
            continue;
        const std::uint16_t number = c.number;  // run() may move the connections
        // DB-3, DB-40: a db:result for (from, to) on this stream (RequestDialback).
        if (run(number, Side::Initiator, Element::request_pair(s.from, s.to)).handled()) return number;
    }
    return 0;
}

}  // namespace bidilab::model
