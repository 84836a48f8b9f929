// cli/blame.hpp — the element a violated step property blames at the end of
// its trace (properties/step_view.hpp), for transcripts and charts.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "properties/catalogue.hpp"
#include "sim/report.hpp"
#include "viz/transcript.hpp"

namespace bidilab::cli {

inline std::optional<viz::Blame> blame_of(const properties::CheckedModel& m, const std::vector<viz::TranscriptStep>& steps,
                                          const sim::PropertyResult& p) {
    if (p.kind != sim::Kind::Step || p.status != sim::Status::Violated || steps.empty()) return std::nullopt;
    const viz::TranscriptStep& last = steps.back();
    const std::optional<int> element = m.blamed(p.name, last.before, last.action, last.after);
    if (!element) return std::nullopt;
    std::string rules;
    for (const auto& r : p.rules) rules += (rules.empty() ? "" : ", ") + r;
    return viz::Blame{steps.size() - 1, *element, p.name + " (" + rules + ")"};
}

}  // namespace bidilab::cli
