// sim/level_replay.hpp — the second part of a level of sim/level_search.hpp:
// thread 0 replays the level's transitions in (parent, action) order as
// Explorer's one-thread loop merges them, while thread 1 inserts the new
// states into the visited set as the replay publishes them. Included by
// level_search.hpp.
#pragma once

#include <atomic>
#include <cstdint>
#include <thread>

#include "sim/level_search.hpp"

namespace sim {

template <class M>
bool LevelSearch<M>::replay_level(std::uint64_t all_goals) {
    published_.store(0, std::memory_order_relaxed);
    replayed_.store(false, std::memory_order_relaxed);
    drop_indices_ = false;
    bool complete = true;
    e_.pool_->run_each([&](std::size_t t) {
        if (t == 1) insert_new();
        if (t != 0) return;
        struct Replayed {  // also when the replay throws: thread 1 must not wait for more
            std::atomic<bool>& flag;
            ~Replayed() { flag.store(true, std::memory_order_release); }
        } replayed{replayed_};
        complete = replay(all_goals);
    });
    if (drop_indices_) e_.visited_->drop_indices();
    return complete;
}

template <class M>
void LevelSearch<M>::insert_new() {
    const auto* states = next_.data();  // reserved before: the replay's push_back never moves it
    std::size_t done = 0;
    for (unsigned idle = 0;;) {
        const bool last = replayed_.load(std::memory_order_acquire);  // then every state is published
        const std::size_t n = published_.load(std::memory_order_acquire);
        if (done < n) idle = 0;
        for (; done < n; ++done) e_.visited_->insert(states[done].fp, states[done].index);
        if (last) return;
        if (++idle > 64) std::this_thread::yield();
    }
}

template <class M>
bool LevelSearch<M>::replay(std::uint64_t all_goals) {
    auto& r = e_.report_;
    for (std::size_t i = 0; i < level_.size(); ++i) {
        const auto& q = level_[i];
        const Parent& p = parents_[i];
        Worker& w = workers_[p.thread];
        r.transitions_postponed += p.postponed;
        const bool at_bound = e_.at_bound(q.depth);
        if (!at_bound) e_.graph_->begin_edges(q.index);
        if (at_bound && p.successors != 0) r.stopped_by = "max-depth";
        std::uint32_t failure = p.failures_begin;
        for (std::uint32_t k = p.edges_begin; k < p.edges_end; ++k) {
            if (k == p.edges_ample && p.in_full) {  // C3: the rest are taken too (Explorer::run counts them here)
                r.transitions_postponed -= p.taken_back;
                ++r.expanded_in_full;
            }
            const Edge& edge = w.edges[k];
            const std::uint32_t action = edge.taken();
            ++r.transitions;
            if (failure < p.failures_end && w.failures[failure].edge == k) {
                const std::uint64_t which = w.failures[failure++].which;
                for (std::size_t b = 0; b < e_.step_properties_.size() && e_.steps_open_ != 0; ++b) {
                    const std::size_t sp = e_.step_properties_[b];
                    if ((which >> b & 1) == 0 || r.properties[sp].status != Status::Unknown) continue;
                    r.properties[sp].status = Status::Violated;
                    r.properties[sp].trace = e_.graph_->path_to(q.index);
                    r.properties[sp].trace->actions.push_back(action);
                    --e_.steps_open_;
                }
            }
            Store& store = workers_[edge.thread].stores[parity_ ^ 1];
            Stored* stored = edge.candidate() ? &store.at(edge.target) : nullptr;
            // A candidate not reached before in this level is a new state.
            const std::uint32_t known = stored ? index_.find(stored->fp) : LevelIndex::kNone;
            const bool fresh = stored && known == LevelIndex::kNone;
            if (fresh && e_.options_.max_states != 0 && e_.graph_->size() >= e_.options_.max_states) {
                r.stopped_by = "max-states";
                e_.graph_->forget_edges(q.index);  // only partly expanded
                return false;
            }
            if (e_.by_levels_ && e_.graph_for_eventually_ && e_.graph_->size() == e_.options_.eventually_graph_states) {
                e_.drop_graph(false);  // from here on, the levels alone
                drop_indices_ = !e_.proviso_by_level();
            }
            std::uint32_t index = stored ? known : edge.target;
            std::uint64_t goals = 0;
            if (stored) {
                if (fresh) {
                    index = e_.graph_->add_state(q.index, action);
                    index_.add(stored->fp, index);
                    const auto [first, end] = store.fired_of(edge.target);
                    for (std::uint32_t f = first; f < end; ++f) {
                        const std::size_t prop = store.fired[f];
                        e_.found(prop, e_.properties_[prop].kind == Kind::Always ? Status::Violated : Status::Witnessed,
                                 index);
                    }
                    goals = stored->goals;
                    if (e_.graph_for_eventually_) e_.goals_.push_back(goals);
                    stored->position = static_cast<std::uint32_t>(next_.size());
                    next_.push_back({stored->fp, index, q.depth + 1});
                    published_.store(next_.size(), std::memory_order_release);
                    e_.growth_.found(q.depth + 1);
                }
            }
            // An edge to a state found before this level goes back (to it or an earlier one).
            if (e_.by_levels_) {
                if (stored) e_.levels_.edge(p.free, stored->fp, fresh, ~goals & all_goals);
                else e_.levels_.edge_back();
            }
            e_.graph_->add_edge(q.index, index, action);
        }
        if (p.in_full && p.edges_ample == p.edges_end) {  // C3 took nothing more
            r.transitions_postponed -= p.taken_back;
            ++r.expanded_in_full;
        }
        if (at_bound && p.successors == 0) e_.graph_->begin_edges(q.index);
        if (p.successors == 0 && !at_bound) e_.dead_free_ |= p.free;
        if (p.successors == 0) {
            if (e_.options_.check_deadlock && !p.final)
                e_.found(e_.report_.properties.size() - 1, Status::Violated, q.index);
            if constexpr (detail::has_outcome<M>::value)
                if (p.final) ++e_.outcomes_[w.outcomes[p.outcome]];
        }
    }
    return true;
}

}  // namespace sim
