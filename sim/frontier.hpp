// sim/frontier.hpp — the states the explorer has found and not yet expanded.
//
// A model that can write its states as bytes (a codec, see
// transition_system.hpp: encode/decode) has them queued as bytes in large
// blocks: a queued state then costs its squeezed encoding and 24 bytes, not
// a whole State object with its heap blocks. Breadth-first (first in, first
// out), each state's bytes are first XORed with those of the state queued
// before it, which is mostly its sibling and so mostly equal: what is left
// is mostly zeros, and squeezing the zero runs (sim/zero_runs.hpp) leaves
// little. Taking states in the order they came undoes the XOR chain.
// Depth-first takes from the back, so there each state is squeezed alone.
// Without a codec the States themselves are queued.
#pragma once

#include <cstdint>
#include <cstring>
#include <deque>
#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

#include "sim/zero_runs.hpp"

namespace sim {

namespace detail {
template <class M, class = void>
struct has_codec : std::false_type {};
template <class M>
struct has_codec<M, std::void_t<decltype(std::declval<const M&>().encode(
                                     std::declval<const typename M::State&>(),
                                     std::declval<std::vector<unsigned char>&>())),
                                 decltype(std::declval<const M&>().decode(
                                     std::declval<const unsigned char*>(), std::size_t{},
                                     std::declval<typename M::State&>()))>> : std::true_type {};
}  // namespace detail

template <class State>
struct FrontierEntry {
    State state;
    std::uint64_t fp = 0;  // the state's fingerprint
    std::uint32_t index = 0;
    std::uint32_t depth = 0;
};

// Encoded entries, each [fp u64][index u32][depth u32][length u32][bytes]
// [length u32] (the length twice, so the queue can be read from either end),
// in blocks that are freed as soon as everything in them was taken.
class ByteQueue {
public:
    static constexpr std::size_t kOverhead = 24;  // bytes per entry besides its own

    void push(std::uint64_t fp, std::uint32_t index, std::uint32_t depth, const std::vector<unsigned char>& bytes) {
        const std::size_t need = kOverhead + bytes.size();
        if (blocks_.empty() || blocks_.back().capacity - blocks_.back().end < need) add_block(need);
        Block& b = blocks_.back();
        unsigned char* p = b.data.get() + b.end;
        const std::uint32_t length = static_cast<std::uint32_t>(bytes.size());
        std::memcpy(p, &fp, 8);
        put(p + 8, index);
        put(p + 12, depth);
        put(p + 16, length);
        if (length) std::memcpy(p + 20, bytes.data(), length);
        put(p + 20 + length, length);
        b.end += need;
        bytes_ += need;
        ++size_;
    }

    // The oldest (front) or newest (back) entry: its index and depth, and a
    // view of its bytes, valid until the next push or pop.
    struct View {
        std::uint64_t fp;
        std::uint32_t index, depth;
        const unsigned char* bytes;
        std::size_t length;
    };
    View front() const {
        const Block& b = blocks_.front();
        return view(b.data.get() + b.begin);
    }
    View back() const {
        const Block& b = blocks_.back();
        const std::uint32_t length = get(b.data.get() + b.end - 4);
        return view(b.data.get() + b.end - kOverhead - length);
    }
    void pop_front() {
        Block& b = blocks_.front();
        const std::size_t n = kOverhead + get(b.data.get() + b.begin + 16);
        b.begin += n;
        bytes_ -= n;
        --size_;
        if (b.begin == b.end) drop(blocks_.front()), blocks_.pop_front();
    }
    void pop_back() {
        Block& b = blocks_.back();
        const std::size_t n = kOverhead + get(b.data.get() + b.end - 4);
        b.end -= n;
        bytes_ -= n;
        --size_;
        if (b.begin == b.end) drop(blocks_.back()), blocks_.pop_back();
    }

    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    // What the blocks hold in memory now, and the most they ever held.
    std::size_t held_bytes() const { return held_; }
    std::size_t peak_bytes() const { return peak_bytes_; }

private:
    static constexpr std::size_t kBlock = std::size_t{1} << 20;
    struct Block {
        std::unique_ptr<unsigned char[]> data;
        std::size_t capacity = 0, begin = 0, end = 0;
    };
    void add_block(std::size_t need) {
        Block b;
        b.capacity = need > kBlock ? need : kBlock;
        b.data.reset(new unsigned char[b.capacity]);
        held_ += b.capacity;
        if (held_ > peak_bytes_) peak_bytes_ = held_;
        blocks_.push_back(std::move(b));
    }
    void drop(const Block& b) { held_ -= b.capacity; }
    static View view(const unsigned char* p) {
        std::uint64_t fp;
        std::memcpy(&fp, p, 8);
        return View{fp, get(p + 8), get(p + 12), p + 20, get(p + 16)};
    }
    static void put(unsigned char* p, std::uint32_t v) { std::memcpy(p, &v, 4); }
    static std::uint32_t get(const unsigned char* p) {
        std::uint32_t v;
        std::memcpy(&v, p, 4);
        return v;
    }

