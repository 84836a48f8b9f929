// cli/progress.hpp — the progress line of long runs, on stderr, at most once a
// second (the explorer paces the calls).
#pragma once

#include <cstdio>
#include <functional>

#include "sim/explorer.hpp"

namespace bidilab::cli {

// Prints only when stderr is a terminal, unless forced (--progress).
std::function<void(const sim::Progress&)> progress_printer(bool forced);

// The early warning that a breadth-first check will not fit in `limit` bytes
// (sim/growth_estimate.hpp): one paragraph on stderr, whatever stderr is.
std::function<void(const sim::GrowthWarning&)> growth_warning_printer(std::size_t limit);

}  // namespace bidilab::cli
