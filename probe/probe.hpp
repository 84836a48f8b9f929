// probe/probe.hpp — `bidilab probe`: bidilab plays every server of a
// topology but one, the live server under test, over real TCP, through a
// list of scenarios, and judges everything the live server wrote with the
// model (`validate` over the wire log of each scenario).
//
// A scenario is a variation the model allows the played servers: which of
// their stanzas they send, and the branches of their policy where the specs
// allow several (XEP-0288 bidi asked or not, BIDI-1; db:verify on a
// connection of its own, DB-16; reverse dialback over an incoming bidi
// stream, BIDI-8; dialback errors advertised, DB-34), the order in which
// they take their steps where it is theirs to choose (the shortest witness
// of each `sometimes` property, seeded random walks: probe/model_orders.hpp),
// and the attacker's menu. The played servers' steps are the model's Router
// and stream machines (probe/session.hpp), so what they send is what `check`
// explores for them.
// Verdict per scenario:
//   conforms      validate accepts the wire log;
//   deviates      it rejects it at a line the live server wrote: the first
//                 element the model does not allow, with its rule IDs;
//   inconclusive  the live server could not be reached, the exchange did not
//                 come to rest within the limit, or the finding is at a line
//                 a played server wrote (a fault of the probe, reported).
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "probe/address.hpp"
#include "probe/model_orders.hpp"
#include "probe/session.hpp"
#include "topologies/topology.hpp"

namespace bidilab::probe {

// The scenarios from the model's own orderings (probe/model_orders.hpp).
struct PlanOptions {
    std::uint32_t walks = 3;            // at most this many walk-SEED-R scenarios
    std::uint32_t walk_tries = 64;      // walks examined for them (runs 0 .. walk_tries-1 of the seed)
    std::uint64_t seed = 1;             // of the walks
    bool witnesses = true;              // the witness-NAME scenarios
    bool rows = true;                   // the row-M-N scenarios (after the witnesses and walks)
    std::uint64_t max_states = 200000;  // of the check that finds the witnesses
    // A --send-command is given: the scenarios that need the live server to
    // send a stanza first (attack-header-from) are planned too.
    bool live_sends = false;
};

struct ProbeOptions {
    std::string live;  // the server under test, by name
    Endpoint live_at;
    std::map<std::string, Endpoint> listen;  // played server name -> where it is dialled
    std::vector<std::string> scenarios;      // by name; empty: all
    std::chrono::milliseconds quiet{1500};
    std::chrono::milliseconds limit{20000};
    std::string wire_dir;  // "": keep the logs in memory only
    // The played servers' certificates and keys, DIR/DOMAIN.crt and
    // DIR/DOMAIN.key by each one's first domain (and DIR/ca.crt, the CA
    // whose names a played receiving server asks the live server's
    // certificate of): "" when no played server speaks TLS.
    std::string pki_dir;
    // Makes the live server send a stanza (probe/send_command.hpp); "": none.
    std::string send_command;
    // Judged as it comes (probe/judge.hpp): a scenario stops at the live
    // server's first element the model does not allow. False: the played
    // servers read it and go on, and the complete log is judged at the end
    // (the verdict is the same).
    bool stop_at_deviation = true;
    PlanOptions plan;
};

struct ScenarioPlan {
    std::string name;
    std::string description;
    topologies::Topology topology;  // the played servers' policy for this scenario
    std::vector<std::size_t> stanzas;  // the played servers' stanzas it sends (topology indices)
    std::optional<Attack> attack = std::nullopt;  // what a played server forges, if anything
    bool replay_keys = false;                     // its dialback keys are for another stream
    std::optional<PlayedOrder> order = std::nullopt;  // the played servers' own order (none: arrival)
};

struct ScenarioResult {
    std::string name;
    std::string description;
    std::string verdict;  // "conforms", "deviates", "inconclusive"
    std::vector<std::string> rules;
    std::size_t line = 0;  // the wire log's line of the finding (0: none)
    std::string message;
    std::string wire_log;
    std::string explain;  // validate's transcript of it
    std::size_t elements_read = 0, elements_written = 0;
    std::optional<std::size_t> order_steps;  // with an order: its steps, and how many were taken, skipped
    std::size_t order_taken = 0, order_skipped = 0;
    model::RowCoverage rows;  // the rows of the played servers' machines it took with the live server
    // Judged as it came (probe/judge.hpp): the line of the live server's
    // element at which the session stopped (0: it was not stopped), and how
    // many times the exchange so far was judged.
    std::size_t stopped_at = 0;
    std::size_t judged_online = 0;
};

struct ProbeResult {
    std::string topology, live, live_at;
    std::vector<ScenarioResult> scenarios;
    model::RowCoverage rows;  // the union of the scenarios' rows
    // Those the model's orderings take on connections with the live server
    // (probe/model_orders.hpp, reachable_rows): what `rows` could be.
    model::RowCoverage reachable;
    bool reachable_complete = false;  // every ordering searched (else: at least these)
    std::size_t count(const std::string& verdict) const;
    std::string verdict() const;  // "deviates" if any, else "inconclusive" if any, else "conforms"
};

// The scenarios the probe knows for this topology and server under test.
// Throws std::invalid_argument (one line) when the live server is not in the
// topology, or when a played server cannot be played (an attacker; TLS
// without `tls`, the played servers' certificates: ProbeOptions::pki_dir).
// `reachable`, when given and the row scenarios are planned, gets what
// reachable_rows would give for the plan's first scenario (the same search).
std::vector<ScenarioPlan> plan_scenarios(const topologies::Topology& t, const std::string& live, bool tls,
                                         const PlanOptions& options = {},
                                         std::optional<ReachableRows>* reachable = nullptr);

// Runs them (those named in options.scenarios, in plan order). Throws
// std::invalid_argument for an unknown scenario name or listen entry, and
// std::runtime_error when a listening address cannot be bound.
ProbeResult run_probe(const topologies::Topology& t, const ProbeOptions& options);

// probe_report.cpp
nlohmann::json probe_json(const ProbeResult& r);
std::string probe_text(const ProbeResult& r, bool explain);
// "probe: N scenarios, C conform, D deviate, I inconclusive"
std::string probe_summary_line(const ProbeResult& r);

}  // namespace bidilab::probe
