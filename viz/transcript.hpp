// viz/transcript.hpp — a trace as the XEPs print their examples: each element
// as XML, marked with its connection and direction (I1: the initiating end of
// connection 1, R1: its receiving end), one comment caption per step, keys
// symbolic, non-wire events as comments.
#pragma once

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

std::string transcript_text(const model::XmppModel& m, const std::vector<TranscriptStep>& steps);
// Plain data: [{step, action, connection, direction, xml, endpoints}].
nlohmann::json transcript_json(const model::XmppModel& m, const std::vector<TranscriptStep>& steps);

// One line per connection: "I1 capulet.lit→montague.lit Established | R1 Established".
std::string endpoint_states(const model::XmppModel& m, const model::World& w);

}  // namespace bidilab::viz
