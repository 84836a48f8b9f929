#include "model/outcome.hpp"

namespace bidilab::model {

const char* verdict_name(Verdict v) {
    switch (v) {
        case Verdict::Handled: return "handled";
        case Verdict::NoTransition: return "no row";
        case Verdict::GuardsRejected: return "guards rejected";
        case Verdict::AfterClose: return "after close";
    }
    return "?";
}

std::string Outcome::describe() const {
    std::string s = std::string(kind_name(element)) + " in " + state;
    if (verdict == Verdict::Handled) return "handled: " + s;
    if (verdict == Verdict::AfterClose) return "discarded after close: " + s;
    s = std::string(is_local_command(element) ? "refused (" : "violation (") + verdict_name(verdict) + "): " + s;
    if (condition != Condition::None) s += std::string(" -> ") + condition_name(condition);
    if (*rules) s += std::string(" [") + rules + "]";
    return s;
}

}  // namespace bidilab::model
