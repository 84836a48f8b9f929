// The `always` and `step` properties of the catalogue: safety rules, each
// citing the rules of spec/RULES.md it checks. They read the model's data
// (authorized pairs, flags) and the scenario's ground truth (which server
// hosts which domain), never the machines' guards, so a quirk that skips a
// guard is still caught.
#include "properties/catalogue.hpp"
#include "properties/step_view.hpp"

namespace bidilab::properties {

using model::Element;
using model::ElementKind;
using model::Fate;
using model::InitiatingData;
using model::ReceivingData;
using model::World;
using M = CheckedModel;

namespace {
bool is_request(const Element& e) { return e.type == model::DbType::None; }

// Every stream id present anywhere in a world.
bool id_in_use(const World& w, model::StreamId id) {
    for (const auto& c : w.connections) {
        if (c.i.data().stream_id == id || c.r.data().stream_id == id) return true;
        for (const auto* fifo : {&c.to_receiver, &c.to_initiator})
            for (const auto& e : *fifo)
                if (e.id == id || e.key.id == id) return true;
    }
    return false;
}

// The authorization a writer had when it wrote a stanza (DB-2, BIDI-7, BIDI-13, SASL-8).
bool authorized_to_write(const Written& w) {
    return w.by_initiator ? model::initiator_may_send(w.after->i.data(), w.element.from, w.element.to)
                          : model::receiver_may_send(w.after->r.data(), w.element.from, w.element.to);
}
}  // namespace

std::vector<sim::Property<M>> safety_properties() {
    return {
        // MSM's no_transition, and all guards rejecting, are violations: never ignored.
        sim::always<M>("every-element-expected", {"CORE-23", "CORE-10", "DB-21"},
                       [](const M&, const World& w) { return w.violations.empty(); }),
        // Each stanza is accepted at most once and never both accepted and bounced.
        sim::always<M>("stanza-at-most-once", {"CORE-52", "CORE-47"},
                       [](const M&, const World& w) {
                           for (const auto& s : w.stanzas)
                               if (s.deliveries + s.bounces > 1) return false;
                           return true;
                       }),
        // Per sender and recipient, delivery order is submission order, also
        // when routes change (an outgoing and an incoming bidi connection, or
        // a new connection after a reset). A stanza lost in a reset is never
        // delivered, so the ones after it overtake nothing.
        sim::always<M>("per-pair-order-kept", {"CORE-49", "DB-11"},
                       [](const M& m, const World& w) {
                           const auto& st = m.scenario().stanzas;
                           for (std::size_t k = 0; k < st.size(); ++k) {
                               if (w.stanzas[k].fate != Fate::Delivered) continue;
                               for (std::size_t j = 0; j < k; ++j)
                                   if (st[j].origin == st[k].origin && st[j].from == st[k].from && st[j].to == st[k].to &&
                                       w.stanzas[j].fate != Fate::Delivered && w.stanzas[j].fate != Fate::Bounced &&
                                       w.stanzas[j].fate != Fate::Lost)
                                       return false;
                           }
                           return true;
                       }),
        // A domain counts as proven on a connection only if the peer's server
        // really hosts it: validated dialback pairs and SASL identities agree
        // with the ground truth (DB-22, DB-46, CORE-11, BIDI-11, SASL-8).
        sim::always<M>("proven-domains-are-hosted", {"DB-22", "DB-46", "CORE-11", "BIDI-11", "SASL-8"},
                       [](const M& m, const World& w) {
                           const auto& sc = m.scenario();
                           for (const auto& c : w.connections) {
                               const ReceivingData& r = c.r.data();
                               const InitiatingData& i = c.i.data();
                               if (r.has(ReceivingData::kSasl) && sc.server_of(r.authz) != c.initiator) return false;
                               for (std::size_t k = 0; k < r.fwd.size(); ++k)
                                   if (r.fwd[k].state == model::PairState::Valid && sc.server_of(r.fwd[k].sender) != c.initiator)
                                       return false;
                               for (std::size_t k = 0; k < i.rev.size(); ++k)
                                   if (i.rev[k].state == model::PairState::Valid && sc.server_of(i.rev[k].sender) != c.receiver)
                                       return false;
                           }
                           return true;
                       }),
        // No stanza in either direction before authentication.
        sim::step<M>("no-stanza-before-auth", {"BIDI-5", "CORE-10", "CORE-54", "DB-6"},
                     [](const M& m, const World& before, const model::Action& a, const World& after) {
                         const StepView& v = m.step_view(before, a, after);
                         for (std::size_t k = 0; k < v.written.size(); ++k) {
                             const Written& w = v.written[k];
                             if (w.element.kind != ElementKind::Stanza || !w.honest) continue;
                             const bool authenticated =
                                 w.by_initiator ? (w.after->i.data().has(InitiatingData::kSasl) ||
                                                   w.after->i.data().fwd.any(model::PairState::Valid) ||
                                                   w.after->i.data().rev.any(model::PairState::Valid))
                                                : w.after->r.data().authenticated();
                             if (!authenticated) return blame(v, static_cast<int>(k));
                         }
                         return true;
                     }),
        // Stanzas only for authorized pairs, in each direction: SASL's stream
        // pair, or the (inverse of) validated dialback pairs; also on reading.
        sim::step<M>("stanzas-only-for-authorized-pairs", {"BIDI-7", "BIDI-13", "DB-2", "DB-6", "CORE-45", "CORE-46", "SASL-8", "CORE-11"},
                     [](const M& m, const World& before, const model::Action& a, const World& after) {
                         const StepView& v = m.step_view(before, a, after);
                         for (std::size_t k = 0; k < v.written.size(); ++k) {
                             const Written& w = v.written[k];
                             if (w.honest && w.element.kind == ElementKind::Stanza && !authorized_to_write(w))
                                 return blame(v, static_cast<int>(k));
                         }
                         if (v.read_on_before && read_stanza_accepted(v, before, after)) {
                             const auto* c = v.read_on_before;
                             const bool accepts = v.read_by_receiver
                                                      ? model::receiver_accepts(c->r.data(), v.read->from, v.read->to)
                                                      : model::initiator_accepts(c->i.data(), v.read->from, v.read->to);
                             return accepts || blame(v, StepView::kBlameRead);
                         }
                         return true;
                     }),
        // Without bidi the receiving server never sends stanzas on an incoming connection.
        sim::step<M>("receiver-sends-only-with-bidi", {"CORE-1", "DB-32", "BIDI-5"},
                     [](const M& m, const World& before, const model::Action& a, const World& after) {
                         const StepView& v = m.step_view(before, a, after);
                         for (std::size_t k = 0; k < v.written.size(); ++k) {
                             const Written& w = v.written[k];
                             if (w.honest && w.element.kind == ElementKind::Stanza && !w.by_initiator &&
                                 !w.after->r.data().has(ReceivingData::kBidi))
                                 return blame(v, static_cast<int>(k));
                         }
                         return true;
                     }),
        // <bidi/> before TLS only on a stream that will never use TLS; what a
        // receiver learnt before TLS does not survive it (BIDI-3, CORE-27).
        sim::step<M>("bidi-only-after-tls", {"BIDI-3", "CORE-27"},
                     [](const M& m, const World& before, const model::Action& a, const World& after) {
                         const StepView& v = m.step_view(before, a, after);
                         for (std::size_t k = 0; k < v.written.size(); ++k) {
                             const Written& w = v.written[k];
                             if (w.element.kind != ElementKind::Bidi || !w.by_initiator || !w.honest) continue;
                             const InitiatingData& i = w.after->i.data();
                             const bool tls_possible = m.scenario().servers[w.after->initiator].tls != model::TlsPolicy::None &&
                                                       model::has(i.features, model::feature::kStartTls);
                             if (!i.has(InitiatingData::kTls) && tls_possible) return blame(v, static_cast<int>(k));
                         }
                         for (const auto& c : after.connections) {
                             const ReceivingData& r = c.r.data();
                             if (r.has(ReceivingData::kBidi) && !r.has(ReceivingData::kTls) &&
                                 model::has(r.offered, model::feature::kStartTls) &&
                                 m.scenario().servers[c.initiator].tls != model::TlsPolicy::None &&
                                 c.i.data().has(InitiatingData::kTls))
                                 return false;  // a pre-TLS <bidi/> survived the TLS restart
                         }
                         return true;
                     }),
        // Never verify a key on the connection its request came in on.
        sim::step<M>("verify-not-on-request-connection", {"BIDI-6", "DB-15"},
                     [](const M& m, const World& before, const model::Action& a, const World& after) {
                         const StepView& v = m.step_view(before, a, after);
                         for (std::size_t k = 0; k < v.written.size(); ++k) {
                             const Written& w = v.written[k];
                             if (w.honest && w.element.kind == ElementKind::DbVerify && is_request(w.element) &&
                                 (w.element.id == w.after->r.data().stream_id || w.element.id == w.after->i.data().stream_id))
                                 return blame(v, static_cast<int>(k));
                         }
                         return true;
                     }),
        // A typed dialback answer acts only if it answers a pending request on
        // the same stream and direction: no pair becomes valid otherwise.
        sim::step<M>("typed-answers-correlate", {"DB-10", "DB-18", "BIDI-12", "DB-45", "DB-21"},
                     [](const M& m, const World& before, const model::Action& a, const World& after) {
                         const StepView& v = m.step_view(before, a, after);
                         if (!v.read || !v.read_on_before || !v.read_on_after || is_request(*v.read)) return true;
                         if (v.read->kind != ElementKind::DbResult) return true;
                         const Element& e = *v.read;  // an answer: from = target, to = sender
                         // A pair that became valid in this step was Requested before it.
                         const auto& was = v.read_by_receiver ? v.read_on_before->r.data().rev : v.read_on_before->i.data().fwd;
                         const auto& now = v.read_by_receiver ? v.read_on_after->r.data().rev : v.read_on_after->i.data().fwd;
                         const model::PairState before_state = was.get(e.to, e.from);
                         return before_state == model::PairState::Requested || before_state == model::PairState::Valid ||
                                now.get(e.to, e.from) != model::PairState::Valid || blame(v, StepView::kBlameRead);
                     }),
        // A dialback error is not fatal: the stream stays, and the other pairs keep their state.
        sim::step<M>("dialback-errors-affect-only-their-pair", {"DB-14", "BIDI-10", "DB-24", "DB-29"},
                     [](const M& m, const World& before, const model::Action& a, const World& after) {
                         const StepView& v = m.step_view(before, a, after);
                         if (!v.read || v.read->kind != ElementKind::DbResult || v.read->type != model::DbType::Error ||
                             v.read_by_receiver)
                             return true;
                         // An answer that reaches a stream closed before it came (the
                         // half-close race of CORE-19; after a reset failed its
                         // verification, DB-17) closes nothing.
                         if (!v.read_on_before || v.read_on_before->i.state() == model::InitiatingStream::State::Closed)
                             return true;
                         // DB-35: a server without dialback error support, on a stream
                         // without bidi, may end it over an error it does not understand.
                         const model::ServerPolicy& reader = m.scenario().servers[v.read_on_before->initiator];
                         if (model::may_end_over_dialback_error(reader, v.read_on_before->i.data()) &&
                             !reader.has_quirk("no-dialback-errors"))
                             return true;
                         if (!v.read_on_after || v.read_on_after->i.state() == model::InitiatingStream::State::Closed)
                             return blame(v, StepView::kBlameRead);
                         const auto& was = v.read_on_before->i.data().fwd;
                         const auto& now = v.read_on_after->i.data().fwd;
                         for (std::size_t k = 0; k < was.size(); ++k) {
                             const auto& p = was[k];
                             if (p.sender == v.read->to && p.target == v.read->from) continue;
                             if (now.get(p.sender, p.target) != p.state) return blame(v, StepView::kBlameRead);
                         }
                         return true;
                     }),
        // Every response stream header carries a fresh id, never one in use.
        sim::step<M>("fresh-stream-ids", {"CORE-7", "CORE-15", "CORE-42"},
                     [](const M& m, const World& before, const model::Action& a, const World& after) {
                         const StepView& v = m.step_view(before, a, after);
                         for (std::size_t k = 0; k < v.written.size(); ++k) {
                             const Written& w = v.written[k];
                             if (w.honest && w.element.kind == ElementKind::StreamOpen && !w.by_initiator &&
                                 (w.element.id == model::kNoStream || id_in_use(before, w.element.id)))
                                 return blame(v, static_cast<int>(k));
                         }
                         return true;
                     }),
        // The bidi feature in urn:xmpp:features:bidi, the request in
        // urn:xmpp:bidi: a peer reading the other namespace never enables
        // bidi, or closes the stream (ejabberd 24.10 against Prosody, RW-7).
        sim::step<M>("bidi-namespaces-right", {"BIDI-2", "BIDI-1"},
                     [](const M& m, const World& before, const model::Action& a, const World& after) {
                         const StepView& v = m.step_view(before, a, after);
                         for (std::size_t k = 0; k < v.written.size(); ++k) {
                             const Written& w = v.written[k];
                             if (w.honest && w.element.swapped_bidi_ns() &&
                                 (w.element.kind == ElementKind::Bidi ||
                                  (w.element.kind == ElementKind::StreamFeatures &&
                                   model::has(w.element.features, model::feature::kBidi))))
                                 return blame(v, static_cast<int>(k));
                         }
                         return true;
                     }),
        // An untyped db:result on an outgoing bidi stream is the peer's right
        // (reverse dialback): the initiating end answers it, or refuses it
        // with a dialback error, but never closes the stream over it and so
        // loses every pair and stanza on it (Prosody 0.12 closes, RW-21).
        sim::step<M>("reverse-dialback-keeps-the-stream", {"BIDI-8", "BIDI-9", "BIDI-10", "DB-23"},
                     [](const M& m, const World& before, const model::Action& a, const World& after) {
                         const StepView& v = m.step_view(before, a, after);
                         if (!v.read || v.read->kind != ElementKind::DbResult || !is_request(*v.read) ||
                             v.read_by_receiver || !v.read_on_before ||
                             v.read_on_before->i.state() != model::InitiatingStream::State::Established ||
                             !v.read_on_before->i.data().has(InitiatingData::kBidi))
                             return true;
                         return (v.read_on_after && v.read_on_after->i.state() != model::InitiatingStream::State::Closed) ||
                                blame(v, StepView::kBlameRead);
                     }),
        // A server MAY close a stream with <conflict/> when the peer opens
        // a second one, but not so that stanzas are lost: a step that closes
        // a stream with <conflict/> bounces nothing (the collision must still
        // leave a route each way; the community mod_bidi loses both, RW-14).
        sim::step<M>("conflict-loses-no-stanza", {"CORE-21", "CORE-52", "CORE-49"},
                     [](const M& m, const World& before, const model::Action& a, const World& after) {
                         const StepView& v = m.step_view(before, a, after);
                         int conflict = -1;  // the <conflict/> written, if any
                         for (std::size_t k = 0; k < v.written.size() && conflict < 0; ++k)
                             if (v.written[k].honest && v.written[k].element.kind == ElementKind::StreamError &&
                                 v.written[k].element.condition == model::Condition::Conflict)
                                 conflict = static_cast<int>(k);
                         if (conflict < 0) return true;
                         for (std::size_t k = 0; k < after.stanzas.size(); ++k)
                             if (after.stanzas[k].fate == Fate::Bounced && before.stanzas[k].fate != Fate::Bounced)
                                 return blame(v, conflict);
                         return true;
                     }),
        // The attacker model (model/attacker.hpp), judged by the ground truth
        // of which server hosts which domain, never by what the machines
        // believe: (a) no honest server accepts a stanza whose sender domain
        // the writing peer does not host, however the peer claimed it
        // (unsolicited or replayed dialback, a stanza for a pair never validated).
        sim::step<M>("no-stanza-from-unproven-sender", {"BIDI-11", "DB-46", "DB-45", "CORE-46", "CORE-54", "DB-18"},
                     [](const M& m, const World& before, const model::Action& a, const World& after) {
                         const StepView& v = m.step_view(before, a, after);
                         if (!v.read_on_before || !read_stanza_accepted(v, before, after)) return true;
                         const auto* c = v.read_on_before;
                         const model::ServerIndex writer = v.read_by_receiver ? c->initiator : c->receiver;
                         return m.scenario().server_of(v.read->from) == writer || blame(v, StepView::kBlameRead);
                     }),
        // (b) No honest server writes a stanza for a domain onto a connection
        // whose other end does not host that domain: the target it asked for
        // was never proven there (an unsolicited type='valid' taken as an
        // answer hijacks the target domain, the 2012 attacks).
        sim::always<M>("no-stanza-to-unproven-peer", {"BIDI-11", "DB-46", "DB-45", "DB-10", "BIDI-12", "BIDI-7"},
                       [](const M& m, const World& w) {
                           const auto& sc = m.scenario();
                           for (std::size_t k = 0; k < w.stanzas.size(); ++k) {
                               const auto& rec = w.stanzas[k];
                               if (rec.via == 0 || (rec.fate != Fate::InFlight && rec.fate != Fate::Delivered)) continue;
                               const model::Connection* c = w.connection(rec.via);
                               if (!c) continue;  // gone: it was checked when written
                               const model::ServerIndex reader = rec.reverse ? c->initiator : c->receiver;
                               if (sc.server_of(sc.stanzas[k].to) != reader) return false;
                           }
                           return true;
                       }),
    };
}

}  // namespace bidilab::properties
