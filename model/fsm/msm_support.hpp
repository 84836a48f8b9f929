// model/fsm/msm_support.hpp — shared plumbing for the Boost.MSM machines.
// Included only by the machine .cpp files in this folder (compile cost: each
// machine is its own translation unit and nothing else sees Boost.MSM).
//
// - Ev<K>: the MSM event for element kind K (a reference to the Element).
// - Guard<G, Data>, Action<A, Data>: functor bases; a guard is a predicate
//   `static bool test(const Element&, const Data&, const Context&)`, an action
//   a verb `static void run(const Element&, Data&, Context&)`.
// - rows_of<Machine>(): the table as TransitionRow data via mpl::for_each.
// - Engine<Machine>: one started machine per thread; restore / read back.
#pragma once

#include <array>
#include <string>
#include <type_traits>
#include <typeinfo>
#include <vector>

#include <boost/core/demangle.hpp>
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

template <class G, class Data>
struct Guard {
    template <class E, class Fsm, class S, class T>
    bool operator()(const E& ev, Fsm& fsm, S&, T&) const {
        return G::test(ev.e, fsm.data, *fsm.ctx);
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
// back-end, run the event, write the value back when a row fired. A closed
// stream discards what arrives (CORE-19); otherwise a violation leaves the
// value unchanged, emits nothing, and `classify` fills in its stream error
// and rules.
template <class Machine, class State, class Data, class Classify>
Outcome deliver_to_value(State& state, Data& data, const char* state_name, const Element& e, Context& ctx,
                         Classify classify) {
    ctx.out.clear();
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
        state = static_cast<State>(engine.m.current_state()[0]);
        data = engine.m.data;
    } else {
        ctx.out.clear();
        classify(o);
    }
    return o;
}

}  // namespace bidilab::model::fsm
