// sim/simulator.hpp — seeded random walks with the explorer's step function.
//
// Run r of seed s walks from an initial state, at each step taking one of the
// enabled actions uniformly at random from Random(mix(s, r)), until a state
// without successors or the depth bound. Properties are checked along every
// walk: a violation is definitive; a walk proves no `always`, so a clean
// simulation passes only in the sense "nothing found": what it did not
// decide stays unknown. A walk also ends where it first revisits a state.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "sim/fingerprint.hpp"
#include "sim/memory.hpp"
#include "sim/property.hpp"
#include "sim/random.hpp"
#include "sim/report.hpp"
#include "sim/transition_system.hpp"

namespace sim {

struct SimulateOptions {
    std::uint64_t seed = 0;
    std::uint32_t runs = 1;
    std::uint32_t depth = 1000;
    bool check_deadlock = true;
    const std::atomic<bool>* stop = nullptr;
};

template <class M>
class Simulator {
    using State = typename M::State;
    using Action = typename M::Action;

public:
    explicit Simulator(const M& model, SimulateOptions options = {})
        : model_(model), options_(options), properties_(model.properties()) {}

    // The walk of run r: its trace only (deterministic in seed and r).
    Trace walk(std::uint32_t run) {
        Report scratch;
        init_report(scratch);
        return walk_into(run, scratch);
    }

    Report run() {
        auto start = std::chrono::steady_clock::now();
        Report report;
        init_report(report);
        std::uint32_t done = 0;
        for (; done < options_.runs; ++done) {
            if (options_.stop && options_.stop->load(std::memory_order_relaxed)) break;
            walk_into(done, report);
        }
        report.complete = done == options_.runs;
        if (!report.complete) report.stopped_by = "interrupted";
        report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        report.peak_rss = peak_resident_bytes();
        return report;
    }

    static std::uint64_t run_seed(std::uint64_t seed, std::uint32_t run) {
        Random mix(seed ^ (std::uint64_t{run} * 0xD1B54A32D192ED03ull));
        return mix.next();
    }

private:
    void init_report(Report& report) const {
        for (const auto& p : properties_) report.properties.push_back({p.name, p.kind, p.rules, Status::Unknown, {}});
        if (options_.check_deadlock)
            report.properties.push_back({"no-deadlock", Kind::Deadlock, deadlock_rules(model_), Status::Unknown, {}});
    }

    static void found(PropertyResult& p, Status s, const Trace& t) {
        if (p.status == Status::Unknown) {
            p.status = s;
            p.trace = t;
        }
    }

    Trace walk_into(std::uint32_t run, Report& report) {
        Random rng(run_seed(options_.seed, run));
        auto inits = model_.initial_states();
        Trace trace;
        trace.initial = static_cast<std::uint32_t>(rng.below(inits.size()));
        State state = inits[trace.initial];
        std::unordered_map<std::uint64_t, std::size_t> seen;  // fingerprint -> step, on this walk
        std::vector<bool> goal_seen(properties_.size(), false);
        std::vector<Action> enabled;
        std::vector<std::uint32_t> choices;
        for (std::uint32_t d = 0;; ++d) {
            ++report.states;
            if (d > report.depth) report.depth = d;
            check_state(state, trace, report, goal_seen);
            auto [it, fresh] = seen.emplace(fingerprint(state), d);
            if (!fresh) {  // a loop on this walk: a lasso for every eventually not yet met
                Trace lasso = trace;
                lasso.loop_start = it->second;
                for (std::size_t p = 0; p < properties_.size(); ++p)
                    if (properties_[p].kind == Kind::Eventually && !goal_seen[p]) found(report.properties[p], Status::Violated, lasso);
                break;
            }
            enabled.clear();
            model_.actions(state, enabled);
            choices.clear();
            std::vector<State> nexts;
            for (std::uint32_t a = 0; a < enabled.size(); ++a)
                if (auto n = model_.next_state(state, enabled[a])) {
                    choices.push_back(a);
                    nexts.push_back(std::move(*n));
                }
            if (choices.empty()) {
                for (std::size_t p = 0; p < properties_.size(); ++p)
                    if (properties_[p].kind == Kind::Eventually && !goal_seen[p]) found(report.properties[p], Status::Violated, trace);
                if (options_.check_deadlock && !is_final(model_, state)) found(report.properties.back(), Status::Violated, trace);
                break;
            }
            if (d >= options_.depth) break;
            std::size_t pick = rng.below(choices.size());
            trace.actions.push_back(choices[pick]);
            ++report.transitions;
            {
                const StepScope<M> scope(model_, state, enabled[choices[pick]], nexts[pick]);
                for (std::size_t p = 0; p < properties_.size(); ++p)
                    if (properties_[p].kind == Kind::Step &&
                        !properties_[p].step_holds(model_, state, enabled[choices[pick]], nexts[pick]))
                        found(report.properties[p], Status::Violated, trace);
            }
            state = std::move(nexts[pick]);
        }
        return trace;
    }

    void check_state(const State& s, const Trace& trace, Report& report, std::vector<bool>& goal_seen) const {
        for (std::size_t p = 0; p < properties_.size(); ++p) {
            const auto& prop = properties_[p];
            if (prop.kind == Kind::Always && !prop.holds(model_, s)) found(report.properties[p], Status::Violated, trace);
            if (prop.kind == Kind::Sometimes && prop.holds(model_, s)) found(report.properties[p], Status::Witnessed, trace);
            if (prop.kind == Kind::Eventually && !goal_seen[p] && prop.holds(model_, s)) goal_seen[p] = true;
        }
    }

    const M& model_;
    SimulateOptions options_;
    std::vector<Property<M>> properties_;
};

}  // namespace sim
