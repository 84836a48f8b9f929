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
#pragma once

#include <cstdint>

#include "model/scenario.hpp"
#include "model/world.hpp"

namespace bidilab::model {

bool shielded(const Scenario& sc, const World& w, const Connection& x);
bool stays_inside(const World& before, const World& after, std::uint16_t number);

}  // namespace bidilab::model
