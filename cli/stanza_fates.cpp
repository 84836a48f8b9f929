#include "cli/stanza_fates.hpp"

#include <algorithm>
#include <map>

namespace bidilab::cli {

std::vector<StanzaFates> stanza_fates(const sim::Report& r) {
    std::vector<std::map<std::string, std::uint64_t>> by_stanza;
    std::uint64_t total = 0;
    for (const auto& [outcome, n] : r.outcomes) {
        total += n;
        const auto fates = model::XmppModel::fates_of(outcome);
        if (by_stanza.size() < fates.size()) by_stanza.resize(fates.size());
        for (std::size_t k = 0; k < fates.size(); ++k) by_stanza[k][fates[k]] += n;
    }
    std::vector<StanzaFates> out;
    for (std::size_t k = 0; k < by_stanza.size(); ++k) {
        StanzaFates s{k, {by_stanza[k].begin(), by_stanza[k].end()}, total};
        std::stable_sort(s.fates.begin(), s.fates.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
        out.push_back(std::move(s));
    }
    return out;
}

namespace {
std::string subject(const model::XmppModel& m, std::size_t k) {
    const auto& stanzas = m.scenario().stanzas;
    if (k >= stanzas.size()) return "#" + std::to_string(k);
    return "#" + std::to_string(k) + " " + stanzas[k].from_jid + " → " + stanzas[k].to_jid;
}
}  // namespace

std::vector<std::string> stanza_fate_lines(const model::XmppModel& m, const sim::Report& r) {
    const auto all = stanza_fates(r);
    if (all.empty()) return {};
    const std::uint64_t total = all.front().final_states;
    std::vector<std::string> lines{"stanzas over the " + std::to_string(total) + " final state" +
                                   (total == 1 ? "" : "s") + (r.complete ? "" : " reached (the run is incomplete)") + ":"};
    for (const auto& s : all) {
        std::string line = "  " + subject(m, s.stanza) + ": ";
        if (s.fates.size() == 1) {
            line += s.fates.front().first + " in every one";
        } else {
            for (std::size_t i = 0; i < s.fates.size(); ++i)
                line += (i ? ", " : "") + s.fates[i].first + " in " + std::to_string(s.fates[i].second);
        }
        lines.push_back(line);
    }
    return lines;
}

nlohmann::json stanza_fates_json(const model::XmppModel& m, const sim::Report& r) {
    nlohmann::json out = nlohmann::json::array();
    const auto& stanzas = m.scenario().stanzas;
    for (const auto& s : stanza_fates(r)) {
        nlohmann::json fates = nlohmann::json::object();
        for (const auto& [fate, n] : s.fates) fates[fate] = n;
        nlohmann::json j = {{"stanza", s.stanza},
                            {"final_states", s.final_states},
                            {"fates", fates},
                            {"always", s.fates.size() == 1 ? nlohmann::json(s.fates.front().first) : nlohmann::json(nullptr)}};
        if (s.stanza < stanzas.size()) {
            j["from"] = stanzas[s.stanza].from_jid;
            j["to"] = stanzas[s.stanza].to_jid;
        }
        out.push_back(std::move(j));
    }
    return out;
}

}  // namespace bidilab::cli
