// sim/level_store.hpp — where one thread of sim/level_search.hpp keeps the
// states it found in a level (the candidates for the next one), until that
// level is expanded.
//
// Each state as its encoding, XORed with the one stored before it and its
// zero runs squeezed (sim/zero_runs.hpp), as the frontier keeps them, but in
// chains of kChain: the first of a chain is XORed with zeros, so any thread
// can decode a chain on its own, from its start. With each state what the
// search found out about it when it was stored (which properties it fires,
// its goal bits) and, once the replay has made it a new state, its position
// in the next level; a candidate that turned out to be known keeps none and
// is only decoded past (two threads may each store a state one level finds
// twice: sim/level_claims.hpp keeps that rare).
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <type_traits>
#include <vector>

#include "sim/frontier.hpp"
#include "sim/zero_runs.hpp"

namespace sim {

template <class M>
class LevelStore {
    using State = typename M::State;

public:
    // A model whose states are kept as bytes: its codec, or the State's own.
    static constexpr bool possible = detail::has_codec<M>::value || std::is_trivially_copyable_v<State>;
    static void encode(const M& model, const State& s, std::vector<unsigned char>& out) {
        if constexpr (detail::has_codec<M>::value) {
            model.encode(s, out);
        } else {
            out.resize(sizeof(State));
            std::memcpy(out.data(), &s, sizeof(State));
        }
    }
    static void decode(const M& model, const unsigned char* bytes, std::size_t n, State& s) {
        if constexpr (detail::has_codec<M>::value) {
            model.decode(bytes, n, s);
        } else {
            (void)model, (void)n;
            std::memcpy(&s, bytes, sizeof(State));
        }
    }

    static constexpr std::uint32_t kChain = 32;
    static constexpr std::uint32_t kNone = ~std::uint32_t{0};

    // A state of a level: its fingerprint, index and depth.
    struct Queued {
        std::uint64_t fp;
        std::uint32_t index, depth;
    };
    // Stored states [begin, end) of one thread's store: one chain, or its start.
    struct Chain {
        std::uint32_t thread, begin, end;
        std::uint32_t first;  // the least position it holds
    };
    struct Stored {
        std::uint64_t offset = 0;
        std::uint64_t fp = 0;
        std::uint64_t goals = 0;        // which eventually properties hold in it
        std::uint32_t length = 0, raw_length = 0;
        std::uint32_t fired_begin = 0;  // its first in `fired` (they end where the next one's begin)
        std::uint32_t position = kNone; // in the next level
    };
    std::vector<std::uint32_t> fired;  // properties a stored state violates (always) or witnesses (sometimes)

    void clear() {
        in_use_ = fill_ = used_ = 0;
        states_.clear();
        fired.clear();
        std::fill(base_.begin(), base_.end(), 0);
        in_chain_ = 0;
    }
    // Stores s; returns its number.
    std::uint32_t push(const M& model, const State& s) {
        raw_.clear();
        encode(model, s, raw_);
        const std::size_t n = raw_.size();
        if (in_chain_ == kChain) {
            std::fill(base_.begin(), base_.end(), 0);
            in_chain_ = 0;
        }
        if (base_.size() < n) base_.resize(n, 0);
        if (squeezed_.size() < squeezed_bound(n)) squeezed_.resize(squeezed_bound(n));
        // Squeezed once the store holds plain_bytes_: below that, as literals (no search).
        const std::size_t length = used_ < plain_bytes_
                                       ? xor_as_literals(raw_.data(), base_.data(), n, squeezed_.data())
                                       : squeeze_zero_runs(raw_.data(), base_.data(), n, squeezed_.data());
        Stored stored;
        stored.offset = reserve(length);
        stored.length = static_cast<std::uint32_t>(length);
        stored.raw_length = static_cast<std::uint32_t>(n);
        std::memcpy(data(stored.offset), squeezed_.data(), length);
        // The next one's base: this one, zeros past it.
        std::memcpy(base_.data(), raw_.data(), n);
        std::fill(base_.begin() + static_cast<std::ptrdiff_t>(n), base_.end(), 0);
        ++in_chain_;
        states_.push_back(stored);
        return static_cast<std::uint32_t>(states_.size() - 1);
    }
    // The properties stored state k fires: [first, second) in `fired`.
    std::pair<std::uint32_t, std::uint32_t> fired_of(std::uint32_t k) const {
        return {states_[k].fired_begin,
                k + 1 < states_.size() ? states_[k + 1].fired_begin : static_cast<std::uint32_t>(fired.size())};
    }
    Stored& at(std::uint32_t k) { return states_[k]; }
    const Stored& at(std::uint32_t k) const { return states_[k]; }
    std::size_t size() const { return states_.size(); }

    // The chains that hold a state of the next level, each up to its last
    // such state, appended to `out`.
    void chains(std::uint32_t thread, std::vector<Chain>& out) const {
        for (std::uint32_t begin = 0; begin < states_.size(); begin += kChain) {
            const std::uint32_t end = std::min<std::uint32_t>(begin + kChain, static_cast<std::uint32_t>(states_.size()));
            std::uint32_t last = end, first = kNone;
            while (last > begin && states_[last - 1].position == kNone) --last;
            for (std::uint32_t k = begin; k < last; ++k) first = std::min(first, states_[k].position);
            if (last > begin) out.push_back(Chain{thread, begin, last, first});
        }
    }
    std::size_t stored_bytes() const { return used_; }  // the states' own
    std::size_t bytes() const {
        return blocks_.size() * kBlock + states_.capacity() * sizeof(Stored) + fired.capacity() * sizeof(std::uint32_t);
    }

