// properties/step_view.hpp — what one step of the protocol model did, as the
// step properties need it: the element read (and by which end), and every
// element written onto a FIFO during the step (and by which end).
#pragma once

#include <optional>
#include <vector>

#include "model/xmpp_model.hpp"

namespace bidilab::properties {

struct Written {
    const model::Connection* before;  // the connection before the step (nullptr: opened in it)
    const model::Connection* after;   // the connection after the step
    bool by_initiator;                // written by the initiating end (onto to_receiver)
    model::Element element;
};

struct StepView {
    std::optional<model::Element> read;  // the element read (Deliver)
    const model::Connection* read_on_before = nullptr;
    const model::Connection* read_on_after = nullptr;  // nullptr if the connection is gone
    bool read_by_receiver = false;
    std::vector<Written> written;
};

StepView view_step(const model::XmppModel& m, const model::World& before, const model::Action& a,
                   const model::World& after);

}  // namespace bidilab::properties
