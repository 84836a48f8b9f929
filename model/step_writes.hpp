// model/step_writes.hpp — the elements one step wrote: for every FIFO of the
// world after the step, the elements past those that were there before it
// (less the one the step read). Transcripts show them where they were
// written; the step properties judge them (properties/step_view.hpp).
#pragma once

#include <cstddef>

#include "model/scenario.hpp"
#include "model/world.hpp"
#include "model/xmpp_model.hpp"

namespace bidilab::model {

// Calls each(before, after, to_receiver, element, honest) for every element
// written in the step before → after by action a, connection by connection
// in the order `after` holds them, to_receiver's FIFO before to_initiator's.
// `before` is nullptr for a connection opened in the step; `honest` is false
// for what an attacker wrote (model/attacker.hpp).
template <class F>
void for_each_written(const Scenario& sc, const World& before, const Action& a, const World& after, F&& each) {
    for (const auto& c : after.connections) {
        const Connection* b = before.connection(c.number);
        for (int side = 0; side < 2; ++side) {
            const bool to_receiver = side == 0;
            const auto& now = to_receiver ? c.to_receiver : c.to_initiator;
            std::size_t kept = 0;  // elements of the FIFO that were already there
            if (b) {
                const auto& was = to_receiver ? b->to_receiver : b->to_initiator;
                const bool consumed = a.kind == Action::Kind::Deliver && !a.forged && a.connection == c.number &&
                                      a.to_receiver == to_receiver;
                kept = was.size() - (consumed && !was.empty() ? 1 : 0);
            }
            const bool honest = !sc.servers[to_receiver ? c.initiator : c.receiver].attacker;
            for (std::size_t k = kept; k < now.size(); ++k) each(b, c, to_receiver, now[k], honest);
        }
    }
}

}  // namespace bidilab::model
