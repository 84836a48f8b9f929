// viz/explorer_page.hpp — a topology's whole state space as one self-contained
// HTML page to step through by hand, as Stateright's Explorer does: from the
// initial state, the enabled actions as buttons; per state every connection's
// endpoints (machine states, TLS/bidi/SASL, authorized pairs, the FIFOs as
// XML), each stanza's fate and the properties that hold or fail there; per
// step the XML it moved; the traces of a check run to jump to. The path taken
// is kept in the URL (#path=0.3.1: the initial state, then the index of each
// action among those enabled), so a step can be shared and a reload restores
// it. Everything (data, script, style) is inline: the page needs no network.
//
// States are explored EXACTLY, without the explorer's symmetry reduction
// (sim/, model/world.hpp: worlds equal up to renaming stream ids and
// connection numbers share a fingerprint there), so that the stream ids and
// connection numbers a state shows are the ones its path produced.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/xmpp_model.hpp"
#include "sim/property.hpp"
#include "sim/trace.hpp"

namespace bidilab::viz {

// A property as the page shows it: evaluated on every state (always,
// sometimes, eventually: `holds`) or on every step (step: `step_holds`), with
// what the check run found and its trace (a counterexample or a witness).
struct PageProperty {
    std::string name;
    sim::Kind kind = sim::Kind::Always;
    std::vector<std::string> rules;
    std::vector<std::string> rule_texts;  // each rule's sentence, shown over its ID ("" when unknown)
    std::function<bool(const model::World&)> holds;
    std::function<bool(const model::World&, const model::Action&, const model::World&)> step_holds;
    std::string status;              // "holds", "violated", "witnessed", "not witnessed", "unknown"
    std::optional<sim::Trace> trace;
};

// What the check run done for the page found, for its header.
struct PageCheck {
    std::string verdict;        // "pass", "fail", "incomplete"
    std::uint64_t states = 0;   // up to symmetry, as `bidilab check` counts them
    std::uint64_t transitions = 0;
};

// More states than the page may hold.
struct ExplorerTooLarge : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Explores every state reachable from the initial ones (exactly, see above)
// and returns the page's data; strings, connection views and moves that recur
// are stored once and named by their index:
//   format       1
//   topology     {name, description, servers[{name, domains}], stanzas[{name, from, to}]}
//   check        {verdict, states, transitions} of the check run
//   properties   [{name, kind, rules, rule_texts, status, path (a page path or null), loop}]
//   texts        [string]
//   conns        [{n, initiator, receiver, I, R, ir, ri}]   (parts; ir: I→R, ri: R→I)
//   parts        the ends, [{name, state, flags, stream, header, features, cert,
//                 verifies (I), authz (R)}], and the directions, [{fifo[text],
//                 pairs[{pair, send, accept}], dialback[string]}]
//   moves        [[action, label, direction, xml, caption]]   (texts)
//   initial      [state]
//   states       [{c[conn], s[text: each stanza's fate], n[text: notes], f[always
//                 property failing], h[sometimes/eventually property holding],
//                 end: "final"|"deadlock", e[[move, target state, [step property
//                 broken]?]]}]  (optional keys are left out when empty)
//   transitions  the number of edges
// Throws ExplorerTooLarge past max_states states. The same input gives the
// same JSON.
nlohmann::json explorer_data(const model::XmppModel& m, const std::string& description,
                             const std::vector<PageProperty>& properties, const PageCheck& check,
                             std::uint64_t max_states);

// A trace (indices into all of model.actions()) as a page path: the initial
// state, then each step's index among the actions enabled there (those whose
// next_state exists), as the page numbers its buttons.
std::vector<std::uint32_t> page_path(const model::XmppModel& m, const sim::Trace& t);

// The page: the data inline as JSON, with the page's own script and style.
std::string explorer_page(const nlohmann::json& data);

}  // namespace bidilab::viz
