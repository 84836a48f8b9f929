// sim/explorer.hpp — exhaustive exploration of a transition system.
//
// Breadth-first by default (so every trace it reports is a shortest one),
// depth-first on request. Per visited state it keeps only a fingerprint in
// the visited set and (parent, action) in the state graph's log; the frontier
// holds the states not yet expanded, as their encodings when the model has a
// codec (sim/frontier.hpp). `eventually` properties are decided on the kept
// graph while one is kept (depth-first, drawings, small runs); otherwise
// level by level (sim/eventually_levels.hpp), with a second search
// (sim/eventually_search.hpp) only where that cannot decide. Limits
// (states, depth, memory) and an external stop flag end a run early with a
// partial report; a run can be saved to a checkpoint at intervals and when
// it stops, and resumed from one (sim/explorer_checkpoint.hpp). On several
// threads, breadth-first, the search goes a level at a time from a level's
// start on (sim/level_search.hpp), with the same states, numbering and
// report as one thread.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/bit_array.hpp"
#include "sim/checkpoint.hpp"
#include "sim/eventually.hpp"
#include "sim/eventually_levels.hpp"
#include "sim/eventually_search.hpp"
#include "sim/explore_options.hpp"
#include "sim/fingerprint.hpp"
#include "sim/growth_estimate.hpp"
#include "sim/frontier.hpp"
#include "sim/level_store.hpp"
#include "sim/memory.hpp"
#include "sim/por.hpp"
#include "sim/property.hpp"
#include "sim/report.hpp"
#include "sim/state_graph.hpp"
#include "sim/transition_system.hpp"
#include "sim/visited_set.hpp"
#include "sim/worker_pool.hpp"

namespace sim {

template <class M>
class LevelSearch;

template <class M>
class Explorer {
    friend class LevelSearch<M>;
    using State = typename M::State;
    using Action = typename M::Action;
    using Clock = std::chrono::steady_clock;

public:
    explicit Explorer(const M& model, ExploreOptions options = {})
        : model_(model), options_(std::move(options)), properties_(model.properties()) {}

    Explorer& breadth_first() { options_.order = Order::BreadthFirst; return *this; }
    Explorer& depth_first() { options_.order = Order::DepthFirst; return *this; }
    Explorer& max_states(std::uint64_t n) { options_.max_states = n; return *this; }
    Explorer& max_depth(std::uint32_t n) { options_.max_depth = n; return *this; }
    Explorer& max_memory(std::size_t bytes) { options_.max_memory = bytes; return *this; }
    Explorer& keep_graph(bool on = true) { options_.keep_graph = on; return *this; }
    Explorer& expected_states(std::uint64_t n) { options_.expected_states = n; return *this; }

    Report run();

    // After run(): the explored graph, and the graph index of each initial state.
    const StateGraph& graph() const { return *graph_; }
    const std::vector<std::uint32_t>& roots() const { return roots_; }

private:
    using Entry = FrontierEntry<State>;
    struct Successor {
        State state;
        std::uint64_t fp;
        std::uint32_t action;  // index into the enabled actions
        bool computed = true;  // false: `state` is not yet this successor (reduce_computed left it for C3)
    };

