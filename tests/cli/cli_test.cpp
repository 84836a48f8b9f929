// End-to-end tests of the command-line behaviour: exit codes, JSON reports,
// limits, interrupts and usage errors, through the toy-model binary.
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "../support/run_program.hpp"

namespace {
using test_support::Result;

Result shell(const std::string& cmd) { return test_support::run_shell(cmd); }

Result run(const std::string& args) { return shell(std::string(TOY_CLI) + " " + args + " 2>/dev/null"); }

std::string stderr_of(const std::string& args) { return shell(std::string(TOY_CLI) + " " + args + " 2>&1 >/dev/null").out; }
}  // namespace

TEST(Cli, PassIsZeroAndJsonHasTheStableKeys) {
    auto r = run("check grid --json -");
    ASSERT_EQ(r.code, 0);
    auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["verdict"], "pass");
    EXPECT_EQ(j["complete"], true);
    EXPECT_EQ(j["states"], 35);
    EXPECT_EQ(j["transitions"], 58);
    EXPECT_EQ(j["depth"], 10);
    for (const auto& p : j["properties"]) {
        for (const char* key : {"name", "rules", "kind", "status", "trace"}) EXPECT_TRUE(p.contains(key)) << key;
    }
}

TEST(Cli, ViolationIsOneWithAShortestTrace) {
    auto r = run("check grid-bad --json -");
    ASSERT_EQ(r.code, 1);
    auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["verdict"], "fail");
    const auto& p = j["properties"][0];
    EXPECT_EQ(p["name"], "avoid-target");
    EXPECT_EQ(p["status"], "violated");
    EXPECT_EQ(p["rules"][0], "TOY-1");
    EXPECT_EQ(p["trace"]["steps"].size(), 5u);
    EXPECT_EQ(p["trace"]["steps"][0]["description"], "right");
}

TEST(Cli, TextReportShowsTheTrace) {
    auto r = run("check deadlock");
    ASSERT_EQ(r.code, 1);
    EXPECT_NE(r.out.find("violated  no-deadlock"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("2. "), std::string::npos) << r.out;
}

TEST(Cli, LassoIsReportedAsALoop) {
    auto r = run("check ring --json -");
    ASSERT_EQ(r.code, 1);
    auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["properties"][0]["status"], "violated");
    EXPECT_EQ(j["properties"][0]["trace"]["loop_start"], 0);
}

TEST(Cli, LimitsGiveThreeWithAPartialReport) {
    for (const char* flag : {"--max-states 1000", "--max-depth 5"}) {
        auto r = run(std::string("check big-grid --json - ") + flag);
        ASSERT_EQ(r.code, 3) << flag;
        auto j = nlohmann::json::parse(r.out);
        EXPECT_EQ(j["verdict"], "incomplete");
        EXPECT_EQ(j["complete"], false);
        EXPECT_FALSE(j["stopped_by"].is_null());
        EXPECT_GT(j["states"].get<int>(), 0);
    }
}

TEST(Cli, JsonToAFile) {
    std::string path = ::testing::TempDir() + "toy-report.json";
    auto r = run("check grid --json " + path);
    ASSERT_EQ(r.code, 0);
    EXPECT_NE(r.out.find("verdict: pass"), std::string::npos);
    std::ifstream f(path);
    auto j = nlohmann::json::parse(f);
    EXPECT_EQ(j["states"], 35);
}

TEST(Cli, BadUsageIsTwoWithOneLine) {
    for (const char* args : {"check", "check grid --max-states lots", "check grid --frobnicate", "nonsense",
                             "check grid --bfs --dfs", "check grid --max-memory 12Q", "check grid --json"}) {
        auto r = run(args);
        EXPECT_EQ(r.code, 2) << args;
        std::string err = stderr_of(args);
        EXPECT_FALSE(err.empty()) << args;
        EXPECT_EQ(err.find('\n'), err.size() - 1) << "one line: " << err;
    }
}

TEST(Cli, HelpIsZero) {
    EXPECT_EQ(run("--help").code, 0);
    auto r = run("check --help");
    EXPECT_EQ(r.code, 0);
    EXPECT_NE(r.out.find("--max-states"), std::string::npos);
}

TEST(Cli, SimulateIsDeterministic) {
    auto a = run("simulate deadlock --seed 9 --runs 3 --json -");
    auto b = run("simulate deadlock --seed 9 --runs 3 --json -");
    EXPECT_EQ(a.code, b.code);
    auto ja = nlohmann::json::parse(a.out), jb = nlohmann::json::parse(b.out);
    ja.erase("seconds");
    jb.erase("seconds");
    ja.erase("peak_memory_bytes");
    jb.erase("peak_memory_bytes");
    EXPECT_EQ(ja, jb);
}

TEST(Cli, InterruptStopsWithAPartialReport) {
    // `endless` never finishes; the first progress line shows the run (and its
    // signal handler) has started, then SIGINT must end it with exit 3.
    std::string path = ::testing::TempDir() + "toy-interrupted.json", text = ::testing::TempDir() + "toy-interrupted.txt";
    int err_pipe[2];
    ASSERT_EQ(pipe(err_pipe), 0);
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        dup2(err_pipe[1], STDERR_FILENO);
        close(err_pipe[0]);
        if (!freopen(text.c_str(), "w", stdout)) _exit(126);
        execl(TOY_CLI, TOY_CLI, "check", "endless", "--json", path.c_str(), "--progress", static_cast<char*>(nullptr));
        _exit(127);
    }
    close(err_pipe[1]);
    std::string err;
    char c;
    while (err.find("progress:") == std::string::npos && read(err_pipe[0], &c, 1) == 1) err += c;
    ASSERT_NE(err.find("progress:"), std::string::npos);
    kill(pid, SIGINT);
    int status = 0;
    waitpid(pid, &status, 0);
    close(err_pipe[0]);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 3);
    std::ifstream f(path);
    auto j = nlohmann::json::parse(f);
    EXPECT_EQ(j["stopped_by"], "interrupted");
    EXPECT_EQ(j["verdict"], "incomplete");
    EXPECT_GT(j["states"].get<long>(), 1000);
    std::ifstream t(text);
    const std::string report((std::istreambuf_iterator<char>(t)), std::istreambuf_iterator<char>());
    EXPECT_NE(report.find("verdict: incomplete (interrupted)\n"), std::string::npos) << report;
}

// A space that doubles at every level is said early not to fit (a warning on
// stderr, then the limit stops the run: exit 3); one that fits is not.
TEST(Cli, AGrowingSpaceIsWarnedOfBeforeTheMemoryLimitStopsIt) {
    auto tree = run("check tree --max-memory 96M");
    EXPECT_EQ(tree.code, 3);
    const std::string err = stderr_of("check tree --max-memory 96M");
    EXPECT_NE(err.find("warning: this check will not fit in its memory limit (96 MiB) if it goes on growing as its "
                       "last three levels did (x2.00 or more each)"),
              std::string::npos)
        << err;
    EXPECT_EQ(stderr_of("check big-grid --max-memory 96M"), "");
}
