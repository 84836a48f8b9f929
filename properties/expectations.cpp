// The topology's `expect` entries (topologies/topology.hpp, Expectation) as
// `always` properties named "expect: ...": what the user asked of every
// ordering, answered with a trace when some ordering disagrees. They cite
// no rule: they are the user's, not the specs'.
#include "properties/catalogue.hpp"

namespace bidilab::properties {

using model::Fate;
using model::World;
using M = CheckedModel;

namespace {
Fate fate_named(const std::string& name) {
    if (name == "bounced") return Fate::Bounced;
    if (name == "lost") return Fate::Lost;
    return Fate::Delivered;
}

// Whether server s has bidi on some stream: it sent <bidi/> on one it
// initiated, or took it on one it received (XEP-0288 §2).
bool uses_bidi(const World& w, model::ServerIndex s) {
    for (const auto& c : w.connections)
        if ((c.initiator == s && c.i.data().has(model::InitiatingData::kBidi)) ||
            (c.receiver == s && c.r.data().has(model::ReceivingData::kBidi)))
            return true;
    return false;
}

// Whether some stream authorizes sender → target by dialback: a receiving
// end validated it (DB-22), or an initiating end validated it by reverse
// dialback over bidi (BIDI-8).
bool dialback_valid(const World& w, model::DomainId sender, model::DomainId target) {
    for (const auto& c : w.connections)
        if (c.r.data().fwd.get(sender, target) == model::PairState::Valid ||
            c.i.data().rev.get(sender, target) == model::PairState::Valid)
            return true;
    return false;
}
}  // namespace

std::vector<sim::Property<M>> expectations(const model::Scenario& sc) {
    std::vector<sim::Property<M>> out;
    for (const auto& e : sc.expect) {
        const std::string name = "expect: " + topologies::describe(e);
        if (e.stanza && !e.fate.empty()) {
            const std::size_t k = *e.stanza;
            const Fate fate = fate_named(e.fate);
            out.push_back(sim::always<M>(name, {}, [k, fate](const M& m, const World& w) {
                return !m.is_final(w) || w.stanzas[k].fate == fate;
            }));
        } else if (e.stanza) {
            const std::size_t k = *e.stanza;
            const Fate fate = fate_named(e.never);
            out.push_back(sim::always<M>(name, {}, [k, fate](const M&, const World& w) { return w.stanzas[k].fate != fate; }));
        } else if (!e.server.empty()) {
            model::ServerIndex s = 0;
            while (s < sc.server_names.size() && sc.server_names[s] != e.server) ++s;
            out.push_back(sim::always<M>(name, {}, [s](const M&, const World& w) { return !uses_bidi(w, s); }));
        } else {
            const model::DomainId sender = sc.names.find_domain(e.pair[0]).value_or(model::kNoDomain);
            const model::DomainId target = sc.names.find_domain(e.pair[1]).value_or(model::kNoDomain);
            out.push_back(sim::always<M>(name, {}, [sender, target](const M&, const World& w) {
                return !dialback_valid(w, sender, target);
            }));
        }
    }
    return out;
}

}  // namespace bidilab::properties
