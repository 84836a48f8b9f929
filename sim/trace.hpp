// sim/trace.hpp — a path through the state space, kept as indices only:
// which initial state, then at each step the index of the action taken among
// the actions enabled there (in the model's stable order). A lasso also
// names the step at which its final state's loop begins.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace sim {

struct Trace {
    std::uint32_t initial = 0;
    std::vector<std::uint32_t> actions;
    std::optional<std::size_t> loop_start;  // lasso: the last state equals state loop_start

    std::size_t length() const { return actions.size(); }
    bool operator==(const Trace& o) const {
        return initial == o.initial && actions == o.actions && loop_start == o.loop_start;
    }
    bool operator!=(const Trace& o) const { return !(*this == o); }
};

// One replayed step: the action taken and the state it led to.
template <class M>
struct Step {
    typename M::Action action;
    typename M::State state;
};

template <class M>
struct Replay {
    typename M::State initial;
    std::vector<Step<M>> steps;
};

// Rebuilds the states of a trace with the model's own step function. Throws
// std::runtime_error if the trace does not fit the model (wrong index, or an
// action the model no longer enables).
template <class M>
Replay<M> replay(const M& model, const Trace& trace) {
    auto inits = model.initial_states();
    if (trace.initial >= inits.size()) throw std::runtime_error("trace: no initial state #" + std::to_string(trace.initial));
    Replay<M> r{inits[trace.initial], {}};
    std::vector<typename M::Action> enabled;
    const typename M::State* current = &r.initial;
    for (std::size_t i = 0; i < trace.actions.size(); ++i) {
        enabled.clear();
        model.actions(*current, enabled);
        std::uint32_t a = trace.actions[i];
        if (a >= enabled.size())
            throw std::runtime_error("trace: step " + std::to_string(i + 1) + " names action #" + std::to_string(a) +
                                     " but only " + std::to_string(enabled.size()) + " are enabled");
        auto next = model.next_state(*current, enabled[a]);
        if (!next) throw std::runtime_error("trace: step " + std::to_string(i + 1) + ": action is disabled");
        r.steps.push_back(Step<M>{enabled[a], std::move(*next)});
        current = &r.steps.back().state;
    }
    return r;
}

}  // namespace sim
