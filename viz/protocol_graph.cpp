#include "viz/protocol_graph.hpp"

#include <stdexcept>

#include "viz/element_labels.hpp"

namespace bidilab::viz {

using model::World;

const char* const kProjectionForms = "connection:N, stanzas or endpoints";

namespace {

std::string fate_word(model::Fate f) {
    std::string s = model::fate_name(f);
    for (char& c : s)
        if (c == ' ') c = '-';
    return s;
}

std::string endpoints_of(const model::Connection& c) {
    const std::string n = std::to_string(c.number);
    return "I" + n + ":" + c.i.state_name() + " R" + n + ":" + c.r.state_name();
}

std::string fates(const World& w) {
    std::string s;
    for (std::size_t k = 0; k < w.stanzas.size(); ++k)
        s += (k ? " s" : "s") + std::to_string(k) + ":" + fate_word(w.stanzas[k].fate);
    return s;
}

}  // namespace

std::string world_label(const model::XmppModel&, const World& w) {
    std::string s;
    for (const auto& c : w.connections) s += (s.empty() ? "" : " ") + endpoints_of(c);
    if (s.empty()) s = "no connection";
    if (!w.stanzas.empty()) s += " | " + fates(w);
    if (!w.violations.empty()) s += " | " + std::to_string(w.violations.size()) + " unexpected element(s)";
    return s;
}

std::string Projection::text() const {
    switch (kind) {
        case Kind::Connection: return "connection:" + std::to_string(connection);
        case Kind::Stanzas: return "stanzas";
        case Kind::Endpoints: return "endpoints";
    }
    return "?";
}

Projection parse_projection(const std::string& text) {
    Projection p;
    if (text == "stanzas") {
        p.kind = Projection::Kind::Stanzas;
        return p;
    }
    if (text == "endpoints") {
        p.kind = Projection::Kind::Endpoints;
        return p;
    }
    const std::string prefix = "connection:";
    if (text.rfind(prefix, 0) == 0) {
        const std::string n = text.substr(prefix.size());
        bool digits = !n.empty() && n.size() <= 5;
        for (char c : n) digits = digits && c >= '0' && c <= '9';
        if (digits && std::stoul(n) >= 1 && std::stoul(n) <= 65535) {
            p.kind = Projection::Kind::Connection;
            p.connection = static_cast<std::uint16_t>(std::stoul(n));
            return p;
        }
        throw std::invalid_argument("'" + text + "': expected connection:N with N a connection number from 1");
    }
    throw std::invalid_argument("unknown projection '" + text + "'; expected " + kProjectionForms);
}

std::string projection_key(const model::XmppModel& m, const Projection& p, const World& w) {
    switch (p.kind) {
        case Projection::Kind::Connection: {
            if (const model::Connection* c = w.connection(p.connection)) return endpoints_of(*c);
            const std::string n = std::to_string(p.connection);
            return p.connection < w.next_connection ? "connection " + n + " gone" : "connection " + n + " not open";
        }
        case Projection::Kind::Stanzas: return w.stanzas.empty() ? "no stanza" : fates(w);
        case Projection::Kind::Endpoints: {
            const auto& servers = m.scenario().server_names;
            std::string s;
            for (const auto& c : w.connections)
                s += (s.empty() ? "" : "\n") + servers.at(c.initiator) + "→" + servers.at(c.receiver) + " I:" +
                     c.i.state_name() + " R:" + c.r.state_name();
            return s.empty() ? "no connection" : s;
        }
    }
    return "?";
}

Diagram protocol_diagram(const model::XmppModel& m, const sim::StateGraph& g, const std::vector<std::uint32_t>& roots,
                         const std::optional<Projection>& quotient, const DiagramOptions& options) {
    using M = model::XmppModel;
    if (quotient) {
        const Projection p = *quotient;
        return quotient_diagram<M>(
            m, g, roots, [&m, p](const World& w) { return projection_key(m, p, w); },
            [&m](const World& w, const model::Action& a) { return action_kind(m, w, a); }, options);
    }
    GraphLabels<M> labels;
    labels.state = [&m](const World& w) { return world_label(m, w); };
    labels.transition = [&m](const World& w, const model::Action& a) { return action_label(m, w, a); };
    return state_diagram(m, g, roots, labels, options);
}

}  // namespace bidilab::viz
