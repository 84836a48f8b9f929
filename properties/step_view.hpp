// properties/step_view.hpp — what one step of the protocol model did, as the
// step properties need it: the element read (and by which end), and every
// element written onto a FIFO during the step (and by which end, honest or an
// attacker's); whether a stanza read was accepted.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "model/xmpp_model.hpp"

namespace bidilab::properties {

struct Written {
    const model::Connection* before;  // the connection before the step (nullptr: opened in it)
    const model::Connection* after;   // the connection after the step
    bool by_initiator;                // written by the initiating end (onto to_receiver)
    model::Element element;
    bool honest = true;               // false: an attacker wrote it (model/attacker.hpp)
};

struct StepView {
    std::optional<model::Element> read;  // the element read (Deliver; forged or not)
    bool read_forged = false;            // an attacker wrote it in this step
    // The connection before the step; for a header an attacker dials with,
    // the connection as it opened (both ends initial), held by `opened`.
    const model::Connection* read_on_before = nullptr;
    const model::Connection* read_on_after = nullptr;  // nullptr if the connection is gone
    bool read_by_receiver = false;
    std::vector<Written> written;
    std::shared_ptr<const model::Connection> opened;  // keeps read_on_before valid across copies
    // What a step property that failed on this step blamed: an index into
    // `written`, or kBlameRead for the element read (blame() sets it, the
    // transcript marks that element).
    static constexpr int kBlameRead = -1;
    mutable std::optional<int> blamed;
};

// Records that element `k` of v.written (or kBlameRead) broke a step
// property, and returns false: `return blame(v, k);` in a property.
inline bool blame(const StepView& v, int k) {
    v.blamed = k;
    return false;
}

// Whether the stanza read in this step was accepted by its reader: a
// scenario stanza's deliveries grew, or the count of forged stanzas accepted.
bool read_stanza_accepted(const StepView& v, const model::World& before, const model::World& after);

StepView view_step(const model::XmppModel& m, const model::World& before, const model::Action& a,
                   const model::World& after);
// The same into `out`, whose buffers are reused.
void view_step(const model::XmppModel& m, const model::World& before, const model::Action& a,
               const model::World& after, StepView& out);

}  // namespace bidilab::properties
