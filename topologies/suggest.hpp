// topologies/suggest.hpp — "did you mean": the known word nearest to a
// misspelt one (a topology field, a command, an option), by edit distance.
#pragma once

#include <string>
#include <vector>

namespace bidilab::topologies {

// Levenshtein distance (insertions, deletions, substitutions, and swaps of
// two neighbours each count 1).
std::size_t edit_distance(const std::string& a, const std::string& b);

// The candidate nearest to `word`, if near enough to be a slip (at most 2
// edits, or a third of the word's length for long words); "" for none. Ties
// go to the first in `candidates`.
std::string nearest(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace bidilab::topologies
