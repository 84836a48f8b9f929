// sim/schedule.hpp — a schedule: one ordering of a model written as the
// one-line descriptions of its actions (M::describe), one per step. Each entry
// must name an action enabled in the state the previous entries led to; the
// result is the same index trace the explorer and the simulator produce, so
// replay() shows it like any other trace.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "sim/trace.hpp"

namespace sim {

// An entry that names no enabled action. `index` is the entry's position in
// the schedule (0-based); `enabled` lists what could have been taken instead,
// in the model's order.
class ScheduleError : public std::runtime_error {
public:
    ScheduleError(std::size_t index, std::string entry, std::vector<std::string> enabled)
        : std::runtime_error(message(index, entry, enabled)),
          index_(index),
          entry_(std::move(entry)),
          enabled_(std::move(enabled)) {}

    std::size_t index() const { return index_; }
    const std::string& entry() const { return entry_; }
    const std::vector<std::string>& enabled() const { return enabled_; }

    // "'ENTRY' matches no enabled action; enabled: 'A', 'B'" (or "none is enabled").
    static std::string reason(const std::string& entry, const std::vector<std::string>& enabled) {
        std::string out = "'" + entry + "' matches no enabled action; ";
        if (enabled.empty()) return out + "none is enabled (the run has ended)";
        out += "enabled: ";
        for (std::size_t i = 0; i < enabled.size(); ++i) out += (i ? ", '" : "'") + enabled[i] + "'";
        return out;
    }

private:
    static std::string message(std::size_t index, const std::string& entry, const std::vector<std::string>& enabled) {
        return "schedule entry " + std::to_string(index) + ": " + reason(entry, enabled);
    }

    std::size_t index_;
    std::string entry_;
    std::vector<std::string> enabled_;
};

// The trace that takes, from initial state `initial`, the action each entry
// describes, in order. An entry equal to the descriptions of several enabled
// actions takes the first of them. Throws ScheduleError for an entry that
// matches none (actions whose next_state is empty do not count as enabled),
// std::runtime_error for a missing initial state.
template <class M>
Trace schedule_trace(const M& model, const std::vector<std::string>& entries, std::uint32_t initial = 0) {
    auto inits = model.initial_states();
    if (initial >= inits.size()) throw std::runtime_error("schedule: no initial state #" + std::to_string(initial));
    Trace trace;
    trace.initial = initial;
    typename M::State state = inits[initial];
    std::vector<typename M::Action> enabled;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        enabled.clear();
        model.actions(state, enabled);
        bool taken = false;
        for (std::uint32_t a = 0; a < enabled.size() && !taken; ++a) {
            if (model.describe(enabled[a]) != entries[i]) continue;
            auto next = model.next_state(state, enabled[a]);
            if (!next) continue;
            trace.actions.push_back(a);
            state = std::move(*next);
            taken = true;
        }
        if (!taken) {
            std::vector<std::string> names;
            for (const auto& a : enabled)
                if (model.next_state(state, a)) names.push_back(model.describe(a));
            throw ScheduleError(i, entries[i], std::move(names));
        }
    }
    return trace;
}

}  // namespace sim
