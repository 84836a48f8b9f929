// sim/distributed_explorer.hpp — breadth-first search over several ranks
// (processes, under MPI: sim/mpi_exchange.hpp), each owning the states whose
// fingerprint is its rank modulo the number of ranks.
//
// Level-synchronous: every rank expands its states of level d in index order,
// in rounds of kRound states; after each round the successors (fingerprint,
// key = (parent index, action), the parent's `eventually` bits, the encoded
// state) go to their owners in one all-to-all step. An owner drops what it
// visited at an earlier level and keeps, per new state, the smallest key and
// the state as that transition made it. When the level is done, the keys are
// ranked across ranks (sim/level_numbering.hpp), so every state gets the
// index one process gives it: the same states, transitions, numbering,
// verdicts and traces as Explorer without partial-order reduction, for every
// number of ranks. Each rank keeps for its states the fingerprint, index,
// parent and action; a trace is followed back one step per collective round.
//
// Properties: `always`, `sometimes` and `step` are checked where a state is
// expanded (its owner) or a transition taken (the parent's owner); the least
// index (or (parent, action)) of each across ranks is the one a single
// process reports first. `eventually` is decided by levels, as Explorer's
// sim/eventually_levels.hpp does, each owner keeping a new state's P-free
// bits; where that cannot decide, rank 0 searches again on its own
// (sim/eventually_search.hpp), as Explorer does: when a P-free path reaches
// a dead end (a violation, whose trace is needed), or an edge goes back (to
// this level or an earlier one) from a state a P-free path reaches. Only
// such an edge can close a P-free loop: on a P-free path from a root, the
// states before its first edge that does not go one level down all have
// their P-free bit, so that edge leaves a state with the bit set. No partial-order
// reduction (its cycle proviso reads the whole visited set); depth-first,
// checkpoints and a kept graph are Explorer's alone.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "sim/eventually_search.hpp"
#include "sim/exchange.hpp"
#include "sim/explorer.hpp"
#include "sim/level_numbering.hpp"

namespace sim {

// Whether a model's states can be sent between ranks: its codec, or bytes.
template <class M>
constexpr bool distributable_v = detail::has_codec<M>::value || std::is_trivially_copyable_v<typename M::State>;

template <class M>
class DistributedExplorer {
    using State = typename M::State;
    using Action = typename M::Action;
    using Clock = std::chrono::steady_clock;
    static_assert(distributable_v<M>, "a distributed search sends states: give the model encode/decode");

public:
    static constexpr std::size_t kRound = 4096;  // states a rank expands between two exchanges
    static constexpr std::uint64_t kNone = ~std::uint64_t{0};

    // options: order, threads, partial order, checkpoints and keep_graph are
    // not used (the caller refuses them); max_memory is per rank.
    DistributedExplorer(const M& model, ExploreOptions options, Exchange& net)
        : model_(model), options_(std::move(options)), net_(net), properties_(model.properties()) {}

    // Collective. On rank 0 the whole report; on the others the same counts
    // and statuses, without the outcome counts and with no `eventually` search.
    Report run();

private:
    struct Queued {  // a state of the level being expanded, owned here
        std::uint64_t fp;
        std::uint32_t index;
        std::uint64_t free;  // the P-free bits arriving from its predecessors
        std::size_t offset;  // its encoding in bytes_
        std::uint32_t length;
    };
    struct Candidate {  // a state of the next level, found this level
        std::uint64_t fp, key, free;
        std::size_t offset;
        std::uint32_t length;
    };
    struct LogEntry {  // a state owned here: how it was first reached
        std::uint32_t index, parent, action;
    };

