// model/fsm/msm_support.hpp — shared plumbing for the Boost.MSM machines.
// Included only by the machine .cpp files in this folder (compile cost: each
// machine is its own translation unit and nothing else sees Boost.MSM).
//
// - Ev<K>: the MSM event for element kind K (a reference to the Element).
// - Guard<G, Data>, Action<A, Data>: functor bases; a guard is a predicate
//   `static bool test(const Element&, const Data&, const Context&)`, an action
//   a verb `static void run(const Element&, Data&, Context&)`. A guard that
//   passes records its row's index in Context::fired_row.
// - rows_of<Machine>(): the table as TransitionRow data via mpl::for_each.
// - Engine<Machine>: one started machine per thread; restore / read back.
// - deliver_to_value: one element through a machine value; the Outcome names
//   the row that fired (Outcome::row, for `bidilab check --coverage`).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <type_traits>
#include <typeinfo>
#include <vector>

#include <boost/core/demangle.hpp>
#include <boost/mpl/begin_end.hpp>
#include <boost/mpl/count_if.hpp>
#include <boost/mpl/distance.hpp>
#include <boost/mpl/find_if.hpp>
#include <boost/mpl/for_each.hpp>
#include <boost/msm/back/state_machine.hpp>
#include <boost/msm/front/functor_row.hpp>
#include <boost/msm/front/state_machine_def.hpp>
#include <boost/type_traits/add_pointer.hpp>

#include "model/context.hpp"
#include "model/element.hpp"
#include "model/outcome.hpp"
#include "model/transition_row.hpp"

