// sim/por.hpp — partial-order reduction by ample sets, for any model that
// says, per enabled action, which component (process) it belongs to and
// whether it is safe to postpone the others for it.
//
// A model that wants the reduction provides
//   sim::Footprint footprint(const State&, const Action&) const;
// with, for the action at that state:
//   component  the process it is a step of (a connection end, a server, ...);
//   local      everything it reads or writes (its enabling condition
//              included) is touched by no action of another component, now
//              or in any later state, and the same holds for every action its
//              component could take from this state before it moves, enabled
//              now or not: it commutes with every step of every other
//              component, and no other component can enable, disable or
//              bring forward a step of its component;
//   visible    it may change what a property reads (a state property's
//              value, a step property's verdict, a final or deadlock state).
// The explorer then expands, at each state, the enabled actions of one
// component instead of all of them (an ample set) when
//   C0  that set is not empty;
//   C1  all its actions are local: no action outside it, in any continuation,
//       depends on one of them before one of them has been taken (others
//       commute with them; the component's own disabled actions stay
//       disabled until it moves);
//   C2  none of them is visible;
//   C3  none of its successors has been visited before at the state's own
//       level or an earlier one, breadth-first (depth-first: visited at all);
//       otherwise the state is expanded in full. Breadth-first, on every
//       cycle of the reduced graph the state of the greatest level has its
//       cycle successor at that level or an earlier one, found before it is
//       expanded (levels are expanded in order): so every cycle passes
//       through a fully expanded state, and no action is postponed forever
//       (the BFS proviso of Bosnacki and Holzmann, "Improving SPIN's
//       partial-order reduction for breadth-first search", SPIN 2005). A
//       successor found earlier at the next level closes no cycle and asks
//       for nothing. Depth-first, the closed-set proviso: a cycle closes on
//       a visited state.
// With C0-C3 every path of the full graph has a path of the reduced one that
// shows the same visible changes in the same order (stuttering equivalence,
// Peled 1994; Clarke, Grumberg, Peled, "Model Checking", ch. 10), so
// `always`, `step`, `sometimes` (a state where the property holds is reached
// on a path iff on its equivalent), `eventually` (every path reaches a goal
// iff every reduced one does; goal changes are visible) and deadlock (C0:
// a state keeps a successor iff it had one) have the same verdicts. The
// choice among candidate components is the first in component order:
// deterministic. Traces stay real paths of the model; they need not be the
// shortest of the full graph.
#pragma once

#include <cstdint>
#include <type_traits>
#include <utility>
#include <vector>

namespace sim {

struct Footprint {
    std::uint32_t component = 0;
    bool local = false;
    bool visible = true;
};

namespace detail {
template <class M, class = void>
struct has_footprint : std::false_type {};
template <class M>
struct has_footprint<M, std::void_t<decltype(std::declval<const M&>().footprint(
                            std::declval<const typename M::State&>(), std::declval<const typename M::Action&>()))>>
    : std::true_type {};
}  // namespace detail

template <class M>
constexpr bool has_footprint_v = detail::has_footprint<M>::value;

// A model may also say an action's component alone, cheaply:
//   std::uint32_t component(const State&, const Action&) const;
// (the same as footprint().component). The footprints of one candidate
// component are then taken at a time, in component order, stopping at the
// first that qualifies: a model whose footprint is costly pays for few. And
// a model that judges a step by its result may take it given:
//   Footprint footprint(const State& s, const Action& a, const State& next) const;
// (next: the successor by a): the explorer then computes a successor when a
// footprint asks for it or the ample set takes it, and the others only if C3
// takes them after all. Every enabled action of such a model must have a
// successor (the explorer throws std::logic_error otherwise).
namespace detail {
template <class M, class = void>
struct has_component : std::false_type {};
template <class M>
struct has_component<M, std::void_t<decltype(std::declval<const M&>().component(
                            std::declval<const typename M::State&>(), std::declval<const typename M::Action&>()))>>
    : std::true_type {};
template <class M, class = void>
struct has_footprint_of_result : std::false_type {};
template <class M>
struct has_footprint_of_result<M, std::void_t<decltype(std::declval<const M&>().footprint(
                                      std::declval<const typename M::State&>(), std::declval<const typename M::Action&>(),
                                      std::declval<const typename M::State&>()))>> : std::true_type {};
}  // namespace detail

template <class M>
constexpr bool has_component_v = detail::has_component<M>::value;
template <class M>
constexpr bool has_footprint_of_result_v = detail::has_component<M>::value && detail::has_footprint_of_result<M>::value;

// The ample set among n enabled actions, by components[i] (each action's
// component) and footprint_of(i) (its full footprint, asked only for the
// candidates): the enabled actions of the first component, in component
// order, whose actions are all local and invisible and which are not all
// the enabled actions (C0-C2); all of them when none qualifies.
template <class FootprintOf>
void ample_set_by(const std::vector<std::uint32_t>& components, FootprintOf footprint_of,
                  std::vector<std::uint32_t>& out) {
    out.clear();
    const std::uint32_t n = static_cast<std::uint32_t>(components.size());
    std::uint32_t last = 0;
    bool first = true;
    for (;;) {  // candidate components in ascending order
        bool found = false;
        std::uint32_t c = 0;
        for (std::uint32_t x : components)
            if ((first || x > last) && (!found || x < c)) c = x, found = true;
        if (!found) break;
        first = false;
        last = c;
        bool ok = true, other = false;
        for (std::uint32_t i = 0; i < n; ++i) {
            if (components[i] != c) {
                other = true;
                continue;
            }
            if (!ok) continue;
            const Footprint f = footprint_of(i);
            ok = f.local && !f.visible;
        }
        if (!other) break;  // the only component: nothing to postpone
        if (!ok) continue;
        for (std::uint32_t i = 0; i < n; ++i)
            if (components[i] == c) out.push_back(i);
        return;
    }
    for (std::uint32_t i = 0; i < n; ++i) out.push_back(i);
}

// The ample set at s among `enabled` (indices into it), or all of them when
// no component qualifies (C0-C2; C3 is the explorer's, after the inserts).
// `components` is scratch space, kept between calls.
template <class M>
void ample_set(const M& m, const typename M::State& s, const std::vector<typename M::Action>& enabled,
               std::vector<std::uint32_t>& components, std::vector<std::uint32_t>& out) {
    components.clear();
    if constexpr (has_component_v<M>) {
        for (const auto& a : enabled) components.push_back(m.component(s, a));
        ample_set_by(components, [&](std::uint32_t i) { return m.footprint(s, enabled[i]); }, out);
    } else {
        std::vector<Footprint> footprints;
        for (const auto& a : enabled) footprints.push_back(m.footprint(s, a));
        for (const auto& f : footprints) components.push_back(f.component);
        ample_set_by(components, [&](std::uint32_t i) { return footprints[i]; }, out);
    }
}

}  // namespace sim
