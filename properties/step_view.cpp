#include "properties/step_view.hpp"

namespace bidilab::properties {

using model::Action;
using model::World;

StepView view_step(const model::XmppModel& m, const World& before, const Action& a, const World& after) {
    StepView v;
    v.read = m.moved_element(before, a);
    if (v.read) {
        v.read_on_before = before.connection(a.connection);
        v.read_on_after = after.connection(a.connection);
        v.read_by_receiver = a.to_receiver;
    }
    for (const auto& c : after.connections) {
        const model::Connection* b = before.connection(c.number);
        for (int side = 0; side < 2; ++side) {
            const bool to_receiver = side == 0;
            const auto& now = to_receiver ? c.to_receiver : c.to_initiator;
            std::size_t kept = 0;  // elements of the FIFO that were already there
            if (b) {
                const auto& was = to_receiver ? b->to_receiver : b->to_initiator;
                const bool consumed = a.kind == Action::Kind::Deliver && a.connection == c.number && a.to_receiver == to_receiver;
                kept = was.size() - (consumed && !was.empty() ? 1 : 0);
            }
            for (std::size_t k = kept; k < now.size(); ++k) v.written.push_back(Written{b, &c, to_receiver, now[k]});
        }
    }
    return v;
}

}  // namespace bidilab::properties
