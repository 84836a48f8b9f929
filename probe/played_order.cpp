#include "probe/played_order.hpp"

namespace bidilab::probe {

namespace {
const char* const kStreams = "http://etherx.jabber.org/streams";
}  // namespace

std::string describe(const PlayedStep& s, const std::vector<std::string>& server_names) {
    const std::string who = s.server < server_names.size() ? server_names[s.server] : "server " + std::to_string(s.server);
    if (s.kind == PlayedStep::Kind::Submit) return who + " submits its next stanza";
    return who + " reads " + s.element + " as " + (s.initiator ? "initiating" : "receiving") + " end";
}

std::string wire_name(model::ElementKind k) {
    using K = model::ElementKind;
    switch (k) {
        case K::StreamOpen: return "stream:stream";
        case K::StreamFeatures: return "stream:features";
        case K::StartTls: return "starttls";
        case K::Proceed: return "proceed";
        case K::TlsFailure:
        case K::SaslFailure: return "failure";
        case K::SaslAuth: return "auth";
        case K::SaslSuccess: return "success";
        case K::Bidi: return "bidi";
        case K::DbResult: return "db:result";
        case K::DbVerify: return "db:verify";
        case K::Stanza: return "stanza";
        case K::StreamError: return "stream:error";
        case K::StreamClose: return "/stream:stream";
        default: return "";
    }
}

std::string wire_name(const capture::WireEvent& e) {
    if (e.kind == capture::WireEventKind::StreamOpen) return "stream:stream";
    if (e.kind == capture::WireEventKind::StreamClose) return "/stream:stream";
    const auto& x = e.element;
    if (x.ns == kStreams) return "stream:" + x.name;
    if (x.ns == "jabber:server:dialback") return "db:" + x.name;
    if (x.name == "message" || x.name == "iq" || x.name == "presence") return "stanza";
    return x.name;
}

PlayedOrder project(const model::XmppModel& m, const sim::Trace& trace, model::ServerIndex live) {
    const sim::Replay<model::XmppModel> r = sim::replay(m, trace);
    PlayedOrder out;
    const model::World* before = &r.initial;
    for (const auto& step : r.steps) {
        const model::Action& a = step.action;
        if (a.kind == model::Action::Kind::Submit && a.server != live) {
            out.push_back(PlayedStep{PlayedStep::Kind::Submit, a.server, false, ""});
        } else if (a.kind == model::Action::Kind::Deliver && !a.forged) {
            const model::Connection* c = before->connection(a.connection);
            const auto element = m.moved_element(*before, a);
            if (c && element) {
                const model::ServerIndex reader = a.to_receiver ? c->receiver : c->initiator;
                const model::ServerIndex writer = a.to_receiver ? c->initiator : c->receiver;
                const std::string name = wire_name(element->kind);
                if (reader != live && writer == live && !name.empty())
                    out.push_back(PlayedStep{PlayedStep::Kind::Read, reader, !a.to_receiver, name});
            }
        }
        before = &step.state;
    }
    return out;
}

}  // namespace bidilab::probe
