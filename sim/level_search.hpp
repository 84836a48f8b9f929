// sim/level_search.hpp — Explorer's breadth-first search on several threads,
// a level at a time, every thread expanding states.
//
// A level runs in two parts. First every thread takes states of the level
// (a chain of stored states at a time: the chains its own store holds, then
// the others' when it has none left) and expands them on its own: their
// successors (an ample set and, for C3, the rest: sim/por.hpp), the step
// properties, and for each successor a lookup in the
// visited set, which holds this level and the ones before it and is only
// read meanwhile. A successor found there is an edge back or across (C3's
// "revisited"); one not found is a candidate: the thread checks its state
// properties and stores its encoding (sim/level_store.hpp), unless a
// transition before it in (parent, action) order stored that state already
// (sim/level_claims.hpp). Then one thread
// replays the level in index order as Explorer's one-thread loop merges it:
// counts, step verdicts, the new states (of equal candidates the first in
// (parent, action) order becomes the new state: the numbering, the
// representatives and every trace are one thread's), the graph,
// `eventually`'s levels, dead ends, and the limit on states at the exact
// transition one thread stops at. Which candidate is the first the other
// threads tell it, ahead of it, a chunk of parents at a time, from the claim
// table (the least key it kept for each state: resolve()); where that table
// lost an offer (full, or a key past its packing) the replay finds out
// itself, with a table of the level's own (sim/level_index.hpp). Thread 1
// also inserts the new states into the visited set as the replay publishes
// them. Per transition the replay does a few stores; the costly parts
// (successors, fingerprints, lookups, properties, encodings, the claim
// table's lookups, the visited set's inserts) run on other threads or on all.
// The next level is the new states, stored where their threads left them.
// A stop (the flag, the memory limit, a checkpoint) is taken between
// two levels, or inside one by dropping what the level did so far: the
// level's states then go back into the frontier, as one thread holds them
// between two levels.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/explorer.hpp"
#include "sim/level_claims.hpp"
#include "sim/level_index.hpp"
#include "sim/level_store.hpp"
#include "sim/memory.hpp"

namespace sim {

template <class M>
class LevelSearch {
    using E = Explorer<M>;
    using State = typename M::State;
    using Action = typename M::Action;
    using Successor = typename E::Successor;
    using Successors = typename E::Successors;
    using Store = LevelStore<M>;
    using Stored = typename Store::Stored;

public:
    explicit LevelSearch(E& e) : e_(e), workers_(e.threads_) {}

    // From a level's start (the frontier holds the level, nothing is taken)
    // until no state is left or the run stops: returns the limit that stopped
    // it between two expansions (the states not expanded are in the frontier
    // again), or nullptr; `stopped`: max-states stopped it in an expansion.
    const char* run(Frontier<M>& frontier, bool& stopped);

private:
    static constexpr std::uint32_t kCandidate = 0x80000000u, kFirst = 0x40000000u;
    // One transition, in the order one thread takes them: to a state found
    // before (its index, no_index without payload) or to a stored one.
    struct Edge {
        std::uint32_t action;  // kCandidate | action: `target` is the number of a state `thread` stored
        std::uint32_t target;
        std::uint32_t thread;
        bool candidate() const { return (action & kCandidate) != 0; }
        // Resolved (resolve()): the first in key order to reach its state,
        // which it stored; the others point to the state the first stored.
        bool first() const { return (action & kFirst) != 0; }
        std::uint32_t taken() const { return action & ~(kCandidate | kFirst); }
    };
    struct Failure {  // a transition that fails step properties
        std::uint32_t edge;   // in its thread's edges
        std::uint64_t which;  // bit k: the k-th step property
    };
    struct Parent {  // the expansion of one state of the level
        std::uint64_t free = 0;        // eventually levels: its P-free bits
        std::uint32_t postponed = 0;   // enabled transitions the ample set left out
        std::uint32_t taken_back = 0;  // of those, taken by C3 after all
        std::uint32_t thread = 0, edges_begin = 0, edges_ample = 0, edges_end = 0;  // C3's from edges_ample on
        std::uint32_t failures_begin = 0, failures_end = 0;  // in its thread's failures
        std::uint32_t successors = 0;  // as Explorer counts them (at the bound 0 or 1, and no edges)
        std::uint32_t outcome = kNoOutcome;  // no successors and final: its outcome, in its thread's outcomes
        bool in_full = false;          // C3 expanded it in full after all (counted at edges_ample)
        bool final = false;            // no successors, and final
    };
    static constexpr std::uint32_t kNoOutcome = ~std::uint32_t{0};
    struct alignas(64) Worker {
        typename E::Entry entry;
        Successors successors, rest;
        std::vector<Action> enabled;
        std::vector<Edge> edges;
        std::vector<Failure> failures;  // by edge, ascending
        std::vector<std::string> outcomes;  // of this level's final states it expanded
        Store stores[2];  // [parity_]: this level's states; the other: the next level's
        typename Store::Reader reader;
        // The level's chains its store holds (indices into chains_, in
        // position order), expanded by it first, then by whichever thread
        // runs out of its own: its bytes are still in its core's cache.
        std::vector<std::uint32_t> own;
        alignas(64) std::atomic<std::size_t> taken{0};  // of `own`, by any thread
    };

