#include "validate/verify_only.hpp"

#include <map>

#include "capture/namespaces.hpp"

namespace bidilab::validate {

namespace ns = capture::ns;

std::set<std::string> verify_only_connections(const capture::WireLog& log) {
    struct Seen {
        bool verify = false;     // an untyped db:verify (a request)
        bool own_stream = false; // what only a stream for stanzas writes
    };
    std::map<std::string, Seen> seen;
    for (const auto& ev : log.events) {
        if (ev.kind != capture::WireEventKind::Element || ev.direction != capture::Direction::InitiatorToReceiver)
            continue;
        const auto& x = ev.element;
        Seen& s = seen[ev.connection];
        const bool request = !x.attr("type").has_value();
        if (x.is(ns::kDialback, "verify") && request) s.verify = true;
        else if ((x.is(ns::kDialback, "result") && request) || x.is(ns::kSasl, "auth") || x.is(ns::kBidi, "bidi") ||
                 (x.ns == ns::kServer && (x.name == "message" || x.name == "iq" || x.name == "presence")))
            s.own_stream = true;
    }
    std::set<std::string> out;
    for (const auto& [label, s] : seen)
        if (s.verify && !s.own_stream) out.insert(label);
    return out;
}

}  // namespace bidilab::validate
