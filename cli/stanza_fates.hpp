// cli/stanza_fates.hpp — the answer a check's user asked for: what became of
// each stanza over every final state the run reached (delivered, bounced
// with its condition, lost), and which fate holds in all of them. Taken
// from the report's outcomes (final states counted by outcome), which
// partial-order reduction keeps exactly.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/xmpp_model.hpp"
#include "sim/report.hpp"

namespace bidilab::cli {

struct StanzaFates {
    std::size_t stanza = 0;
    std::vector<std::pair<std::string, std::uint64_t>> fates;  // fate, final states; most first
    std::uint64_t final_states = 0;
};

std::vector<StanzaFates> stanza_fates(const sim::Report& r);

// "stanzas over the 18 final states:", then per stanza
// "  #0 juliet@capulet.lit/balcony → montague.lit: delivered in every one"
// or "...: delivered in 12, bounced (remote-server-timeout) in 6". None
// without final states.
std::vector<std::string> stanza_fate_lines(const model::XmppModel& m, const sim::Report& r);
// [{stanza, from, to, final_states, fates: {fate: count}, always: fate or null}]
nlohmann::json stanza_fates_json(const model::XmppModel& m, const sim::Report& r);

}  // namespace bidilab::cli