    const char* levels(Frontier<M>& frontier, bool& stopped);  // run() but for the memory figure
    void load(Frontier<M>& frontier);       // the frontier's level into worker 0's store
    void put_back(Frontier<M>& frontier);   // the level into the frontier, in index order
    void drop_next();                       // a level given up: what it found, memory and all
    void deal_chains();  // chains_ to their stores' threads (Worker::own)
    void expand_share(std::size_t t);
    void expand(Worker& w, std::size_t t, std::uint32_t position);
    // One successor of the state at `position`, expanded by thread t: its
    // edge, its step properties' failures, and its state if new.
    void record(Worker& w, std::uint32_t t, std::uint32_t position, const State& s, const Successor& next,
                bool& revisited);
    // Replays the level on thread 0 while thread 1 inserts its new states
    // into the visited set; false: max-states stopped it.
    bool replay_level(std::uint64_t all_goals);
    bool replay(std::uint64_t all_goals);
    // With a complete claim table: the candidates of parents [kResolve * c,
    // kResolve * (c + 1)) told which is the first to reach its state (the
    // replay then needs no table of its own); false: no chunk was left.
    bool resolve_next();
    void resolve(std::size_t c);
    void wait_resolved(std::size_t c);  // the replay's: chunk c resolved, by whichever thread
    // next_ into the visited set from `done` on, as far as the replay has published it.
    void insert_published(std::size_t& done);
    void insert_new(std::size_t& done);  // the rest of next_, as the replay publishes it
    const char* limit(bool between_levels);  // the stop flag, memory, progress, a checkpoint due

