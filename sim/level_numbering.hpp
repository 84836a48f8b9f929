// sim/level_numbering.hpp — numbering the states a distributed breadth-first
// level found, exactly as one process numbers them.
//
// One process numbers a new state by the order it is found in: the states of
// level d are expanded in index order and each one's successors in action
// order, so level d + 1 is numbered by (parent index, action) of the first
// transition into each state, the smallest such pair. A distributed search
// gives each new state that smallest pair as its key (the owner of the state
// keeps the least of the keys it received); the keys are unique, and the
// position of a key among every rank's keys is the state's position in the
// level. rank_keys finds those positions without gathering the keys on one
// rank: the parents' index range is cut into as many equal parts as there
// are ranks, rank r sorts the keys whose parent falls in part r, the counts
// of the parts give each part's first position, and every key's position
// goes back to the rank that asked, in the order it asked.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "sim/exchange.hpp"

namespace sim {

// A key: the parent's index (high 32 bits), the action's (low 32 bits).
inline std::uint64_t level_key(std::uint32_t parent, std::uint32_t action) {
    return std::uint64_t{parent} << 32 | action;
}

// keys: this rank's (unique across ranks), their parents in [first, first +
// count). Returns the position of each among all ranks' keys, in `keys`'
// order; `total`: how many keys all ranks gave.
inline std::vector<std::uint64_t> rank_keys(Exchange& net, const std::vector<std::uint64_t>& keys, std::uint64_t first,
                                            std::uint64_t count, std::uint64_t& total) {
    const unsigned ranks = net.size();
    auto part_of = [&](std::uint64_t key) {
        const std::uint64_t parent = key >> 32;
        if (parent < first || parent - first >= count) throw std::logic_error("a level key outside its parents' range");
        return static_cast<unsigned>(static_cast<unsigned __int128>(parent - first) * ranks / count);
    };
    // Out to the parts, each rank's keys in the order given.
    std::vector<std::vector<unsigned char>> send(ranks);
    std::vector<std::vector<std::uint32_t>> asked(ranks);  // per part: which of `keys`, in sending order
    for (std::uint32_t i = 0; i < keys.size(); ++i) {
        const unsigned part = part_of(keys[i]);
        Packer(send[part]).put(keys[i]);
        asked[part].push_back(i);
    }
    std::vector<unsigned char> received;
    std::vector<std::size_t> from;
    net.all_to_all(send, received, from);
    std::vector<std::uint64_t> mine(received.size() / sizeof(std::uint64_t));
    Unpacker in(received.data(), received.size());
    for (auto& k : mine) k = in.get<std::uint64_t>();
    std::vector<std::uint64_t> sorted = mine;
    std::sort(sorted.begin(), sorted.end());
    // Every part's size, so each knows where its own begins.
    std::vector<std::uint64_t> sizes(ranks, 0);
    sizes[net.rank()] = sorted.size();
    net.all_reduce(sizes, Reduce::Sum);
    std::uint64_t begin = 0;
    for (unsigned r = 0; r < net.rank(); ++r) begin += sizes[r];
    total = 0;
    for (auto s : sizes) total += s;
    // Back, to each asking rank in the order it asked.
    for (auto& s : send) s.clear();
    std::size_t at = 0;
    for (unsigned r = 0; r < ranks; ++r) {
        Packer out(send[r]);
        for (std::size_t n = from[r] / sizeof(std::uint64_t); n > 0; --n, ++at) {
            const auto pos = static_cast<std::uint64_t>(std::lower_bound(sorted.begin(), sorted.end(), mine[at]) - sorted.begin());
            out.put(begin + pos);
        }
    }
    net.all_to_all(send, received, from);
    std::vector<std::uint64_t> positions(keys.size());
    Unpacker back(received.data(), received.size());
    for (unsigned part = 0; part < ranks; ++part)
        for (std::uint32_t i : asked[part]) positions[i] = back.get<std::uint64_t>();
    if (!back.done()) throw std::runtime_error("a distributed message holds more positions than were asked for");
    return positions;
}

}  // namespace sim
