// sim/distributed_eventually.hpp — deciding `eventually P` across the ranks
// when the levels could not (an edge went back from a state a P-free path
// reaches), without a second search on one rank. Included by
// sim/distributed_explorer.hpp.
//
// While expanding, each rank keeps for its states which properties hold
// there and whether it had successors, and for a state where one fails the
// fingerprints of its successors (`noted`). After a complete search, for
// one property P:
//   1. reach: from the roots where P fails, through states where P fails,
//      by rounds of all-to-all steps (a breadth-first search over the kept
//      edges); each state reached counts the edges into it from states
//      reached (its in-degree there);
//   2. a reached state without successors is a violation (a P-free path
//      ends there);
//   3. peel: states reached with no edge left into them are removed, one
//      round at a time, each removal taking one from its successors' counts
//      (Kahn's algorithm, distributed); what cannot be removed lies on a
//      loop or behind one, and a P-free loop is a violation.
// P holds exactly when neither 2 nor 3 finds one: every P-free path is then
// finite and ends in a state with successors, all of them meeting P. A
// violation is left to rank 0's search again, for the trace one process
// reports (sim/eventually_search.hpp).
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "sim/distributed_explorer.hpp"

namespace sim {

template <class M>
void DistributedExplorer<M>::note_expansion(std::uint32_t index, std::uint64_t goals, bool dead) {
    noted_.push_back({index, goals, noted_edges_begin_, static_cast<std::uint32_t>(noted_edges_.size() - noted_edges_begin_), dead});
    noted_edges_begin_ = noted_edges_.size();
}

template <class M>
std::size_t DistributedExplorer<M>::noted_position(std::uint64_t fp) const {
    const std::uint32_t index = visited_.index_of(fp);
    const auto at = std::lower_bound(noted_.begin(), noted_.end(), index,
                                     [](const Noted& n, std::uint32_t i) { return n.index < i; });
    if (at == noted_.end() || at->index != index) throw std::logic_error("a state reached after the search was never expanded");
    return static_cast<std::size_t>(at - noted_.begin());
}

template <class M>
bool DistributedExplorer<M>::free_of_violations(std::size_t e) {
    const std::uint64_t bit = std::uint64_t{1} << e;
    auto open = [&](std::size_t pos) { return (noted_[pos].goals & bit) == 0; };
    std::vector<std::uint8_t> reached(noted_.size(), 0);
    std::vector<std::uint32_t> into(noted_.size(), 0);  // edges into it from reached states
    std::vector<std::size_t> frontier, next;
    for (std::size_t pos = 0; pos < noted_.size() && noted_[pos].index < roots_; ++pos)
        if (open(pos)) reached[pos] = 1, frontier.push_back(pos);
    // Sends the successors of `from` to their owners; applies f(position) to each one received here.
    std::vector<std::vector<unsigned char>> send(net_.size());
    std::vector<unsigned char> received;
    std::vector<std::size_t> counts;
    auto round = [&](const std::vector<std::size_t>& from, auto&& f) {
        for (auto& s : send) s.clear();
        for (std::size_t pos : from)
            for (std::uint32_t k = 0; k < noted_[pos].count; ++k) {
                const std::uint64_t fp = noted_edges_[noted_[pos].begin + k];
                Packer(send[owner(fp)]).put(fp);
            }
        net_.all_to_all(send, received, counts);
        Unpacker in(received.data(), received.size());
        while (!in.done()) f(noted_position(in.get<std::uint64_t>()));
    };
    // 1. Reach, counting the edges in.
    std::uint64_t reached_here = frontier.size();
    while (net_.sum(frontier.size()) != 0) {
        next.clear();
        round(frontier, [&](std::size_t pos) {
            if (!open(pos)) return;
            ++into[pos];
            if (!reached[pos]) reached[pos] = 1, next.push_back(pos), ++reached_here;
        });
        frontier.swap(next);
    }
    // 2. A dead end reached.
    bool dead = false;
    for (std::size_t pos = 0; pos < noted_.size(); ++pos) dead = dead || (reached[pos] && noted_[pos].dead);
    if (net_.max(dead) != 0) return false;
    // 3. Peel what no edge enters any more.
    frontier.clear();
    for (std::size_t pos = 0; pos < noted_.size(); ++pos)
        if (reached[pos] && into[pos] == 0) frontier.push_back(pos);
    std::uint64_t removed_here = 0;
    while (net_.sum(frontier.size()) != 0) {
        removed_here += frontier.size();
        next.clear();
        round(frontier, [&](std::size_t pos) {
            if (reached[pos] && --into[pos] == 0) next.push_back(pos);
        });
        frontier.swap(next);
    }
    return net_.sum(reached_here) == net_.sum(removed_here);
}

}  // namespace sim