    unsigned owner(std::uint64_t fp) const { return static_cast<unsigned>(fp % net_.size()); }
    void encode(const State& s, std::vector<unsigned char>& out) const {
        out.clear();
        if constexpr (detail::has_codec<M>::value) model_.encode(s, out);
        else out.assign(reinterpret_cast<const unsigned char*>(&s), reinterpret_cast<const unsigned char*>(&s) + sizeof s);
    }
    void decode(const unsigned char* p, std::size_t n, State& s) const {
        if constexpr (detail::has_codec<M>::value) model_.decode(p, n, s);
        else {
            if (n != sizeof s) throw std::runtime_error("a distributed message holds a state of the wrong size");
            std::memcpy(static_cast<void*>(&s), p, n);
        }
    }
    void start();
    // Expands this rank's level in rounds; false when a limit or the stop flag ended it.
    bool expand_level(std::uint32_t depth);
    void expand(const Queued& q, std::uint32_t depth, std::vector<std::vector<unsigned char>>& send);
    void receive(const std::vector<unsigned char>& bytes);
    // Numbers the candidates, makes them the next level; returns how many all ranks found.
    std::uint64_t next_level();
    void finish();
    std::vector<Trace> traces_to(const std::vector<std::uint64_t>& indices);
    std::uint64_t goal_bits(const State& s) const {
        std::uint64_t bits = 0;
        for (std::size_t e = 0; e < eventually_.size(); ++e)
            if (properties_[eventually_[e]].holds(model_, s)) bits |= std::uint64_t{1} << e;
        return bits;
    }

    const M& model_;
    ExploreOptions options_;
    Exchange& net_;
    std::vector<Property<M>> properties_;
    Report report_;
    Clock::time_point start_, last_progress_;
    std::vector<std::size_t> eventually_, step_properties_;
    std::uint64_t all_goals_ = 0;
    VisitedSet visited_{true};
    std::vector<LogEntry> log_;  // ascending index
    std::vector<Queued> level_;
    std::vector<unsigned char> bytes_;  // the level's encodings
    std::vector<Candidate> candidates_;
    std::unordered_map<std::uint64_t, std::size_t> candidate_of_;
    std::vector<unsigned char> arena_;  // the candidates' encodings
    std::uint64_t level_begin_ = 0, level_size_ = 0;  // the level being expanded, across ranks
    std::vector<std::uint64_t> first_;  // per property: the least index (step: key) meeting it here
    std::uint64_t transitions_ = 0, dead_free_ = 0, queue_peak_ = 0;
    std::uint64_t back_free_ = 0;  // per eventually property: an edge back left a P-free state
    bool bound_cut_ = false;
    std::string stopping_;
    std::map<std::string, std::uint64_t> outcomes_;
    State state_, next_;
    std::vector<Action> enabled_;
    std::vector<unsigned char> scratch_;
};

template <class M>
Report DistributedExplorer<M>::run() {
    start_ = last_progress_ = Clock::now();
    report_ = Report{};
    report_.witnesses_required = options_.require_witnesses;
    report_.reductions = model_reductions(model_);
    report_.ranks = net_.size();
    for (std::size_t p = 0; p < properties_.size(); ++p) {
        report_.properties.push_back({properties_[p].name, properties_[p].kind, properties_[p].rules, Status::Unknown, {}});
        if (properties_[p].kind == Kind::Eventually) eventually_.push_back(p);
        if (properties_[p].kind == Kind::Step) step_properties_.push_back(p);
    }
    if (eventually_.size() > 64) throw std::length_error("more than 64 eventually properties");
    all_goals_ = eventually_.size() == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << eventually_.size()) - 1;
    if (options_.check_deadlock)
        report_.properties.push_back({"no-deadlock", Kind::Deadlock, deadlock_rules(model_), Status::Unknown, {}});
    first_.assign(report_.properties.size(), kNone);
    start();
    for (std::uint32_t depth = 0;; ++depth) {
        if (!expand_level(depth)) break;
        if (level_size_ != 0) report_.depth = depth;
        if (next_level() == 0 || !stopping_.empty()) break;
    }
    finish();
    return report_;
}

// The initial states, numbered in their order (each fingerprint once) on
// every rank alike; each rank keeps its own. A root's log entry names its
// position among the initial states (as StateGraph's does).
template <class M>
void DistributedExplorer<M>::start() {
    const std::vector<State> inits = model_.initial_states();
    std::vector<std::uint64_t> seen;
    for (std::uint32_t i = 0; i < inits.size(); ++i) {
        const std::uint64_t fp = fingerprint(inits[i]);
        if (std::find(seen.begin(), seen.end(), fp) != seen.end()) continue;
        const auto index = static_cast<std::uint32_t>(seen.size());
        seen.push_back(fp);
        if (owner(fp) != net_.rank()) continue;
        visited_.insert(fp, index);
        log_.push_back({index, StateGraph::root, i});
        encode(inits[i], scratch_);
        level_.push_back({fp, index, all_goals_, bytes_.size(), static_cast<std::uint32_t>(scratch_.size())});
        bytes_.insert(bytes_.end(), scratch_.begin(), scratch_.end());
    }
    level_begin_ = 0;
    level_size_ = seen.size();
}

