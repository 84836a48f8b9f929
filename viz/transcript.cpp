#include "viz/transcript.hpp"

#include <sstream>

#include "model/stanza_xml.hpp"

namespace bidilab::viz {

using model::Action;
using model::World;

std::vector<TranscriptStep> transcript_steps(const World& initial, const std::vector<std::pair<Action, World>>& steps) {
    std::vector<TranscriptStep> out;
    const World* before = &initial;
    for (const auto& [action, after] : steps) {
        out.push_back(TranscriptStep{action, *before, after});
        before = &after;
    }
    return out;
}

namespace {
// What a step shows: who reads, from whom, and the element; or the event.
struct StepView {
    std::string connection;  // "1" or ""
    std::string direction;   // "I1 → R1", "R1 → I1", or ""
    std::string xml;         // the element moved, or "<!-- event -->"
    std::string caption;
};

StepView view(const model::XmppModel& m, const TranscriptStep& s) {
    const auto& sc = m.scenario();
    StepView v;
    const std::string n = std::to_string(s.action.connection);
    switch (s.action.kind) {
        case Action::Kind::Submit: {
            int k = -1;
            for (std::size_t j = 0; j < s.before.stanzas.size(); ++j)
                if (s.before.stanzas[j].fate == model::Fate::Unsubmitted && sc.stanzas[j].origin == s.action.server) {
                    k = static_cast<int>(j);
                    break;
                }
            v.caption = sc.server_names[s.action.server] + " has a stanza to send";
            if (k >= 0)
                v.xml = "<!-- stanza #" + std::to_string(k) + " from " + sc.stanzas[k].from_jid + " to " +
                        sc.stanzas[k].to_jid + " -->";
            break;
        }
        case Action::Kind::Deliver: {
            v.connection = n;
            v.direction = s.action.to_receiver ? "I" + n + " → R" + n : "R" + n + " → I" + n;
            if (auto e = m.moved_element(s.before, s.action)) {
                v.xml = model::to_xml(*e, sc);  // stanzas with their JIDs, kind and id
                v.caption = model::describe(*e, sc.names);
            }
            break;
        }
        case Action::Kind::Tls:
            v.connection = n;
            v.xml = "<!-- TLS handshake on connection " + n + " completes -->";
            v.caption = "TLS negotiated";
            break;
        case Action::Kind::Choose:
            v.xml = "<!-- " + m.describe(s.action) + " -->";
            v.caption = "a choice the specs leave open";
            break;
        case Action::Kind::Reset:
            v.connection = n;
            v.xml = "<!-- TCP connection " + n + " is reset: both ends drop it, unread elements are lost -->";
            v.caption = "connection reset";
            break;
    }
    return v;
}
}  // namespace

std::string endpoint_states(const model::XmppModel& m, const World& w) {
    const auto& names = m.scenario().names;
    std::ostringstream out;
    bool first = true;
    for (const auto& c : w.connections) {
        if (!first) out << "; ";
        first = false;
        out << "I" << c.number << " " << names.domain(c.i.data().from) << "→" << names.domain(c.i.data().to) << " "
            << c.i.state_name() << ", R" << c.number << " " << c.r.state_name();
    }
    return out.str();
}

std::string transcript_text(const model::XmppModel& m, const std::vector<TranscriptStep>& steps) {
    std::ostringstream out;
    for (std::size_t i = 0; i < steps.size(); ++i) {
        StepView v = view(m, steps[i]);
        out << "<!-- " << (i + 1) << ". " << v.caption << " -->\n";
        if (!v.direction.empty()) out << v.direction << ": ";
        out << v.xml << "\n";
    }
    return out.str();
}

nlohmann::json transcript_json(const model::XmppModel& m, const std::vector<TranscriptStep>& steps) {
    nlohmann::json out = nlohmann::json::array();
    for (std::size_t i = 0; i < steps.size(); ++i) {
        StepView v = view(m, steps[i]);
        out.push_back({{"step", i + 1},
                       {"action", m.describe(steps[i].action)},
                       {"connection", v.connection},
                       {"direction", v.direction},
                       {"xml", v.xml},
                       {"caption", v.caption},
                       {"endpoints", endpoint_states(m, steps[i].after)}});
    }
    return out;
}

}  // namespace bidilab::viz
