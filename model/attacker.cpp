#include "model/attacker.hpp"

#include <algorithm>

#include "model/row_coverage.hpp"

namespace bidilab::model {

namespace {

constexpr std::size_t kMaxSeenKeys = 3;

Action forged(ServerIndex attacker, std::uint16_t connection, bool to_receiver, const Element& e) {
    Action a;
    a.kind = Action::Kind::Deliver;
    a.server = attacker;
    a.connection = connection;
    a.to_receiver = to_receiver;
    a.forged = true;
    a.element = e;
    return a;
}

bool dialled(const World& w, ServerIndex attacker, ServerIndex victim) {
    // The attacker's own end never closes, so its connections stay in the world.
    for (const auto& c : w.connections)
        if (c.initiator == attacker && c.receiver == victim) return true;
    return false;
}

// The stream id a victim's end holds on a connection with an attacker: the
// one it sent (receiving end) or read (initiating end). The attacker knows it.
StreamId victim_stream_id(const Scenario& sc, const Connection& c) {
    return sc.servers[c.initiator].attacker ? c.r.data().stream_id : c.i.data().stream_id;
}

void learn(World& w, const ServerPolicy& attacker, const Key& k) {
    if (k.secret == kNoSecret || k.secret == attacker.secret) return;  // its own it can mint
    if (std::find(w.seen_keys.begin(), w.seen_keys.end(), k) != w.seen_keys.end()) return;
    if (w.seen_keys.size() < kMaxSeenKeys) w.seen_keys.push_back(k);
}

}  // namespace

void attacker_actions(const Scenario& sc, const World& w, std::vector<Action>& out) {
    if (!sc.has_attacker()) return;
    const auto n = static_cast<ServerIndex>(sc.servers.size());
    for (ServerIndex a = 0; a < n; ++a) {
        if (!sc.servers[a].attacker) continue;
        for (ServerIndex v = 0; v < n; ++v)
            if (!sc.servers[v].attacker && !dialled(w, a, v))
                out.push_back(forged(a, w.next_connection, true,
                                     Element::stream_open(sc.primary_domain(a), sc.primary_domain(v))));
    }
    if (w.forgeries_left == 0) return;
    const auto domains = static_cast<DomainId>(sc.names.domain_count());
    for (const auto& c : w.connections) {
        const bool dialled_by_attacker = sc.servers[c.initiator].attacker;
        if (dialled_by_attacker == sc.servers[c.receiver].attacker) continue;
        const ServerIndex a = dialled_by_attacker ? c.initiator : c.receiver;
        const ServerPolicy& attacker = sc.servers[a];
        const ServerIndex v = dialled_by_attacker ? c.receiver : c.initiator;
        const ServerPolicy& victim = sc.servers[v];
        const bool to_receiver = dialled_by_attacker;  // the victim's end reads
        const bool closed = to_receiver ? c.r.state() == ReceivingStream::State::Closed
                                        : c.i.state() == InitiatingStream::State::Closed;
        if (closed || !(to_receiver ? c.to_receiver : c.to_initiator).empty()) continue;
        const StreamId sid = victim_stream_id(sc, c);
        // The ids a typed db:verify can carry: those the victim gave the
        // attacker's connections to it (the only ids of the victim's own
        // streams the attacker knows, CORE-15; RW-1 uses exactly these).
        std::vector<StreamId> ids;
        for (const auto& other : w.connections)
            if (other.initiator == a && other.receiver == v &&
                other.r.data().stream_id != kNoStream)
                ids.push_back(other.r.data().stream_id);
        // Only what the victim's machine takes: an element it refuses ends
        // the stream with the attacker, which gains the attacker nothing.
        auto offer = [&](const Element& e) {
            RowCoverage::Scope probing(nullptr);  // a probe of a copy, not a step of the run
            Context ctx(victim, w.next_stream_id, sc.branches_of(v, w.branches));
            const bool refused = to_receiver ? ReceivingStream(c.r).deliver(e, ctx).violation()
                                             : InitiatingStream(c.i).deliver(e, ctx).violation();
            if (!refused) out.push_back(forged(a, c.number, to_receiver, e));
        };
        for (DomainId to = 1; to <= domains; ++to) {
            if (!victim.hosts(to)) continue;
            // DB-45, KEY-1: claims with a key of its own secret (good only for its own domains) ...
            for (DomainId from = 1; from <= domains; ++from)
                offer(Element::db_result(from, to, Key{sid, attacker.secret, from, to, 0}));
            // ... or replayed.
            for (const Key& k : w.seen_keys) offer(Element::db_result(k.from, to, k));
            // DB-10, DB-18, BIDI-12, DB-46: unsolicited answers and stanzas for any pair.
            for (DomainId from = 1; from <= domains; ++from)
                if (!victim.hosts(from)) offer(Element::db_result(from, to, DbType::Valid));
            for (DomainId from = 1; from <= domains; ++from)
                if (!victim.hosts(from))
                    for (StreamId id : ids) offer(Element::db_verify(from, to, id, DbType::Valid));
            for (DomainId from = 1; from <= domains; ++from)
                if (!victim.hosts(from)) offer(Element::stanza(from, to, kForgedStanza));
        }
        if (to_receiver) offer(Element::bidi());  // BIDI-2, BIDI-11
    }
}

bool attacker_reads(const Scenario& sc, World& w) {
    if (!sc.has_attacker()) return false;
    bool read = false;
    for (auto& c : w.connections) {
        for (const bool to_receiver : {true, false}) {
            if (!read_by_attacker(sc, c, to_receiver)) continue;
            const ServerPolicy& attacker = sc.servers[to_receiver ? c.receiver : c.initiator];
            auto& in = to_receiver ? c.to_receiver : c.to_initiator;
            auto& answer = to_receiver ? c.to_initiator : c.to_receiver;
            read = read || !in.empty();
            for (const Element& e : in) {
                switch (e.kind) {
                    case ElementKind::StreamOpen:
                        if (!to_receiver) break;  // the victim's response header: nothing to say
                        // Its own header with a fresh id, and features that let the victim go on;
                        // to a 0.9 victim a header without version and no features (CORE-17).
                        answer.push_back(Element::stream_open(e.to, e.from, w.next_stream_id++));
                        if (e.no_version()) {
                            answer.back().flags |= Element::kNoVersion;
                            break;
                        }
                        answer.push_back(Element::stream_features(feature::kDialback | feature::kDialbackErrors |
                                                                  feature::kBidi));
                        break;
                    case ElementKind::DbResult:
                        if (e.type != DbType::None) break;
                        learn(w, attacker, e.key);
                        // Requests for its own domains it answers as their authority would.
                        if (attacker.hosts(e.to)) answer.push_back(Element::db_result(e.to, e.from, DbType::Valid));
                        break;
                    case ElementKind::DbVerify:
                        if (e.type != DbType::None) break;
                        learn(w, attacker, e.key);
                        if (attacker.hosts(e.to))
                            answer.push_back(Element::db_verify(e.to, e.from, e.id, DbType::Valid));
                        break;
                    case ElementKind::Stanza:
                        if (e.seq < w.stanzas.size()) {  // addressed to it (or hijacked: the properties say)
                            auto& rec = w.stanzas[e.seq];
                            ++rec.deliveries;
                            rec.fate = Fate::Delivered;
                        }
                        break;
                    default: break;
                }
            }
            in.clear();
        }
    }
    return read;
}

std::string describe_forgery(const Scenario& sc, const Action& a) {
    const std::string who = sc.server_names.at(a.server);
    const std::string text = std::string(a.to_receiver ? "R" : "I") + std::to_string(a.connection) + " reads what " +
                             who + " forged: " + describe(a.element, sc.names);
    if (a.element.kind == ElementKind::StreamOpen && a.to_receiver)
        return who + " dials " + sc.server_names.at(sc.server_of(a.element.to)) + "; " + text;
    return text;
}

}  // namespace bidilab::model