    // One thread's decoder: a chain's states in order, f(position, encoding,
    // length) for those with a position.
    class Reader {
    public:
        template <class F>
        void read(const LevelStore& store, const Chain& chain, F&& f) {
            std::fill(base_.begin(), base_.end(), 0);
            for (std::uint32_t k = chain.begin; k < chain.end; ++k) {
                const Stored& x = store.states_[k];
                if (base_.size() < x.raw_length) base_.resize(x.raw_length, 0);
                const std::size_t n =
                    expand_zero_runs(store.data(x.offset), x.length, base_.data(), base_.data(), base_.size());
                std::fill(base_.begin() + static_cast<std::ptrdiff_t>(n), base_.end(), 0);
                if (x.position != kNone) f(x.position, base_.data(), n);
            }
        }
        // The same, each state decoded into s: f(position).
        template <class F>
        void read(const LevelStore& store, const Chain& chain, const M& model, State& s, F&& f) {
            read(store, chain, [&](std::uint32_t position, const unsigned char* bytes, std::size_t n) {
                decode(model, bytes, n, s);
                f(position);
            });
        }

    private:
        std::vector<unsigned char> base_;
    };

    // Every state of a level, in position order: f(position, encoding,
    // length), for a checkpoint or a stop (not per level). A window of
    // positions at a time, their encodings kept (about 4 MiB), each window
    // decoding only the chains that hold one of its positions (a thread's
    // chains hold positions that mostly grow).
    template <class StoreOf, class F>
    static void in_order(std::size_t states, StoreOf store_of, const std::vector<Chain>& chains, F&& f) {
        std::vector<std::pair<std::uint32_t, std::uint32_t>> span(chains.size(), {kNone, 0});  // least, greatest
        std::size_t longest = 1;
        for (std::size_t c = 0; c < chains.size(); ++c)
            for (std::uint32_t k = chains[c].begin; k < chains[c].end; ++k) {
                const Stored& x = store_of(chains[c].thread).states_[k];
                longest = std::max<std::size_t>(longest, x.raw_length);
                if (x.position == kNone) continue;
                span[c].first = std::min(span[c].first, x.position);
                span[c].second = std::max(span[c].second, x.position);
            }
        const std::size_t window_size = std::max<std::size_t>(1024, (std::size_t{4} << 20) / longest);
        Reader reader;
        std::vector<std::vector<unsigned char>> window;
        for (std::size_t low = 0; low < states; low += window_size) {
            const std::size_t high = std::min(states, low + window_size);
            window.assign(high - low, {});
            for (std::size_t c = 0; c < chains.size(); ++c) {
                if (span[c].first >= high || span[c].second < low) continue;
                reader.read(store_of(chains[c].thread), chains[c],
                            [&](std::uint32_t position, const unsigned char* bytes, std::size_t n) {
                                if (position >= low && position < high) window[position - low].assign(bytes, bytes + n);
                            });
            }
            for (std::size_t p = low; p < high; ++p) f(static_cast<std::uint32_t>(p), window[p - low].data(), window[p - low].size());
        }
    }

private:
    // The squeezed bytes, in blocks of kBlock (no block holds part of a
    // state; a state longer than a block has one of its own): an offset is
    // block * kBlock + place.
    static constexpr std::size_t kBlock = std::size_t{1} << 18;
    std::uint64_t reserve(std::size_t n) {
        if (in_use_ == 0 || fill_ + n > kBlock) {  // the next block (kept from an earlier level, or new)
            if (in_use_ == blocks_.size() || n > kBlock) {
                blocks_.emplace(blocks_.begin() + static_cast<std::ptrdiff_t>(in_use_),
                                new unsigned char[std::max(kBlock, n)]);
            }
            ++in_use_;
            fill_ = n > kBlock ? kBlock : 0;  // a long state's block takes nothing more
            if (n > kBlock) {
                used_ += n;
                return std::uint64_t{in_use_ - 1} * kBlock;
            }
        }
        const std::uint64_t at = std::uint64_t{in_use_ - 1} * kBlock + fill_;
        fill_ += n;
        used_ += n;
        return at;
    }
    unsigned char* data(std::uint64_t offset) { return blocks_[offset / kBlock].get() + offset % kBlock; }
    const unsigned char* data(std::uint64_t offset) const { return blocks_[offset / kBlock].get() + offset % kBlock; }
    std::vector<std::unique_ptr<unsigned char[]>> blocks_;  // [0, in_use_) this level's
    std::size_t in_use_ = 0, fill_ = 0, used_ = 0;
    std::vector<Stored> states_;
    std::vector<unsigned char> raw_, base_, squeezed_;
    std::uint32_t in_chain_ = 0;
    std::size_t plain_bytes_ = std::size_t{1} << 18;
};

}  // namespace sim