namespace bidilab::model::fsm {

namespace msmf = boost::msm::front;

template <ElementKind K>
struct Ev {
    static constexpr ElementKind kind = K;
    const Element& e;
};

// CORE-17 (RFC 6120 §4.7.5): a stream header as a 0.9 server writes it, and
// as anyone answers one: without the 'version' attribute.
inline Element without_version(Element header) {
    header.flags |= Element::kNoVersion;
    return header;
}

// DB-33 (XEP-0220 §2.4.1): a header declares xmlns:db when its writer does
// dialback.
inline Element declared(Element header, const ServerPolicy& p) {
    if (!p.dialback) header.flags |= Element::kNoDialbackNs;
    return header;
}

// ------------------------------------------------------------------ rows
// Matches the rows of a table with source S, event E, target T and guard G.
template <class S, class E, class T, class G>
struct IsRow {
    template <class R>
    struct apply
        : std::bool_constant<std::is_same_v<typename R::Source, S> && std::is_same_v<typename R::Evt, E> &&
                             std::is_same_v<typename R::Target, T> && std::is_same_v<typename R::Guard, G>> {};
};

// The index, in table order, of THE row (S, E, T, G) of Table. Source, event,
// target and guard name a row: no table may hold two rows that share them.
template <class Table, class S, class E, class T, class G>
constexpr int row_index() {
    using Match = IsRow<S, E, T, G>;
    static_assert(boost::mpl::count_if<Table, Match>::value == 1,
                  "two rows share source, event, target and guard: a fired row could not be named");
    using First = typename boost::mpl::begin<Table>::type;
    using Found = typename boost::mpl::find_if<Table, Match>::type;
    return boost::mpl::distance<First, Found>::value;
}

// ------------------------------------------------------------------ functors
template <class G, class Data>
struct Guard {
    // MSM fires the row of the first guard that passes and asks no other,
    // so that guard names the row (rows without one: deliver_to_value).
    template <class E, class Fsm, class S, class T>
    bool operator()(const E& ev, Fsm& fsm, S&, T&) const {
        if (!G::test(ev.e, fsm.data, *fsm.ctx)) return false;
        fsm.ctx->fired_row = row_index<typename Fsm::transition_table, S, E, T, G>();
        return true;
    }
};

template <class A, class Data>
struct Action {
    template <class E, class Fsm, class S, class T>
    void operator()(const E& ev, Fsm& fsm, S&, T&) const {
        A::run(ev.e, fsm.data, *fsm.ctx);
    }
};

// ------------------------------------------------------------------ names
template <class T>
struct NameOf {
    static std::string get() {
        std::string s = boost::core::demangle(typeid(T).name());
        std::size_t cut = s.rfind("::");
        return cut == std::string::npos ? s : s.substr(cut + 2);
    }
};
template <>
struct NameOf<msmf::none> {
    static std::string get() { return "none"; }
};
template <ElementKind K>
struct NameOf<Ev<K>> {
    static std::string get() { return kind_name(K); }
};
template <class Seq>
struct NameOf<msmf::ActionSequence_<Seq>> {
    static std::string get() {
        std::string s;
        boost::mpl::for_each<Seq, boost::add_pointer<boost::mpl::_1>>([&](auto* p) {
            s += (s.empty() ? "" : ", ") + NameOf<std::remove_pointer_t<decltype(p)>>::get();
        });
        return s;
    }
};
template <class T>
std::string name_of() { return NameOf<T>::get(); }

// ------------------------------------------------------------------ tables
template <class Machine, class S>
constexpr int state_id() {
    return boost::msm::back::get_state_id<typename Machine::stt, S>::value;
}

template <class Machine>
std::vector<TransitionRow> rows_of() {
    std::vector<TransitionRow> rows;
    using Table = typename Machine::transition_table;
    boost::mpl::for_each<Table, boost::add_pointer<boost::mpl::_1>>([&](auto* p) {
        using R = std::remove_pointer_t<decltype(p)>;
        rows.push_back({name_of<typename R::Source>(), name_of<typename R::Evt>(),
                        name_of<typename R::Target>(), name_of<typename R::Action>(),
                        name_of<typename R::Guard>()});
    });
    return rows;
}

// State names indexed by MSM id.
template <class Machine, int N>
std::array<std::string, N> state_names() {
    std::array<std::string, N> names;
    using Table = typename Machine::transition_table;
    boost::mpl::for_each<Table, boost::add_pointer<boost::mpl::_1>>([&](auto* p) {
        using R = std::remove_pointer_t<decltype(p)>;
        names[state_id<Machine, typename R::Source>()] = name_of<typename R::Source>();
        names[state_id<Machine, typename R::Target>()] = name_of<typename R::Target>();
    });
    return names;
}

// has_row[state][kind]
template <class Machine, int N>
std::array<std::array<bool, kElementKindCount>, N> rows_by_state() {
    std::array<std::array<bool, kElementKindCount>, N> has{};
    using Table = typename Machine::transition_table;
    boost::mpl::for_each<Table, boost::add_pointer<boost::mpl::_1>>([&](auto* p) {
        using R = std::remove_pointer_t<decltype(p)>;
        has[state_id<Machine, typename R::Source>()][static_cast<int>(R::Evt::kind)] = true;
    });
    return has;
}

// The rows without a guard: unguarded[source][kind][target] is the index of
// the row (source, event of kind, target, none), -1 where there is none.
// Two such rows could not be told apart when one fires
// (tests/model/row_coverage_test.cpp keeps every table free of them).
template <int N>
using UnguardedRows = std::array<std::array<std::array<std::int16_t, N>, kElementKindCount>, N>;

template <class Machine, int N>
UnguardedRows<N> unguarded_rows() {
    UnguardedRows<N> rows;
    for (auto& by_kind : rows)
        for (auto& by_target : by_kind) by_target.fill(-1);
    using Table = typename Machine::transition_table;
    std::int16_t index = 0;
    boost::mpl::for_each<Table, boost::add_pointer<boost::mpl::_1>>([&](auto* p) {
        using R = std::remove_pointer_t<decltype(p)>;
        if constexpr (std::is_same_v<typename R::Guard, msmf::none>) {
            auto& slot = rows[state_id<Machine, typename R::Source>()][static_cast<int>(R::Evt::kind)]
                             [state_id<Machine, typename R::Target>()];
            if (slot < 0) slot = index;
        }
        ++index;
    });
    return rows;
}

// What a machine class answers from its table types, computed once.
template <class Machine, int N>
struct TableFacts {
    static const char* state_name(int s) {
        static const auto names = state_names<Machine, N>();
        return names[s].c_str();
    }
    static const std::vector<TransitionRow>& rows() {
        static const auto rows = rows_of<Machine>();
        return rows;
    }
    static bool has_row(int s, ElementKind k) {
        static const auto table = rows_by_state<Machine, N>();
        return table[s][static_cast<int>(k)];
    }
};

// ------------------------------------------------------------------ engine
// One started back-end per thread. A value is restored by writing its state
// id through current_state() and assigning the data block: O(1), no queue, no
// history, no deferred events to restore.
template <class Machine>
struct Engine {
    Machine m;
    Engine() { m.start(); }
    static Engine& instance() {
        thread_local Engine engine;
        return engine;
    }
    template <class Data>
    void restore(int state, const Data& data, Context* ctx) {
        const_cast<int*>(m.current_state())[0] = state;
        m.data = data;
        m.ctx = ctx;
    }
};

inline Verdict verdict_of(boost::msm::back::HandledEnum r) {
    if (r == boost::msm::back::HANDLED_TRUE) return Verdict::Handled;
    if (r == boost::msm::back::HANDLED_GUARD_REJECT) return Verdict::GuardsRejected;
    return Verdict::NoTransition;  // HANDLED_FALSE: no row (no_transition was called)
}

// Dispatches an Element to the MSM event of its kind.
template <class Machine>
boost::msm::back::HandledEnum dispatch(Machine& m, const Element& e) {
    switch (e.kind) {
#define BIDILAB_DISPATCH(K) \
    case ElementKind::K: return m.process_event(Ev<ElementKind::K>{e});
        BIDILAB_DISPATCH(StreamOpen) BIDILAB_DISPATCH(StreamFeatures) BIDILAB_DISPATCH(StartTls)
        BIDILAB_DISPATCH(Proceed) BIDILAB_DISPATCH(TlsFailure) BIDILAB_DISPATCH(SaslAuth)
        BIDILAB_DISPATCH(SaslSuccess) BIDILAB_DISPATCH(SaslFailure) BIDILAB_DISPATCH(Bidi)
        BIDILAB_DISPATCH(DbResult) BIDILAB_DISPATCH(DbVerify) BIDILAB_DISPATCH(Stanza)
        BIDILAB_DISPATCH(StreamError) BIDILAB_DISPATCH(StreamClose) BIDILAB_DISPATCH(TcpConnected)
        BIDILAB_DISPATCH(TlsDone) BIDILAB_DISPATCH(RequestPair) BIDILAB_DISPATCH(SendVerify)
        BIDILAB_DISPATCH(SendStanza) BIDILAB_DISPATCH(VerifyOutcome)
#undef BIDILAB_DISPATCH
        default: return boost::msm::back::HANDLED_FALSE;  // outputs are never inputs
    }
}

// One element through a machine value (state id + data block): restore the
// back-end, run the event, write the value back when a row fired, and name
// that row (Outcome::row: the guard that passed recorded it, or it is the
// unguarded row from the old state to the new one). A closed stream discards
// what arrives (CORE-19); otherwise a violation leaves the value unchanged,
// emits nothing, and `classify` fills in its stream error and rules.
// N: the machine's number of states.
template <class Machine, int N, class State, class Data, class Classify>
Outcome deliver_to_value(State& state, Data& data, const char* state_name, const Element& e, Context& ctx,
                         Classify classify) {
    static const UnguardedRows<N> unguarded = unguarded_rows<Machine, N>();
    ctx.out.clear();
    ctx.fired_row = -1;
    Outcome o;
    o.element = e.kind;
    o.state = state_name;
    if (state == State::Closed) {
        o.verdict = Verdict::AfterClose;
        return o;
    }
    auto& engine = Engine<Machine>::instance();
    engine.restore(int(state), data, &ctx);
    o.verdict = verdict_of(dispatch(engine.m, e));
    if (o.handled()) {
        const State before = state;
        state = static_cast<State>(engine.m.current_state()[0]);
        data = engine.m.data;
        o.row = ctx.fired_row >= 0 ? ctx.fired_row
                                   : unguarded[int(before)][static_cast<int>(e.kind)][int(state)];
    } else {
        ctx.out.clear();
        classify(o);
    }
    return o;
}

}  // namespace bidilab::model::fsm
