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
//   C3  none of its successors has been visited before (the closed-set
//       proviso: otherwise the state is expanded in full). Every cycle of
//       the reduced graph closes on a visited state, so it passes through a
//       fully expanded one, and no action is postponed forever.
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

// The ample set at s among `enabled` (indices into it), or all of them when
// no component qualifies (C0-C2; C3 is the explorer's, after the inserts).
// `footprints` is scratch space, kept between calls.
template <class M>
void ample_set(const M& m, const typename M::State& s, const std::vector<typename M::Action>& enabled,
               std::vector<Footprint>& footprints, std::vector<std::uint32_t>& out) {
    out.clear();
    footprints.clear();
    for (const auto& a : enabled) footprints.push_back(m.footprint(s, a));
    bool found = false;
    std::uint32_t best = 0;
    for (std::uint32_t i = 0; i < enabled.size(); ++i) {
        const std::uint32_t c = footprints[i].component;
        if (found && c >= best) continue;
        bool ok = true;  // every enabled action of c local and invisible, and not all enabled actions
        bool other = false;
        for (std::uint32_t j = 0; j < enabled.size() && ok; ++j) {
            if (footprints[j].component != c) other = true;
            else ok = footprints[j].local && !footprints[j].visible;
        }
        if (ok && other) {
            found = true;
            best = c;
        }
    }
    for (std::uint32_t i = 0; i < enabled.size(); ++i)
        if (!found || footprints[i].component == best) out.push_back(i);
}

}  // namespace sim
