// sim/level_replay.hpp — the second part of a level of sim/level_search.hpp:
// thread 0 replays the level's transitions in (parent, action) order as
// Explorer's one-thread loop merges them, while the others resolve the
// chunks of parents ahead of it (which candidate reaches its state first:
// the replay resolves a chunk itself when it gets there first) and thread 1
// inserts the new states into the visited set as the replay publishes them.
// Included by level_search.hpp.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <stdexcept>
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
        if (t != 0) {  // resolve ahead of the replay; thread 1 also inserts behind it
            std::size_t done = 0;
            while (resolving_ && !replayed_.load(std::memory_order_relaxed) && resolve_next())
                if (t == 1) insert_published(done);
            if (t == 1) insert_new(done);
            return;
        }
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
void LevelSearch<M>::insert_published(std::size_t& done) {
    const auto* states = next_.data();  // reserved before: the replay's push_back never moves it
    const std::size_t n = published_.load(std::memory_order_acquire);
    for (; done < n; ++done) e_.visited_->insert(states[done].fp, states[done].index);
}

template <class M>
void LevelSearch<M>::insert_new(std::size_t& done) {
    for (unsigned idle = 0;;) {
        const bool last = replayed_.load(std::memory_order_acquire);  // then every state is published
        const std::size_t before = done;
        insert_published(done);
        if (last) return;
        if (done != before) idle = 0;
        if (++idle > 64) std::this_thread::yield();
    }
}

template <class M>
bool LevelSearch<M>::resolve_next() {
    const std::size_t c = resolve_next_.fetch_add(1, std::memory_order_relaxed);
    if (c * kResolve >= level_.size()) return false;
    resolve(c);
    return true;
}

template <class M>
void LevelSearch<M>::resolve(std::size_t c) {
    const std::size_t end = std::min(level_.size(), (c + 1) * kResolve);
    for (std::size_t i = c * kResolve; i < end; ++i) {
        const Parent& p = parents_[i];
        Worker& w = workers_[p.thread];
        for (std::uint32_t k = p.edges_begin; k < p.edges_end; ++k) {
            Edge& edge = w.edges[k];
            if (!edge.candidate()) continue;
            const std::uint64_t fp = workers_[edge.thread].stores[parity_ ^ 1].at(edge.target).fp;
            std::uint32_t thread = 0, number = 0;
            if (claims_.least(fp, static_cast<std::uint32_t>(i), edge.taken(), thread, number))
                edge.action |= kFirst;
            else
                edge.thread = thread, edge.target = number;
        }
    }
    resolved_[c].store(true, std::memory_order_release);
}

template <class M>
void LevelSearch<M>::wait_resolved(std::size_t c) {
    // Another thread has it: a pause, and the core given up now and then
    // (more threads than cores: that thread may wait for this one's).
    bool left = true;  // chunks nobody took yet
    for (unsigned idle = 0; !resolved_[c].load(std::memory_order_acquire);) {
        if (left && resolve_next()) continue;
        left = false;
#if defined(__x86_64__) || defined(__i386__)
        __builtin_ia32_pause();
#endif
        if (++idle % 64 == 0) std::this_thread::yield();
    }
}

template <class M>
bool LevelSearch<M>::replay(std::uint64_t all_goals) {
    auto& r = e_.report_;
    for (std::size_t i = 0; i < level_.size(); ++i) {
        const auto& q = level_[i];
        if (resolving_ && i % kResolve == 0) wait_resolved(i / kResolve);
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
            // A candidate not reached before in this level is a new state
            // (resolved: the first stored it, and the others point to it).
            std::uint32_t known = LevelIndex::kNone;
            if (stored && !resolving_) known = index_.find(stored->fp);
            else if (stored && !edge.first()) {
                if (stored->position >= next_.size())
                    throw std::logic_error("a level's first transition not replayed first");
                known = next_[stored->position].index;
            }
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
                    if (!resolving_) index_.add(stored->fp, index);
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
