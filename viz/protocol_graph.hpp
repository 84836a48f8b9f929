// viz/protocol_graph.hpp — the protocol model's explored state graph as a
// diagram (viz/state_graph.hpp with the protocol's labels), whole or as a
// quotient by a projection of the world.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/xmpp_model.hpp"
#include "sim/state_graph.hpp"
#include "viz/state_graph.hpp"

namespace bidilab::viz {

// A vertex of the whole graph: every connection's endpoint states, then
// every stanza's fate: "I1:Established R1:AwaitingNegotiation | s0:delivered s1:queued".
std::string world_label(const model::XmppModel& m, const model::World& w);

// What --quotient merges states on (states equal on it become one vertex):
//   connection:N  the endpoint states of connection N ("I1:Established R1:Established")
//   stanzas       the stanzas' fates ("s0:delivered s1:queued")
//   endpoints     every live connection's endpoint states, by server, without
//                 channels, ids or numbers ("capulet→montague I:Established R:Established")
struct Projection {
    enum class Kind { Connection, Stanzas, Endpoints };
    Kind kind = Kind::Stanzas;
    std::uint16_t connection = 0;  // Connection
    std::string text() const;      // as parsed: "connection:1"
};
// Throws std::invalid_argument with a one-line reason naming the forms allowed.
Projection parse_projection(const std::string& text);
extern const char* const kProjectionForms;  // "connection:N, stanzas or endpoints"

std::string projection_key(const model::XmppModel& m, const Projection& p, const model::World& w);

// The explored graph of the model (explored with keep_graph): one vertex per
// state, or per class of states equal on the projection.
Diagram protocol_diagram(const model::XmppModel& m, const sim::StateGraph& g, const std::vector<std::uint32_t>& roots,
                         const std::optional<Projection>& quotient, const DiagramOptions& options = {});

}  // namespace bidilab::viz
