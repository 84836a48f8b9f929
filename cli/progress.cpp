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

std::function<void(const sim::GrowthWarning&)> growth_warning_printer(std::size_t limit) {
    return [limit](const sim::GrowthWarning& w) {
        const bool tty = isatty(STDERR_FILENO) != 0;
        const double mib = double(limit) / (1024.0 * 1024.0);
        char size[32];
        if (mib < 1024) std::snprintf(size, sizeof size, "%.0f MiB", mib);
        else std::snprintf(size, sizeof size, "%.1f GiB", mib / 1024.0);
        std::fprintf(stderr,
                     "%swarning: this check will not fit in its memory limit (%s) if it goes on growing as its "
                     "last three levels did (x%.2f or more each): at %.0f bytes a state the limit holds about %.1f M "
                     "states, passed within %u more level%s (found so far: %.1f M states, depth %u). It goes on until "
                     "the limit stops it (exit 3, a partial report). To check less: --por on, --symmetry on, fewer "
                     "stanzas or servers, --max-depth N; to go on later: --checkpoint FILE, then --resume FILE with "
                     "a larger --max-memory.\n",
                     tty ? "\n" : "", size, w.growth, w.bytes_per_state,
                     double(w.states_at_limit) / 1e6, w.levels_to_limit, w.levels_to_limit == 1 ? "" : "s",
                     double(w.states) / 1e6, w.depth);
        std::fflush(stderr);
    };
}

}  // namespace bidilab::cli
