// tests/sanitized/tsan_canary.cpp — a data race on purpose: two threads
// write one counter with no synchronization. Built with the ThreadSanitizer
// flags of the TSan build (tsan_build.sh); tsan_canary.sh requires TSan to
// report it, so a TSan build that checks nothing (flags lost, runtime
// missing) fails instead of passing quietly.
#include <cstdio>
#include <thread>

namespace {
long counter = 0;  // shared, unguarded: the race
void add() {
    for (int i = 0; i < 100000; ++i) counter = counter + 1;
}
}  // namespace

int main() {
    std::thread a(add), b(add);
    a.join();
    b.join();
    std::printf("%ld\n", counter);
    return 0;
}