    // The successors of one state. Their slots are kept from one expansion to
    // the next, so a model that can write a successor into an existing State
    // (next_state into, transition_system.hpp) reuses its buffers.
    struct Successors {
        std::vector<Successor> slots;
        std::size_t size = 0;
        bool reduced = false;  // an ample set: some enabled actions were left out (sim/por.hpp)
        std::vector<std::uint32_t> ample;  // when reduced: the enabled actions taken, ascending
        // When reduced by a model that judges steps by their result: the
        // successors left out, in slots [size, size + deferred): their fps,
        // and their states unless a footprint asked for one
        // (Successor::computed), only when C3 takes them.
        std::size_t deferred = 0;
        std::uint64_t postponed = 0;  // enabled actions the ample set left out (counted when taken)
        std::vector<std::uint32_t> components;  // scratch of the ample set
        Successor* begin() { return slots.data(); }
        Successor* end() { return slots.data() + size; }
        void swap(Successors& o) {
            slots.swap(o.slots);
            std::swap(size, o.size);
            std::swap(reduced, o.reduced);
            ample.swap(o.ample);
            std::swap(deferred, o.deferred);
            std::swap(postponed, o.postponed);
            components.swap(o.components);
        }
    };
    // A state taken from the frontier (breadth-first, in batches) and not
    // yet expanded, with its successors once they are computed.
    struct Pending {
        Entry entry;
        Successors successors;
        std::vector<Action> enabled;
        bool ready = false;
    };
    std::size_t pending() const { return batch_end_ - batch_next_; }
    // Taken from the frontier and not yet expanded.
    std::size_t taken() const { return pending(); }
    // Takes the next states from the frontier and computes their successors
    // (threads: not past the level's end, sim/level_search.hpp takes over there).
    void take_batch(Frontier<M>& frontier);
    std::uint64_t open_step_mask() const;
    // Which of the step properties in `open_steps` (bit k: the k-th of
    // step_properties_) fail on the step s --a--> next.
    std::uint64_t step_failures(const State& s, const Action& a, const State& next, std::uint64_t open_steps) const;
    bool at_bound(std::uint32_t depth) const { return options_.max_depth != 0 && depth >= options_.max_depth; }
    void successors_of(const State& s, bool at_bound, std::vector<Action>& enabled, Successors& out);
    // The successor by enabled[a], into the next slot of out (false: disabled).
    bool add_successor(const State& s, const std::vector<Action>& enabled, std::uint32_t a, Successors& out);
    void fingerprint_successor(Successor& slot);  // its fp, and its visited-set slot prefetched
    void compute_successor(const State& s, const std::vector<Action>& enabled, Successor& slot);
    // The successors by the enabled actions the ample set of `taken` left out
    // (C3: the state is expanded in full after all).
    void remaining_successors(const State& s, const std::vector<Action>& enabled, const Successors& taken,
                              Successors& out);
    // The same without counting them (sim/level_search.hpp counts them in its replay).
    void other_successors(const State& s, const std::vector<Action>& enabled, const Successors& taken,
                          Successors& out);
    void reduce_computed(const State& s, const std::vector<Action>& enabled, Successors& out);
    bool reducing() const {
        if constexpr (has_footprint_v<M>) return options_.partial_order;
        else return false;
    }

    // Breadth-first with partial order, C3 asks a revisited state's index (its
    // level): the visited set keeps the indices.
    bool proviso_by_level() const { return options_.order == Order::BreadthFirst && reducing(); }
    // Past options_.eventually_graph_states: the kept graph goes, the levels
    // stay (`indices` false: the caller drops the visited set's indices itself).
    void drop_graph(bool indices = true) {
        graph_->drop_edges();
        if (indices && !proviso_by_level()) visited_->drop_indices();
        goals_.clear();
        graph_for_eventually_ = false;
        report_.memory.edges_dropped = true;
    }
    // Checks the state properties of a new state; returns its goal bits:
    // which eventually properties hold in it.
    std::uint64_t visit_new(const State& s, std::uint32_t index);
    // Whether a limit or the stop flag ends the run: its name, else nullptr.
    const char* limit_hit(std::size_t queue);
    void finish_eventually();
    // Breadth-first, the first state at `depth` is taken: every level up to
    // it is complete (a growth warning may be due).
    void level_complete(std::uint32_t depth);
    void start_from_initial_states(Frontier<M>& frontier, std::uint64_t all_goals);
    CheckpointIdentity checkpoint_identity() const;
    // With the states taken from the frontier and not yet expanded (pending()).
    void save_checkpoint(const Frontier<M>& frontier);
    void load_checkpoint(Frontier<M>& frontier);
    bool checkpointing() const { return !options_.checkpoint_file.empty(); }
    void found(std::size_t p, Status status, std::uint32_t index) {
        if (report_.properties[p].status == Status::Unknown) {
            report_.properties[p].status = status;
            report_.properties[p].trace = graph_->path_to(index);
        }
    }

