// sim/distributed_explorer.hpp — breadth-first search over several ranks
// (processes, under MPI: sim/mpi_exchange.hpp), each owning the states whose
// fingerprint is its rank modulo the number of ranks.
//
// Level-synchronous: every rank expands its states of level d in index order,
// in rounds of kRound states; after each round the successors (fingerprint,
// key = (parent index, action), the parent's `eventually` bits) go to their
// owners, which ask for the encoded states they need (sim/distributed_round.hpp).
// An owner drops what it visited at an earlier level and keeps, per new
// state, the smallest key and the state as that transition made it. When
// the level is done, the keys are ranked across ranks
// (sim/level_numbering.hpp), so every state gets the
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
// bits. That decides unless an edge goes back (to this level or an earlier
// one) from a state a P-free path reaches: only such an edge can close a
// P-free loop (on a P-free path from a root, the states before its first
// edge that does not go one level down all have their P-free bit, so that
// edge leaves a state with the bit set). Then the ranks decide over the
// edges they kept (sim/distributed_eventually.hpp). A violation (a P-free
// path into a dead end, or a P-free loop) is searched again by rank 0 alone
// (sim/eventually_search.hpp), for the trace one process reports. No
// partial-order reduction (its cycle proviso needs each ample successor's
// level, an owner's answer this exchange does not carry yet); depth-first,
// checkpoints and a kept graph are Explorer's alone.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "sim/eventually_search.hpp"
#include "sim/exchange.hpp"
#include "sim/explorer.hpp"
#include "sim/level_numbering.hpp"
#include "sim/zero_runs.hpp"

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
    // not used (the caller refuses them); max_memory is per rank; each rank
    // may have on_progress or not (rank 0 alone prints, say).
    DistributedExplorer(const M& model, ExploreOptions options, Exchange& net)
        : model_(model), options_(std::move(options)), net_(net), properties_(model.properties()) {}

    // Collective. On rank 0 the whole report; on the others the same counts
    // and statuses, without the outcome counts and with no `eventually` search.
    Report run();

private:
    // A state's encoding, squeezed (sim/zero_runs.hpp): where it is kept,
    // its length, and the length of the plain encoding.
    struct Packed {
        std::size_t offset = 0;
        std::uint32_t length = 0, raw = 0;
    };
    struct Queued {  // a state of the level being expanded, owned here
        std::uint64_t fp;
        std::uint32_t index;
        std::uint64_t free;  // the P-free bits arriving from its predecessors
        Packed at;           // in bytes_
    };
    struct Candidate {  // a state of the next level, found this level
        std::uint64_t fp, key, free;
        Packed at;  // in arena_
    };
    struct Asked {  // a successor's encoding this rank asked for: for which candidate, by which key
        std::size_t candidate;
        std::uint64_t key;
    };
    struct LogEntry {  // a state owned here: how it was first reached
        std::uint32_t index, parent, action;
    };
    struct Noted {  // a state expanded here, for `eventually` (sim/distributed_eventually.hpp)
        std::uint32_t index;
        std::uint64_t goals;  // the eventually properties that hold there
        std::size_t begin;    // its successors' fingerprints in noted_edges_ (when one fails there)
        std::uint32_t count;
        bool dead;            // no successor at all
    };

    unsigned owner(std::uint64_t fp) const { return static_cast<unsigned>(fp % net_.size()); }
    // The state, encoded and squeezed, appended to `out`.
    Packed pack(const State& s, std::vector<unsigned char>& out);
    void unpack(const unsigned char* p, const Packed& at, State& s);
    void start();
    // Expands this rank's level in rounds (sim/distributed_round.hpp);
    // false when a limit or the stop flag ended it.
    bool expand_level(std::uint32_t depth);
    void expand(const Queued& q, std::uint32_t depth);
    // A round's three exchanges: what was found, which encodings the owners want, those.
    void exchange_round();
    // Numbers the candidates, makes them the next level; returns how many all ranks found.
    std::uint64_t next_level();
    void finish();
    void note_expansion(std::uint32_t index, std::uint64_t goals, bool dead);
    std::size_t noted_position(std::uint64_t fp) const;
    // Collective, after a complete search: whether no P-free path (P the
    // e-th eventually property) from a root loops or ends.
    bool free_of_violations(std::size_t e);
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
    std::vector<unsigned char> scratch_, zeros_, plain_;  // pack/unpack's buffers
    // The round: per owner, the successors found (fingerprint, key, P-free
    // bits) and where their encodings are in round_bytes_.
    std::vector<std::vector<unsigned char>> heads_;
    std::vector<std::vector<Packed>> sent_;
    std::vector<unsigned char> round_bytes_;
    std::vector<Noted> noted_;
    std::vector<std::uint64_t> noted_edges_;
    std::size_t noted_edges_begin_ = 0;
    std::uint64_t roots_ = 0;  // the initial states: indices [0, roots_)
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
        level_.push_back({fp, index, all_goals_, pack(inits[i], bytes_)});
    }
    level_begin_ = 0;
    level_size_ = roots_ = seen.size();
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
        level.push_back({c.fp, index, c.free, {bytes.size(), c.at.length, c.at.raw}});
        bytes.insert(bytes.end(), arena_.begin() + static_cast<std::ptrdiff_t>(c.at.offset),
                     arena_.begin() + static_cast<std::ptrdiff_t>(c.at.offset + c.at.length));
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
    // Progress: the transitions so far, summed on every rank (a collective
    // step every rank takes, whether or not it prints: only some may).
    std::vector<std::uint64_t> t{transitions_};
    net_.all_reduce(t, Reduce::Sum);
    const auto now = Clock::now();
    if (options_.on_progress && now - last_progress_ >= std::chrono::seconds(1)) {
        last_progress_ = now;
        options_.on_progress(Progress{begin + keep, t[0], report_.depth, static_cast<std::size_t>(keep),
                                      std::chrono::duration<double>(now - start_).count(), resident_bytes()});
    }
    return keep;
}

}  // namespace sim

#include "sim/distributed_round.hpp"   // expand_level, expand, exchange_round, pack, unpack
#include "sim/distributed_finish.hpp"  // finish, traces_to
#include "sim/distributed_eventually.hpp"  // note_expansion, free_of_violations
