#include "properties/step_view.hpp"

#include "model/step_writes.hpp"

namespace bidilab::properties {

using model::Action;
using model::World;

StepView view_step(const model::XmppModel& m, const World& before, const Action& a, const World& after) {
    StepView v;
    view_step(m, before, a, after, v);
    return v;
}

void view_step(const model::XmppModel& m, const World& before, const Action& a, const World& after, StepView& v) {
    v.read = m.moved_element(before, a);
    v.read_on_before = v.read_on_after = nullptr;
    v.read_by_receiver = false;
    v.written.clear();
    v.opened.reset();
    v.blamed.reset();
    const auto& sc = m.scenario();
    v.read_forged = a.kind == Action::Kind::Deliver && a.forged;
    if (v.read) {
        v.read_on_before = before.connection(a.connection);
        if (!v.read_on_before) {  // an attacker dials: the connection as it opened
            if (const model::Connection* now = after.connection(a.connection)) {
                auto fresh = std::make_shared<model::Connection>();
                fresh->initiator = now->initiator;
                fresh->receiver = now->receiver;
                fresh->number = now->number;
                fresh->i = model::InitiatingStream::initial(v.read->from, v.read->to);
                fresh->r = model::ReceivingStream::initial();
                v.opened = fresh;
                v.read_on_before = fresh.get();
            }
        }
        v.read_on_after = after.connection(a.connection);
        v.read_by_receiver = a.to_receiver;
    }
    model::for_each_written(sc, before, a, after,
                            [&v](const model::Connection* b, const model::Connection& c, bool to_receiver,
                                 const model::Element& e, bool honest) {
                                v.written.push_back(Written{b, &c, to_receiver, e, honest});
                            });
}

bool read_stanza_accepted(const StepView& v, const World& before, const World& after) {
    if (!v.read || v.read->kind != model::ElementKind::Stanza) return false;
    if (v.read->seq == model::kForgedStanza) return after.forged_accepted > before.forged_accepted;
    return v.read->seq < after.stanzas.size() && after.stanzas[v.read->seq].deliveries > before.stanzas[v.read->seq].deliveries;
}

}  // namespace bidilab::properties
