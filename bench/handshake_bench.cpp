// bench/handshake_bench.cpp — explores the handshake model (handshake_model.hpp)
// with sim::Explorer and prints one `name value` line per metric:
//
//   order bfs|dfs
//   cap 4 / maxseq 40 / maxretry 3
//   states N             distinct states visited
//   transitions N        enabled (state, action) pairs expanded
//   depth N              deepest level reached
//   seconds X            explorer wall time (report.seconds)
//   states_per_s X       states / seconds
//   bytes_per_state X    report.memory.total() / states (visited set, parent log, edges, goal bits, frontier peak)
//   peak_rss_mib X       report.peak_rss in MiB (the whole process)
//   verdict pass|fail|incomplete
//
// Usage: bidilab-bench-handshake [--bfs|--dfs] [--cap N] [--maxseq N] [--maxretry N]
// Exit status: 0 pass, 1 a property failed, 2 bad arguments, 3 incomplete.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>

#include "handshake_model.hpp"
#include "sim/explorer.hpp"

namespace {

struct Args {
    bool dfs = false;
    int cap = 4, maxseq = 40, maxretry = 3;
};

[[noreturn]] void usage(const char* why) {
    if (why) std::fprintf(stderr, "bidilab-bench-handshake: %s\n", why);
    std::fprintf(stderr, "usage: bidilab-bench-handshake [--bfs|--dfs] [--cap N] [--maxseq N] [--maxretry N]\n");
    std::exit(2);
}

int parse_int(const char* flag, const char* text) {
    char* end = nullptr;
    long v = std::strtol(text, &end, 10);
    if (end == text || *end != '\0' || v < 0 || v > 1000000) usage((std::string("bad value for ") + flag).c_str());
    return static_cast<int>(v);
}

Args parse(int argc, char** argv) {
    Args a;
    for (int i = 1; i < argc; ++i) {
        const char* f = argv[i];
        auto value = [&]() -> int {
            if (i + 1 >= argc) usage((std::string(f) + " needs a value").c_str());
            return parse_int(f, argv[++i]);
        };
        if (!std::strcmp(f, "--dfs")) a.dfs = true;
        else if (!std::strcmp(f, "--bfs")) a.dfs = false;
        else if (!std::strcmp(f, "--cap")) a.cap = value();
        else if (!std::strcmp(f, "--maxseq")) a.maxseq = value();
        else if (!std::strcmp(f, "--maxretry")) a.maxretry = value();
        else if (!std::strcmp(f, "-h") || !std::strcmp(f, "--help")) usage(nullptr);
        else usage((std::string("unknown argument ") + f).c_str());
    }
    return a;
}

template <std::size_t MaxCap>
int run(const Args& a) {
    bench::BasicHandshake<MaxCap> model(a.cap, a.maxseq, a.maxretry);
    sim::Explorer<bench::BasicHandshake<MaxCap>> explorer(model);
    if (a.dfs) explorer.depth_first();
    const sim::Report r = explorer.run();
    std::printf("order %s\n", a.dfs ? "dfs" : "bfs");
    std::printf("cap %d\nmaxseq %d\nmaxretry %d\n", a.cap, a.maxseq, a.maxretry);
    std::printf("states %llu\n", static_cast<unsigned long long>(r.states));
    std::printf("transitions %llu\n", static_cast<unsigned long long>(r.transitions));
    std::printf("depth %u\n", r.depth);
    std::printf("seconds %.3f\n", r.seconds);
    std::printf("states_per_s %.0f\n", r.states_per_second());
    std::printf("bytes_per_state %.2f\n", r.bytes_per_state());
    std::printf("peak_rss_mib %.1f\n", double(r.peak_rss) / (1024.0 * 1024.0));
    const sim::Verdict v = r.verdict();
    std::printf("verdict %s\n", sim::to_string(v));
    for (const auto& p : r.properties)
        if (p.status == sim::Status::Violated) std::printf("violated %s\n", p.name.c_str());
    return sim::exit_code(v);
}

}  // namespace

int main(int argc, char** argv) {
    const Args a = parse(argc, argv);
    try {
        // The state record is as wide as the smallest of these that holds CAP.
        if (a.cap < 1 || a.cap > 32) usage("cap must be in 1..32");
        if (a.cap <= 4) return run<4>(a);
        if (a.cap <= 8) return run<8>(a);
        if (a.cap <= 16) return run<16>(a);
        return run<32>(a);
    } catch (const std::invalid_argument& e) {
        usage(e.what());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bidilab-bench-handshake: %s\n", e.what());
        return 2;
    }
}
