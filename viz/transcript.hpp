// viz/transcript.hpp — a trace as the XEPs print their examples: each element
// as XML, marked with its connection and direction (I1: the initiating end of
// connection 1, R1: its receiving end), one comment caption per step, keys
// symbolic, non-wire events as comments; under each step, indented, every
// element it wrote ("wrote I1 → R1: ..."), the one a violated step property
// blames marked "<!-- ✗ violates ... -->".
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/xmpp_model.hpp"

namespace bidilab::viz {

struct TranscriptStep {
    model::Action action;
    model::World before;
    model::World after;
};

// The steps of a replayed trace: (action, state before, state after).
std::vector<TranscriptStep> transcript_steps(const model::World& initial,
                                             const std::vector<std::pair<model::Action, model::World>>& steps);

// The element a violated step property blamed (properties/step_view.hpp):
// in steps[step], written[element] of that step, or the element read (-1).
struct Blame {
    std::size_t step = 0;
    int element = -1;
    std::string property;  // "bidi-only-after-tls (BIDI-3, CORE-27)"
};

// Each step: its caption, the element read (or the event), then every
// element the step wrote, indented ("wrote I1 → R1: ..."); the blamed one
// marked "<!-- ✗ violates PROPERTY -->".
std::string transcript_text(const model::XmppModel& m, const std::vector<TranscriptStep>& steps,
                            const std::optional<Blame>& blame = std::nullopt);
// Plain data: [{step, action, connection, direction, xml, caption, endpoints,
// wrote[{connection, direction, xml, violates?}], violates?}] (a step's own
// `violates`: the element it read broke the property).
nlohmann::json transcript_json(const model::XmppModel& m, const std::vector<TranscriptStep>& steps,
                               const std::optional<Blame>& blame = std::nullopt);

// The router's steps the step's action led to (model/router_step.hpp), in
// the order taken: its "then" lines (the action's own step left out).
std::vector<model::RouterStep> router_steps(const model::XmppModel& m, const TranscriptStep& s);

// One line per connection: "I1 capulet.lit→montague.lit Established | R1 Established".
std::string endpoint_states(const model::XmppModel& m, const model::World& w);

}  // namespace bidilab::viz