template <class M>
bool DistributedExplorer<M>::expand_level(std::uint32_t depth) {
    candidates_.clear();
    candidate_of_.clear();
    arena_.clear();
    std::vector<std::vector<unsigned char>> send(net_.size());
    std::vector<unsigned char> received;
    std::vector<std::size_t> from;
    for (std::size_t next = 0;;) {
        // Each round: is any rank's level left, and does a limit stop the run (on any rank)?
        std::vector<std::uint64_t> flags{next < level_.size(),
                                         options_.stop && options_.stop->load(std::memory_order_relaxed),
                                         options_.max_memory != 0 && resident_bytes() > options_.max_memory};
        net_.all_reduce(flags, Reduce::Max);
        if (flags[1] != 0 || flags[2] != 0) {
            stopping_ = flags[1] != 0 ? "interrupted" : "max-memory";
            return false;
        }
        if (flags[0] == 0) return true;
        for (auto& s : send) s.clear();
        for (const std::size_t end = std::min(level_.size(), next + kRound); next < end; ++next) expand(level_[next], depth, send);
        receive(send[net_.rank()]);  // its own, without a copy through the exchange
        send[net_.rank()].clear();
        net_.all_to_all(send, received, from);
        receive(received);
    }
}

// One state of this rank's level: its state properties, then each
// successor (in action order) with its step properties, sent to its owner.
template <class M>
void DistributedExplorer<M>::expand(const Queued& q, std::uint32_t depth, std::vector<std::vector<unsigned char>>& send) {
    decode(bytes_.data() + q.offset, q.length, state_);
    const std::uint64_t free = eventually_.empty() ? 0 : q.free & ~goal_bits(state_) & all_goals_;
    for (std::size_t p = 0; p < properties_.size(); ++p) {
        const auto& prop = properties_[p];
        if (first_[p] != kNone) continue;  // the first here is the least here: indices only grow
        if ((prop.kind == Kind::Always && !prop.holds(model_, state_)) ||
            (prop.kind == Kind::Sometimes && prop.holds(model_, state_)))
            first_[p] = q.index;
    }
    enabled_.clear();
    model_.actions(state_, enabled_);
    const bool at_bound = options_.max_depth != 0 && depth >= options_.max_depth;
    std::uint32_t successors = 0;
    for (std::uint32_t a = 0; a < enabled_.size(); ++a) {
        if (!next_state_into(model_, state_, enabled_[a], next_)) continue;
        ++successors;
        if (at_bound) {  // one is enough to know the bound cut something
            bound_cut_ = true;
            break;
        }
        ++transitions_;
        const std::uint64_t key = level_key(q.index, a);
        std::optional<StepScope<M>> scope;
        for (std::size_t p : step_properties_) {
            if (first_[p] != kNone) continue;
            if (!scope) scope.emplace(model_, state_, enabled_[a], next_);
            if (!properties_[p].step_holds(model_, state_, enabled_[a], next_)) first_[p] = key;
        }
        const std::uint64_t fp = fingerprint(next_);
        encode(next_, scratch_);
        Packer out(send[owner(fp)]);
        out.put(fp);
        out.put(key);
        out.put(free);
        out.put(static_cast<std::uint32_t>(scratch_.size()));
        out.bytes(scratch_.data(), scratch_.size());
    }
    if (successors == 0) {
        if (!at_bound) dead_free_ |= free;
        const bool final = is_final(model_, state_);
        if (options_.check_deadlock && !final && first_.back() == kNone) first_.back() = q.index;
        if constexpr (detail::has_outcome<M>::value)
            if (final) ++outcomes_[model_.outcome(state_)];
    }
}

