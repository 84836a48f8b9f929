// model/attacker.hpp — the attacker of RULES.md (BIDI-11, DB-45, DB-46): a
// server marked "attacker" in its topology. No stream machine runs for it.
// It may dial every other server (a victim) once, and write any element on
// its connections, in any order; but it cannot mint dialback keys or
// certificates for domains it does not host: it mints keys for its own
// domains with its own secret, and replays keys of other networks it has
// read on the wire (KEY-1 binds them to a sender, a target and a stream id).
//
// Bounded so that a topology explores in seconds:
// - one connection dialled per victim (the header: the attacker's first
//   domain to the victim's first), never TLS, never SASL (no certificate);
// - Scenario::forgeries elements in all, each from a fixed menu per
//   connection and victim domain `to`: a db:result request from every
//   domain (its own with a good key, any other with a key of its own secret)
//   and one per key seen; a typed db:result and a typed db:verify
//   type='valid' (with the stream id of any connection it has) from every
//   domain the victim does not host; a stanza from every such domain; and
//   <bidi/> on the streams it initiated;
// - a forged element is read at once by the victim's end, whose FIFO must be
//   empty then (writing earlier, then waiting, reaches nothing more);
// - what a victim writes to it, it reads at once (Router::settle): it
//   learns the keys, answers a stream header with its own and features
//   (dialback, dialback errors, bidi), answers requests for its own domains
//   with type='valid' (it is their authority), and takes stanzas addressed
//   to it as delivered.
// Elements a victim's machine rejects are answered with the stream error the
// machine names (CORE-23) but are not protocol violations of the model: an
// honest server that refuses garbage does what it must.
#pragma once

#include <string>
#include <vector>

#include "model/scenario.hpp"
#include "model/world.hpp"
#include "model/xmpp_model.hpp"

namespace bidilab::model {

// The forged deliveries enabled in `w`, appended to `out` in a stable order.
void attacker_actions(const Scenario& sc, const World& w, std::vector<Action>& out);

// The attackers read everything written to them, and answer (see above).
// Returns whether it read anything (and so changed the world).
bool attacker_reads(const Scenario& sc, World& w);

// "R3 reads what tybalt forged: db:result ...", and for the header that
// opens a connection "tybalt dials capulet; R3 reads what tybalt forged: ...".
std::string describe_forgery(const Scenario& sc, const Action& a);

// Whether the end of `c` that reads `to_receiver`'s FIFO belongs to an attacker.
inline bool read_by_attacker(const Scenario& sc, const Connection& c, bool to_receiver) {
    return sc.servers[to_receiver ? c.receiver : c.initiator].attacker;
}

}  // namespace bidilab::model
