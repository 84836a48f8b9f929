// sim/bisimulation.hpp — evidence that a state-merging reduction is sound.
//
// The explorer takes two states as one when their fingerprints are equal; a
// model's fingerprint may merge states that differ (renamed labels, another
// order of a set). That is sound when the merged states are bisimilar: the
// same properties hold in them, and their transitions lead to the same
// classes with the same step-property verdicts. check_bisimulation tests it
// on every reachable transition: it walks the reachable classes breadth-first,
// keeps for each class the signature of the first state met in it (the one
// the explorer keeps), and computes the signature of every state any
// transition leads into (every concrete member of the class a run can meet)
// and compares. Since every member's one-step signature is checked against
// its class's, the relation "same class" is a bisimulation on what was
// walked; a mismatch names the two paths and what differs.
//
// Signature of a state s: the value of each state property (always,
// sometimes, eventually) in s; whether s is final; the set of (fingerprint of
// t, the step properties' verdicts on s → t) over its successors t.
// Memory: 24 bytes per class plus the queue. A model may provide
//   std::uint64_t concrete_fingerprint(const State&) const;  // nothing merged
// to count how many compared members really differed from their class's first.
#pragma once

#include <algorithm>
#include <cstdint>
#include <deque>
#include <optional>
#include <sstream>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sim/fingerprint.hpp"
#include "sim/property.hpp"
#include "sim/transition_system.hpp"

namespace sim {

namespace detail {
template <class M, class = void>
struct has_concrete_fingerprint : std::false_type {};
template <class M>
struct has_concrete_fingerprint<M, std::void_t<decltype(std::declval<const M&>().concrete_fingerprint(
                                       std::declval<const typename M::State&>()))>> : std::true_type {};
}  // namespace detail

struct BisimulationResult {
    std::uint64_t classes = 0;   // fingerprints walked
    std::uint64_t members = 0;   // states whose signature was compared with their class's
    std::uint64_t differing = 0; // of those, states whose concrete fingerprint is not the class's first's
    bool complete = false;       // false: max_classes cut the walk
    std::optional<std::string> mismatch;  // what differs, and where
};

template <class M>
class BisimulationCheck {
    using State = typename M::State;
    using Action = typename M::Action;

public:
    explicit BisimulationCheck(const M& model) : m_(model), properties_(model.properties()) {}

    BisimulationResult run(std::uint64_t max_classes = 0) {
        BisimulationResult r;
        std::unordered_map<std::uint64_t, Known> known;
        std::deque<State> queue;
        auto meet = [&](const State& s, const std::string& how) -> bool {
            const std::uint64_t fp = fingerprint(s);
            const Known sig = signature(s);
            auto it = known.find(fp);
            if (it == known.end()) {
                if (max_classes != 0 && known.size() >= max_classes) {
                    r.complete = false;
                    return true;
                }
                known.emplace(fp, sig);
                queue.push_back(s);
                return true;
            }
            ++r.members;
            if (sig.concrete != it->second.concrete) ++r.differing;
            if (it->second.values != sig.values || it->second.moves != sig.moves) {
                std::ostringstream o;
                o << "class " << std::hex << fp << std::dec << ": a member met " << how
                  << " differs from the class's first state in "
                  << (it->second.values != sig.values ? "the values of its state properties"
                                                      : "its successor classes or step verdicts");
                r.mismatch = o.str();
                return false;
            }
            return true;
        };
        r.complete = true;
        for (const State& s : m_.initial_states())
            if (!meet(s, "as an initial state")) return finish(r, known.size());
        std::vector<Action> enabled;
        while (!queue.empty()) {
            State s = std::move(queue.front());
            queue.pop_front();
            enabled.clear();
            m_.actions(s, enabled);
            for (const Action& a : enabled) {
                std::optional<State> t = m_.next_state(s, a);
                if (!t) continue;
                if (!meet(*t, "after '" + m_.describe(a) + "'")) return finish(r, known.size());
            }
        }
        return finish(r, known.size());
    }

private:
    static BisimulationResult finish(BisimulationResult r, std::size_t classes) {
        r.classes = classes;
        return r;
    }

    struct Known {
        std::uint64_t values;    // the state-property part of a signature
        std::uint64_t moves;     // the successor part
        std::uint64_t concrete;  // the model's concrete fingerprint (0: it has none)
    };
    struct Parts {
        std::vector<bool> state_values;
        bool final_state = false;
        std::vector<std::pair<std::uint64_t, std::uint64_t>> moves;  // (successor class, step verdict bits)
    };

    Parts parts_of(const State& s) const {
        Parts p;
        for (const auto& prop : properties_)
            if (prop.kind != Kind::Step) p.state_values.push_back(prop.holds(m_, s));
        p.final_state = is_final(m_, s);
        std::vector<Action> enabled;
        m_.actions(s, enabled);
        for (const Action& a : enabled) {
            std::optional<State> t = m_.next_state(s, a);
            if (!t) continue;
            std::uint64_t bits = 0, bit = 1;
            const StepScope<M> scope(m_, s, a, *t);
            for (const auto& prop : properties_) {
                if (prop.kind != Kind::Step) continue;
                if (prop.step_holds(m_, s, a, *t)) bits |= bit;
                bit <<= 1;
            }
            p.moves.emplace_back(fingerprint(*t), bits);
        }
        std::sort(p.moves.begin(), p.moves.end());
        p.moves.erase(std::unique(p.moves.begin(), p.moves.end()), p.moves.end());
        return p;
    }

    Known signature(const State& s) const {
        const Parts p = parts_of(s);
        Hasher values, moves;
        for (bool v : p.state_values) values.value(static_cast<std::uint8_t>(v));
        values.value(static_cast<std::uint8_t>(p.final_state));
        for (const auto& [fp, bits] : p.moves) {
            moves.value(fp);
            moves.value(bits);
        }
        std::uint64_t concrete = 0;
        if constexpr (detail::has_concrete_fingerprint<M>::value) concrete = m_.concrete_fingerprint(s);
        return Known{values.digest(), moves.digest(), concrete};
    }

    const M& m_;
    std::vector<Property<M>> properties_;
};

template <class M>
BisimulationResult check_bisimulation(const M& model, std::uint64_t max_classes = 0) {
    return BisimulationCheck<M>(model).run(max_classes);
}

}  // namespace sim
