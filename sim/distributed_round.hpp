// sim/distributed_round.hpp — one level of DistributedExplorer, in rounds.
// Included by sim/distributed_explorer.hpp.
//
// Each round a rank expands up to kRound states of its level, then three
// all-to-all steps:
//   1. heads: per successor its fingerprint, key (parent index, action) and
//      the parent's P-free bits, to the successor's owner (24 bytes each);
//   2. asks: each owner answers which successors it wants the state of: one
//      it has not seen at this level, or one that arrives by a smaller key
//      (the state as that transition made it is the representative kept);
//      a state of an earlier level, or one already held by a smaller key,
//      needs nothing (most successors are such: three in four on example5);
//   3. states: the encodings asked for, squeezed (sim/zero_runs.hpp), each
//      kept only if it is still the one of its state's least key.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "sim/distributed_explorer.hpp"

namespace sim {

template <class M>
typename DistributedExplorer<M>::Packed DistributedExplorer<M>::pack(const State& s, std::vector<unsigned char>& out) {
    scratch_.clear();
    if constexpr (detail::has_codec<M>::value) {
        model_.encode(s, scratch_);
    } else {
        const auto* p = reinterpret_cast<const unsigned char*>(&s);
        scratch_.assign(p, p + sizeof s);
    }
    if (zeros_.size() < scratch_.size()) zeros_.resize(scratch_.size(), 0);
    Packed at{out.size(), 0, static_cast<std::uint32_t>(scratch_.size())};
    out.resize(at.offset + squeezed_bound(scratch_.size()));
    at.length = static_cast<std::uint32_t>(squeeze_zero_runs(scratch_.data(), zeros_.data(), scratch_.size(), out.data() + at.offset));
    out.resize(at.offset + at.length);
    return at;
}

template <class M>
void DistributedExplorer<M>::unpack(const unsigned char* p, const Packed& at, State& s) {
    if (zeros_.size() < at.raw) zeros_.resize(at.raw, 0);
    if (plain_.size() < at.raw) plain_.resize(at.raw);
    const std::size_t n = expand_zero_runs(p + at.offset, at.length, zeros_.data(), plain_.data(), at.raw);
    if (n != at.raw) throw std::runtime_error("a distributed message holds a state of the wrong length");
    if constexpr (detail::has_codec<M>::value) {
        model_.decode(plain_.data(), n, s);
    } else {
        if (n != sizeof s) throw std::runtime_error("a distributed message holds a state of the wrong size");
        std::memcpy(static_cast<void*>(&s), plain_.data(), n);
    }
}

template <class M>
bool DistributedExplorer<M>::expand_level(std::uint32_t depth) {
    candidates_.clear();
    candidate_of_.clear();
    arena_.clear();
    heads_.assign(net_.size(), {});
    sent_.assign(net_.size(), {});
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
        for (unsigned r = 0; r < net_.size(); ++r) heads_[r].clear(), sent_[r].clear();
        round_bytes_.clear();
        for (const std::size_t end = std::min(level_.size(), next + kRound); next < end; ++next) expand(level_[next], depth);
        exchange_round();
    }
}

// One state of this rank's level: its state properties, then each
// successor (in action order) with its step properties, for its owner.
template <class M>
void DistributedExplorer<M>::expand(const Queued& q, std::uint32_t depth) {
    unpack(bytes_.data(), q.at, state_);
    const std::uint64_t goals = eventually_.empty() ? 0 : goal_bits(state_);
    const std::uint64_t free = q.free & ~goals & all_goals_;
    const bool noting = (~goals & all_goals_) != 0;  // its edges, for free_of_violations
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
        const unsigned to = owner(fp);
        Packer head(heads_[to]);
        head.put(fp);
        head.put(key);
        head.put(free);
        sent_[to].push_back(pack(next_, round_bytes_));
        if (noting) noted_edges_.push_back(fp);
    }
    if (!eventually_.empty()) note_expansion(q.index, goals, successors == 0 && !at_bound);
    if (successors == 0) {
        if (!at_bound) dead_free_ |= free;
        const bool final = is_final(model_, state_);
        if (options_.check_deadlock && !final && first_.back() == kNone) first_.back() = q.index;
        if constexpr (detail::has_outcome<M>::value)
            if (final) ++outcomes_[model_.outcome(state_)];
    }
}

template <class M>
void DistributedExplorer<M>::exchange_round() {
    const unsigned ranks = net_.size();
    std::vector<unsigned char> received;
    std::vector<std::size_t> from;
    // 1. The heads, to their owners.
    net_.all_to_all(heads_, received, from);
    std::vector<std::vector<unsigned char>> asks(ranks);
    std::vector<std::vector<Asked>> asked(ranks);  // per source rank, in the order asked
    Unpacker in(received.data(), received.size());
    for (unsigned r = 0; r < ranks; ++r) {
        Packer ask(asks[r]);
        for (std::uint32_t item = 0; item < from[r] / 24; ++item) {
            const auto fp = in.get<std::uint64_t>(), key = in.get<std::uint64_t>(), free = in.get<std::uint64_t>();
            if (visited_.contains(fp)) {
                back_free_ |= free;  // an edge back from a state a P-free path reaches
                continue;
            }
            const auto [at, fresh] = candidate_of_.try_emplace(fp, candidates_.size());
            if (fresh) candidates_.push_back({fp, key, free, {}});
            Candidate& c = candidates_[at->second];
            c.free |= free;
            if (!fresh && key >= c.key) continue;
            c.key = key;
            ask.put(item);
            asked[r].push_back({at->second, key});
        }
    }
    if (!in.done()) throw std::runtime_error("a distributed message of successors has a partial entry");
    // 2. The asks, back to the successors' senders; 3. the states asked for.
    net_.all_to_all(asks, received, from);
    std::vector<std::vector<unsigned char>> states(ranks);
    Unpacker wanted(received.data(), received.size());
    for (unsigned r = 0; r < ranks; ++r) {
        Packer out(states[r]);
        for (std::size_t n = from[r] / sizeof(std::uint32_t); n > 0; --n) {
            const auto item = wanted.get<std::uint32_t>();
            if (item >= sent_[r].size()) throw std::runtime_error("a distributed message asks for a state never sent");
            const Packed& p = sent_[r][item];
            out.put(p.raw);
            out.put(p.length);
            out.bytes(round_bytes_.data() + p.offset, p.length);
        }
    }
    net_.all_to_all(states, received, from);
    Unpacker got(received.data(), received.size());
    for (unsigned r = 0; r < ranks; ++r) {
        for (const Asked& a : asked[r]) {
            const auto raw = got.get<std::uint32_t>(), length = got.get<std::uint32_t>();
            const unsigned char* state = got.take(length);
            Candidate& c = candidates_[a.candidate];
            if (c.key != a.key) continue;  // a smaller key came later in this round
            c.at = Packed{arena_.size(), length, raw};
            arena_.insert(arena_.end(), state, state + length);
        }
    }
    if (!got.done()) throw std::runtime_error("a distributed message holds more states than were asked for");
}

}  // namespace sim
