// Checkpoints (sim/checkpoint.hpp, sim/explorer_checkpoint.hpp): a run cut
// into parts, each saved and resumed, ends with exactly the report of one
// uninterrupted run (states, transitions, verdicts, traces, outcomes, memory
// parts), breadth- and depth-first, with `eventually` decided on the graph
// and by levels, a violation found after a resume; and a checkpoint that is
// truncated, damaged, foreign or of another run is refused with a
// CheckpointError naming the file.
#include "sim/checkpoint.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <unistd.h>
#include <vector>

#include "sim/explorer.hpp"
#include "support/run_in_parts.hpp"
#include "support/same_report.hpp"
#include "support/temp_files.hpp"
#include "toy_models.hpp"

namespace {

// One file per process: the plain and the sanitized suites run side by side.
std::string temp_file(const std::string& name) {
    return test_support::temp_path("bidilab-" + std::to_string(getpid()) + "-" + name);
}

std::vector<char> read_all(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::vector<char>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void write_all(const std::string& path, const std::vector<char>& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

template <class M>
void expect_resumable(const M& m, sim::ExploreOptions o, const std::string& what) {
    const sim::Report whole = sim::Explorer<M>(m, o).run();
    ASSERT_TRUE(whole.complete) << what;
    for (std::uint64_t every : {1, 2, 3, 7, 50}) {
        const auto parts = test_support::run_in_parts(m, o, every, temp_file("parts.ckpt"));
        if (every < whole.states) {
            EXPECT_GT(parts.runs, 1) << what << " every " << every;
        }
        test_support::expect_same_report(whole, parts.report, what + ", cut every " + std::to_string(every));
        if (parts.runs > 1) {
            ASSERT_TRUE(parts.report.resumed.has_value()) << what;
            EXPECT_GT(parts.report.resumed->states, 0u) << what;
            EXPECT_LE(parts.report.resumed->states, whole.states) << what;
        }
    }
}

sim::ExploreOptions options(sim::Order order, std::uint64_t eventually_graph_states = std::uint64_t{1} << 19) {
    sim::ExploreOptions o;
    o.order = order;
    o.eventually_graph_states = eventually_graph_states;
    return o;
}

}  // namespace

TEST(Checkpoint, AResumedRunIsTheUninterruptedRun) {
    for (auto order : {sim::Order::BreadthFirst, sim::Order::DepthFirst}) {
        const std::string o = order == sim::Order::BreadthFirst ? "bfs" : "dfs";
        expect_resumable(toy::Grid{6, 5}, options(order), "grid " + o);
        expect_resumable(toy::Ring{9, 4}, options(order), "ring " + o);
        expect_resumable(toy::Ring{9, 10}, options(order), "ring without exit " + o);  // eventually violated: a loop
        expect_resumable(toy::Pair{5, 3}, options(order), "pair with a deadlock " + o);
        expect_resumable(toy::Pair{5, -1, true}, options(order), "pair with a jump " + o);  // a step property violated
    }
    // `eventually` by levels (no kept graph), and the graph dropped half-way.
    expect_resumable(toy::Grid{6, 5}, options(sim::Order::BreadthFirst, 0), "grid by levels");
    expect_resumable(toy::Ring{9, 10}, options(sim::Order::BreadthFirst, 0), "ring by levels");
    expect_resumable(toy::Grid{6, 5}, options(sim::Order::BreadthFirst, 20), "grid, graph dropped at 20 states");
}

TEST(Checkpoint, AViolationFoundAfterTheResumeHasTheUninterruptedTrace) {
    const toy::Grid g{8, 8, 7, 6};  // the target is 13 steps deep
    const sim::Report whole = sim::Explorer<toy::Grid>(g).run();
    ASSERT_EQ(whole.find("avoid-target")->status, sim::Status::Violated);
    // Cut once, early: the first part has not met the target yet.
    std::atomic<bool> stop{false};
    sim::ExploreOptions o;
    o.stop = &stop;
    o.checkpoint_file = temp_file("violation.ckpt");
    o.checkpoint_expansions = 10;
    o.on_checkpoint = [&](const sim::CheckpointNote&) { stop = true; };
    const sim::Report first = sim::Explorer<toy::Grid>(g, o).run();
    EXPECT_EQ(first.stopped_by, "interrupted");
    EXPECT_EQ(first.find("avoid-target")->status, sim::Status::Unknown);
    o.stop = nullptr;
    o.checkpoint_expansions = 0;
    o.resume_file = o.checkpoint_file;
    const sim::Report rest = sim::Explorer<toy::Grid>(g, o).run();
    test_support::expect_same_report(whole, rest, "grid with a target");
    EXPECT_EQ(rest.find("avoid-target")->trace->length(), 13u);
}

// Found by the test above: a stop that comes after the last expansion, while
// `eventually` is searched again, left the property "holds" in a run called
// complete. Now the run is incomplete (interrupted) and the property unknown.
TEST(Checkpoint, AStopDuringTheSecondEventuallySearchLeavesTheRunIncomplete) {
    const toy::Ring ring{9, 10};  // 9 states in a loop: eventually-done is violated
    std::atomic<bool> stop{false};
    sim::ExploreOptions o = options(sim::Order::BreadthFirst, 0);  // by levels: the loop needs a second search
    o.stop = &stop;
    o.checkpoint_file = temp_file("search.ckpt");
    o.checkpoint_expansions = 8;  // taken before the ninth and last expansion
    o.on_checkpoint = [&](const sim::CheckpointNote&) { stop = true; };
    const sim::Report r = sim::Explorer<toy::Ring>(ring, o).run();
    EXPECT_EQ(r.states, 9u);
    EXPECT_FALSE(r.complete);
    EXPECT_EQ(r.stopped_by, "interrupted");
    EXPECT_EQ(r.find("eventually-done")->status, sim::Status::Unknown);
    EXPECT_EQ(r.verdict(), sim::Verdict::Incomplete);
    o.stop = nullptr;
    o.resume_file = o.checkpoint_file;
    EXPECT_EQ(sim::Explorer<toy::Ring>(ring, o).run().find("eventually-done")->status, sim::Status::Violated);
}

TEST(Checkpoint, ALimitStopSavesAndTheResumeMayRaiseIt) {
    const toy::Grid g{30, 30};
    const sim::Report whole = sim::Explorer<toy::Grid>(g).run();
    // A memory limit of one byte stops the run at its first expansion, saved.
    sim::ExploreOptions o;
    o.max_memory = 1;
    o.checkpoint_file = temp_file("limit.ckpt");
    const sim::Report first = sim::Explorer<toy::Grid>(g, o).run();
    EXPECT_EQ(first.stopped_by, "max-memory");
    ASSERT_TRUE(first.checkpoint.has_value());
    o.max_memory = 0;
    o.resume_file = o.checkpoint_file;
    test_support::expect_same_report(whole, sim::Explorer<toy::Grid>(g, o).run(), "grid after a memory limit");
}

TEST(Checkpoint, AnotherRunsCheckpointIsRefused) {
    const toy::Grid g{6, 5};
    sim::ExploreOptions o;
    o.max_memory = 1;
    o.identity = {{"model", "grid 6x5"}};
    o.checkpoint_file = temp_file("identity.ckpt");
    sim::Explorer<toy::Grid>(g, o).run();
    o.max_memory = 0;
    o.resume_file = o.checkpoint_file;
    auto refused = [&](sim::ExploreOptions changed, const std::string& expected) {
        try {
            sim::Explorer<toy::Grid>(g, changed).run();
            ADD_FAILURE() << "resumed: " << expected;
        } catch (const sim::CheckpointError& e) {
            const std::string message = e.what();
            EXPECT_NE(message.find(o.resume_file), std::string::npos) << message;
            EXPECT_NE(message.find(expected), std::string::npos) << message;
            EXPECT_EQ(message.find('\n'), std::string::npos) << message;
        }
    };
    sim::ExploreOptions other = o;
    other.identity = {{"model", "grid 7x5"}};
    refused(other, "model was 'grid 6x5', this run's is 'grid 7x5'");
    other = o;
    other.order = sim::Order::DepthFirst;
    refused(other, "order was 'breadth-first', this run's is 'depth-first'");
    other = o;
    other.max_depth = 4;
    refused(other, "max-depth was '0', this run's is '4'");
    other = o;
    other.check_deadlock = false;
    refused(other, "deadlock check was 'on'");
    // The limits that only stop a run may change.
    other = o;
    other.max_states = 1000;
    EXPECT_NO_THROW(sim::Explorer<toy::Grid>(g, other).run());
}

TEST(Checkpoint, DamagedTruncatedOrForeignFilesAreRefused) {
    const toy::Grid g{6, 5};
    sim::ExploreOptions o;
    o.max_memory = 1;
    o.checkpoint_file = temp_file("damaged.ckpt");
    sim::Explorer<toy::Grid>(g, o).run();
    const std::vector<char> good = read_all(o.checkpoint_file);
    ASSERT_GT(good.size(), 100u);
    EXPECT_TRUE(read_all(o.checkpoint_file + ".tmp").empty()) << "the temporary file was renamed";
    o.max_memory = 0;
    o.resume_file = temp_file("bad.ckpt");
    auto expect_refused = [&](const std::vector<char>& bytes, const std::string& expected, const std::string& what) {
        write_all(o.resume_file, bytes);
        try {
            sim::Explorer<toy::Grid>(g, o).run();
            ADD_FAILURE() << what << ": resumed";
        } catch (const sim::CheckpointError& e) {
            const std::string message = e.what();
            EXPECT_EQ(message.rfind(o.resume_file + ": ", 0), 0u) << what << ": " << message;
            EXPECT_NE(message.find(expected), std::string::npos) << what << ": " << message;
        }
    };
    // Cut at every length and every byte flipped in the head (magic, identity,
    // counts), then at every 61st: refused, never a crash.
    auto next = [](std::size_t i) { return i < 512 ? i + 1 : i + 61; };
    for (std::size_t n = 0; n < good.size(); n = next(n)) {
        const std::vector<char> cut(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(n));
        expect_refused(cut, n < sim::kCheckpointMagicSize + 8 ? "not a checkpoint" : "checksum", "cut at " + std::to_string(n));
    }
    for (std::size_t i = 0; i < good.size(); i = next(i)) {
        std::vector<char> flipped = good;
        flipped[i] = static_cast<char>(flipped[i] ^ 0x10);
        expect_refused(flipped, i < sim::kCheckpointMagicSize ? "not a checkpoint" : "checksum",
                       "byte " + std::to_string(i) + " flipped");
    }
    expect_refused({'{', '}', '\n'}, "not a checkpoint", "a JSON file");
    o.resume_file = ::testing::TempDir();
    EXPECT_THROW(sim::Explorer<toy::Grid>(g, o).run(), sim::CheckpointError) << "a directory";
    o.resume_file = temp_file("no-such.ckpt");
    EXPECT_THROW(sim::Explorer<toy::Grid>(g, o).run(), sim::CheckpointError) << "a missing file";
}

// Structure inside a valid checksum: a file whose parts do not fit is
// refused at the part, not trusted (what a forged checksum would meet).
TEST(Checkpoint, PartsOutOfShapeAreRefusedEvenWithAGoodChecksum) {
    const std::string file = temp_file("shape.ckpt");
    auto reader_of = [&](auto&& fill) {
        {
            sim::CheckpointWriter w(file);
            fill(w);
            w.commit();
        }
        return std::make_unique<sim::CheckpointReader>(file);
    };
    {  // a count past the end of the file
        auto r = reader_of([](sim::CheckpointWriter& w) { w.value<std::uint64_t>(std::uint64_t{1} << 40); });
        EXPECT_THROW(r->array<std::uint32_t>(), sim::CheckpointError);
    }
    {  // a parent after its child
        auto r = reader_of([](sim::CheckpointWriter& w) {
            w.value<std::uint8_t>(0);  // no edges kept
            w.value<std::uint64_t>(2);
            w.value<std::uint32_t>(sim::StateGraph::root);
            w.value<std::uint32_t>(5);  // parent 5 of state 1
            w.value<std::uint64_t>(2);
            w.value<std::uint8_t>(0);
            w.value<std::uint8_t>(0);
            w.value<std::uint64_t>(0);
        });
        sim::StateGraph g;
        EXPECT_THROW(g.load(*r), sim::CheckpointError);
    }
    {  // visited fingerprints out of order
        auto r = reader_of([](sim::CheckpointWriter& w) {
            w.value<std::uint8_t>(0);
            w.value<std::uint64_t>(1024);
            w.value<std::uint64_t>(2);
            w.value<std::uint64_t>(9);
            w.value<std::uint64_t>(3);
        });
        sim::VisitedSet v;
        EXPECT_THROW(v.load(*r), sim::CheckpointError);
    }
    {  // a round trip of a visited set keeps every fingerprint and index
        sim::VisitedSet v(true, 64);
        for (std::uint64_t fp = 1; fp < 500; ++fp) v.insert(fp * 0x9E3779B97F4A7C15ull | 1, static_cast<std::uint32_t>(fp));
        auto r = reader_of([&](sim::CheckpointWriter& w) { v.save(w); });
        sim::VisitedSet back;
        back.load(*r);
        EXPECT_EQ(back.size(), v.size());
        EXPECT_EQ(back.capacity(), v.capacity());
        for (std::uint64_t fp = 1; fp < 500; ++fp)
            EXPECT_EQ(back.index_of(fp * 0x9E3779B97F4A7C15ull | 1), static_cast<std::uint32_t>(fp));
    }
}

TEST(Checkpoint, AFailedWriteKeepsThePreviousCheckpoint) {
    const std::string file = temp_file("keep.ckpt");
    {
        sim::CheckpointWriter w(file);
        w.value<std::uint32_t>(7);
        w.commit();
    }
    const auto before = read_all(file);
    {
        sim::CheckpointWriter w(file);
        w.value<std::uint32_t>(8);
        // destroyed without commit: as a run killed while writing
    }
    EXPECT_EQ(read_all(file), before);
    EXPECT_TRUE(read_all(file + ".tmp").empty());
    EXPECT_THROW(sim::CheckpointWriter("/nonexistent-dir/x.ckpt"), sim::CheckpointError);
}
