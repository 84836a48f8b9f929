#include "viz/explorer_page.hpp"

#include <map>
#include <unordered_map>

#include "model/stanza_xml.hpp"
#include "sim/fingerprint.hpp"
#include "viz/element_labels.hpp"
#include "viz/output.hpp"
#include "viz/transcript.hpp"

namespace bidilab::viz {

// The page's skeleton, script and style (viz/explorer_page.{html,js,css}),
// compiled in by viz/CMakeLists.txt.
extern const char* const kExplorerPageHtml;
extern const char* const kExplorerPageScript;
extern const char* const kExplorerPageStyle;

using model::Action;
using model::Connection;
using model::World;

namespace {

// Every state reachable from the initial ones, compared exactly (operator==),
// bucketed by the (symmetry-reduced) fingerprint; breadth-first, so state ids
// follow the distance from an initial state.
struct Space {
    struct Edge {
        Action action;
        std::uint32_t target;
    };
    std::vector<World> states;
    std::vector<std::vector<Edge>> edges;
    std::vector<std::uint32_t> initial;
};

Space explore(const model::XmppModel& m, std::uint64_t max_states) {
    Space s;
    std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> buckets;
    auto intern = [&](World w) -> std::uint32_t {
        auto& bucket = buckets[sim::fingerprint(w)];
        for (std::uint32_t i : bucket)
            if (s.states[i] == w) return i;
        if (s.states.size() >= max_states)
            throw ExplorerTooLarge("more than " + std::to_string(max_states) +
                                   " states, and the page holds every one: raise --max-states or explore a "
                                   "smaller topology");
        const auto id = static_cast<std::uint32_t>(s.states.size());
        s.states.push_back(std::move(w));
        bucket.push_back(id);
        return id;
    };
    for (auto& w : m.initial_states()) s.initial.push_back(intern(std::move(w)));
    std::vector<Action> acts;
    for (std::size_t i = 0; i < s.states.size(); ++i) {
        const World current = s.states[i];  // intern() may grow the vector
        acts.clear();
        m.actions(current, acts);
        std::vector<Space::Edge> out;
        for (const auto& a : acts)
            if (auto next = m.next_state(current, a)) out.push_back(Space::Edge{a, intern(std::move(*next))});
        s.edges.push_back(std::move(out));
    }
    return s;
}

// Strings and small objects that recur across states, stored once.
class Interner {
public:
    std::uint32_t operator()(const std::string& s) {
        auto [it, inserted] = ids_.emplace(s, static_cast<std::uint32_t>(list_.size()));
        if (inserted) list_.push_back(s);
        return it->second;
    }
    std::uint32_t object(const nlohmann::json& j) {
        auto [it, inserted] = ids_.emplace(j.dump(), static_cast<std::uint32_t>(objects_.size()));
        if (inserted) objects_.push_back(j);
        return it->second;
    }
    nlohmann::json strings() const { return list_; }
    nlohmann::json objects() const { return objects_; }

private:
    std::map<std::string, std::uint32_t> ids_;
    std::vector<std::string> list_;
    std::vector<nlohmann::json> objects_;
};

// What a step wrote, one "I1 → R1: <xml>" line per element (transcript_json's `wrote`).
std::string wrote_text(const nlohmann::json& wrote) {
    std::string out;
    for (const auto& w : wrote)
        out += (out.empty() ? "" : "\n") + w.at("direction").get<std::string>() + ": " + w.at("xml").get<std::string>();
    return out;
}

// What the servers did then, one caption per line (transcript_json's `then`).
std::string then_text(const nlohmann::json& then) {
    std::string out;
    for (const auto& r : then) out += (out.empty() ? "" : "\n") + r.at("caption").get<std::string>();
    return out;
}

std::string fate_text(const model::StanzaRecord& rec) {
    const std::string n = std::to_string(rec.via);
    const std::string over = rec.reverse ? "R" + n + " → I" + n + ", bidi" : "I" + n + " → R" + n;
    switch (rec.fate) {
        case model::Fate::Unsubmitted: return "not submitted";
        case model::Fate::Queued: return rec.via ? "queued, waiting for connection " + n : "queued";
        case model::Fate::InFlight: return "in flight on connection " + n + " (" + over + ")";
        case model::Fate::Delivered: return "delivered over connection " + n + " (" + over + ")";
        case model::Fate::Bounced: return std::string("bounced with ") + model::condition_name(rec.bounce);
        case model::Fate::Lost: return "lost in a reset of connection " + n;
    }
    return "?";
}

std::string domains_of(const model::NameTable& names, model::DomainSet set) {
    std::string s;
    for (model::DomainId d = 1; d <= model::kMaxDomainId; ++d)
        if (model::contains(set, d)) s += (s.empty() ? "" : ", ") + names.domain(d);
    return s;
}

std::string pair_text(const model::NameTable& names, model::DomainId from, model::DomainId to) {
    return names.domain(from) + " → " + names.domain(to);
}

// The dialback pairs of one direction, from both ends' tables:
// "capulet.lit → montague.lit: I1 requested, R1 verifying".
nlohmann::json dialback_pairs(const model::NameTable& names, const std::string& n, const model::PairTable& at_i,
                              const model::PairTable& at_r) {
    std::map<std::pair<model::DomainId, model::DomainId>, std::string> rows;
    auto add = [&](const model::PairTable& t, const std::string& end) {
        for (std::size_t k = 0; k < t.size(); ++k) {
            auto& row = rows[{t[k].sender, t[k].target}];
            row += (row.empty() ? "" : ", ") + end + n + " " + model::pair_state_name(t[k].state);
        }
    };
    add(at_i, "I");
    add(at_r, "R");
    nlohmann::json out = nlohmann::json::array();
    for (const auto& [pair, text] : rows) out.push_back(pair_text(names, pair.first, pair.second) + ": " + text);
    return out;
}

// The pairs the sending end may send and the reading end accepts, one
// direction: {pair, send, accept} for each pair where either holds.
template <class MaySend, class Accepts>
nlohmann::json authorized(const model::Scenario& sc, model::ServerIndex sender, model::ServerIndex reader,
                          MaySend may_send, Accepts accepts) {
    nlohmann::json out = nlohmann::json::array();
    for (model::DomainId f = 1; f <= sc.names.domain_count(); ++f) {
        if (!sc.servers[sender].hosts(f)) continue;
        for (model::DomainId t = 1; t <= sc.names.domain_count(); ++t) {
            if (!sc.servers[reader].hosts(t)) continue;
            const bool send = may_send(f, t), accept = accepts(f, t);
            if (send || accept) out.push_back({{"pair", pair_text(sc.names, f, t)}, {"send", send}, {"accept", accept}});
        }
    }
    return out;
}

nlohmann::json fifo(const model::Scenario& sc, const model::Fifo& elements, Interner& text) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& e : elements) out.push_back(text(model::to_xml(e, sc)));  // stanzas as the transcript shows them
    return out;
}

