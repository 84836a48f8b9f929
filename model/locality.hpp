// model/locality.hpp — when the steps of one connection commute with every
// step of everything else: the model's part of partial-order reduction
// (sim/por.hpp, `check --por`).
//
// A step of connection X (one end reads an element, or its TLS handshake
// completes) runs X's machine and then the router's settle(). Whether it is
// local (touches nothing another component reads or writes, now or in any
// later state until X moves again) is decided in two halves:
//
// shielded(X): nothing but X's own steps can touch X from this state on.
//   The router reaches into a connection only when it may carry stanzas or
//   db:verify (an initiating end Established: route, multiplex (DB-40),
//   request_verifications (DB-16), close_finished_verify_connections; a
//   receiving end Established or AwaitingNegotiation: bidi routing (BIDI-7),
//   request_reverse (BIDI-8)), when a verdict comes back for one of its
//   stream ids (DB-15: only while a pair it was asked for is Requested or
//   Verifying), when it picks "the first" outgoing stream for a pair
//   (live_outgoing: only if a second open stream from the same server could
//   answer the same lookup: the same dialled pair, or multiplexed pairs; or,
//   for a verify-only stream, a stanza for its pair not yet routed, which
//   would open one), and through the router-level quirks conflict-on-duplicate and
//   verify-on-request-connection. An attacker writes onto its own
//   connections only, and a TCP reset (while one is left) is a step of X
//   that changes a count shared by every connection. X is shielded when
//   none of these applies.
//
// stays_inside(before, after, X): the step changed nothing but X, and
//   nothing of X that another component reads: the routing class of each
//   end (Closed, Established, negotiating), its pair tables (live_outgoing
//   reads them), its SASL identity; no stanza record, db:verify request,
//   violation, attacker knowledge or connection came or went. Fresh stream
//   ids and connection numbers may differ in the order they were drawn: they
//   are opaque labels (CanonicalLabels), so the orders are one state.
//
// With both, every other component's steps commute with X's (they touch
// disjoint parts; a write at the tail of a FIFO commutes with a read at its
// head), none can enable, disable or change a step of X, and X's step
// changes nothing their guards read.
//
// One end at a time (shielded_end, stays_inside_end): the reads of each end
// of a connection are a component of their own (the whole connection is one
// only while a TLS handshake may complete on it: that step changes both
// ends). A read by end E of server S runs E's machine and then the router;
// the router's writes after it are S's own (S's streams, stanzas and
// db:verify requests: every world is settled), so the other end's steps
// (its server's) touch E only through the FIFOs, at the other end of each.
// E's read is local when
// - shielded_end: no other step of S can reach into E but to write at the
//   tail of its outgoing FIFO (route, request_reverse, multiplex and
//   request_verifications append there; SendStanza changes no machine data,
//   a multiplexed pair is asked for and a db:verify recorded, which a read
//   that keeps E's view neither reads nor writes): no verdict is due into
//   it (DB-15, BIDI-8), it is no established verify-only stream (closed
//   once idle, DB-16). The order of the connections, which every "first
//   usable" lookup reads, is no concern: no step changes it (by identity,
//   then age: world.hpp);
// - stays_inside_end: the step changed E's machine, appended to E's own
//   outgoing FIFO (nothing at all if E is busy_end: S's routing may append
//   there too, and the two writes would come in another order) and took the
//   head of its incoming one, and nothing else: not the other end, not what
//   a lookup or a guard of S reads of E (unless E has the sole route, below;
//   while E negotiates: its closing,
//   its multiplexed pairs, its bidi; once it may carry: its pair tables,
//   bidi, SASL identity and pending db:verify), nothing outside the
//   connection (which may be gone if both its ends were closed before and
//   no db:verify request waits) but
//   the record of a stanza it read, from in flight to delivered: routers
//   read only queued and unsubmitted records.
//
// The sole route: what a lookup or a guard of S reads of E may change too
// when nothing else of S will look: E's connection is the only one between S
// and its peer P (in either direction, before and after the step; and no
// other connection of S has a pair to one of P's domains, which only an
// attacker or a mutant could make), and S
// has nothing more for P after it (no stanza to P still to submit or queued,
// no db:verify request to P's authority). Then the step may also route S's
// stanzas queued for P over E (their records go from queued to in flight
// over E's connection; E's FIFO is appended to even if E is busy): no other
// step of S could route them (only E's connection reaches P, and they were
// not routable over it before this step, or the router would have sent
// them), and none is left queued to be routed after it. Every router step that reads an end
// starts from such a stanza or request (route, dial and multiplex, CORE-51,
// DB-3, DB-40; request-reverse, BIDI-8; send-verify and dial-for-verify,
// BIDI-6, DB-16) or is a verdict into an end that awaits one (DB-15, which
// shielded_end refuses; a step that raises a request changes the requests,
// which stays_inside_end refuses), so no other step of S reads E's view,
// now or until E moves; no step of another server reads it at all. A
// property over two connections between the same servers
// (collision-resolves) has no second one to read.
#pragma once

#include <cstdint>

#include "model/scenario.hpp"
#include "model/world.hpp"

namespace bidilab::model {

bool shielded(const Scenario& sc, const World& w, const Connection& x);
bool stays_inside(const World& before, const World& after, std::uint16_t number);
// The same for the reads of one end (the receiving one if `receiver`).
bool shielded_end(const Scenario& sc, const World& w, const Connection& x, bool receiver);
bool stays_inside_end(const Scenario& sc, const World& before, const World& after, std::uint16_t number,
                      bool receiver);
// Whether another step of the end's server may write on the end: it may
// carry stanzas (or, receiving, has bidi) and its server still has a stanza
// for the peer (CORE-51, BIDI-7, BIDI-8, DB-40) or, initiating, a db:verify
// (DB-16).
bool busy_end(const Scenario& sc, const World& w, const Connection& x, bool receiver);

}  // namespace bidilab::model