    const M& model_;
    ExploreOptions options_;
    unsigned threads_ = 1;  // report_.threads, kept apart: the threads read it, the merge writes report_
    std::vector<Property<M>> properties_;
    std::optional<StateGraph> graph_;
    std::optional<VisitedSet> visited_;
    std::vector<std::uint32_t> roots_;
    BitArray goals_;                     // per state: which eventually properties hold there (kept graph)
    EventuallyLevels levels_;            // or, without a kept graph: the levels' P-free bits
    bool by_levels_ = false;             // levels_ follows the search
    bool graph_for_eventually_ = false;  // the kept graph decides them (until dropped)
    std::uint64_t dead_free_ = 0;        // eventually properties with a P-free path to a dead end
    std::vector<std::size_t> eventually_;  // their positions in properties_
    std::size_t steps_open_ = 0;           // step properties not yet violated
    Report report_;
    Clock::time_point start_, last_progress_;
    std::uint64_t expansions_ = 0;
    Successors successors_;  // of the state being expanded
    Successors rest_;        // C3: the successors an ample set left out
    std::map<std::string, std::uint64_t> outcomes_;  // final states by outcome
    std::vector<Pending> batch_;             // breadth-first: the states taken, [batch_next_, batch_end_) pending
    std::size_t batch_next_ = 0, batch_end_ = 0;
    std::vector<std::size_t> step_properties_;  // positions of the step properties in properties_
    double seconds_before_ = 0;               // a resumed run: the seconds of the runs before
    Clock::time_point last_checkpoint_;
    std::uint64_t expansions_at_checkpoint_ = 0;
    bool checkpoint_wanted_ = false;          // due: taken before the next expansion
    GrowthEstimate growth_;                   // the states of each level, for on_growth_warning
    std::size_t baseline_resident_ = 0;       // what the process held when the run began
    // Breadth-first: the first index of the level after the one being
    // expanded (a state with a smaller index lies at this level or before).
    std::uint32_t level_end_ = 0;
    // Last: destroyed (its threads joined) before anything they touch.
    std::unique_ptr<WorkerPool> pool_;  // threads > 1
};

template <class M>
Report Explorer<M>::run() {
    report_ = Report{};
    report_.witnesses_required = options_.require_witnesses;
    report_.reductions = model_reductions(model_);
    start_ = last_progress_ = last_checkpoint_ = Clock::now();
    expansions_ = expansions_at_checkpoint_ = 0;
    seconds_before_ = 0;
    checkpoint_wanted_ = false;
    growth_ = GrowthEstimate();
    baseline_resident_ = options_.on_growth_warning ? resident_bytes() : 0;
    eventually_.clear();
    steps_open_ = 0;
    step_properties_.clear();
    roots_.clear();
    outcomes_.clear();
    for (std::size_t p = 0; p < properties_.size(); ++p) {
        report_.properties.push_back({properties_[p].name, properties_[p].kind, properties_[p].rules, Status::Unknown, {}});
        if (properties_[p].kind == Kind::Eventually) eventually_.push_back(p);
        if (properties_[p].kind == Kind::Step) ++steps_open_, step_properties_.push_back(p);
    }
    if (eventually_.size() > 64) throw std::length_error("more than 64 eventually properties");
    goals_.set_width(eventually_.empty() ? 1 : static_cast<unsigned>(eventually_.size()));
    const std::size_t deadlock = report_.properties.size();
    if (options_.check_deadlock)
        report_.properties.push_back({"no-deadlock", Kind::Deadlock, deadlock_rules(model_), Status::Unknown, {}});
    const bool bfs = options_.order == Order::BreadthFirst;
    by_levels_ = bfs && !options_.keep_graph && !eventually_.empty() &&
                 eventually_.size() <= EventuallyLevels::kMaxProperties;
    graph_for_eventually_ = !eventually_.empty() && (!by_levels_ || options_.eventually_graph_states != 0);
    levels_ = EventuallyLevels();
    dead_free_ = 0;
    const std::uint64_t all_goals = eventually_.size() == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << eventually_.size()) - 1;
    const bool keep = options_.keep_graph || graph_for_eventually_;
    graph_.emplace(keep);
    visited_.emplace(keep || proviso_by_level());
    if (options_.expected_states != 0) visited_->reserve(options_.expected_states);

    Frontier<M> frontier(model_, bfs);
    // Breadth-first on one thread, states are taken from the frontier a
    // batch at a time and their successors computed ahead of their inserts:
    // each prefetch of a visited-set slot then has the time of several
    // expansions to complete. On several, a level at a time
    // (sim/level_search.hpp).
    batch_next_ = batch_end_ = 0;
    report_.threads = threads_ = bfs ? std::max(1u, options_.threads) : 1;
    if (threads_ > 1 && (!pool_ || pool_->threads() != threads_)) pool_ = std::make_unique<WorkerPool>(threads_);
    if (!options_.resume_file.empty()) {
        load_checkpoint(frontier);
    } else {
        start_from_initial_states(frontier, all_goals);
        level_end_ = static_cast<std::uint32_t>(graph_->size());
    }