// Successors sent here: a state of an earlier level is an edge back; a new
// one keeps its least key, the state as that transition made it (the
// representative a trace replays), and every predecessor's P-free bits.
template <class M>
void DistributedExplorer<M>::receive(const std::vector<unsigned char>& bytes) {
    Unpacker in(bytes.data(), bytes.size());
    while (!in.done()) {
        const auto fp = in.get<std::uint64_t>(), key = in.get<std::uint64_t>(), free = in.get<std::uint64_t>();
        const auto length = in.get<std::uint32_t>();
        const unsigned char* state = in.take(length);
        if (visited_.contains(fp)) {
            back_free_ |= free;  // an edge back from a state a P-free path reaches
            continue;
        }
        const auto [at, fresh] = candidate_of_.try_emplace(fp, candidates_.size());
        if (fresh) candidates_.push_back({fp, key, free, 0, 0});
        Candidate& c = candidates_[at->second];
        c.free |= free;
        if (fresh || key < c.key) {
            c.key = key;
            c.offset = arena_.size();
            c.length = length;
            arena_.insert(arena_.end(), state, state + length);
        }
    }
}

template <class M>
std::uint64_t DistributedExplorer<M>::next_level() {
    std::vector<std::uint64_t> keys(candidates_.size());
    for (std::size_t i = 0; i < keys.size(); ++i) keys[i] = candidates_[i].key;
    std::uint64_t total = 0;
    const std::vector<std::uint64_t> positions = rank_keys(net_, keys, level_begin_, level_size_, total);
    const std::uint64_t begin = level_begin_ + level_size_;
    std::uint64_t keep = total;
    if (options_.max_states != 0 && begin + total > options_.max_states) {
        keep = options_.max_states > begin ? options_.max_states - begin : 0;
        stopping_ = "max-states";
    }
    if (begin + keep >= StateGraph::root) throw std::length_error("more than 4294967294 states");
    std::vector<Queued> level;
    std::vector<unsigned char> bytes;
    const std::size_t logged = log_.size();
    for (std::size_t i = 0; i < candidates_.size(); ++i) {
        if (positions[i] >= keep) continue;
        const Candidate& c = candidates_[i];
        const auto index = static_cast<std::uint32_t>(begin + positions[i]);
        visited_.insert(c.fp, index);
        log_.push_back({index, static_cast<std::uint32_t>(c.key >> 32), static_cast<std::uint32_t>(c.key)});
        level.push_back({c.fp, index, c.free, bytes.size(), c.length});
        bytes.insert(bytes.end(), arena_.begin() + static_cast<std::ptrdiff_t>(c.offset),
                     arena_.begin() + static_cast<std::ptrdiff_t>(c.offset + c.length));
    }
    auto by_index = [](const auto& a, const auto& b) { return a.index < b.index; };
    std::sort(log_.begin() + static_cast<std::ptrdiff_t>(logged), log_.end(), by_index);
    std::sort(level.begin(), level.end(), by_index);
    level_.swap(level);
    bytes_.swap(bytes);
    queue_peak_ = std::max<std::uint64_t>(queue_peak_, bytes_.size() + level_.size() * sizeof(Queued) + arena_.size() +
                                                           candidates_.size() * sizeof(Candidate));
    level_begin_ = begin;
    level_size_ = keep;
    if (options_.on_progress) {
        std::vector<std::uint64_t> t{transitions_};
        net_.all_reduce(t, Reduce::Sum);
        const auto now = Clock::now();
        if (net_.rank() == 0 && now - last_progress_ >= std::chrono::seconds(1)) {
            last_progress_ = now;
            options_.on_progress(Progress{begin + keep, t[0], report_.depth, static_cast<std::size_t>(keep),
                                          std::chrono::duration<double>(now - start_).count(), resident_bytes()});
        }
    }
    return keep;
}

// Follows each index back to its root, one step per collective round: the
// rank that owns the state at the cursor says its parent and action.
template <class M>
std::vector<Trace> DistributedExplorer<M>::traces_to(const std::vector<std::uint64_t>& indices) {
    const std::size_t n = indices.size();
    std::vector<Trace> traces(n);
    std::vector<std::uint64_t> cursor = indices;
    std::vector<bool> open(n, true);
    while (std::find(open.begin(), open.end(), true) != open.end()) {
        std::vector<std::uint64_t> step(3 * n, 0);
        for (std::size_t i = 0; i < n; ++i) {
            if (!open[i]) continue;
            const auto at = std::lower_bound(log_.begin(), log_.end(), cursor[i],
                                             [](const LogEntry& e, std::uint64_t index) { return e.index < index; });
            if (at == log_.end() || at->index != cursor[i]) continue;
            step[3 * i] = 1;
            step[3 * i + 1] = at->parent;
            step[3 * i + 2] = at->action;
        }
        net_.all_reduce(step, Reduce::Sum);
        for (std::size_t i = 0; i < n; ++i) {
            if (!open[i]) continue;
            if (step[3 * i] != 1) throw std::logic_error("a traced state is owned by no rank, or by several");
            if (step[3 * i + 1] == StateGraph::root) {
                traces[i].initial = static_cast<std::uint32_t>(step[3 * i + 2]);
                open[i] = false;
            } else {
                traces[i].actions.push_back(static_cast<std::uint32_t>(step[3 * i + 2]));
                cursor[i] = step[3 * i + 1];
            }
        }
    }
    for (auto& t : traces) std::reverse(t.actions.begin(), t.actions.end());
    return traces;
}

