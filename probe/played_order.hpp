// probe/played_order.hpp — the order in which the played servers take the
// steps whose moment is theirs to choose, as an ordering of `check` has them
// take it: when each submits its next stanza (model Action Submit), and which
// element waiting on a connection with the live server each reads first
// (model Action Deliver at a played end). An ordering of the whole topology
// (the live server modeled too: a witness, a random walk) is projected onto
// these steps; the live server's own steps are its own, and what the played
// servers say to each other is read as it comes (probe/session.hpp).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "capture/wire_event.hpp"
#include "model/element.hpp"
#include "model/xmpp_model.hpp"
#include "sim/trace.hpp"

namespace bidilab::probe {

struct PlayedStep {
    enum class Kind : std::uint8_t { Submit, Read };
    Kind kind = Kind::Submit;
    model::ServerIndex server = 0;  // the played server that submits or reads
    bool initiator = false;         // Read: it reads as the connection's initiating end
    std::string element;            // Read: what it reads, by wire name (wire_name)
    friend bool operator==(const PlayedStep& a, const PlayedStep& b) {
        return a.kind == b.kind && a.server == b.server && a.initiator == b.initiator && a.element == b.element;
    }
};
using PlayedOrder = std::vector<PlayedStep>;

// "montague submits its next stanza", "capulet reads db:verify as receiving end".
std::string describe(const PlayedStep& s, const std::vector<std::string>& server_names);

// An element's wire name, the same from the model's side and the wire's:
// "stream:stream", "stream:features", "starttls", "proceed", "failure",
// "auth", "success", "bidi", "db:result", "db:verify", "stanza",
// "stream:error", "/stream:stream"; "" for what is not on the wire.
std::string wire_name(model::ElementKind k);
std::string wire_name(const capture::WireEvent& e);

// The played servers' steps of `trace` (an ordering of `m`, whose scenario
// is the whole topology), with `live` the server under test: its Submits of
// the played servers, and its Delivers at a played end of a connection with
// the live server, in trace order. Throws std::runtime_error if the trace
// does not fit the model.
PlayedOrder project(const model::XmppModel& m, const sim::Trace& trace, model::ServerIndex live);

}  // namespace bidilab::probe
