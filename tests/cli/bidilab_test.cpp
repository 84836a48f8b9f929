// The bidilab program itself on shipped topologies and bad input.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "../support/run_program.hpp"

namespace {
using test_support::Result;

Result bidilab(const std::string& args, bool want_stderr = false) {
    return test_support::run_program(BIDILAB, args, want_stderr);
}

const std::string topologies = std::string(SOURCE_DIR) + "/topologies/";
}  // namespace

TEST(Bidilab, HelpListsTheCommands) {
    auto r = bidilab("--help");
    EXPECT_EQ(r.code, 0);
    for (const char* c : {"check", "simulate", "topology"}) EXPECT_NE(r.out.find(c), std::string::npos) << c;
}

TEST(Bidilab, CheckTheDefaultTopologyPasses) {
    auto r = bidilab("check --json -");
    ASSERT_EQ(r.code, 0) << r.out;
    auto j = nlohmann::json::parse(r.out);
    for (const char* key : {"verdict", "complete", "states", "transitions", "depth", "properties"})
        EXPECT_TRUE(j.contains(key)) << key;
    EXPECT_EQ(j["verdict"], "pass");
    EXPECT_EQ(j["states"], 148);  // with partial-order reduction, the default
    EXPECT_EQ(nlohmann::json::parse(bidilab("check --por off --json -").out)["states"], 336);
}

TEST(Bidilab, WitnessTracesAreTranscripts) {
    auto r = bidilab("check " + topologies + "capulet-montague.json --json -");
    auto j = nlohmann::json::parse(r.out);
    for (const auto& p : j["properties"]) {
        if (p["name"] != "stanza-over-bidi") continue;
        ASSERT_EQ(p["status"], "witnessed");
        bool saw_bidi = false;
        for (const auto& step : p["trace"]["steps"])
            if (step["xml"].get<std::string>().find("<bidi xmlns='urn:xmpp:bidi'/>") != std::string::npos) saw_bidi = true;
        EXPECT_TRUE(saw_bidi);
        return;
    }
    FAIL() << "no stanza-over-bidi property";
}

TEST(Bidilab, RequireWitnessesFailsWhereNoneIsFound) {
    EXPECT_EQ(bidilab("check " + topologies + "no-bidi.json").code, 0);
    EXPECT_EQ(bidilab("check " + topologies + "no-bidi.json --require-witnesses").code, 1);
}

TEST(Bidilab, SimulateIsSeeded) {
    auto a = bidilab("simulate --seed 5 --runs 20 --json -");
    auto b = bidilab("simulate --seed 5 --runs 20 --json -");
    ASSERT_EQ(a.code, 0);
    auto ja = nlohmann::json::parse(a.out), jb = nlohmann::json::parse(b.out);
    EXPECT_EQ(ja["states"], jb["states"]);
    EXPECT_EQ(ja["properties"], jb["properties"]);
}

TEST(Bidilab, BadTopologyIsExitTwoWithFileAndPointer) {
    std::string path = ::testing::TempDir() + "bad-topology.json";
    std::ofstream(path) << R"({"name": "x", "servers": [{"name": "a", "domains": ["a.lit"], "tls": "maybe"}]})";
    auto r = bidilab("check " + path, true);
    EXPECT_EQ(bidilab("check " + path).code, 2);
    EXPECT_EQ(r.out, path + ": /servers/0/tls: invalid tls value 'maybe'; allowed: \"required\", \"offered\", \"none\"\n");
    EXPECT_EQ(bidilab("check /nonexistent.json").code, 2);
}

TEST(Bidilab, RulesLeaveNoMustRuleUncovered) {
    auto r = bidilab("rules");
    EXPECT_EQ(r.code, 0) << r.out;
    EXPECT_NE(r.out.find("0 MUST rule(s) uncovered"), std::string::npos) << r.out;
    auto j = nlohmann::json::parse(bidilab("rules --json").out);
    EXPECT_EQ(j.size(), 71u);
    for (const auto& rule : j) {
        EXPECT_TRUE(rule.contains("id"));
        EXPECT_FALSE(rule["covered_by"]["properties"].empty() && rule["covered_by"]["tests"].empty()) << rule["id"];
    }
}

