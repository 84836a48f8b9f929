// CheckedModel::footprint — what partial-order reduction (sim/por.hpp) needs
// to know of one enabled step: its component, whether it is local, whether
// it is visible to this catalogue.
//
// Components: the reads of each connection end are one (by the connection's
// position in the world, which is canonical, so the choice does not depend
// on when it was opened), except while a TLS handshake may complete on the
// connection: then its two ends' reads and the handshake are one; a
// server's submission, a choice and each forgery are components of their
// own and never local.
//
// Local: the end is shielded and the step stays inside it (or, during the
// handshake, the same of the whole connection: model/locality.hpp),
// computed by taking the step.
//
// Visible: the catalogue's state properties are of two shapes: over stanza
// records, violations and attacker counts (which a local step never
// changes), or "some connection" / "every connection" of a predicate of that
// connection alone (the witnesses, proven-domains-are-hosted), or of a
// pair of connections between the same two servers through their
// Established states (collision-resolves: a local step changes a routing
// class only on the sole connection between its servers, model/locality.hpp
// "The sole route", so it has no pair). So a local step of X changes
// a property's value in some state iff it changes it in the world that
// holds X alone: each state property is evaluated there, before and after.
// The step properties read the element moved and the ends that read and
// wrote it (their data before and after): a step of another component is
// judged the same whether X moved first or not. Two read both ends of a
// connection: bidi-only-after-tls (whether a pre-TLS <bidi/> survived the
// handshake: the handshake is a step of the whole connection) and
// verify-not-on-request-connection (the stream ids of both ends, fresh and
// never reused). tests/properties/partial_order_test.cpp checks at every
// reachable state of the library that each step called local is judged
// alike by every step property before and after any other component's step.
#include <memory>

#include "model/locality.hpp"
#include "properties/catalogue.hpp"

namespace bidilab::properties {

namespace {
constexpr std::uint32_t kNotAConnection = 0x10000;

// The world of `w` with connection `number` alone (into `out`, reused).
void alone(const model::World& w, std::uint16_t number, model::World& out) {
    out.connections.clear();
    if (const model::Connection* c = w.connection(number)) out.connections.push_back(*c);
    out.stanzas = w.stanzas;
    out.verifies = w.verifies;
    out.violations = w.violations;
    out.seen_keys = w.seen_keys;
    out.next_stream_id = w.next_stream_id;
    out.next_connection = w.next_connection;
    out.resets_left = w.resets_left;
    out.forgeries_left = w.forgeries_left;
    out.forged_accepted = w.forged_accepted;
    out.branches = w.branches;
    out.choices_made = w.choices_made;
}

// While a TLS handshake may complete on x (it changes both ends at once),
// x's two ends are one component; otherwise each end is one.
bool by_end(const model::Connection& x) {
    return x.i.state() != model::InitiatingStream::State::AwaitingTlsHandshake &&
           x.r.state() != model::ReceivingStream::State::AwaitingTlsHandshake;
}
bool shielded_step(const model::Scenario& sc, const model::World& w, const model::Action& a) {
    const model::Connection& x = *w.connection(a.connection);
    return by_end(x) ? model::shielded_end(sc, w, x, a.to_receiver) : model::shielded(sc, w, x);
}
bool inside_step(const model::Scenario& sc, const model::World& w, const model::Action& a, const model::World& after) {
    const model::Connection& x = *w.connection(a.connection);
    return by_end(x) ? model::stays_inside_end(sc, w, after, a.connection, a.to_receiver)
                     : model::stays_inside(w, after, a.connection);
}
bool of_a_connection(const model::Action& a) {
    return (a.kind == model::Action::Kind::Deliver && !a.forged) || a.kind == model::Action::Kind::Tls;
}
}  // namespace

std::uint32_t CheckedModel::component(const model::World& w, const model::Action& a) const {
    if (of_a_connection(a) && w.connection(a.connection))
        return w.position_of(a.connection) * 2u + (by_end(*w.connection(a.connection)) && a.to_receiver ? 1u : 0u);
    return kNotAConnection + static_cast<std::uint32_t>(a.kind) * 256 + a.server;
}

sim::Footprint CheckedModel::footprint(const model::World& w, const model::Action& a) const {
    if (component(w, a) >= kNotAConnection || !shielded_step(scenario(), w, a))
        return footprint(w, a, w);  // judged without the step
    thread_local model::World after;
    next_state(w, a, after);
    return footprint(w, a, after);
}

sim::Footprint CheckedModel::footprint(const model::World& w, const model::Action& a, const model::World& after) const {
    sim::Footprint f;
    f.component = component(w, a);
    if (f.component >= kNotAConnection) return f;
    if (!shielded_step(scenario(), w, a)) return f;
    thread_local model::World x_before, x_after;
    if (!inside_step(scenario(), w, a, after)) return f;
    f.local = true;
    alone(w, a.connection, x_before);
    alone(after, a.connection, x_after);
    f.visible = false;
    for (const auto& p : *state_properties_)
        if (p.holds(*this, x_before) != p.holds(*this, x_after)) {
            f.visible = true;
            break;
        }
    return f;
}

}  // namespace bidilab::properties