    std::deque<Block> blocks_;
    std::size_t size_ = 0, bytes_ = 0, held_ = 0, peak_bytes_ = 0;
};

template <class M>
class Frontier {
    using State = typename M::State;

public:
    static constexpr bool encoded = detail::has_codec<M>::value;

    // fifo: states are taken from the front only (breadth-first).
    Frontier(const M& model, bool fifo) : model_(model), fifo_(fifo) {}

    void push(const State& s, std::uint64_t fp, std::uint32_t index, std::uint32_t depth) {
        if constexpr (encoded) {
            raw_.clear();
            model_.encode(s, raw_);
            if (fifo_) {
                xor_into(raw_, pushed_);  // raw_ now holds the difference; pushed_ this state's bytes
            }
            squeezed_.clear();
            squeeze_zero_runs(raw_.data(), raw_.size(), squeezed_);
            queue_.push(fp, index, depth, squeezed_);
        } else {
            states_.push_back(FrontierEntry<State>{s, fp, index, depth});
            if (states_.size() > peak_size_) peak_size_ = states_.size();
        }
    }
    // Moves the front (breadth-first) or back (depth-first) entry into `out`.
    void pop(bool front, FrontierEntry<State>& out) {
        if constexpr (encoded) {
            const ByteQueue::View v = front ? queue_.front() : queue_.back();
            out.fp = v.fp;
            out.index = v.index;
            out.depth = v.depth;
            raw_.clear();
            expand_zero_runs(v.bytes, v.length, raw_);
            if (fifo_) undo_xor(raw_, popped_);  // raw_: this state's bytes, and popped_ a copy
            model_.decode(raw_.data(), raw_.size(), out.state);
            if (front) queue_.pop_front();
            else queue_.pop_back();
        } else {
            out = std::move(front ? states_.front() : states_.back());
            if (front) states_.pop_front();
            else states_.pop_back();
        }
    }

    std::size_t size() const {
        if constexpr (encoded) return queue_.size();
        else return states_.size();
    }
    bool empty() const { return size() == 0; }
    // The most memory the queue held at once (without a codec: an estimate,
    // the States' own size times the most queued at once).
    std::size_t peak_bytes() const {
        if constexpr (encoded) return queue_.peak_bytes();
        else return peak_size_ * sizeof(FrontierEntry<State>);
    }

private:
    // cur ^= prev over their common length, and prev = cur as it was.
    static void xor_into(std::vector<unsigned char>& cur, std::vector<unsigned char>& prev) {
        const std::size_t n = cur.size() < prev.size() ? cur.size() : prev.size();
        prev.resize(cur.size());
        for (std::size_t i = 0; i < n; ++i) {
            const unsigned char c = cur[i];
            cur[i] ^= prev[i];
            prev[i] = c;
        }
        for (std::size_t i = n; i < cur.size(); ++i) prev[i] = cur[i];
    }
    // diff ^= prev over their common length: the state's bytes; prev = them.
    static void undo_xor(std::vector<unsigned char>& diff, std::vector<unsigned char>& prev) {
        const std::size_t n = diff.size() < prev.size() ? diff.size() : prev.size();
        for (std::size_t i = 0; i < n; ++i) diff[i] ^= prev[i];
        prev.assign(diff.begin(), diff.end());
    }

    const M& model_;
    bool fifo_;
    ByteQueue queue_;
    std::vector<unsigned char> raw_, squeezed_, pushed_, popped_;
    std::deque<FrontierEntry<State>> states_;
    std::size_t peak_size_ = 0;
};

}  // namespace sim