TEST(Bidilab, QuirksListTheirRules) {
    auto j = nlohmann::json::parse(bidilab("quirks --json").out);
    EXPECT_GE(j.size(), 5u);
    for (const auto& q : j)
        for (const char* key : {"name", "rules", "description"}) EXPECT_TRUE(q.contains(key)) << key;
}

// `check --coverage`: the transition-table rows no explored ordering took.
TEST(Bidilab, CheckCoverageListsTheRowsNeverTaken) {
    auto r = bidilab("check " + topologies + "capulet-montague.json --coverage --json -");
    ASSERT_EQ(r.code, 0) << r.out;
    auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["verdict"], "pass");
    ASSERT_TRUE(j.contains("coverage"));
    EXPECT_EQ(j["coverage"]["complete"], true);
    const auto& machines = j["coverage"]["machines"];
    ASSERT_EQ(machines.size(), 2u);
    EXPECT_EQ(machines[0]["machine"], "InitiatingStream");
    EXPECT_EQ(machines[1]["machine"], "ReceivingStream");
    bool quirk_row_listed = false;
    for (const auto& m : machines) {
        const auto rows = m["rows"].get<std::size_t>(), taken = m["taken"].get<std::size_t>();
        EXPECT_GT(taken, 0u) << m["machine"];
        EXPECT_LT(taken, rows) << m["machine"];
        EXPECT_EQ(taken + m["never_taken"].size(), rows) << m["machine"];
        for (const auto& row : m["never_taken"]) {
            for (const char* key : {"source", "event", "target", "action", "guard"}) EXPECT_TRUE(row.contains(key)) << key;
            // BIDI-8: only the reject-reverse-dialback quirk takes this row.
            if (m["machine"] == "InitiatingStream" && row["guard"] == "RejectsReverseRequest" &&
                row["source"] == "Established" && row["event"] == "DbResult" && row["target"] == "Closed")
                quirk_row_listed = true;
            EXPECT_NE(row["event"], "TcpConnected");  // every exploration connects
        }
    }
    EXPECT_TRUE(quirk_row_listed);
    // The same rows on every run; none without --coverage.
    EXPECT_EQ(nlohmann::json::parse(bidilab("check " + topologies + "capulet-montague.json --coverage --json -").out)["coverage"],
              j["coverage"]);
    EXPECT_FALSE(nlohmann::json::parse(bidilab("check " + topologies + "capulet-montague.json --json -").out).contains("coverage"));
}

