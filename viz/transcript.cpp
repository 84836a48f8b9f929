#include "viz/transcript.hpp"

#include <sstream>

#include "model/stanza_xml.hpp"
#include "model/step_writes.hpp"

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

namespace {
struct WrittenView {
    std::string connection;  // "1"
    std::string direction;   // "I1 → R1"
    std::string xml;
};

// What a step wrote, in the order the step properties see it (model/step_writes.hpp).
std::vector<WrittenView> written(const model::XmppModel& m, const TranscriptStep& s) {
    std::vector<WrittenView> out;
    model::for_each_written(m.scenario(), s.before, s.action, s.after,
                            [&](const model::Connection*, const model::Connection& c, bool to_receiver,
                                const model::Element& e, bool) {
                                const std::string n = std::to_string(c.number);
                                out.push_back({n, to_receiver ? "I" + n + " → R" + n : "R" + n + " → I" + n,
                                               model::to_xml(e, m.scenario())});
                            });
    return out;
}

template <class Cells>
nlohmann::json cell_names(const model::Scenario& sc, const Cells& cells) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& c : cells) out.push_back(model::cell_name(c, sc));
    return out;
}

bool blamed(const std::optional<Blame>& blame, std::size_t step, int element) {
    return blame && blame->step == step && blame->element == element;
}
}  // namespace

std::vector<model::RouterStep> router_steps(const model::XmppModel& m, const TranscriptStep& s) {
    World after;
    std::vector<model::RouterStep> out;
    for (auto& step : m.steps_of(s.before, s.action, after))
        if (step.kind != model::RouterStep::Kind::Action) out.push_back(std::move(step));
    return out;
}

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

std::string transcript_text(const model::XmppModel& m, const std::vector<TranscriptStep>& steps,
                            const std::optional<Blame>& blame) {
    std::ostringstream out;
    const auto mark = [&blame](bool on) { return on ? "   <!-- ✗ violates " + blame->property + " -->" : std::string(); };
    for (std::size_t i = 0; i < steps.size(); ++i) {
        StepView v = view(m, steps[i]);
        out << "<!-- " << (i + 1) << ". " << v.caption << " -->\n";
        if (!v.direction.empty()) out << v.direction << ": ";
        out << v.xml << mark(blamed(blame, i, -1)) << "\n";
        for (const auto& step : router_steps(m, steps[i])) out << "    then " << model::caption(step, m.scenario()) << "\n";
        const auto wrote = written(m, steps[i]);
        for (std::size_t k = 0; k < wrote.size(); ++k)
            out << "    wrote " << wrote[k].direction << ": " << wrote[k].xml
                << mark(blamed(blame, i, static_cast<int>(k))) << "\n";
    }
    return out.str();
}

nlohmann::json transcript_json(const model::XmppModel& m, const std::vector<TranscriptStep>& steps,
                               const std::optional<Blame>& blame) {
    nlohmann::json out = nlohmann::json::array();
    for (std::size_t i = 0; i < steps.size(); ++i) {
        StepView v = view(m, steps[i]);
        nlohmann::json wrote = nlohmann::json::array();
        const auto elements = written(m, steps[i]);
        for (std::size_t k = 0; k < elements.size(); ++k) {
            nlohmann::json w = {{"connection", elements[k].connection},
                                {"direction", elements[k].direction},
                                {"xml", elements[k].xml}};
            if (blamed(blame, i, static_cast<int>(k))) w["violates"] = blame->property;
            wrote.push_back(std::move(w));
        }
        nlohmann::json then = nlohmann::json::array();
        for (const auto& step : router_steps(m, steps[i])) {
            nlohmann::json r = {{"kind", model::router_step_kind_name(step.kind)},
                                {"server", m.scenario().server_names.at(step.server)},
                                {"caption", model::caption(step, m.scenario())},
                                {"rules", step.rules},
                                {"reads", cell_names(m.scenario(), step.footprint.reads)},
                                {"writes", cell_names(m.scenario(), step.footprint.writes)}};
            if (step.connection != 0) r["connection"] = step.connection;
            if (step.stanza >= 0) r["stanza"] = step.stanza;
            then.push_back(std::move(r));
        }
        nlohmann::json step = {{"step", i + 1},
                               {"action", m.describe(steps[i].action)},
                               {"connection", v.connection},
                               {"direction", v.direction},
                               {"xml", v.xml},
                               {"caption", v.caption},
                               {"then", std::move(then)},
                               {"wrote", std::move(wrote)},
                               {"endpoints", endpoint_states(m, steps[i].after)}};
        if (blamed(blame, i, -1)) step["violates"] = blame->property;
        out.push_back(std::move(step));
    }
    return out;
}

}  // namespace bidilab::viz
