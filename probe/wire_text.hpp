// probe/wire_text.hpp — a model Element as the bytes a played server writes:
// model::to_xml (the XML the specifications show) with the literal values the
// wire needs in place of the model's tokens: real stream ids, real dialback
// keys (XEP-0185), and the scenario's stanzas as real stanzas (an iq ping
// with <ping xmlns='urn:xmpp:ping'/>, XEP-0199; a message with a body).
#pragma once

#include <string>

#include "model/element.hpp"
#include "model/scenario.hpp"

namespace bidilab::probe {

// What the Element's tokens stand for on the wire.
struct WireValues {
    std::string id;   // StreamOpen: the header's id ("" for an initial header); DbVerify: the stream id
    std::string key;  // untyped DbResult, DbVerify: the key
};

std::string wire_xml(const model::Element& e, const model::Scenario& sc, const WireValues& values);

// The scenario's stanza k as a real stanza (its id made unique by `salt`).
std::string wire_stanza(const model::ScenarioStanza& s, const std::string& salt);

}  // namespace bidilab::probe
