#include "probe/wire_text.hpp"

#include "viz/output.hpp"

namespace bidilab::probe {

namespace {
// XML attribute values come from the topology (domains, JIDs) and from the
// live server (ids, keys): escaped (viz::xml_escape), never trusted.
using viz::xml_escape;

std::string attr(const char* name, const std::string& value) {
    return value.empty() ? std::string() : std::string(" ") + name + "='" + xml_escape(value) + "'";
}

std::string db_element(const model::Element& e, const model::NameTable& n, const char* name, const WireValues& v,
                       bool with_id) {
    std::string head = std::string("<db:") + name + attr("from", n.domain(e.from)) + attr("to", n.domain(e.to)) +
                       (with_id ? attr("id", v.id) : "");
    if (e.type == model::DbType::None) return head + ">" + xml_escape(v.key) + "</db:" + name + ">";
    // A typed answer: model::to_xml has its form (and the error child, DB-37);
    // only the id needs the real value.
    model::Element typed = e;
    typed.id = model::kNoStream;
    std::string xml = model::to_xml(typed, n);
    const std::string open = std::string("<db:") + name;
    if (with_id && !v.id.empty() && xml.compare(0, open.size(), open) == 0) xml.insert(open.size(), attr("id", v.id));
    return xml;
}
}  // namespace

std::string wire_stanza(const model::ScenarioStanza& s, const std::string& salt) {
    const std::string head = attr("from", s.from_jid) + attr("to", s.to_jid) + attr("id", s.id + salt);
    switch (s.kind) {
        case topologies::StanzaKind::Message:
            return "<message" + head + " type='chat'><body>bidilab probe</body></message>";
        case topologies::StanzaKind::Presence: return "<presence" + head + "/>";
        case topologies::StanzaKind::IqGet: return "<iq" + head + " type='get'><ping xmlns='urn:xmpp:ping'/></iq>";
        case topologies::StanzaKind::IqResult: return "<iq" + head + " type='result'/>";
    }
    return "<message" + head + "/>";
}

std::string wire_xml(const model::Element& e, const model::Scenario& sc, const WireValues& v) {
    const model::NameTable& n = sc.names;
    switch (e.kind) {
        case model::ElementKind::StreamOpen:
            return std::string("<?xml version='1.0'?><stream:stream xmlns='jabber:server' "
                               "xmlns:stream='http://etherx.jabber.org/streams'") +
                   (e.declares_dialback() ? " xmlns:db='jabber:server:dialback'" : "") + attr("from", n.domain(e.from)) +
                   attr("to", n.domain(e.to)) + attr("id", v.id) + (e.no_version() ? ">" : " version='1.0'>");
        case model::ElementKind::DbResult: return db_element(e, n, "result", v, false);
        case model::ElementKind::DbVerify: return db_element(e, n, "verify", v, true);
        case model::ElementKind::Stanza:
            if (e.seq < sc.stanzas.size()) return wire_stanza(sc.stanzas[e.seq], "");
            return "<message" + attr("from", n.domain(e.from)) + attr("to", n.domain(e.to)) + "/>";
        default: return model::to_xml(e, n);
    }
}

}  // namespace bidilab::probe
