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
//   std::vector<std::string> reductions() const;      // what the model merges (reports say it)
//   bool next_state(const State&, const Action&, State& out) const;
//                 // the successor written into `out` (false: disabled), reusing its buffers
//   void begin_step(const State& before, const Action&, const State& after) const;
//   void end_step() const;  // the transition whose step properties are checked in between
//                           // (StepScope below): a model may compute what they share once
//   std::string outcome(const State&) const;  // a final state's outcome in words: the
//                           // report counts the final states of each (Report::outcomes)
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
struct has_step_hooks : std::false_type {};
template <class M>
struct has_step_hooks<M, std::void_t<decltype(std::declval<const M&>().begin_step(
                                         std::declval<const typename M::State&>(),
                                         std::declval<const typename M::Action&>(),
                                         std::declval<const typename M::State&>())),
                                     decltype(std::declval<const M&>().end_step())>> : std::true_type {};

template <class M, class = void>
struct has_deadlock_rules : std::false_type {};
template <class M>
struct has_deadlock_rules<M, std::void_t<decltype(std::declval<const M&>().deadlock_rules())>> : std::true_type {};

template <class M, class = void>
struct has_next_state_into : std::false_type {};
template <class M>
struct has_next_state_into<M, std::void_t<decltype(std::declval<const M&>().next_state(
                                  std::declval<const typename M::State&>(), std::declval<const typename M::Action&>(),
                                  std::declval<typename M::State&>()))>> : std::true_type {};

template <class M, class = void>
struct has_outcome : std::false_type {};
template <class M>
struct has_outcome<M, std::void_t<decltype(std::declval<const M&>().outcome(std::declval<const typename M::State&>()))>>
    : std::true_type {};

template <class M, class = void>
struct has_reductions : std::false_type {};
template <class M>
struct has_reductions<M, std::void_t<decltype(std::declval<const M&>().reductions())>> : std::true_type {};
}  // namespace detail

// The successor of s by a, written into out; false when a is disabled.
template <class M>
bool next_state_into(const M& m, const typename M::State& s, const typename M::Action& a, typename M::State& out) {
    if constexpr (detail::has_next_state_into<M>::value) {
        return m.next_state(s, a, out);
    } else {
        auto next = m.next_state(s, a);
        if (!next) return false;
        out = std::move(*next);
        return true;
    }
}

template <class M>
std::vector<std::string> model_reductions(const M& m) {
    if constexpr (detail::has_reductions<M>::value) return m.reductions();
    else return {};
}

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

// Brackets the step properties of one transition: while it lives, the
// three objects stay alive and unchanged, so a model's begin_step may let its
// step properties share one analysis of them; end_step drops it.
template <class M>
class StepScope {
public:
    StepScope(const M& m, const typename M::State& before, const typename M::Action& a,
              const typename M::State& after)
        : m_(m) {
        if constexpr (detail::has_step_hooks<M>::value) m.begin_step(before, a, after);
    }
    ~StepScope() {
        if constexpr (detail::has_step_hooks<M>::value) m_.end_step();
    }
    StepScope(const StepScope&) = delete;
    StepScope& operator=(const StepScope&) = delete;

private:
    const M& m_;
};

}  // namespace sim
