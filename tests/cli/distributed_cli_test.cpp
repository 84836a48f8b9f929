// `check --distributed` under Open MPI's mpirun: for 1, 2 and 3 ranks the
// JSON report of every shipped topology and mutant is the one process's
// with --por off (states, transitions, verdicts, traces replayed into steps,
// outcomes, stanza fates); what it cannot do is refused with exit 2; a rank
// that dies ends the run instead of leaving it waiting.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "../support/library.hpp"
#include "../support/run_program.hpp"

namespace {

using test_support::run_shell;

// ob1 and shared memory only: MPI starts in a quarter second instead of a half.
const std::string kMpirun =
    "mpirun --allow-run-as-root --oversubscribe --mca mpi_yield_when_idle 1 --mca pml ob1 --mca btl self,vader ";

std::string temp(const std::string& name) {
    return (std::filesystem::temp_directory_path() / ("bidilab-distributed-" + std::to_string(getpid()) + "-" + name))
        .string();
}

nlohmann::json json_of(const std::string& path) {
    std::ifstream in(path);
    return nlohmann::json::parse(in);
}

// The report without what differs between runs of any kind (time, memory)
// and what says how it ran (threads, ranks, the distributed line, second searches).
nlohmann::json essentials(nlohmann::json j) {
    for (const char* key : {"seconds", "bytes_per_state", "peak_memory_bytes", "memory", "threads", "ranks",
                            "reductions", "eventually_searches"})
        j.erase(key);
    return j;
}

class DistributedLibrary : public ::testing::TestWithParam<std::string> {};

}  // namespace

TEST_P(DistributedLibrary, EveryRankCountReportsAsOneProcess) {
    const std::string file = GetParam(), name = std::filesystem::path(file).stem().string();
    const std::string one = temp(name + "-one.json"), many = temp(name + "-many.json");
    const auto sequential = run_shell(std::string(BIDILAB) + " check " + file +
                                      " --por off --eventually-by levels --json " + one + " >/dev/null 2>&1");
    ASSERT_TRUE(sequential.code == 0 || sequential.code == 1) << file;
    const nlohmann::json expected = json_of(one);
    // The largest (over 100,000 states unreduced) on two ranks only: seconds each.
    const bool large = expected.at("states").get<std::uint64_t>() > 100000;
    for (int ranks : {1, 2, 3}) {
        if (large && ranks != 2) continue;
        const auto r = run_shell(kMpirun + "-np " + std::to_string(ranks) + " " + BIDILAB + " check " + file +
                                 " --distributed --json " + many + " >/dev/null 2>&1");
        EXPECT_EQ(r.code, sequential.code) << file << " on " << ranks << " ranks";
        const nlohmann::json got = json_of(many);
        EXPECT_EQ(got.at("ranks"), ranks);
        EXPECT_EQ(essentials(got), essentials(expected)) << file << " on " << ranks << " ranks";
        // The reductions are the model's, and the distribution is said.
        auto reductions = got.at("reductions");
        ASSERT_FALSE(reductions.empty());
        EXPECT_NE(reductions.back().get<std::string>().find("distributed: " + std::to_string(ranks) + " ranks"),
                  std::string::npos);
        EXPECT_NE(reductions.back().get<std::string>().find("partial order: off"), std::string::npos);
        reductions.erase(reductions.size() - 1);
        EXPECT_EQ(reductions, expected.at("reductions"));
    }
    std::filesystem::remove(one);
    std::filesystem::remove(many);
}

INSTANTIATE_TEST_SUITE_P(Library, DistributedLibrary, ::testing::ValuesIn(test_support::library_files()),
                         test_support::library_test_name);

TEST(Distributed, ToyModelsOnEveryRankCount) {
    const std::string one = temp("toy-one.json"), many = temp("toy-many.json");
    for (const char* model : {"grid", "grid-bad", "ring", "deadlock"}) {
        const auto sequential = run_shell(std::string(TOY_CLI) + " check " + model +
                                          " --eventually-by levels --json " + one + " >/dev/null 2>&1");
        for (int ranks : {1, 2, 3}) {
            const auto r = run_shell(kMpirun + "-np " + std::to_string(ranks) + " " + TOY_CLI + " check " + model +
                                     " --distributed --json " + many + " >/dev/null 2>&1");
            EXPECT_EQ(r.code, sequential.code) << model << " on " << ranks << " ranks";
            EXPECT_EQ(essentials(json_of(many)), essentials(json_of(one))) << model << " on " << ranks << " ranks";
        }
    }
    std::filesystem::remove(one);
    std::filesystem::remove(many);
}

TEST(Distributed, WhatItCannotDoIsRefusedBeforeItStarts) {
    const std::string check = std::string(BIDILAB) + " check " + SOURCE_DIR + "/topologies/capulet-montague.json --distributed";
    struct Case {
        const char* options;
        const char* says;
    };
    for (const Case& c : {Case{"", "start it under mpirun"}, Case{"--dfs", "--dfs"}, Case{"--threads 2", "--threads"},
                          Case{"--por on", "--por on"}, Case{"--eventually-by graph", "--eventually-by graph"},
                          Case{"--checkpoint /tmp/x.ckpt", "--checkpoint"}, Case{"--resume /tmp/x.ckpt", "--resume"},
                          Case{"--svg /tmp/x.svg", "--dot, --svg"}, Case{"--coverage", "--coverage"}}) {
        const auto r = run_shell(check + " " + c.options + " 2>&1 >/dev/null");
        EXPECT_EQ(r.code, 2) << c.options << ": " << r.out;
        EXPECT_NE(r.out.find(c.says), std::string::npos) << c.options << ": " << r.out;
        EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << "one line: " << r.out;
    }
    // Under mpirun too: every rank refuses, and the run ends with exit 2.
    const auto r = run_shell(kMpirun + "-np 2 " + check + " --por on 2>&1");
    EXPECT_EQ(r.code, 2) << r.out;
    EXPECT_NE(r.out.find("--distributed does not work with --por on"), std::string::npos) << r.out;
}

TEST(Distributed, ARankThatDiesEndsTheRun) {
    // `endless` never ends: one rank killed, mpirun must end the others and fail.
    const auto start = std::chrono::steady_clock::now();
    const auto r = run_shell("bash -c '" + kMpirun + "-np 2 " + TOY_CLI +
                             " check endless --distributed > /dev/null 2>&1 & m=$!; sleep 2; "
                             "kill -KILL $(pgrep -P $m -f bidilab-toy | head -n 1); wait $m; echo exit $?'");
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_EQ(r.out.find("exit 0"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("exit "), std::string::npos) << r.out;
    EXPECT_LT(seconds, 30.0) << "the surviving rank must not wait for the dead one";
}

TEST(Distributed, ProgressOnRankZeroLeavesNoRankWaiting) {
    // rank 0 alone prints progress (--progress); every rank takes the same steps.
    const auto r = run_shell("timeout 120 " + kMpirun + "-np 2 " + BIDILAB + " check " + SOURCE_DIR +
                             "/topologies/multiplexing.json --distributed --progress --json - 2>/dev/null");
    ASSERT_EQ(r.code, 0) << r.out;
    EXPECT_EQ(nlohmann::json::parse(r.out).at("states"), 88669);
}
