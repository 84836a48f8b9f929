// sim/property.hpp — named properties over a transition system's states.
//
//   always      holds in every reachable state (an invariant)
//   sometimes   holds in at least one reachable state (a witness is shown)
//   eventually  on every path from an initial state, some state satisfies it;
//               decided on the explored graph, so a path that loops forever
//               without reaching it (a lasso) is a violation too
//   step        holds for every transition (before, action, after)
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace sim {

enum class Kind { Always, Sometimes, Eventually, Step, Deadlock };

inline const char* to_string(Kind k) {
    switch (k) {
        case Kind::Always: return "always";
        case Kind::Sometimes: return "sometimes";
        case Kind::Eventually: return "eventually";
        case Kind::Step: return "step";
        case Kind::Deadlock: return "deadlock";
    }
    return "?";
}

template <class M>
struct Property {
    using State = typename M::State;
    using Action = typename M::Action;

    std::string name;
    Kind kind = Kind::Always;
    std::vector<std::string> rules;  // the normative rules the property cites
    std::function<bool(const M&, const State&)> holds;
    std::function<bool(const M&, const State&, const Action&, const State&)> step_holds;
};

template <class M, class F>
Property<M> always(std::string name, std::vector<std::string> rules, F f) {
    return {std::move(name), Kind::Always, std::move(rules), std::move(f), {}};
}

template <class M, class F>
Property<M> sometimes(std::string name, std::vector<std::string> rules, F f) {
    return {std::move(name), Kind::Sometimes, std::move(rules), std::move(f), {}};
}

template <class M, class F>
Property<M> eventually(std::string name, std::vector<std::string> rules, F f) {
    return {std::move(name), Kind::Eventually, std::move(rules), std::move(f), {}};
}

template <class M, class F>
Property<M> step(std::string name, std::vector<std::string> rules, F f) {
    return {std::move(name), Kind::Step, std::move(rules), {}, std::move(f)};
}

}  // namespace sim