std::string features_text(model::Features f) {
    return element_label(model::Element::stream_features(f), model::NameTable{});
}

nlohmann::json connection_view(const model::Scenario& sc, const Connection& c, Interner& text, Interner& parts) {
    const auto& names = sc.names;
    const std::string n = std::to_string(c.number);
    const auto& id = c.i.data();
    const auto& rd = c.r.data();
    nlohmann::json iflags = nlohmann::json::array(), rflags = nlohmann::json::array();
    if (id.has(model::InitiatingData::kTls)) iflags.push_back("TLS");
    if (id.has(model::InitiatingData::kBidi)) iflags.push_back("bidi");
    if (id.has(model::InitiatingData::kSasl)) iflags.push_back("SASL");
    if (id.has(model::InitiatingData::kVerifyOnly)) iflags.push_back("verify-only");
    if (rd.has(model::ReceivingData::kTls)) rflags.push_back("TLS");
    if (rd.has(model::ReceivingData::kBidi)) rflags.push_back("bidi");
    if (rd.has(model::ReceivingData::kSasl)) rflags.push_back("SASL");
    nlohmann::json i = {{"name", "I" + n},
                        {"state", c.i.state_name()},
                        {"flags", iflags},
                        {"stream", model::NameTable::stream(id.stream_id)},
                        {"header", id.from ? pair_text(names, id.from, id.to) : ""},
                        {"features", c.i.state() == model::InitiatingStream::State::AwaitingConnection ||
                                             c.i.state() == model::InitiatingStream::State::AwaitingStreamOpen
                                         ? ""
                                         : features_text(id.features)},
                        {"cert", domains_of(names, id.peer_cert)},
                        {"verifies", id.verifies.size()}};
    nlohmann::json r = {{"name", "R" + n},
                        {"state", c.r.state_name()},
                        {"flags", rflags},
                        {"stream", model::NameTable::stream(rd.stream_id)},
                        {"header", rd.hdr_from || rd.hdr_to ? pair_text(names, rd.hdr_from, rd.hdr_to) : ""},
                        {"features", c.r.state() == model::ReceivingStream::State::AwaitingStreamOpen
                                         ? ""
                                         : features_text(rd.offered)},
                        {"cert", domains_of(names, rd.peer_cert)},
                        {"authz", names.domain(rd.authz)}};
    const auto& ipol = sc.servers[c.initiator];
    const auto& rpol = sc.servers[c.receiver];
    nlohmann::json ir = {
        {"fifo", fifo(sc, c.to_receiver, text)},
        {"pairs", authorized(sc, c.initiator, c.receiver,
                             [&](model::DomainId f, model::DomainId t) { return c.i.may_send(f, t, ipol); },
                             [&](model::DomainId f, model::DomainId t) { return c.r.accepts(f, t); })},
        {"dialback", dialback_pairs(names, n, id.fwd, rd.fwd)}};
    nlohmann::json ri = {
        {"fifo", fifo(sc, c.to_initiator, text)},
        {"pairs", authorized(sc, c.receiver, c.initiator,
                             [&](model::DomainId f, model::DomainId t) { return c.r.may_send(f, t, rpol); },
                             [&](model::DomainId f, model::DomainId t) { return c.i.accepts(f, t); })},
        {"dialback", dialback_pairs(names, n, id.rev, rd.rev)}};
    return {{"n", c.number},
            {"initiator", sc.server_names.at(c.initiator)},
            {"receiver", sc.server_names.at(c.receiver)},
            {"I", parts.object(i)},
            {"R", parts.object(r)},
            {"ir", parts.object(ir)},
            {"ri", parts.object(ri)}};
}

