#include "cli/interrupt.hpp"

#include <csignal>

namespace bidilab::cli {
namespace {
std::atomic<bool> interrupted{false};
static_assert(std::atomic<bool>::is_always_lock_free, "the flag is set from a signal handler");
extern "C" void on_signal(int) { interrupted.store(true); }
}  // namespace

const std::atomic<bool>* interrupt_flag() {
    static const bool installed = [] {
        struct sigaction sa {};
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, nullptr);
        sigaction(SIGTERM, &sa, nullptr);
        return true;
    }();
    (void)installed;
    return &interrupted;
}

}  // namespace bidilab::cli
