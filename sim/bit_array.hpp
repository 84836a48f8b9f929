// sim/bit_array.hpp — an append-only array of fixed-width bit fields (1 to
// 64 bits each), packed: per visited state, which eventually properties hold
// there costs their number of bits, not a word.
#pragma once

#include <cstdint>
#include <stdexcept>

#include "sim/chunked_array.hpp"

namespace sim {

class BitArray {
public:
    explicit BitArray(unsigned width = 1) { set_width(width); }

    // Empties the array and sets the width of its fields.
    void set_width(unsigned width) {
        if (width == 0 || width > 64) throw std::invalid_argument("BitArray: width must be 1 to 64");
        width_ = width;
        clear();
    }
    void clear() {
        words_.clear();
        size_ = 0;
    }

    void push_back(std::uint64_t value) {
        const std::uint64_t bit = size_ * width_;
        const std::uint64_t word = bit / 64, shift = bit % 64;
        while (words_.size() <= word + 1) words_.push_back(0);
        const std::uint64_t v = width_ == 64 ? value : value & ((std::uint64_t{1} << width_) - 1);
        words_[word] |= v << shift;
        if (shift + width_ > 64) words_[word + 1] |= v >> (64 - shift);
        ++size_;
    }
    std::uint64_t operator[](std::uint64_t i) const {
        const std::uint64_t bit = i * width_;
        const std::uint64_t word = bit / 64, shift = bit % 64;
        std::uint64_t v = words_[word] >> shift;
        if (shift + width_ > 64) v |= words_[word + 1] << (64 - shift);
        return width_ == 64 ? v : v & ((std::uint64_t{1} << width_) - 1);
    }

    std::uint64_t size() const { return size_; }
    std::size_t bytes() const { return words_.bytes(); }

    // To and from a checkpoint (sim/checkpoint.hpp).
    template <class Writer>
    void save(Writer& w) const {
        w.template value<std::uint32_t>(width_);
        w.template value<std::uint64_t>(size_);
        words_.save(w);
    }
    template <class Reader>
    void load(Reader& r) {
        const unsigned width = r.template value<std::uint32_t>();
        if (width == 0 || width > 64) r.fail("bit field width out of range");
        width_ = width;
        size_ = r.template value<std::uint64_t>();
        words_.load(r);
        if (size_ > words_.size() * 64 / width_) r.fail("more bit fields than words");
    }

private:
    unsigned width_ = 1;
    std::uint64_t size_ = 0;
    ChunkedArray<std::uint64_t> words_;
};

}  // namespace sim