TEST(Bidilab, CheckCoverageAsTextAfterTheProperties) {
    auto r = bidilab("check " + topologies + "capulet-montague.json --coverage");
    ASSERT_EQ(r.code, 0) << r.out;
    const auto initiating = r.out.find("coverage: InitiatingStream ");
    const auto receiving = r.out.find("coverage: ReceivingStream ");
    ASSERT_NE(initiating, std::string::npos) << r.out;
    ASSERT_NE(receiving, std::string::npos) << r.out;
    EXPECT_LT(r.out.find("stanza-over-bidi"), initiating);
    EXPECT_LT(initiating, receiving);
    EXPECT_NE(r.out.find(" rows taken; never taken:\n"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("    Established --DbResult [RejectsReverseRequest] / CloseInvalidId--> Closed\n"),
              std::string::npos)
        << r.out;
}

// A partial run's coverage is reported, and says so; the exit code stays 3.
TEST(Bidilab, CheckCoverageOfAnIncompleteRunIsPartial) {
    auto r = bidilab("check " + topologies + "capulet-montague.json --max-states 20 --coverage");
    EXPECT_EQ(r.code, 3) << r.out;
    EXPECT_NE(r.out.find("rows taken in the partial run; never taken:"), std::string::npos) << r.out;
    auto j = nlohmann::json::parse(bidilab("check " + topologies + "capulet-montague.json --max-states 20 --coverage --json -").out);
    EXPECT_EQ(j["coverage"]["complete"], false);
    EXPECT_EQ(j["complete"], false);
}

// Is the reject-reverse-dialback row (BIDI-8) among a coverage report's never-taken rows?
bool rejects_reverse_row_never_taken(const nlohmann::json& coverage) {
    for (const auto& m : coverage["machines"])
        for (const auto& row : m["never_taken"])
            if (m["machine"] == "InitiatingStream" && row["guard"] == "RejectsReverseRequest") return true;
    return false;
}

TEST(Bidilab, CoverageOfALibraryIsTheUnionOfItsTopologies) {
    const std::string clean = topologies + "capulet-montague.json";
    const std::string mutant = topologies + "mutants/reject-reverse-dialback.json";
    auto alone = bidilab("coverage " + clean + " --json");
    ASSERT_EQ(alone.code, 0) << alone.out;
    auto both = bidilab("coverage " + clean + " " + mutant + " --json");
    ASSERT_EQ(both.code, 0) << both.out;
    const auto a = nlohmann::json::parse(alone.out), b = nlohmann::json::parse(both.out);
    EXPECT_TRUE(rejects_reverse_row_never_taken(a["coverage"]));
    EXPECT_FALSE(rejects_reverse_row_never_taken(b["coverage"]));  // the mutant takes it
    ASSERT_EQ(b["topologies"].size(), 2u);
    EXPECT_EQ(b["topologies"][0]["file"], clean);
    EXPECT_EQ(b["topologies"][0]["states"], 336);
    EXPECT_GE(b["topologies"][1]["first_taken"].get<int>(), 1);
    std::size_t taken_alone = 0, taken_both = 0;
    for (std::size_t m = 0; m < 2; ++m) {
        taken_alone += a["coverage"]["machines"][m]["taken"].get<std::size_t>();
        taken_both += b["coverage"]["machines"][m]["taken"].get<std::size_t>();
        EXPECT_GE(b["coverage"]["machines"][m]["taken"], a["coverage"]["machines"][m]["taken"]);
    }
    EXPECT_EQ(b["topologies"][0]["first_taken"].get<std::size_t>(), taken_alone);
    EXPECT_EQ(taken_alone + b["topologies"][1]["first_taken"].get<std::size_t>(), taken_both);
}

TEST(Bidilab, CoverageStopsAtMaxStatesAndRefusesBadFiles) {
    auto r = bidilab("coverage " + topologies + "capulet-montague.json --max-states 10");
    EXPECT_EQ(r.code, 3) << r.out;
    EXPECT_NE(r.out.find("(partial)"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("rows taken in the partial run"), std::string::npos) << r.out;
    EXPECT_EQ(bidilab("coverage no-such-topology.json").code, 2);
}

// --max-memory ends a run that would not fit near its limit, with exit 3 and
// a partial report (the federation would need about 330 MiB): before the
// limit is crossed, when the visited set's next growth would not fit.
TEST(Bidilab, MaxMemoryStopsARunNearItsLimit) {
    const double limit = 48.0 * 1024 * 1024;
    auto r = bidilab("check " + topologies + "federations/five-servers.json --max-memory 48M --json -");
    ASSERT_EQ(r.code, 3) << r.out;
    auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["stopped_by"], "max-memory");
    EXPECT_EQ(j["complete"], false);
    EXPECT_EQ(j["verdict"], "incomplete");
    EXPECT_GT(j["states"].get<double>(), 100000.0);
    // Stopped before the visited set's next growth would cross the limit:
    // at most the limit (and what one check interval adds), and not earlier
    // than that growth (a quarter of the table, old and new alive) requires.
    EXPECT_LE(j["peak_memory_bytes"].get<double>(), limit * 1.02);
    EXPECT_GE(j["peak_memory_bytes"].get<double>(), limit * 0.75);
}

// Even a short run is checked: the process alone is past 1M.
TEST(Bidilab, MaxMemoryIsCheckedInAShortRunToo) {
    auto r = bidilab("check --max-memory 1M --json -");
    ASSERT_EQ(r.code, 3) << r.out;
    EXPECT_EQ(nlohmann::json::parse(r.out)["stopped_by"], "max-memory");
}

// The catalogue is in the program: a rule's entry by its ID, and the first
// rule a violation breaks quoted under it.
TEST(Bidilab, CORE_7_RulesPrintsAnEntryAndViolationsQuoteTheirRule) {
    auto r = bidilab("rules CORE-7 DB-20");
    ASSERT_EQ(r.code, 0) << r.out;
    EXPECT_NE(r.out.find("«When the receiving entity receives the new initial stream header, it MUST generate a new stream ID"),
              std::string::npos) << r.out;
    EXPECT_NE(r.out.find("XEP-0220 §2.1.2"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("covered by: fresh-stream-ids"), std::string::npos) << r.out;
    auto j = nlohmann::json::parse(bidilab("rules CORE-7 --json").out);
    ASSERT_EQ(j.size(), 1u);
    EXPECT_EQ(j[0]["must"], true);
    EXPECT_NE(j[0]["text"].get<std::string>().find("Check:"), std::string::npos);
    auto unknown = bidilab("rules CORE-99", true);
    EXPECT_EQ(unknown.code, 2);
    EXPECT_NE(unknown.out.find("no rule 'CORE-99'"), std::string::npos) << unknown.out;
    auto v = bidilab("check " + topologies + "mutants/reuse-stream-id.json");
    ASSERT_EQ(v.code, 1) << v.out;
    EXPECT_NE(v.out.find("violated  fresh-stream-ids [step]  CORE-7, CORE-15, CORE-42\n    CORE-7: «When the receiving entity"),
              std::string::npos) << v.out;
}

// --version and -V name the revision; a check's last line sums it up.
TEST(Bidilab, VersionAndSummaryLine) {
    for (const char* flag : {"--version", "-V", "version"}) {
        auto r = bidilab(flag);
        EXPECT_EQ(r.code, 0) << flag;
        EXPECT_EQ(r.out.rfind("bidilab 0.1.0 (", 0), 0u) << r.out;
    }
    auto pass = bidilab("check");
    ASSERT_EQ(pass.code, 0);
    const std::string last = pass.out.substr(pass.out.rfind("summary: "));
    EXPECT_EQ(last.rfind("summary: pass, 148 states in ", 0), 0u) << last;
    EXPECT_NE(last.find(" s, 0 violated\n"), std::string::npos) << last;
    auto fail = bidilab("check " + topologies + "mutants/reuse-stream-id.json");
    EXPECT_NE(fail.out.find("1 violated (fresh-stream-ids)\n"), std::string::npos) << fail.out;
    auto stopped = bidilab("check --max-states 10");
    EXPECT_NE(stopped.out.find(", stopped by max-states\n"), std::string::npos) << stopped.out;
}

// What became of the stanzas: the final states by outcome, in text and JSON.
// In open-choices juliet's message to montague is bounced where montague's TLS
// fails or capulet gives up after the refused EXTERNAL, the one to verona
// always (capulet requires TLS, verona has none).
TEST(Bidilab, FinalStatesCountedByOutcome) {
    auto j = nlohmann::json::parse(bidilab("check " + topologies + "open-choices.json --json -").out);
    std::map<std::string, std::uint64_t> outcomes;
    for (const auto& o : j["outcomes"]) outcomes[o["outcome"].get<std::string>()] = o["final_states"].get<std::uint64_t>();
    EXPECT_EQ(outcomes, (std::map<std::string, std::uint64_t>{
                            {"#0 bounced (remote-server-timeout); #1 bounced (remote-server-timeout)", 160},
                            {"#0 delivered; #1 bounced (remote-server-timeout)", 96}}));
    auto text = bidilab("check " + topologies + "capulet-montague-reset.json");
    EXPECT_NE(text.out.find("outcomes (20 final states):\n  10 × #0 delivered; #1 delivered\n"), std::string::npos)
        << text.out;
}

// Hostile input: one line naming the file and the place, exit 2, never exit 4,
// never an endless read, never a silent wrong value.
TEST(Bidilab, HostileInputIsOneLineAndExit2) {
    const auto dir = std::filesystem::temp_directory_path() / ("bidilab-hostile-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    auto write = [&](const std::string& name, const std::string& text) {
        std::ofstream(dir / name, std::ios::binary) << text;
        return (dir / name).string();
    };
    const std::string huge = write("huge.json",
        R"({"name": "x", "servers": [{"name": "a", "domains": ["a.lit"]}], "faults": {"resets": 1e400}})");
    const std::string empty = write("empty.log", "# nothing but a comment\n");
    const std::string large_topology = write("large.json", ""), large_capture = write("large.log", "");
    std::filesystem::resize_file(large_topology, (std::uintmax_t{4} << 20) + 1);  // sparse: cheap
    std::filesystem::resize_file(large_capture, (std::uintmax_t{64} << 20) + 1);
    const std::string fifo = (dir / "fifo").string();
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"topology " + huge, "/faults/resets: number out of range: 1e400"},
        {"topology /dev/zero", "/dev/zero: (root): cannot open file: not a regular file"},
        {"topology " + fifo, "not a regular file"},
        {"topology " + large_topology, "larger than 4 MiB, the limit of a topology file"},
        {"validate " + topologies + "capulet-montague.json " + large_capture, ":0: larger than 64 MiB"},
        {"validate " + topologies + "capulet-montague.json " + dir.string(), ":0: not a regular file"},
        {"validate " + topologies + "capulet-montague.json " + empty, ":1: no s2s traffic"},
        {"check --max-depth 4294967299", "--max-depth: at most 4294967295"},
        {"check --max-memory 17179869184G", "--max-memory: at most 1048576G"},
        {"simulate --runs 4294967297", "--runs: at most 4294967295"},
        {"simulate --depth 0", "--depth: expected at least 1"},
        {"check --json /dev/full", "--json: cannot write '/dev/full' (disk full?)"},
        {"check --json " + (dir / "no" / "such" / "dir.json").string(), "--json: cannot write"},
    };
    for (const auto& [args, message] : cases) {
        auto r = bidilab(args, true);
        EXPECT_EQ(r.code, 2) << args << "\n" << r.out;
        EXPECT_NE(r.out.find(message), std::string::npos) << args << "\n" << r.out;
    }
    // A bad --json path is refused before the run: no report at all on stdout.
    EXPECT_EQ(bidilab("check --json " + (dir / "no" / "x.json").string()).out.find("verdict:"), std::string::npos);
    std::filesystem::remove_all(dir);
}

