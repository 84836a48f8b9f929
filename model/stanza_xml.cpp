#include "model/stanza_xml.hpp"

namespace bidilab::model {

namespace {

// XEP-0199 ping, as XEP-0288 §3 shows it in the get and in the result.
const char* const kPing = "<query xmlns='urn:xmpp:ping'/>";

std::string addressing(const ScenarioStanza& s) {
    return " from='" + s.from_jid + "' to='" + s.to_jid + "'";
}

}  // namespace

std::string stanza_xml(const ScenarioStanza& s) {
    const std::string id = " id='" + s.id + "'";
    switch (s.kind) {
        case topologies::StanzaKind::Message: return "<message" + addressing(s) + id + "/>";
        case topologies::StanzaKind::Presence: return "<presence" + addressing(s) + id + "/>";
        case topologies::StanzaKind::IqGet:
            return "<iq" + addressing(s) + " type='get'" + id + ">" + kPing + "</iq>";
        case topologies::StanzaKind::IqResult:
            return "<iq" + addressing(s) + " type='result'" + id + ">" + kPing + "</iq>";
    }
    return "<message" + addressing(s) + id + "/>";
}

std::string to_xml(const Element& e, const Scenario& sc) {
    if (e.kind == ElementKind::Stanza && e.seq != kForgedStanza && e.seq < sc.stanzas.size()) {
        const ScenarioStanza& s = sc.stanzas[e.seq];
        if (s.from == e.from && s.to == e.to) return stanza_xml(s);
    }
    return to_xml(e, sc.names);
}

}  // namespace bidilab::model
