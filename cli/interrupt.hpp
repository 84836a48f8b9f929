// cli/interrupt.hpp — SIGINT (and SIGTERM) set a flag that a running
// exploration polls, so it stops cleanly with a partial report.
#pragma once

#include <atomic>

namespace bidilab::cli {

// Installs the handlers once and returns the flag they set.
const std::atomic<bool>* interrupt_flag();

}  // namespace bidilab::cli