// What else a state holds: db:verify a server still has to send, elements
// a machine did not expect.
std::vector<std::string> notes_of(const model::Scenario& sc, const World& w) {
    std::vector<std::string> out;
    for (const auto& v : w.verifies)
        out.push_back(sc.server_names.at(v.at) + " has to ask: " + model::describe(v.need, sc.names) +
                      (v.via ? " (over connection " + std::to_string(v.via) + ")" : " (no connection yet)"));
    for (const auto& v : w.violations)
        out.push_back(std::string("unexpected ") + model::kind_name(v.element) + " at " +
                      (v.at_receiver ? "R" : "I") + std::to_string(v.connection) + ": " +
                      model::verdict_name(v.verdict));
    return out;
}

nlohmann::json path_json(const std::vector<std::uint32_t>& p) { return p; }

}  // namespace

std::vector<std::uint32_t> page_path(const model::XmppModel& m, const sim::Trace& t) {
    std::vector<std::uint32_t> path{t.initial};
    auto inits = m.initial_states();
    if (t.initial >= inits.size()) throw std::runtime_error("trace: no initial state #" + std::to_string(t.initial));
    World w = inits[t.initial];
    std::vector<Action> acts;
    for (std::size_t i = 0; i < t.actions.size(); ++i) {
        acts.clear();
        m.actions(w, acts);
        if (t.actions[i] >= acts.size()) throw std::runtime_error("trace: step " + std::to_string(i + 1) + " does not fit");
        std::uint32_t shown = 0;
        for (std::uint32_t k = 0; k < t.actions[i]; ++k)
            if (m.next_state(w, acts[k])) ++shown;
        auto next = m.next_state(w, acts[t.actions[i]]);
        if (!next) throw std::runtime_error("trace: step " + std::to_string(i + 1) + " is disabled");
        path.push_back(shown);
        w = std::move(*next);
    }
    return path;
}

