#include "probe/probe.hpp"

#include <poll.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <stdexcept>

#include "model/scenario.hpp"
#include "probe/judge.hpp"
#include "probe/model_orders.hpp"
#include "probe/session.hpp"
#include "probe/tcp.hpp"
#include "probe/tls_context.hpp"

namespace bidilab::probe {

namespace {

std::size_t server_index(const topologies::Topology& t, const std::string& name) {
    for (std::size_t i = 0; i < t.servers.size(); ++i)
        if (t.servers[i].name == name) return i;
    std::string known;
    for (const auto& s : t.servers) known += (known.empty() ? "" : ", ") + s.name;
    throw std::invalid_argument("no server named '" + name + "' in the topology (its servers: " + known + ")");
}

bool hosted_by(const topologies::Server& s, const std::string& domain) { return s.hosts(domain); }

// The played servers' stanzas, in file order.
std::vector<std::size_t> played_stanzas(const topologies::Topology& t, const topologies::Server& live) {
    std::vector<std::size_t> out;
    for (std::size_t k = 0; k < t.stanzas.size(); ++k)
        if (!hosted_by(live, t.stanzas[k].from_domain())) out.push_back(k);
    return out;
}

// A variation of the played servers' policy: `change` applied to each.
template <class Change>
topologies::Topology with_played(const topologies::Topology& t, std::size_t live, Change change) {
    topologies::Topology v = t;
    for (std::size_t i = 0; i < v.servers.size(); ++i)
        if (i != live) change(v.servers[i]);
    return v;
}

bool any_played(const topologies::Topology& t, std::size_t live, bool (*test)(const topologies::Server&)) {
    for (std::size_t i = 0; i < t.servers.size(); ++i)
        if (i != live && test(t.servers[i])) return true;
    return false;
}

// The scenario made of the plan: the played servers' stanzas it sends only.
model::Scenario scenario_of(const ScenarioPlan& plan) {
    model::Scenario sc = model::make_scenario(plan.topology, model::UnsetChoices::Usual);
    std::vector<model::ScenarioStanza> kept;
    for (std::size_t k : plan.stanzas) kept.push_back(sc.stanzas.at(k));
    sc.stanzas = kept;
    return sc;
}

void drain(TcpListener& l, std::chrono::milliseconds time) {
    const auto end = std::chrono::steady_clock::now() + time;
    while (std::chrono::steady_clock::now() < end) {
        pollfd p{l.fd(), POLLIN, 0};
        if (::poll(&p, 1, 50) > 0) l.accept().close();
    }
}

// The attacker's menu (model/attacker.hpp's elements, as a played server
// that turns hostile once): what it forges, and when.
void add_attacks(const topologies::Topology& t, std::size_t live, const std::vector<std::size_t>& stanzas,
                 const PlanOptions& options, std::vector<ScenarioPlan>& plans) {
    const topologies::Stanza& s = t.stanzas.at(stanzas.front());
    const std::string played = s.from_domain(), target = s.to_domain();
    const auto attack = [&](const char* name, const std::string& description, Attack::When when, const std::string& xml) {
        ScenarioPlan p{name, description, t, stanzas, Attack{when, xml, "", "", model::Condition::None}};
        plans.push_back(p);
    };
    attack("attack-unsolicited-valid",
           "a played server writes <db:result type='valid'/> for itself before any dialback, as a receiving "
           "server's answer (the 2012 unsolicited dialback attacks; DB-45, DB-46, BIDI-11)",
           Attack::When::AfterFeatures,
           "<db:result from='" + played + "' to='" + target + "' type='valid'/>");
    attack("attack-stanza-before-auth",
           "a played server sends a stanza before its stream is authorized (CORE-10, CORE-54, BIDI-5)", Attack::When::AfterFeatures,
           "<message from='" + played + "' to='" + target +
               "' id='probe-forged-1' type='chat'><body>bidilab probe: before authentication</body></message>");
    attack("attack-forged-from",
           "once authorized, a played server sends a stanza from a domain it never authenticated (CORE-26: "
           "invalid-from; DB-6)",
           Attack::When::AfterFirstStanza,
           "<message from='forged.invalid' to='" + target +
               "' id='probe-forged-2' type='chat'><body>bidilab probe: forged from</body></message>");
    // A key replayed from another stream (DB-30, KEY-1): the played servers
    // authenticate with dialback (not SASL EXTERNAL) and their keys are
    // computed over a stream id the live server never issued; their authority
    // answers invalid, and the live server must refuse the pair.
    ScenarioPlan replay{"attack-replayed-key",
                        "a played server's dialback key was computed for another stream (a replayed key; DB-30, "
                        "KEY-1): its authority says invalid, and the live server must not authorize the pair",
                        with_played(t, live, [](topologies::Server& x) { x.sasl_external = false; }), stanzas};
    replay.replay_keys = true;
    plans.push_back(replay);
    if (t.servers[live].tls != topologies::TlsPolicy::None && t.servers[live].bidi)
        attack("attack-bidi-before-starttls",
               "a played server asks for bidi before STARTTLS although the live server offers TLS (BIDI-3)",
               Attack::When::AfterFeatures, "<bidi xmlns='urn:xmpp:bidi'/>");
    // REAL-WORLD RW-19: where the live server dials a played server and asks
    // for dialback, the played server answers with a dialback error, as when
    // its authority cannot be reached (DB-36: remote-server-not-found).
    attack("dialback-error-answer",
           "a played receiving server answers the live server's dialback request with a dialback error "
           "(remote-server-not-found, as when the authority cannot be reached: DB-36) in place of its answer; the "
           "live server keeps the stream if it uses bidi or advertises dialback errors (DB-14, BIDI-10), else it may "
           "end it (DB-35); nothing happens unless the live server dials a played server",
           Attack::When::AfterFeatures, "");
    plans.back().attack->answer_error = model::Condition::RemoteServerNotFound;
    // REAL-WORLD RW-22: the header's 'from' names another played server's
    // domain, which this stream never authenticates; once it is authorized
    // (for the played server's own domain, with bidi where it asks for it),
    // the live server is asked to send a stanza to that domain. It must dial
    // the domain's own server (BIDI-7: over bidi only to authenticated
    // domains; CORE-12: the header's 'from' is unprotected), not use this stream.
    std::string victim;
    for (std::size_t i = 0; i < t.servers.size() && victim.empty(); ++i)
        if (i != live && !t.servers[i].hosts(played) && !t.servers[i].domains.empty()) victim = t.servers[i].domains.front();
    if (options.live_sends && !victim.empty()) {
        ScenarioPlan p{"attack-header-from",
                       "a played server's first stream header names " + victim + " (another played server's) as 'from', "
                       "then it authenticates " + played + "; the live server, asked to send a stanza to " + victim +
                       " (--send-command), must dial " + victim + "'s server, not use that stream (BIDI-7, CORE-12; "
                       "REAL-WORLD RW-22)",
                       t, stanzas, Attack{Attack::When::AfterFirstStanza, "", victim, victim, model::Condition::None}};
        plans.push_back(p);
    }
}

std::string random_salt() {
    std::random_device rd;
    std::ostringstream s;
    s << std::hex << rd() << rd();
    return s.str();
}

}  // namespace

std::size_t ProbeResult::count(const std::string& verdict) const {
    return static_cast<std::size_t>(
        std::count_if(scenarios.begin(), scenarios.end(), [&](const ScenarioResult& r) { return r.verdict == verdict; }));
}

std::string ProbeResult::verdict() const {
    if (count("deviates") != 0) return "deviates";
    if (count("inconclusive") != 0) return "inconclusive";
    return "conforms";
}

std::vector<ScenarioPlan> plan_scenarios(const topologies::Topology& t, const std::string& live_name, bool tls,
                                         const PlanOptions& options, std::optional<ReachableRows>* reachable) {
    const std::size_t live = server_index(t, live_name);
    for (std::size_t i = 0; i < t.servers.size(); ++i) {
        if (i == live) continue;
        const auto& s = t.servers[i];
        if (s.attacker) throw std::invalid_argument("server '" + s.name + "' is an attacker: the probe plays honest servers only (so far)");
        if (s.tls != topologies::TlsPolicy::None && !tls)
            throw std::invalid_argument("server '" + s.name + "' has \"tls\": \"" + to_string(s.tls) +
                                        "\": give the played servers' certificates (--pki DIR), or \"tls\": \"none\"");
    }
    const std::vector<std::size_t> stanzas = played_stanzas(t, t.servers[live]);
    if (stanzas.empty())
        throw std::invalid_argument("no stanza of the topology comes from a played server: nothing would make the "
                                    "played servers talk to '" + live_name + "'");
    std::vector<ScenarioPlan> plans;
    plans.push_back({"all-stanzas", "the played servers send every stanza of theirs at once, with their policy as given",
                     t, stanzas});
    if (stanzas.size() > 1)
        for (std::size_t k : stanzas)
            plans.push_back({"stanza-" + std::to_string(k),
                             "only stanza " + std::to_string(k) + " (" + t.stanzas[k].from + " -> " + t.stanzas[k].to + ")",
                             t, {k}});
    if (any_played(t, live, [](const topologies::Server& s) { return s.bidi; }))
        plans.push_back({"no-bidi", "the played servers do not ask for bidi (XEP-0288 is optional, BIDI-1)",
                         with_played(t, live, [](topologies::Server& s) { s.bidi = false; }), stanzas});
    if (any_played(t, live, [](const topologies::Server& s) { return !s.verify_only_connections; }))
        plans.push_back({"verify-only-connections",
                         "the played servers send db:verify on a connection of its own, closed after the answer (DB-16)",
                         with_played(t, live, [](topologies::Server& s) { s.verify_only_connections = true; }), stanzas});
    if (any_played(t, live, [](const topologies::Server& s) { return s.bidi && !s.reverse_dialback; }))
        plans.push_back({"reverse-dialback",
                         "the played servers ask for a new domain pair over an incoming bidi stream instead of dialling "
                         "out (BIDI-8)",
                         with_played(t, live, [](topologies::Server& s) { s.reverse_dialback = true; }), stanzas});
    if (any_played(t, live, [](const topologies::Server& s) { return s.tls != topologies::TlsPolicy::None && s.sasl_external; })) {
        plans.push_back({"no-sasl-external",
                         "the played servers authenticate with dialback over TLS, not SASL EXTERNAL (XEP-0178 is a "
                         "choice, SASL-1)",
                         with_played(t, live, [](topologies::Server& s) { s.sasl_external = false; }), stanzas});
        plans.push_back({"sasl-authzid-flipped",
                         "the played servers send the authzid in SASL EXTERNAL the other way round from their policy "
                         "(XEP-0178 or RFC 6120's '=', RULES §8.3)",
                         with_played(t, live, [](topologies::Server& s) { s.sasl_authzid = !s.sasl_authzid; }), stanzas});
    }
    if (any_played(t, live, [](const topologies::Server& s) { return s.tls != topologies::TlsPolicy::None; }))
        plans.push_back({"tls-policy-flipped",
                         "played servers that require TLS only offer it, and those that offer it require it (CORE-30)",
                         with_played(t, live,
                                     [](topologies::Server& s) {
                                         if (s.tls == topologies::TlsPolicy::Required) s.tls = topologies::TlsPolicy::Offered;
                                         else if (s.tls == topologies::TlsPolicy::Offered) s.tls = topologies::TlsPolicy::Required;
                                     }),
                         stanzas});
    add_attacks(t, live, stanzas, options, plans);
    plans.push_back({"dialback-errors-flipped",
                     "each played server advertises dialback error support the other way round from its policy (DB-34)",
                     with_played(t, live, [](topologies::Server& s) { s.dialback_errors = !s.dialback_errors; }), stanzas});
    // The model's own orderings (probe/model_orders.hpp), over the played
    // servers' stanzas with their policy as given.
    const model::Scenario sc = scenario_of(plans.front());
    std::vector<ModelOrder> earlier;
    const auto ordered = [&](const std::vector<ModelOrder>& orders) {
        earlier.insert(earlier.end(), orders.begin(), orders.end());
        for (const auto& o : orders) {
            ScenarioPlan p{o.name, o.description, t, stanzas};
            p.order = o.order;
            plans.push_back(p);
        }
    };
    const auto live_index = static_cast<model::ServerIndex>(live);
    model::RowCoverage covered;
    covered.only_with(live_index);
    if (options.witnesses) ordered(witness_orders(sc, live_index, options.max_states, &covered));
    if (options.walks > 0)
        ordered(walk_orders(sc, live_index, options.seed, options.walks, options.walk_tries, &covered));
    if (options.rows) {
        ReachableRows rows;
        ordered(row_orders(sc, live_index, options.max_states, covered, earlier, &rows));
        if (reachable) *reachable = std::move(rows);
    }
    return plans;
}

namespace {
// `judged`: how many times the exchange was judged as it came (Judge::judged).
ScenarioResult result_of(const ScenarioPlan& plan, const SessionOutcome& outcome, const Judgement& j,
                         std::size_t judged) {
    ScenarioResult r;
    r.name = plan.name;
    r.description = plan.description;
    r.verdict = j.verdict;
    r.rules = j.rules;
    r.line = j.line;
    r.message = j.message;
    r.explain = j.explain;
    r.wire_log = outcome.wire_log;
    r.elements_read = outcome.elements_read;
    r.elements_written = outcome.elements_written;
    if (plan.order) r.order_steps = plan.order->size();
    r.order_taken = outcome.order_taken;
    r.order_skipped = outcome.order_skipped;
    r.rows = outcome.rows;
    r.stopped_at = outcome.stopped_at;
    r.judged_online = judged;
    return r;
}
}  // namespace

ProbeResult run_probe(const topologies::Topology& t, const ProbeOptions& o) {
    // A live server that hangs up while TLS writes (OpenSSL's write() has no
    // MSG_NOSIGNAL) must end a connection, not the probe.
    std::signal(SIGPIPE, SIG_IGN);
    const std::size_t live = server_index(t, o.live);
    std::optional<ReachableRows> planned_rows;
    std::vector<ScenarioPlan> plans = plan_scenarios(t, o.live, !o.pki_dir.empty(), o.plan, &planned_rows);
    for (const auto& name : o.scenarios)
        if (std::none_of(plans.begin(), plans.end(), [&](const ScenarioPlan& p) { return p.name == name; })) {
            std::string known;
            for (const auto& p : plans) known += (known.empty() ? "" : ", ") + p.name;
            throw std::invalid_argument("no scenario named '" + name + "' for this topology (its scenarios: " + known + ")");
        }
    std::map<model::ServerIndex, std::unique_ptr<TcpListener>> listeners;
    for (const auto& [name, at] : o.listen) {
        const std::size_t s = server_index(t, name);
        if (s == live) throw std::invalid_argument("--listen " + name + ": that is the live server, not a played one");
        listeners[static_cast<model::ServerIndex>(s)] = std::make_unique<TcpListener>(at);
    }
    // The played servers' TLS, client and server side, from the PKI folder.
    std::vector<std::unique_ptr<TlsContext>> contexts;
    std::map<model::ServerIndex, const TlsContext*> tls_client, tls_server;
    if (!o.pki_dir.empty())
        for (std::size_t i = 0; i < t.servers.size(); ++i) {
            if (i == live) continue;
            const auto& s = t.servers[i];
            const std::filesystem::path dir(o.pki_dir);
            const std::string crt = s.certificate ? (dir / (s.domains.at(0) + ".crt")).string() : "";
            const std::string key = s.certificate ? (dir / (s.domains.at(0) + ".key")).string() : "";
            const std::string ca = std::filesystem::exists(dir / "ca.crt") ? (dir / "ca.crt").string() : "";
            for (const std::string& f : {crt, key})
                if (!f.empty() && !std::filesystem::is_regular_file(f))
                    throw std::invalid_argument(f + ": no such file (the certificate of played server " + s.name + ")");
            contexts.push_back(std::make_unique<TlsContext>(false, crt, key, ca));
            tls_client[static_cast<model::ServerIndex>(i)] = contexts.back().get();
            contexts.push_back(std::make_unique<TlsContext>(true, crt, key, ca));
            tls_server[static_cast<model::ServerIndex>(i)] = contexts.back().get();
        }
    ProbeResult result;
    result.topology = t.name;
    result.live = o.live;
    result.live_at = o.live_at.text();
    // What the scenarios' rows are measured against: the played servers'
    // stanzas with their policy as given (the plan's first scenario).
    ReachableRows reachable = planned_rows ? std::move(*planned_rows)
                                           : reachable_rows(scenario_of(plans.front()),
                                                            static_cast<model::ServerIndex>(live), o.plan.max_states);
    result.reachable = std::move(reachable.rows);
    result.reachable_complete = reachable.complete;
    if (!o.wire_dir.empty()) std::filesystem::create_directories(o.wire_dir);
    for (const auto& plan : plans) {
        if (!o.scenarios.empty() && std::find(o.scenarios.begin(), o.scenarios.end(), plan.name) == o.scenarios.end())
            continue;
        const model::Scenario sc = scenario_of(plan);
        SessionSetup setup;
        setup.scenario = &sc;
        setup.live = static_cast<model::ServerIndex>(live);
        setup.live_at = o.live_at;
        for (auto& [s, l] : listeners) setup.listeners[s] = l.get();
        setup.tls_client = tls_client;
        setup.tls_server = tls_server;
        setup.quiet = o.quiet;
        setup.limit = o.limit;
        setup.salt = random_salt();
        setup.attack = plan.attack;
        setup.send_command = o.send_command;
        setup.live_domain = t.servers[live].domains.at(0);
        setup.replay_keys = plan.replay_keys;
        setup.order = plan.order;
        const std::string head = "# bidilab probe, scenario " + plan.name + ": " + plan.description +
                                 "\n# live server " + o.live + " at " + o.live_at.text() +
                                 "; format: docs/wire-log.md\n";
        // Judged as it comes (probe/judge.hpp): the session stops at the
        // live server's first element the model does not allow.
        Judge judge(plan.topology, t.servers[live], head, plan.name + ".log");
        if (o.stop_at_deviation) setup.deviation = [&judge](const std::string& log) { return judge.deviation(log); };
        SessionOutcome logged = Session(setup).run();
        logged.wire_log = head + logged.wire_log;
        const Judgement verdict = judge.judge_log(logged.wire_log, logged.problem, logged.elements_read);
        result.scenarios.push_back(result_of(plan, logged, verdict, judge.judged()));
        result.rows.add(logged.rows);
        // What the live server still dials for this scenario is refused
        // before the next one starts.
        for (auto& [s, l] : listeners) drain(*l, std::chrono::milliseconds(300));
        if (!o.wire_dir.empty()) {
            // The log, and the topology it is judged against (the played
            // servers' policy of this scenario): `bidilab validate` on the
            // two gives the same verdict.
            const auto dir = std::filesystem::path(o.wire_dir);
            std::ofstream f(dir / (plan.name + ".log"), std::ios::binary);
            f << logged.wire_log;
            std::ofstream g(dir / (plan.name + ".topology.json"), std::ios::binary);
            g << topologies::to_json(plan.topology).dump(2) << "\n";
            if (!f || !g) throw std::runtime_error(o.wire_dir + "/" + plan.name + ".*: cannot be written");
        }
    }
    return result;
}

}  // namespace bidilab::probe