template <class M>
void DistributedExplorer<M>::finish() {
    const std::size_t n = report_.properties.size(), events = eventually_.size();
    net_.all_reduce(first_, Reduce::Min);
    std::vector<std::uint64_t> sums{transitions_, visited_.bytes(), log_.capacity() * sizeof(LogEntry), queue_peak_};
    net_.all_reduce(sums, Reduce::Sum);
    std::vector<std::uint64_t> maxes{bound_cut_, peak_resident_bytes()};
    for (std::size_t e = 0; e < events; ++e) maxes.push_back((dead_free_ | back_free_) >> e & 1);
    net_.all_reduce(maxes, Reduce::Max);
    report_.states = level_begin_ + level_size_;
    report_.transitions = sums[0];
    report_.memory.visited = sums[1];
    report_.memory.parents = sums[2];
    report_.memory.frontier_peak = sums[3];
    report_.peak_rss = maxes[1];
    report_.stopped_by = !stopping_.empty() ? stopping_ : maxes[0] != 0 ? "max-depth" : "";
    report_.complete = report_.stopped_by.empty();
    // The first state (or transition) of each property, as one process finds it.
    std::vector<std::uint64_t> cursors;
    for (std::size_t p = 0; p < n; ++p)
        if (first_[p] != kNone) cursors.push_back(report_.properties[p].kind == Kind::Step ? first_[p] >> 32 : first_[p]);
    const std::vector<Trace> traces = traces_to(cursors);
    for (std::size_t p = 0, t = 0; p < n; ++p) {
        if (first_[p] == kNone) continue;
        auto& result = report_.properties[p];
        result.status = result.kind == Kind::Sometimes ? Status::Witnessed : Status::Violated;
        result.trace = traces[t++];
        if (result.kind == Kind::Step) result.trace->actions.push_back(static_cast<std::uint32_t>(first_[p]));
    }
    // The final states by outcome, counted on rank 0.
    std::vector<unsigned char> mine;
    Packer out(mine);
    for (const auto& [outcome, count] : outcomes_) out.text(outcome), out.put(count);
    std::map<std::string, std::uint64_t> outcomes;
    for (const auto& bytes : net_.gather(mine)) {
        Unpacker in(bytes.data(), bytes.size());
        while (!in.done()) {
            const std::string outcome = in.text();
            outcomes[outcome] += in.get<std::uint64_t>();
        }
    }
    report_.outcomes.assign(outcomes.begin(), outcomes.end());
    // `eventually`: by levels; searched again on rank 0 where that cannot
    // decide (the other ranks leave those undecided: rank 0 reports).
    std::vector<bool> undecided(n, false);
    for (std::size_t e = 0; e < events; ++e) {
        auto& result = report_.properties[eventually_[e]];
        EventuallyResult r;
        if (maxes[2 + e] != 0) {
            if (net_.rank() != 0) {
                undecided[eventually_[e]] = true;
                continue;
            }
            r = search_eventually_again(model_, properties_[eventually_[e]],
                                        EventuallySearchLimits{options_.max_states, options_.stop}, report_);
        } else {
            r.reached_unexpanded = !report_.complete;
        }
        record_eventually(r, report_.complete, result);
    }
    for (std::size_t k = 0; k < n; ++k) {
        auto& p = report_.properties[k];
        if (p.status != Status::Unknown || undecided[k]) continue;
        if (p.kind == Kind::Sometimes) p.status = report_.complete ? Status::NotWitnessed : Status::Unknown;
        else if (report_.complete) p.status = Status::Holds;
    }
    report_.seconds = std::chrono::duration<double>(Clock::now() - start_).count();
}

}  // namespace sim
