// cli/progress.hpp — the progress line of long runs, on stderr, at most once a
// second (the explorer paces the calls).
#pragma once

#include <cstdio>
#include <functional>

#include "sim/explorer.hpp"

namespace bidilab::cli {

// Prints only when stderr is a terminal, unless forced (--progress).
std::function<void(const sim::Progress&)> progress_printer(bool forced);

}  // namespace bidilab::cli
