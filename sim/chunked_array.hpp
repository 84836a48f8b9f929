// sim/chunked_array.hpp — an append-only array in fixed blocks: growing it
// never copies what is stored, so memory grows by one block at a time.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace sim {

template <class T, std::size_t BlockBits = 16>
class ChunkedArray {
    static constexpr std::size_t block_size = std::size_t{1} << BlockBits;

public:
    void push_back(const T& v) {
        if ((size_ & (block_size - 1)) == 0) blocks_.emplace_back(new T[block_size]);
        blocks_.back()[size_ & (block_size - 1)] = v;
        ++size_;
    }
    T& operator[](std::size_t i) { return blocks_[i >> BlockBits][i & (block_size - 1)]; }
    const T& operator[](std::size_t i) const { return blocks_[i >> BlockBits][i & (block_size - 1)]; }
    std::size_t size() const { return size_; }
    std::size_t bytes() const { return blocks_.size() * block_size * sizeof(T); }
    void clear() { blocks_.clear(); size_ = 0; }

    // To and from a checkpoint (sim/checkpoint.hpp): the count, then the elements.
    template <class Writer>
    void save(Writer& w) const {
        w.template value<std::uint64_t>(size_);
        for (std::size_t done = 0, b = 0; done < size_; done += block_size, ++b)
            w.bytes(blocks_[b].get(), std::min(block_size, size_ - done) * sizeof(T));
    }
    template <class Reader>
    void load(Reader& r) {
        clear();
        const std::uint64_t n = r.count(sizeof(T));
        for (std::uint64_t done = 0; done < n; done += block_size) {
            blocks_.emplace_back(new T[block_size]);
            r.bytes(blocks_.back().get(), std::min<std::uint64_t>(block_size, n - done) * sizeof(T));
        }
        size_ = n;
    }

private:
    std::vector<std::unique_ptr<T[]>> blocks_;
    std::size_t size_ = 0;
};

}  // namespace sim