    Entry entry;
    std::vector<Action> enabled;
    bool stopped = false;            // mid-expansion (max-states): that state is only partly expanded
    const char* stopping = nullptr;  // between two expansions: a limit or the stop flag
    while ((taken() != 0 || !frontier.empty()) && !stopped) {
        // Threads: level by level from a level's start on (sim/level_search.hpp).
        if constexpr (LevelStore<M>::possible) {
            if (threads_ > 1 && bfs && taken() == 0 && step_properties_.size() <= 64 &&
                (frontier.front_index() == level_end_ || frontier.front_index() == roots_.front())) {
                stopping = LevelSearch<M>(*this).run(frontier, stopped);
                break;
            }
        }
        if ((stopping = limit_hit(frontier.size() + taken()))) break;
        if (checkpoint_wanted_ && checkpointing()) save_checkpoint(frontier);
        if (bfs) {
            if (pending() == 0) take_batch(frontier);
            Pending& p = batch_[batch_next_++];
            std::swap(entry, p.entry);
            if (!p.ready) successors_of(entry.state, at_bound(entry.depth), p.enabled, p.successors);
            successors_.swap(p.successors);
            enabled.swap(p.enabled);
        } else {
            frontier.pop(false, entry);
            successors_of(entry.state, at_bound(entry.depth), enabled, successors_);
        }
        report_.transitions_postponed += successors_.postponed;
        if (entry.depth > report_.depth) {
            report_.depth = entry.depth;
            level_end_ = static_cast<std::uint32_t>(graph_->size());  // every state of this level is known
            if (bfs) level_complete(entry.depth);
        }
        const std::uint64_t free = by_levels_ ? levels_.expand(entry.fp, entry.depth) : 0;
        const bool at_bound = this->at_bound(entry.depth);
        if (!at_bound) graph_->begin_edges(entry.index);
        // One successor into the visited set, the graph and the frontier;
        // false once a limit stops the run. `revisited`: it was seen before.
        bool revisited = false;
        auto take = [&](Successor& next) {
            const std::uint32_t a = next.action;
            if (at_bound) {
                report_.stopped_by = "max-depth";
                return false;
            }
            ++report_.transitions;
            if (steps_open_ != 0) {
                const StepScope<M> scope(model_, entry.state, enabled[a], next.state);
                for (std::size_t k = 0; k < step_properties_.size(); ++k) {
                    const std::size_t p = step_properties_[k];
                    if (report_.properties[p].status != Status::Unknown) continue;
                    if (!properties_[p].step_holds(model_, entry.state, enabled[a], next.state)) {
                        report_.properties[p].status = Status::Violated;
                        report_.properties[p].trace = graph_->path_to(entry.index);
                        report_.properties[p].trace->actions.push_back(a);
                        --steps_open_;
                    }
                }
            }
            const std::uint64_t fp = next.fp;
            if (options_.max_states != 0 && graph_->size() >= options_.max_states && !visited_->contains(fp)) {
                report_.stopped_by = "max-states";
                stopped = true;
                return false;
            }
            if (by_levels_ && graph_for_eventually_ && graph_->size() == options_.eventually_graph_states)
                drop_graph();  // from here on, the levels alone
            auto [inserted, index] = visited_->insert(fp, static_cast<std::uint32_t>(graph_->size()));
            std::uint64_t goals = 0;
            if (inserted) {
                index = graph_->add_state(entry.index, a);
                goals = visit_new(next.state, index);
                frontier.push(next.state, fp, index, entry.depth + 1);
                growth_.found(entry.depth + 1);
            } else if (!bfs || index < level_end_) {
                revisited = true;  // C3 (sim/por.hpp): at this level or an earlier one (depth-first: at all)
            }
            if (by_levels_) levels_.edge(free, fp, inserted, ~goals & all_goals);
            graph_->add_edge(entry.index, index, a);
            return true;
        };
        std::uint32_t successors = static_cast<std::uint32_t>(successors_.size);
        bool going = true;
        for (Successor& next : successors_)
            if (!(going = take(next))) break;
        // C3 (sim/por.hpp): an ample set whose successor was seen before is
        // not enough: the state is expanded in full.
        if (going && successors_.reduced && revisited) {
            if (successors_.deferred != 0) {  // computed already
                report_.transitions_postponed -= successors_.deferred;
                ++report_.expanded_in_full;
                successors += static_cast<std::uint32_t>(successors_.deferred);
                for (std::size_t k = successors_.size; k < successors_.size + successors_.deferred; ++k) {
                    Successor& next = successors_.slots[k];
                    // Left for C3 by reduce_computed: its fp always, its state unless a footprint asked for it.
                    if (!next.computed) compute_successor(entry.state, enabled, next);
                    next.fp = fingerprint(next.state);
                    if (!take(next)) break;
                }
            } else {
                remaining_successors(entry.state, enabled, successors_, rest_);
                successors += static_cast<std::uint32_t>(rest_.size);
                for (Successor& next : rest_)
                    if (!take(next)) break;
            }
        }
        if (stopped) graph_->forget_edges(entry.index);  // only partly expanded
        if (at_bound && successors == 0) graph_->begin_edges(entry.index);
        if (successors == 0 && !at_bound) dead_free_ |= free;
        if (successors == 0) {  // at the bound too: no successor at all
            const bool final = is_final(model_, entry.state);
            if (options_.check_deadlock && !final) found(deadlock, Status::Violated, entry.index);
            if constexpr (detail::has_outcome<M>::value)
                if (final) ++outcomes_[model_.outcome(entry.state)];
        }
    }
    if (stopping) report_.stopped_by = stopping;
    report_.complete = frontier.empty() && taken() == 0 && report_.stopped_by.empty();
    if (!report_.complete && report_.stopped_by.empty()) report_.stopped_by = "interrupted";
    // Stopped between two expansions: saved, to be resumed.
    if (stopping && checkpointing()) save_checkpoint(frontier);
    finish_eventually();
    for (auto& p : report_.properties) {
        if (p.status != Status::Unknown) continue;
        if (p.kind == Kind::Sometimes) p.status = report_.complete ? Status::NotWitnessed : Status::Unknown;
        else if (report_.complete) p.status = Status::Holds;
    }
    report_.states = graph_->size();
    if (reducing())
        report_.reductions.push_back("partial order: ample sets, " + std::to_string(report_.transitions_postponed) +
                                     " enabled transitions postponed, " + std::to_string(report_.expanded_in_full) +
                                     " states expanded in full after all (sim/por.hpp; traces are real, not always "
                                     "the shortest)");
    report_.outcomes.assign(outcomes_.begin(), outcomes_.end());
    report_.seconds = seconds_before_ + std::chrono::duration<double>(Clock::now() - start_).count();
    report_.memory.visited = visited_->bytes();
    report_.memory.parents = graph_->log_bytes();
    report_.memory.edges = graph_->edge_bytes();
    report_.memory.eventually = (by_levels_ ? levels_.peak_bytes() : 0) + goals_.bytes();
    // Threads: the levels' stores too (sim/level_search.hpp).
    report_.memory.frontier_peak = std::max(report_.memory.frontier_peak, frontier.peak_bytes());
    report_.peak_rss = peak_resident_bytes();
    return report_;
}

template <class M>
void Explorer<M>::start_from_initial_states(Frontier<M>& frontier, std::uint64_t all_goals) {
    auto inits = model_.initial_states();
    for (std::uint32_t i = 0; i < inits.size(); ++i) {
        const std::uint64_t fp = fingerprint(inits[i]);
        auto [inserted, index] = visited_->insert(fp, static_cast<std::uint32_t>(graph_->size()));
        if (inserted) {
            graph_->add_state(StateGraph::root, i);
            const std::uint64_t goals = visit_new(inits[i], index);
            if (by_levels_) levels_.root(fp, ~goals & all_goals);
            frontier.push(inits[i], fp, index, 0);
            growth_.found(0);
        }
        roots_.push_back(index);
    }
}

}  // namespace sim

#include "sim/explorer_successors.hpp"  // successors_of and the ample sets' parts of Explorer
#include "sim/explorer_checkpoint.hpp"   // save_checkpoint, load_checkpoint
#include "sim/explorer_limits.hpp"       // limit_hit
#include "sim/explorer_properties.hpp"   // visit_new, finish_eventually
#include "sim/level_search.hpp"          // threads: the search level by level
