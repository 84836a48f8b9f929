#include "model/xmpp_model.hpp"

#include "model/attacker.hpp"
#include "model/router.hpp"
#include "model/world_codec.hpp"
#include "sim/fingerprint.hpp"

namespace bidilab::model {

std::vector<World> XmppModel::initial_states() const {
    World w;
    w.stanzas.assign(sc_.stanzas.size(), StanzaRecord{});
    w.resets_left = static_cast<std::uint8_t>(sc_.resets);
    if (sc_.has_attacker()) w.forgeries_left = static_cast<std::uint8_t>(sc_.forgeries);
    return {w};
}

void XmppModel::actions(const World& w, std::vector<Action>& out) const {
    // The choices the topology leaves open come first, one step each, in a
    // fixed order (so no interleaving of them is explored twice).
    if (w.choices_made < sc_.open_choices.size()) {
        const OpenChoice& c = sc_.open_choices[w.choices_made];
        for (std::uint8_t branch : {0, 1}) {
            Action a{Action::Kind::Choose, c.server, 0, false};
            a.choice = c.choice;
            a.branch = branch;
            out.push_back(a);
        }
        return;
    }
    for (ServerIndex s = 0; s < sc_.servers.size(); ++s)
        if (Router::next_stanza(sc_, w, s) >= 0) out.push_back(Action{Action::Kind::Submit, s, 0, false});
    for (const auto& c : w.connections) {
        // What an honest end wrote to an attacker, the attacker has read already.
        if (!c.to_receiver.empty() && !sc_.servers[c.receiver].attacker)
            out.push_back(Action{Action::Kind::Deliver, 0, c.number, true});
        if (!c.to_initiator.empty() && !sc_.servers[c.initiator].attacker)
            out.push_back(Action{Action::Kind::Deliver, 0, c.number, false});
        if (c.i.state() == InitiatingStream::State::AwaitingTlsHandshake &&
            c.r.state() == ReceivingStream::State::AwaitingTlsHandshake)
            out.push_back(Action{Action::Kind::Tls, 0, c.number, false});
        // A reset, while the topology allows one more, on a connection not
        // yet closed at both ends. Between honest servers only: an attacker's
        // own end never closes (model/attacker.hpp), and a reset gains it nothing.
        if (w.resets_left > 0 && !c.closed() && !sc_.servers[c.initiator].attacker &&
            !sc_.servers[c.receiver].attacker)
            out.push_back(Action{Action::Kind::Reset, 0, c.number, false});
    }
    attacker_actions(sc_, w, out);  // BIDI-11, DB-45: none without an attacker
}

std::optional<World> XmppModel::next_state(const World& w, const Action& a) const {
    World next;
    next_state(w, a, next);
    return next;
}

bool XmppModel::next_state(const World& w, const Action& a, World& next) const {
    take(w, a, next, nullptr);
    return true;
}

std::vector<RouterStep> XmppModel::steps_of(const World& w, const Action& a, World& next) const {
    std::vector<RouterStep> log;
    take(w, a, next, &log);
    return log;
}

void XmppModel::take(const World& w, const Action& a, World& next, std::vector<RouterStep>* log) const {
    next = w;
    Router router(sc_, next);
    router.log_to(log);
    if (symmetry_ == Symmetry::Connections) router.keep_canonical_order();
    switch (a.kind) {
        case Action::Kind::Submit: router.submit(a.server); break;
        case Action::Kind::Deliver:
            if (a.forged) router.forge(a.server, a.connection, a.to_receiver, a.element);
            else router.deliver(a.connection, a.to_receiver);
            break;
        case Action::Kind::Tls: router.complete_tls(a.connection); break;
        case Action::Kind::Reset: router.reset(a.connection); break;
        case Action::Kind::Choose:
            if (a.branch) next.branches |= std::uint32_t{1} << next.choices_made;
            ++next.choices_made;
            if (log) {
                RouterStep own;
                own.server = a.server;
                own.footprint.write(Cell::of(Cell::Kind::Choices));
                log->push_back(own);
            }
            break;
    }
    // The connections are in canonical order all along (the router puts a new
    // one in its place at once, and no step reorders two); the pending
    // db:verify requests are sorted here. The world is settled in the order
    // it is stored in: no router step is left (model/locality.hpp relies on
    // it; tests/properties/router_step_test.cpp checks both).
    if (symmetry_ == Symmetry::Connections) sort_pending_verifies(next);
}

std::uint64_t XmppModel::concrete_fingerprint(const World& w) const {
    // Its bytes as the codec writes them: every field, nothing renamed or reordered.
    thread_local std::vector<unsigned char> bytes;
    bytes.clear();
    encode_world(w, bytes);
    return sim::Hasher::finish(XXH3_64bits(bytes.data(), bytes.size()));
}

void XmppModel::encode(const World& w, std::vector<unsigned char>& out) const { encode_world(w, out); }
void XmppModel::decode(const unsigned char* bytes, std::size_t n, World& w) const { decode_world(bytes, n, w); }

std::vector<std::string> XmppModel::reductions() const {
    if (symmetry_ == Symmetry::Connections) return {"symmetry: stream ids, connection numbers, connection order"};
    return {"symmetry: stream ids, connection numbers"};
}

std::string XmppModel::describe(const Action& a) const {
    const std::string conn = std::to_string(a.connection);
    switch (a.kind) {
        case Action::Kind::Submit: return sc_.server_names.at(a.server) + " submits its next stanza";
        case Action::Kind::Deliver:
            if (a.forged) return describe_forgery(sc_, a);
            return (a.to_receiver ? "R" : "I") + conn + " reads the next element";
        case Action::Kind::Tls: return "connection " + conn + ": TLS handshake completes";
        case Action::Kind::Reset: return "connection " + conn + ": TCP reset";
        case Action::Kind::Choose: return describe_choice(a);
    }
    return "?";
}

// "montague takes features_before_tls = starttls_only (CORE-30, ...)".
std::string XmppModel::describe_choice(const Action& a) const {
    return sc_.server_names.at(a.server) + " takes " + topologies::describe_branch(a.choice, a.branch != 0) +
           " (" + topologies::info(a.choice).rules + ": " +
           topologies::info(a.choice).why + ")";
}

std::string XmppModel::outcome(const World& w) const {
    std::string out;
    for (std::size_t k = 0; k < w.stanzas.size(); ++k) {
        const StanzaRecord& s = w.stanzas[k];
        out += (k ? "; #" : "#") + std::to_string(k) + " " + fate_name(s.fate);
        if (s.fate == Fate::Bounced) out += std::string(" (") + condition_name(s.bounce) + ")";
    }
    return out;
}

std::vector<std::string> XmppModel::fates_of(const std::string& outcome) {
    std::vector<std::string> fates;
    std::size_t at = 0;
    while (at < outcome.size()) {
        std::size_t end = outcome.find("; #", at);
        if (end == std::string::npos) end = outcome.size();
        const std::string part = outcome.substr(at, end - at);  // "#3 delivered"
        const std::size_t space = part.find(' ');
        fates.push_back(space == std::string::npos ? "" : part.substr(space + 1));
        at = end == outcome.size() ? end : end + 2;
    }
    return fates;
}

bool XmppModel::all_settled(const World& w) const {
    const bool reset_happened = w.resets_left < sc_.resets;
    for (const auto& s : w.stanzas)
        if (s.fate != Fate::Delivered && s.fate != Fate::Bounced && !(s.fate == Fate::Lost && reset_happened))
            return false;
    return true;
}

bool XmppModel::is_final(const World& w) const {
    if (!all_settled(w)) return false;
    for (const auto& c : w.connections)
        if (!c.idle()) return false;
    return w.verifies.empty();
}

std::optional<Element> XmppModel::moved_element(const World& before, const Action& a) const {
    if (a.kind != Action::Kind::Deliver) return std::nullopt;
    if (a.forged) return a.element;
    const Connection* c = before.connection(a.connection);
    if (!c) return std::nullopt;
    const auto& fifo = a.to_receiver ? c->to_receiver : c->to_initiator;
    if (fifo.empty()) return std::nullopt;
    return fifo.front();
}

}  // namespace bidilab::model