nlohmann::json explorer_data(const model::XmppModel& m, const std::string& description,
                             const std::vector<PageProperty>& properties, const PageCheck& check,
                             std::uint64_t max_states) {
    const Space space = explore(m, max_states);
    const auto& sc = m.scenario();
    Interner text, conns, parts, moves;

    nlohmann::json props = nlohmann::json::array();
    for (const auto& p : properties) {
        nlohmann::json j = {{"name", p.name}, {"kind", sim::to_string(p.kind)}, {"rules", p.rules}, {"rule_texts", p.rule_texts},
                            {"status", p.status}, {"path", nullptr}, {"loop", nullptr}};
        if (p.trace) {
            j["path"] = path_json(page_path(m, *p.trace));
            if (p.trace->loop_start) j["loop"] = *p.trace->loop_start;
        }
        props.push_back(j);
    }

    std::uint64_t transitions = 0;
    nlohmann::json states = nlohmann::json::array();
    for (std::size_t s = 0; s < space.states.size(); ++s) {
        const World& w = space.states[s];
        nlohmann::json st;
        nlohmann::json cs = nlohmann::json::array(), fates = nlohmann::json::array(), notes = nlohmann::json::array();
        for (const auto& c : w.connections) cs.push_back(conns.object(connection_view(sc, c, text, parts)));
        for (const auto& rec : w.stanzas) fates.push_back(text(fate_text(rec)));
        for (const auto& n : notes_of(sc, w)) notes.push_back(text(n));
        nlohmann::json fails = nlohmann::json::array(), here = nlohmann::json::array();
        for (std::size_t p = 0; p < properties.size(); ++p) {
            const auto& prop = properties[p];
            if (!prop.holds) continue;
            const bool h = prop.holds(w);
            if (prop.kind == sim::Kind::Always && !h) fails.push_back(p);
            if (prop.kind != sim::Kind::Always && h) here.push_back(p);
        }
        nlohmann::json edges = nlohmann::json::array();
        for (const auto& e : space.edges[s]) {
            const World& after = space.states[e.target];
            const auto view = transcript_json(m, {TranscriptStep{e.action, w, after}}).at(0);
            const nlohmann::json move = {text(view.at("action").get<std::string>()), text(action_label(m, w, e.action)),
                                         text(view.at("direction").get<std::string>()),
                                         text(view.at("xml").get<std::string>()),
                                         text(view.at("caption").get<std::string>()),
                                         text(wrote_text(view.at("wrote"))),
                                         text(then_text(view.at("then")))};
            nlohmann::json ej = {moves.object(move), e.target};
            nlohmann::json step_fails = nlohmann::json::array();
            for (std::size_t p = 0; p < properties.size(); ++p)
                if (properties[p].step_holds && !properties[p].step_holds(w, e.action, after)) step_fails.push_back(p);
            if (!step_fails.empty()) ej.push_back(step_fails);
            edges.push_back(std::move(ej));
            ++transitions;
        }
        st["c"] = cs;
        st["s"] = fates;
        if (!notes.empty()) st["n"] = notes;
        if (!fails.empty()) st["f"] = fails;
        if (!here.empty()) st["h"] = here;
        if (space.edges[s].empty()) st["end"] = m.is_final(w) ? "final" : "deadlock";
        st["e"] = std::move(edges);
        states.push_back(std::move(st));
    }

    nlohmann::json servers = nlohmann::json::array();
    for (std::size_t k = 0; k < sc.server_names.size(); ++k)
        servers.push_back({{"name", sc.server_names[k]}, {"domains", domains_of(sc.names, sc.servers[k].hosted)}});
    nlohmann::json stanzas = nlohmann::json::array();
    for (std::size_t k = 0; k < sc.stanzas.size(); ++k)
        stanzas.push_back({{"name", "s" + std::to_string(k)}, {"from", sc.stanzas[k].from_jid}, {"to", sc.stanzas[k].to_jid}});

    return {{"format", 1},
            {"topology", {{"name", sc.name}, {"description", description}, {"servers", servers}, {"stanzas", stanzas}}},
            {"check", {{"verdict", check.verdict}, {"states", check.states}, {"transitions", check.transitions}}},
            {"properties", props},
            {"texts", text.strings()},
            {"conns", conns.objects()},
            {"parts", parts.objects()},
            {"moves", moves.objects()},
            {"initial", space.initial},
            {"states", states},
            {"transitions", transitions}};
}

namespace {

// JSON inside <script type="application/json">: no "</" (it would end the
// element) and no "<!--" (it would change how the parser reads the rest);
// both only ever occur inside JSON strings, where "\/" and "\u0021" mean the same.
std::string script_safe(const std::string& json) {
    std::string out;
    out.reserve(json.size() + json.size() / 16);
    for (std::size_t k = 0; k < json.size(); ++k) {
        if (json[k] == '<' && k + 1 < json.size() && json[k + 1] == '/') {
            out += "<\\/";
            ++k;
        } else if (json.compare(k, 4, "<!--") == 0) {
            out += "<\\u0021";
            ++k;
        } else {
            out += json[k];
        }
    }
    return out;
}

}  // namespace

std::string explorer_page(const nlohmann::json& data) {
    const std::string title = data.at("topology").at("name").get<std::string>();
    const std::map<std::string, std::string> fill = {
        {"@TITLE@", xml_escape(title)},
        {"@STYLE@", kExplorerPageStyle},
        {"@SCRIPT@", kExplorerPageScript},
        {"@DATA@", script_safe(data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace))},
    };
    // One pass over the skeleton: what is filled in is never scanned again.
    const std::string skeleton = kExplorerPageHtml;
    std::string out;
    std::size_t k = 0;
    while (k < skeleton.size()) {
        const auto at = skeleton.find('@', k);
        if (at == std::string::npos) break;
        const auto end = skeleton.find('@', at + 1);
        if (end == std::string::npos) break;
        const auto it = fill.find(skeleton.substr(at, end - at + 1));
        if (it == fill.end()) {
            out.append(skeleton, k, at + 1 - k);
            k = at + 1;
            continue;
        }
        out.append(skeleton, k, at - k);
        out += it->second;
        k = end + 1;
    }
    out.append(skeleton, k, std::string::npos);
    return out;
}

}  // namespace bidilab::viz
