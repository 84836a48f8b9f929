// `check --checkpoint FILE` and `check --resume FILE` end to end, as a user
// runs them: a check stopped by Ctrl-C (SIGINT) or killed outright (SIGKILL,
// the last periodic checkpoint left) and resumed gives the JSON report of an
// uninterrupted check, key for key (the time, the process's peak memory and
// the checkpoint notes aside); a checkpoint of another run, a damaged one, or
// a bad path is refused with one line and exit 2, before any exploring.
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <fstream>
#include <iterator>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "../support/run_program.hpp"
#include "../support/temp_files.hpp"

namespace {

const std::string topologies = std::string(SOURCE_DIR) + "/topologies/";
// About 2.5 s of exploring on the development machine (without partial
// order, the connection symmetry and threads: with them example5 takes a
// third of a second): long enough for a checkpoint after 1 s and a signal
// some time after it.
const std::string long_check = topologies + "xep0288-example5.json --por off --symmetry off --threads 1";

test_support::Result bidilab(const std::string& args, bool want_stderr = false) {
    return test_support::run_program(BIDILAB, args, want_stderr);
}

std::string temp(const std::string& name) {
    return test_support::temp_path("bidilab-cli-" + std::to_string(getpid()) + "-" + name);
}

bool exists(const std::string& path) {
    struct stat st {};
    return stat(path.c_str(), &st) == 0;
}

nlohmann::json read_json(const std::string& path) {
    std::ifstream in(path);
    return nlohmann::json::parse(in);
}

// The report without what differs between a run and its resumed twin.
nlohmann::json comparable(nlohmann::json j) {
    for (const char* key : {"seconds", "peak_memory_bytes", "checkpoint", "resumed"}) j.erase(key);
    return j;
}

// Starts `bidilab check ARGS` (stdout and stderr to /dev/null), waits until
// `file` exists (the first periodic checkpoint), waits `after` more, sends
// `signal`; returns the exit code (-1: ended by the signal), or -2 when the
// check ended before the checkpoint appeared.
int cut_check(const std::string& args, const std::string& file, int signal, std::chrono::milliseconds after) {
    const pid_t pid = fork();
    if (pid == 0) {
        const std::string command = std::string("exec ") + BIDILAB + " check " + args + " >/dev/null 2>&1";
        execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }
    int status = 0;
    for (int i = 0; i < 3000 && !exists(file); ++i) {
        if (waitpid(pid, &status, WNOHANG) == pid) return -2;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    std::this_thread::sleep_for(after);
    kill(pid, signal);
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

TEST(BidilabCheckpoint, InterruptedAndResumedGivesTheUninterruptedReport) {
    const std::string whole = temp("whole.json"), part = temp("part.json"), resumed = temp("resumed.json");
    const std::string file = temp("interrupted.ckpt");
    std::remove(file.c_str());
    const auto reference = bidilab("check " + long_check + " --json " + whole);
    ASSERT_EQ(reference.code, 0);
    // Ctrl-C after the first periodic checkpoint: a partial report (exit 3)
    // and a checkpoint written at the stop.
    const int code = cut_check(long_check + " --checkpoint " + file + " --checkpoint-every 1 --json " + part, file, SIGINT,
                               std::chrono::milliseconds(0));
    ASSERT_NE(code, -2) << "the check ended before its first checkpoint: too fast a machine for this test";
    ASSERT_EQ(code, 3);
    const auto stopped = read_json(part);
    EXPECT_EQ(stopped.at("stopped_by"), "interrupted");
    ASSERT_TRUE(stopped.contains("checkpoint")) << stopped.dump();
    EXPECT_EQ(stopped.at("checkpoint").at("file"), file);
    EXPECT_EQ(stopped.at("checkpoint").at("states"), stopped.at("states"));
    EXPECT_LT(stopped.at("states").get<std::uint64_t>(), read_json(whole).at("states").get<std::uint64_t>());
    // The text report says how to go on.
    const auto text = bidilab("check " + long_check + " --resume " + file + " --max-states 1");
    EXPECT_EQ(text.code, 3);
    EXPECT_NE(text.out.find("resumed: from " + file), std::string::npos) << text.out;
    // Resumed to the end (the state limit of the line above is no part of the file).
    EXPECT_EQ(bidilab("check " + long_check + " --resume " + file + " --json " + resumed).code, 0);
    const auto after = read_json(resumed);
    EXPECT_EQ(after.at("resumed").at("file"), file);
    EXPECT_EQ(after.at("resumed").at("states"), stopped.at("states"));
    EXPECT_EQ(comparable(after), comparable(read_json(whole)));
}

TEST(BidilabCheckpoint, KilledAndResumedFromThePeriodicCheckpoint) {
    const std::string whole = temp("whole-k.json"), resumed = temp("resumed-k.json");
    const std::string file = temp("killed.ckpt");
    std::remove(file.c_str());
    ASSERT_EQ(bidilab("check " + long_check + " --json " + whole).code, 0);
    // Killed with no chance to save: the file is the last periodic
    // checkpoint, whole (written to FILE.tmp, then renamed).
    const int code = cut_check(long_check + " --checkpoint " + file + " --checkpoint-every 1", file, SIGKILL,
                               std::chrono::milliseconds(400));
    ASSERT_NE(code, -2) << "the check ended before its first checkpoint";
    EXPECT_EQ(code, -1);
    const auto r = bidilab("check " + long_check + " --resume " + file + " --json " + resumed);
    EXPECT_EQ(r.code, 0);
    EXPECT_EQ(comparable(read_json(resumed)), comparable(read_json(whole)));
}

TEST(BidilabCheckpoint, AnotherRunsOrADamagedCheckpointIsBadInput) {
    const std::string file = temp("small.ckpt");
    const std::string small = topologies + "capulet-montague.json";
    // A memory limit of one byte stops the check at once, saved.
    ASSERT_EQ(bidilab("check " + small + " --max-memory 1 --checkpoint " + file).code, 3);
    ASSERT_TRUE(exists(file));
    auto refused = [&](const std::string& args, const std::string& expected) {
        const auto r = bidilab(args, true);
        EXPECT_EQ(r.code, 2) << args << "\n" << r.out;
        EXPECT_NE(r.out.find(expected), std::string::npos) << args << "\n" << r.out;
        EXPECT_EQ(r.out.find('\n'), r.out.size() - 1) << "one line: " << r.out;
    };
    refused("check " + small + " --resume " + file + " --por off", "partial order was 'on', this run's is 'off'");
    refused("check " + small + " --resume " + file + " --dfs", "order was 'breadth-first'");
    refused("check " + small + " --resume " + file + " --symmetry off", "model reductions was");
    refused("check " + topologies + "no-tls.json --resume " + file, "topology (XXH3 of its canonical JSON) was");
    // Damaged: cut short, a byte changed, not a checkpoint at all.
    std::ifstream in(file, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string damaged = temp("damaged.ckpt");
    std::ofstream(damaged, std::ios::binary) << bytes.substr(0, bytes.size() / 2);
    refused("check " + small + " --resume " + damaged, damaged + ": truncated or damaged");
    std::string flipped = bytes;
    flipped[flipped.size() / 3] = static_cast<char>(flipped[flipped.size() / 3] ^ 1);
    std::ofstream(damaged, std::ios::binary | std::ios::trunc) << flipped;
    refused("check " + small + " --resume " + damaged, "checksum does not match");
    refused("check " + small + " --resume " + small, "not a checkpoint");
    refused("check " + small + " --resume " + ::testing::TempDir(), "not a regular file");
    refused("check " + small + " --resume " + temp("missing.ckpt"), "cannot read");
    // Bad usage, before the run.
    refused("check " + small + " --checkpoint /nonexistent-dir/x.ckpt", "--checkpoint: cannot write");
    refused("check " + small + " --checkpoint " + ::testing::TempDir(), "is a directory");
    refused("check " + small + " --checkpoint-every 5", "--checkpoint-every needs --checkpoint or --resume");
    refused("check " + small + " --checkpoint " + file + " --checkpoint-every 0", "expected at least 1");
    refused("check " + small + " --checkpoint " + file + " --coverage", "do not work with --coverage");
    // The good one still resumes, to the end.
    EXPECT_EQ(bidilab("check " + small + " --resume " + file).code, 0);
}
