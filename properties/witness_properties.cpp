// The `sometimes` and `eventually` properties of the catalogue. A witness
// shows the model is not vacuous: each must be seen somewhere in the shipped
// topology library.
#include "properties/catalogue.hpp"

namespace bidilab::properties {

using model::Fate;
using model::PairState;
using model::World;
using M = CheckedModel;

namespace {
std::size_t valid_pairs(const model::PairTable& t) {
    std::size_t n = 0;
    for (std::size_t k = 0; k < t.size(); ++k) n += t[k].state == PairState::Valid;
    return n;
}

// Witnesses show what honest servers do: a connection with an attacker's
// end (model/attacker.hpp) shows none of it.
bool honest(const M& m, const model::Connection& c) {
    return !m.scenario().servers[c.initiator].attacker && !m.scenario().servers[c.receiver].attacker;
}
}  // namespace

std::vector<sim::Property<M>> liveness_and_witnesses() {
    return {
        // Every submitted stanza is eventually delivered or bounced (on every
        // path), or lost in a connection reset: written onto a connection that
        // was reset before it was read. Only with `faults.resets`: RFC 6120
        // cannot promise delivery across a TCP reset (CORE-19), and stream
        // management (XEP-0198), which could, is out of scope.
        sim::eventually<M>("every-stanza-settled", {"CORE-52", "DB-6", "DB-9", "DB-11", "DB-8"},
                           [](const M& m, const World& w) { return m.all_settled(w); }),
        // A stanza travels back over an incoming connection.
        sim::sometimes<M>("stanza-over-bidi", {"BIDI-5", "BIDI-7", "BIDI-13"},
                          [](const M&, const World& w) {
                              for (const auto& s : w.stanzas)
                                  if (s.fate == Fate::Delivered && s.reverse) return true;
                              return false;
                          }),
        // The receiving server validates one of its other domains by reverse dialback.
        sim::sometimes<M>("reverse-dialback-validates", {"BIDI-8", "BIDI-9", "EXT-2"},
                          [](const M& m, const World& w) {
                              for (const auto& c : w.connections)
                                  if (honest(m, c) && valid_pairs(c.r.data().rev) > 0) return true;
                              return false;
                          }),
        // One stream carries two validated domain pairs (piggybacking, multiplexing).
        sim::sometimes<M>("piggybacking-used", {"DB-40", "DB-41", "DB-44", "BIDI-9"},
                          [](const M& m, const World& w) {
                              for (const auto& c : w.connections)
                                  if (honest(m, c) && (valid_pairs(c.i.data().fwd) + valid_pairs(c.r.data().rev) >= 2 ||
                                                       valid_pairs(c.r.data().fwd) + valid_pairs(c.i.data().rev) >= 2))
                                      return true;
                              return false;
                          }),
        // Two servers dialled each other (a collision) and every stanza still got through.
        sim::sometimes<M>("collision-resolves", {"CORE-21", "CORE-49"},
                          [](const M& m, const World& w) {
                              if (!m.all_settled(w)) return false;
                              for (const auto& a : w.connections)
                                  for (const auto& b : w.connections)
                                      if (honest(m, a) && honest(m, b) && a.initiator == b.receiver &&
                                          a.receiver == b.initiator &&
                                          a.i.state() == model::InitiatingStream::State::Established &&
                                          b.i.state() == model::InitiatingStream::State::Established) {
                                          for (const auto& s : w.stanzas)
                                              if (s.fate != Fate::Delivered) return false;
                                          return true;
                                      }
                              return false;
                          }),
        // A connection carries a db:verify for another connection while its own
        // dialback request is pending: the cross-verification real servers do.
        sim::sometimes<M>("dialback-cross-verification", {"DB-15", "DB-16", "BIDI-6"},
                          [](const M& m, const World& w) {
                              for (const auto& c : w.connections) {
                                  if (!honest(m, c) || !c.i.data().fwd.any(PairState::Requested)) continue;
                                  for (const auto& e : c.to_receiver)
                                      if (e.kind == model::ElementKind::DbVerify) return true;
                              }
                              return false;
                          }),
        // A stanza that waited for a connection when it was reset is delivered
        // over a new one: the server reconnects (CORE-20, CORE-56: "both
        // re-establish") and the stanza is neither lost nor bounced (CORE-52).
        sim::sometimes<M>("stanza-delivered-after-reset", {"CORE-20", "CORE-56", "CORE-52"},
                          [](const M&, const World& w) {
                              for (const auto& s : w.stanzas)
                                  if (s.fate == Fate::Delivered && s.rerouted) return true;
                              return false;
                          }),
    };
}

}  // namespace bidilab::properties
