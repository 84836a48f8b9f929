// sim/transition_system.hpp — the contract between a model and the explorer.
//
// A transition system M provides:
//   using State = ...;   using Action = ...;        // regular values
//   std::vector<State> initial_states() const;
//   void actions(const State&, std::vector<Action>& out) const;      // appends, stable order
//   std::optional<State> next_state(const State&, const Action&) const;  // nullopt: disabled
//   std::vector<sim::Property<M>> properties() const;
//   std::string describe(const Action&) const;                        // one line
// and may provide:
//   bool is_final(const State&) const;     // a state without successors that is no deadlock
//   std::vector<std::string> deadlock_rules() const;  // the rules "no deadlock" cites
// States are fingerprinted as sim/fingerprint.hpp says. Everything must be
// deterministic: the same state gives the same actions in the same order.
#pragma once

#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace sim {

namespace detail {
template <class M, class = void>
struct has_is_final : std::false_type {};
template <class M>
struct has_is_final<M, std::void_t<decltype(std::declval<const M&>().is_final(
                           std::declval<const typename M::State&>()))>> : std::true_type {};

template <class M, class = void>
struct has_deadlock_rules : std::false_type {};
template <class M>
struct has_deadlock_rules<M, std::void_t<decltype(std::declval<const M&>().deadlock_rules())>> : std::true_type {};
}  // namespace detail

template <class M>
bool is_final(const M& m, const typename M::State& s) {
    if constexpr (detail::has_is_final<M>::value) return m.is_final(s);
    else return false;
}

template <class M>
std::vector<std::string> deadlock_rules(const M& m) {
    if constexpr (detail::has_deadlock_rules<M>::value) return m.deadlock_rules();
    else return {};
}

}  // namespace sim
