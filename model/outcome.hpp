// model/outcome.hpp — what happened to one delivered element.
#pragma once

#include <cstdint>
#include <string>

#include "model/element.hpp"

namespace bidilab::model {

enum class Verdict : std::uint8_t {
    Handled,         // a row fired
    NoTransition,    // no row for this element in the current state
    GuardsRejected,  // rows exist, every guard said no
    AfterClose,      // the stream is closed; the element is discarded (CORE-19 race)
};
const char* verdict_name(Verdict v);

// A violation leaves the machine unchanged and emits nothing; the global model
// decides what follows (typically abort(outcome.condition), CORE-23). For a
// local command (is_local_command) it means "not allowed now": a bug of the
// caller, not of the peer, and `condition` is None.
struct Outcome {
    Verdict verdict = Verdict::Handled;
    ElementKind element = ElementKind::StreamClose;
    Condition condition = Condition::None;  // the stream error that answers a violation
    const char* state = "";                 // state name at delivery
    const char* rules = "";                 // rule IDs the element breaks here
    std::int16_t row = -1;                  // handled: the row that fired, in table order

    bool handled() const { return verdict == Verdict::Handled; }
    bool violation() const {
        return verdict == Verdict::NoTransition || verdict == Verdict::GuardsRejected;
    }
    // e.g. "violation (no row): Stanza in AwaitingFeatures -> not-authorized [CORE-10, CORE-54]"
    std::string describe() const;
};

}  // namespace bidilab::model
