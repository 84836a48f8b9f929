// model/stanza_xml.hpp — elements as XML with what the scenario knows about
// its stanzas: an honest stanza shows its full JIDs, its kind and its id as
// the topology gives them (XEP-0288 §3: the ping and its result); a stanza an
// attacker forged has no scenario stanza and shows its domains, as to_xml().
#pragma once

#include <string>

#include "model/element.hpp"
#include "model/scenario.hpp"

namespace bidilab::model {

// The scenario's stanza as XML: <iq from='juliet@capulet.lit/balcony'
// to='montague.lit' type='get' id='8dfc70af'><query xmlns='urn:xmpp:ping'/></iq>,
// its result with type='result', <message .../> or <presence .../>.
std::string stanza_xml(const ScenarioStanza& stanza);

// to_xml(e, sc.names), except for a Stanza whose `seq` numbers one of the
// scenario's stanzas (and whose domains are that stanza's): stanza_xml().
std::string to_xml(const Element& e, const Scenario& sc);

}  // namespace bidilab::model