// Every report says which reductions were on.
TEST(Bidilab, ReportsSayWhichReductionsWereOn) {
    auto on = nlohmann::json::parse(bidilab("check --json -").out);
    auto off = nlohmann::json::parse(bidilab("check --symmetry off --por off --json -").out);
    ASSERT_EQ(on["reductions"].size(), 2u);
    EXPECT_NE(on["reductions"][0].get<std::string>().find("connection order"), std::string::npos);
    EXPECT_NE(on["reductions"][1].get<std::string>().find("partial order: ample sets, "), std::string::npos);
    EXPECT_GT(on["partial_order"]["transitions_postponed"].get<int>(), 0);
    ASSERT_EQ(off["reductions"].size(), 1u);
    EXPECT_EQ(off["reductions"][0].get<std::string>().find("connection order"), std::string::npos);
    EXPECT_EQ(off["partial_order"]["transitions_postponed"].get<int>(), 0);
    EXPECT_LT(on["states"].get<int>(), off["states"].get<int>());
    EXPECT_NE(bidilab("check").out.find("reductions: symmetry"), std::string::npos);
    EXPECT_EQ(bidilab("check --por maybe", true).code, 2);
    // Row coverage needs every transition: no partial order with --coverage.
    auto coverage = nlohmann::json::parse(bidilab("check --coverage --json -").out);
    EXPECT_EQ(coverage["reductions"].size(), 1u);
    EXPECT_EQ(coverage["states"], 336);
    EXPECT_NE(bidilab("check").out.find("reductions: symmetry"), std::string::npos);
    auto bad = bidilab("check --symmetry maybe", true);
    EXPECT_EQ(bad.code, 2);
    EXPECT_NE(bad.out.find("--symmetry"), std::string::npos) << bad.out;
    EXPECT_EQ(bidilab("check --eventually-by edges", true).code, 2);
}

// The report's memory, by part, adds up to what bytes_per_state says.
TEST(Bidilab, MemoryByPartAddsUp) {
    auto j = nlohmann::json::parse(bidilab("check " + topologies + "xep0288-example4.json --json -").out);
    const auto& m = j["memory"];
    const double sum = m["visited_set"].get<double>() + m["parent_log"].get<double>() + m["edges"].get<double>() +
                       m["eventually"].get<double>() + m["frontier_peak"].get<double>();
    EXPECT_EQ(sum, m["total"].get<double>());
    EXPECT_NEAR(j["bytes_per_state"].get<double>(), sum / j["states"].get<double>(), 1e-6);
    EXPECT_GT(m["edges"].get<double>(), 0.0);  // a small run keeps the graph for eventually
    auto levels = nlohmann::json::parse(bidilab("check " + topologies + "xep0288-example4.json --eventually-by levels --json -").out);
    EXPECT_EQ(levels["memory"]["edges"], 0);
    EXPECT_EQ(levels["verdict"], j["verdict"]);
    EXPECT_EQ(levels["states"], j["states"]);
}
