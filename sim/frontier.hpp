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
#include <algorithm>
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

    void push(std::uint64_t fp, std::uint32_t index, std::uint32_t depth, const unsigned char* bytes, std::size_t size) {
        const std::size_t need = kOverhead + size;
        if (blocks_.empty() || blocks_.back().capacity - blocks_.back().end < need) add_block(need);
        Block& b = blocks_.back();
        unsigned char* p = b.data.get() + b.end;
        const std::uint32_t length = static_cast<std::uint32_t>(size);
        std::memcpy(p, &fp, 8);
        put(p + 8, index);
        put(p + 12, depth);
        put(p + 16, length);
        if (length) std::memcpy(p + 20, bytes, length);
        put(p + 20 + length, length);
        b.end += need;
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
        --size_;
        if (b.begin == b.end) drop(blocks_.front()), blocks_.pop_front();
    }
    void pop_back() {
        Block& b = blocks_.back();
        const std::size_t n = kOverhead + get(b.data.get() + b.end - 4);
        b.end -= n;
        --size_;
        if (b.begin == b.end) drop(blocks_.back()), blocks_.pop_back();
    }

    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    // What the blocks hold in memory now, and the most they ever held.
    std::size_t held_bytes() const { return held_; }
    std::size_t peak_bytes() const { return peak_bytes_; }

    // To and from a checkpoint (sim/checkpoint.hpp): every block as it is in
    // memory (its live bytes at their offsets), so a resumed run holds and
    // reports the same bytes as an uninterrupted one. Loading walks every
    // entry, so a view never reads outside its block.
    template <class Writer>
    void save(Writer& w) const {
        w.template value<std::uint64_t>(blocks_.size());
        for (const Block& b : blocks_) {
            w.template value<std::uint64_t>(b.capacity);
            w.template value<std::uint64_t>(b.begin);
            w.template value<std::uint64_t>(b.end);
            w.bytes(b.data.get() + b.begin, b.end - b.begin);
        }
        w.template value<std::uint64_t>(size_);
        w.template value<std::uint64_t>(held_);
        w.template value<std::uint64_t>(peak_bytes_);
    }
    template <class Reader>
    void load(Reader& r) {
        blocks_.clear();
        const std::uint64_t n = r.count(24 + kOverhead);
        std::uint64_t entries = 0, held = 0;
        for (std::uint64_t i = 0; i < n; ++i) {
            Block b;
            b.capacity = r.template value<std::uint64_t>();
            b.begin = r.template value<std::uint64_t>();
            b.end = r.template value<std::uint64_t>();
            if (b.begin >= b.end || b.end > b.capacity || b.end - b.begin > r.left() ||
                (b.capacity > kBlock && b.capacity != b.end))
                r.fail("a queue block out of shape");
            b.data.reset(new unsigned char[b.capacity]);
            r.bytes(b.data.get() + b.begin, b.end - b.begin);
            for (std::size_t at = b.begin; at < b.end;) {
                if (b.end - at < kOverhead) r.fail("a queued state cut short");
                const std::uint32_t length = get(b.data.get() + at + 16);
                if (b.end - at - kOverhead < length || get(b.data.get() + at + 20 + length) != length)
                    r.fail("a queued state out of shape");
                at += kOverhead + length;
                ++entries;
            }
            held += b.capacity;
            blocks_.push_back(std::move(b));
        }
        size_ = r.template value<std::uint64_t>();
        held_ = r.template value<std::uint64_t>();
        peak_bytes_ = r.template value<std::uint64_t>();
        if (size_ != entries || held_ != held || peak_bytes_ < held_) r.fail("a queue whose counts do not add up");
    }

    // Every entry from the front: f(fp, index, depth, bytes, length).
    template <class F>
    void for_each(F&& f) const {
        for (const Block& b : blocks_)
            for (std::size_t at = b.begin; at < b.end;) {
                const View v = view(b.data.get() + at);
                f(v.fp, v.index, v.depth, v.bytes, v.length);
                at += kOverhead + v.length;
            }
    }

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
    std::size_t size_ = 0, held_ = 0, peak_bytes_ = 0;
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
            push_encoded(raw_.data(), raw_.size(), fp, index, depth);
        } else {
            states_.push_back(FrontierEntry<State>{s, fp, index, depth});
            if (states_.size() > peak_size_) peak_size_ = states_.size();
        }
    }
    // A state encoded already (with the model's encode, on another thread, say).
    void push_encoded(const unsigned char* raw, std::size_t n, std::uint64_t fp, std::uint32_t index, std::uint32_t depth) {
        if (n > capacity_) grow(n);
        if (squeezed_.size() < squeezed_bound(n)) squeezed_.resize(squeezed_bound(n));
        const unsigned char* base = fifo_ ? pushed_.data() : zeros_.data();
        const std::size_t length = squeeze_zero_runs(raw, base, n, squeezed_.data());
        queue_.push(fp, index, depth, squeezed_.data(), length);
        if (fifo_) remember(pushed_, pushed_length_, raw, n);
    }
    // Moves the front (breadth-first) or back (depth-first) entry into `out`.
    void pop(bool front, FrontierEntry<State>& out) {
        if constexpr (encoded) {
            const std::size_t n = pop_bytes(front, out);
            model_.decode(popped(), n, out.state);
        } else {
            out = std::move(front ? states_.front() : states_.back());
            if (front) states_.pop_front();
            else states_.pop_back();
        }
    }

    // The index of the state pop() takes next (breadth-first); not empty.
    std::uint32_t front_index() const {
        if constexpr (encoded) return queue_.front().index;
        else return states_.front().index;
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

    // To and from a checkpoint (sim/checkpoint.hpp). With a codec: the queue's
    // blocks and the bases the XOR chain continues from; without, each
    // queued State's own bytes (a State that is trivially copyable).
    static constexpr bool savable = encoded || std::is_trivially_copyable_v<State>;
    template <class Writer>
    void save(Writer& w) const {
        if constexpr (encoded) {
            queue_.save(w);
            w.template value<std::uint64_t>(capacity_);
            w.array(pushed_.data(), pushed_length_);
            w.array(popped_.data(), popped_length_);
        } else if constexpr (savable) {
            w.template value<std::uint64_t>(states_.size());
            for (const auto& e : states_) {
                w.template value<std::uint64_t>(e.fp);
                w.template value<std::uint32_t>(e.index);
                w.template value<std::uint32_t>(e.depth);
                w.bytes(&e.state, sizeof(State));
            }
            w.template value<std::uint64_t>(peak_size_);
        }
    }
    template <class Reader>
    void load(Reader& r) {
        if constexpr (encoded) {
            queue_.load(r);
            const std::uint64_t capacity = r.template value<std::uint64_t>();
            if (capacity > r.left() + (std::uint64_t{1} << 24)) r.fail("a state buffer out of shape");
            capacity_ = static_cast<std::size_t>(capacity);
            for (auto* b : {&pushed_, &popped_, &zeros_, &decoded_}) b->assign(capacity_, 0);
            for (auto [base, length] : {std::pair{&pushed_, &pushed_length_}, std::pair{&popped_, &popped_length_}}) {
                const auto bytes = r.template array<unsigned char>();
                if (bytes.size() > capacity_) r.fail("a state longer than its buffer");
                std::copy(bytes.begin(), bytes.end(), base->begin());
                *length = bytes.size();
            }
            std::size_t longest = 0;
            queue_.for_each([&](std::uint64_t, std::uint32_t, std::uint32_t, const unsigned char*, std::size_t n) {
                if (n > longest) longest = n;
            });
            if (longest > squeezed_bound(capacity_)) r.fail("a queued state longer than the longest state");
            raw_.clear();
            squeezed_.assign(squeezed_bound(capacity_), 0);
        } else if constexpr (savable) {
            states_.clear();
            const std::uint64_t n = r.count(16 + sizeof(State));
            for (std::uint64_t i = 0; i < n; ++i) {
                FrontierEntry<State> e;
                e.fp = r.template value<std::uint64_t>();
                e.index = r.template value<std::uint32_t>();
                e.depth = r.template value<std::uint32_t>();
                r.bytes(&e.state, sizeof(State));
                states_.push_back(e);
            }
            peak_size_ = r.template value<std::uint64_t>();
        }
    }
    // One entry outside the queue (one taken from it already): its numbers
    // and its state's bytes (encoded, or the State's own).
    template <class Writer>
    void save_entry(Writer& w, const FrontierEntry<State>& e) const {
        w.template value<std::uint64_t>(e.fp);
        w.template value<std::uint32_t>(e.index);
        w.template value<std::uint32_t>(e.depth);
        if constexpr (encoded) {
            std::vector<unsigned char> bytes;
            model_.encode(e.state, bytes);
            w.array(bytes.data(), bytes.size());
        } else if constexpr (savable) {
            w.bytes(&e.state, sizeof(State));
        }
    }
    template <class Reader>
    void load_entry(Reader& r, FrontierEntry<State>& e) const {
        e.fp = r.template value<std::uint64_t>();
        e.index = r.template value<std::uint32_t>();
        e.depth = r.template value<std::uint32_t>();
        if constexpr (encoded) {
            const auto bytes = r.template array<unsigned char>();
            model_.decode(bytes.data(), bytes.size(), e.state);
        } else if constexpr (savable) {
            r.bytes(&e.state, sizeof(State));
        }
    }
    // Every queued entry's index and depth, from the front: f(index, depth).
    template <class F>
    void for_each_entry(F&& f) const {
        if constexpr (encoded) {
            queue_.for_each([&](std::uint64_t, std::uint32_t index, std::uint32_t depth, const unsigned char*, std::size_t) {
                f(index, depth);
            });
        } else {
            for (const auto& e : states_) f(e.index, e.depth);
        }
    }

private:
    // Takes the front or back entry off the queue: its fp, index and depth
    // into `out`, its encoding into
    // popped() (breadth-first: expanded in place over the entry before it,
    // which is the XOR chain's base; depth-first: into decoded_); returns
    // the encoding's length.
    template <class Entry>
    std::size_t pop_bytes(bool front, Entry& out) {
        const ByteQueue::View v = front ? queue_.front() : queue_.back();
        out.fp = v.fp;
        out.index = v.index;
        out.depth = v.depth;
        std::size_t n;
        if (fifo_) {
            n = expand_zero_runs(v.bytes, v.length, popped_.data(), popped_.data(), capacity_);
            // Past the new length, the base is zero again (remember()).
            if (popped_length_ > n) std::memset(popped_.data() + n, 0, popped_length_ - n);
            popped_length_ = n;
        } else {
            n = expand_zero_runs(v.bytes, v.length, zeros_.data(), decoded_.data(), capacity_);
        }
        if (front) queue_.pop_front();
        else queue_.pop_back();
        return n;
    }
    // Where pop_bytes left the encoding.
    const unsigned char* popped() const { return fifo_ ? popped_.data() : decoded_.data(); }
    // Every buffer holds the longest encoding so far; past a remembered
    // state's length, a base is zero.
    void grow(std::size_t n) {
        capacity_ = n + n / 4;
        for (auto* b : {&pushed_, &popped_, &zeros_, &decoded_}) b->resize(capacity_, 0);
    }
    static void remember(std::vector<unsigned char>& base, std::size_t& length, const unsigned char* bytes, std::size_t n) {
        std::memcpy(base.data(), bytes, n);
        if (length > n) std::memset(base.data() + n, 0, length - n);
        length = n;
    }

    const M& model_;
    bool fifo_;
    ByteQueue queue_;
    std::vector<unsigned char> raw_, squeezed_;
    std::size_t capacity_ = 0;
    std::vector<unsigned char> pushed_, popped_, zeros_, decoded_;  // capacity_ bytes each
    std::size_t pushed_length_ = 0, popped_length_ = 0;
    std::deque<FrontierEntry<State>> states_;
    std::size_t peak_size_ = 0;
};

}  // namespace sim