    E& e_;
    std::vector<Worker> workers_;
    std::vector<typename Store::Queued> level_, next_;  // by position: index - the level's first index
    std::vector<typename Store::Chain> chains_;          // where the level's states are stored
    std::vector<Parent> parents_;
    LevelClaims claims_;  // the level's stored states, shared
    double growth_ = 2;   // states stored per state expanded, in the last level
    LevelIndex index_;    // the replay's, when the claim table is not complete: the level's new states
    static constexpr std::size_t kResolve = 64;  // parents a chunk
    bool resolving_ = false;                     // this level's claim table is complete
    std::unique_ptr<std::atomic<bool>[]> resolved_;  // per chunk
    std::size_t resolved_capacity_ = 0;
    std::atomic<std::size_t> resolve_next_{0};
    std::atomic<std::size_t> published_{0};  // next_'s states the replay has finished
    std::atomic<bool> replayed_{false};
    bool drop_indices_ = false;  // the graph went in the replay: the visited set's indices go after it
    std::atomic<bool> abort_{false};
    const char* aborted_by_ = nullptr;  // written by thread 0 alone
    std::uint64_t open_steps_ = 0;
    std::vector<std::size_t> open_states_;  // always and sometimes properties not yet decided
    unsigned parity_ = 0;
    std::size_t stored_peak_ = 0;
    std::size_t put_back_bytes_ = 0;  // what a stop would allocate: the level's stores again, a window
    typename E::Clock::time_point last_look_;  // thread 0's last look at the memory
};

template <class M>
const char* LevelSearch<M>::run(Frontier<M>& frontier, bool& stopped) {
    const char* stop = levels(frontier, stopped);
    e_.report_.memory.frontier_peak = std::max(e_.report_.memory.frontier_peak, stored_peak_);
    return stop;
}

template <class M>
const char* LevelSearch<M>::levels(Frontier<M>& frontier, bool& stopped) {
    load(frontier);
    const std::uint64_t all_goals =
        e_.eventually_.size() == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << e_.eventually_.size()) - 1;
    while (!level_.empty()) {
        // Between two levels the frontier holds the level, as one thread has it there.
        const char* stop = limit(true);
        if (stop || (e_.checkpoint_wanted_ && e_.checkpointing())) {
            put_back(frontier);
            if (stop) return stop;
            e_.save_checkpoint(frontier);
            if ((stop = limit(true))) return stop;  // the stop flag, set by the checkpoint's note say
            load(frontier);
        }
        const std::uint32_t depth = level_.front().depth;
        if (depth > e_.report_.depth) {
            e_.report_.depth = depth;
            e_.level_end_ = static_cast<std::uint32_t>(e_.graph_->size());  // every state of this level is known
            e_.level_complete(depth);
        }
        if (e_.by_levels_) (void)e_.levels_.expand(level_.front().fp, depth);  // the level's switch, here once
        open_steps_ = e_.open_step_mask();
        open_states_.clear();
        for (std::size_t p = 0; p < e_.properties_.size(); ++p)
            if ((e_.properties_[p].kind == Kind::Always || e_.properties_[p].kind == Kind::Sometimes) &&
                e_.report_.properties[p].status == Status::Unknown)
                open_states_.push_back(p);
        parents_.assign(level_.size(), Parent{});
        // The table holds the states the level stores: about as many per state
        // as the last level stored (within 1 and 2: never larger than the level's double).
        claims_.reset(static_cast<std::size_t>(static_cast<double>(level_.size()) * std::clamp(growth_, 1.0, 2.0)));
        put_back_bytes_ = 0;  // the frontier's copy of the stored bytes, and a window of plain ones
        for (const Worker& w : workers_) put_back_bytes_ += w.stores[parity_].stored_bytes();
        put_back_bytes_ += std::min(put_back_bytes_ * 8, std::size_t{4} << 20);
        for (Worker& w : workers_) w.taken.store(0, std::memory_order_relaxed);
        abort_.store(false, std::memory_order_relaxed);
        aborted_by_ = nullptr;  // thread 0's (the memory limit), read after the level
        e_.pool_->run_each([this](std::size_t t) { expand_share(t); });
        if (abort_.load(std::memory_order_relaxed)) {  // nothing of the level was applied
            drop_next();
            put_back(frontier);
            return aborted_by_ ? aborted_by_ : "interrupted";
        }
        std::size_t stored = claims_.bytes(), found = 0;
        for (const Worker& w : workers_) {
            stored += w.stores[0].bytes() + w.stores[1].bytes();
            found += w.stores[parity_ ^ 1].size();
        }
        stored_peak_ = std::max(stored_peak_, stored);
        // The replay may grow the visited set by the states found: its new table beside the old one.
        if (e_.options_.max_memory != 0 && e_.visited_->room() < found &&
            resident_bytes() + e_.visited_->growth_bytes() > e_.options_.max_memory) {
            drop_next();
            put_back(frontier);
            return "max-memory";
        }
        e_.expansions_ += level_.size();
        growth_ = static_cast<double>(found) / static_cast<double>(level_.size());
        next_.clear();
        next_.reserve(found);  // read by the inserting thread as the replay fills it: never moved
        // Which transition reaches each state first: from the claims, by
        // every thread beside the replay (resolve()); else the replay's table.
        resolving_ = claims_.complete();
        if (resolving_) {
            const std::size_t chunks = (level_.size() + kResolve - 1) / kResolve;
            if (chunks > resolved_capacity_) {
                resolved_capacity_ = std::max(chunks, 2 * resolved_capacity_);
                resolved_.reset(new std::atomic<bool>[resolved_capacity_]);
            }
            for (std::size_t c = 0; c < chunks; ++c) resolved_[c].store(false, std::memory_order_relaxed);
            resolve_next_.store(0, std::memory_order_relaxed);
            index_ = LevelIndex();
        } else {
            index_.reset(found);
        }
        stored_peak_ = std::max(stored_peak_, stored + index_.bytes());
        if (!replay_level(all_goals)) {
            stopped = true;
            break;
        }
        level_.swap(next_);
        parity_ ^= 1;
        chains_.clear();
        for (std::uint32_t t = 0; t < workers_.size(); ++t) workers_[t].stores[parity_].chains(t, chains_);
        // Taken in the order of their states' positions: each thread then
        // finds successors mostly in (parent, action) order, and stores a
        // state found again once (LevelStore::earlier).
        std::sort(chains_.begin(), chains_.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        deal_chains();
    }
    return nullptr;
}

template <class M>
void LevelSearch<M>::load(Frontier<M>& frontier) {
    parity_ = 0;
    for (Worker& w : workers_) w.stores[0].clear(), w.stores[1].clear();
    level_.clear();
    Store& store = workers_[0].stores[0];
    typename E::Entry entry;
    while (!frontier.empty()) {
        frontier.pop(true, entry);
        const std::uint32_t position = static_cast<std::uint32_t>(level_.size());
        store.at(store.push(e_.model_, entry.state)).position = position;
        level_.push_back({entry.fp, entry.index, entry.depth});
    }
    chains_.clear();
    store.chains(0, chains_);
    deal_chains();
}

template <class M>
void LevelSearch<M>::deal_chains() {
    for (Worker& w : workers_) w.own.clear();
    for (std::uint32_t c = 0; c < chains_.size(); ++c) workers_[chains_[c].thread].own.push_back(c);
}

template <class M>
void LevelSearch<M>::put_back(Frontier<M>& frontier) {
    Store::in_order(
        level_.size(), [&](std::uint32_t t) -> const Store& { return workers_[t].stores[parity_]; }, chains_,
        [&](std::uint32_t position, const unsigned char* bytes, std::size_t n) {
            const auto& q = level_[position];
            if constexpr (Frontier<M>::encoded) {
                frontier.push_encoded(bytes, n, q.fp, q.index, q.depth);
            } else {
                Store::decode(e_.model_, bytes, n, workers_[0].entry.state);
                frontier.push(workers_[0].entry.state, q.fp, q.index, q.depth);
            }
        });
    level_.clear();
}

template <class M>
void LevelSearch<M>::drop_next() {
    for (Worker& w : workers_) {
        std::vector<Edge>().swap(w.edges);
        std::vector<Failure>().swap(w.failures);
        w.stores[parity_ ^ 1] = Store();
    }
    std::vector<Parent>().swap(parents_);
}

template <class M>
const char* LevelSearch<M>::limit(bool between_levels) {
    if (e_.options_.stop && e_.options_.stop->load(std::memory_order_relaxed)) return "interrupted";
    const auto now = E::Clock::now();
    if (between_levels) {
        if (e_.options_.checkpoint_expansions != 0 &&
            e_.expansions_ - e_.expansions_at_checkpoint_ >= e_.options_.checkpoint_expansions)
            e_.checkpoint_wanted_ = true;
        if (e_.options_.checkpoint_seconds > 0 &&
            now - e_.last_checkpoint_ >= std::chrono::duration<double>(e_.options_.checkpoint_seconds))
            e_.checkpoint_wanted_ = true;
    }
    const bool progress_due = e_.options_.on_progress && now - e_.last_progress_ >= std::chrono::seconds(1);
    if (e_.options_.max_memory == 0 && !progress_due) return nullptr;
    const std::size_t resident = resident_bytes();
    if (progress_due) {
        e_.last_progress_ = now;
        e_.options_.on_progress(Progress{e_.graph_->size(), e_.report_.transitions, e_.report_.depth, level_.size(),
                                         e_.seconds_before_ + std::chrono::duration<double>(now - e_.start_).count(),
                                         resident});
    }
    // Stopping puts the level back into the frontier: room for that too.
    if (e_.options_.max_memory != 0 && resident + put_back_bytes_ > e_.options_.max_memory) return "max-memory";
    return nullptr;
}

template <class M>
void LevelSearch<M>::expand_share(std::size_t t) {
    Worker& w = workers_[t];
    w.edges.clear();
    w.failures.clear();
    w.outcomes.clear();
    w.stores[parity_ ^ 1].clear();
    std::size_t taken = 0;
    // Its own chains, then each other thread's in turn, until none is left.
    for (std::size_t from = t, exhausted = 0; exhausted < workers_.size() && !abort_.load(std::memory_order_relaxed);) {
        Worker& owner = workers_[from];
        const std::size_t k = owner.taken.fetch_add(1, std::memory_order_relaxed);
        if (k >= owner.own.size()) {
            from = (from + 1) % workers_.size(), ++exhausted;
            continue;
        }
        const typename Store::Chain& chain = chains_[owner.own[k]];
        w.reader.read(workers_[chain.thread].stores[parity_], chain, e_.model_, w.entry.state,
                      [&](std::uint32_t position) { expand(w, t, position); });
        if (e_.options_.stop && e_.options_.stop->load(std::memory_order_relaxed))
            abort_.store(true, std::memory_order_relaxed);
        // The calling thread watches the memory too (and prints progress),
        // every few milliseconds (reading /proc costs tens of microseconds).
        if (t == 0 && (++taken & 0x3) == 0) {
            const auto now = E::Clock::now();
            if (now - last_look_ < std::chrono::milliseconds(2)) continue;
            last_look_ = now;
            if (const char* stop = limit(false)) {
                aborted_by_ = stop;
                abort_.store(true, std::memory_order_relaxed);
            }
        }
    }
}

template <class M>
void LevelSearch<M>::expand(Worker& w, std::size_t t, std::uint32_t position) {
    const auto& q = level_[position];
    Parent& p = parents_[position];
    const State& s = w.entry.state;
    const bool at_bound = e_.at_bound(q.depth);
    e_.successors_of(s, at_bound, w.enabled, w.successors);
    p.thread = static_cast<std::uint32_t>(t);
    p.free = e_.by_levels_ ? e_.levels_.expand(q.fp, q.depth) : 0;  // a lookup: the level switched in run()
    p.edges_begin = p.edges_ample = static_cast<std::uint32_t>(w.edges.size());
    p.failures_begin = static_cast<std::uint32_t>(w.failures.size());
    p.successors = static_cast<std::uint32_t>(w.successors.size);
    p.postponed = static_cast<std::uint32_t>(w.successors.postponed);
    if (!at_bound) {
        bool revisited = false;
        for (const Successor& next : w.successors)
            record(w, static_cast<std::uint32_t>(t), position, s, next, revisited);
        p.edges_ample = static_cast<std::uint32_t>(w.edges.size());
        // C3 (sim/por.hpp): an ample set whose successor was seen before is
        // not enough: the state is expanded in full.
        if (w.successors.reduced && revisited) {
            p.in_full = true;
            if (w.successors.deferred != 0) {
                p.taken_back = static_cast<std::uint32_t>(w.successors.deferred);
                p.successors += static_cast<std::uint32_t>(w.successors.deferred);
                for (std::size_t k = w.successors.size; k < w.successors.size + w.successors.deferred; ++k) {
                    Successor& next = w.successors.slots[k];
                    if (!next.computed) e_.compute_successor(s, w.enabled, next);
                    next.fp = fingerprint(next.state);
                    record(w, static_cast<std::uint32_t>(t), position, s, next, revisited);
                }
            } else {
                e_.other_successors(s, w.enabled, w.successors, w.rest);
                p.taken_back = static_cast<std::uint32_t>(w.enabled.size() - w.successors.ample.size());
                p.successors += static_cast<std::uint32_t>(w.rest.size);
                for (const Successor& next : w.rest)
                    record(w, static_cast<std::uint32_t>(t), position, s, next, revisited);
            }
        }
    }
    p.edges_end = static_cast<std::uint32_t>(w.edges.size());
    p.failures_end = static_cast<std::uint32_t>(w.failures.size());
    if (p.successors == 0) {
        p.final = is_final(e_.model_, s);
        if constexpr (detail::has_outcome<M>::value)
            if (p.final) {
                p.outcome = static_cast<std::uint32_t>(w.outcomes.size());
                w.outcomes.push_back(e_.model_.outcome(s));
            }
    }
}

template <class M>
void LevelSearch<M>::record(Worker& w, std::uint32_t t, std::uint32_t position, const State& s,
                            const Successor& next, bool& revisited) {
    const std::uint64_t failures = e_.step_failures(s, w.enabled[next.action], next.state, open_steps_);
    if (failures != 0) w.failures.push_back(Failure{static_cast<std::uint32_t>(w.edges.size()), failures});
    if (const auto known = e_.visited_->find(next.fp)) {
        revisited = true;  // found before this level: at this level or an earlier one
        w.edges.push_back(Edge{next.action, *known, 0});
        return;
    }
    std::uint32_t thread = 0, number = 0;
    if (claims_.find(next.fp, position, next.action, thread, number)) {  // stored for a transition before this one
        w.edges.push_back(Edge{kCandidate | next.action, number, thread});
        return;
    }
    Store& store = w.stores[parity_ ^ 1];
    const std::uint32_t k = store.push(e_.model_, next.state);
    claims_.offer(next.fp, position, next.action, t, k);
    auto& stored = store.at(k);
    stored.fp = next.fp;
    stored.fired_begin = static_cast<std::uint32_t>(store.fired.size());
    for (std::size_t p : open_states_) {
        const bool holds = e_.properties_[p].holds(e_.model_, next.state);
        if (holds == (e_.properties_[p].kind == Kind::Sometimes)) store.fired.push_back(static_cast<std::uint32_t>(p));
    }
    for (std::size_t g = 0; g < e_.eventually_.size(); ++g)
        if (e_.properties_[e_.eventually_[g]].holds(e_.model_, next.state)) stored.goals |= std::uint64_t{1} << g;
    w.edges.push_back(Edge{kCandidate | next.action, k, t});
}

}  // namespace sim

#include "sim/level_replay.hpp"  // replay_level, replay, insert_new
