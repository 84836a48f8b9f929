#include "cli/progress.hpp"

#include <unistd.h>

namespace bidilab::cli {
namespace {
void print(const sim::Progress& p, bool tty) {
    double rate = p.seconds > 0 ? double(p.states) / p.seconds : 0.0;
    std::fprintf(stderr, "%sprogress: %llu states, %llu transitions, depth %u, queue %zu, %.0f states/s, %.0f MiB%s",
                 tty ? "\r" : "", static_cast<unsigned long long>(p.states),
                 static_cast<unsigned long long>(p.transitions), p.depth, p.queue, rate,
                 double(p.resident) / (1024.0 * 1024.0), tty ? "   " : "\n");
    std::fflush(stderr);
}
}  // namespace

std::function<void(const sim::Progress&)> progress_printer(bool forced) {
    const bool tty = isatty(STDERR_FILENO) != 0;
    if (!tty && !forced) return {};
    return [tty](const sim::Progress& p) { print(p, tty); };
}

}  // namespace bidilab::cli
