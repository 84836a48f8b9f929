// What `check` reports beyond verdicts: the element that broke a rule, each
// stanza's fates, hints for unwitnessed witnesses; and the conventions of
// every command: '-' for standard output, "did you mean", "--", a memory bound.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "../support/run_program.hpp"

namespace {

test_support::Result bidilab(const std::string& args, bool want_stderr = false) {
    return test_support::run_program(BIDILAB, args, want_stderr);
}

const std::string topologies = std::string(SOURCE_DIR) + "/topologies/";

}  // namespace

// Issue "show the finding": each step lists what it wrote, and the element a
// violated step property blames is marked where it was written.
TEST(Bidilab, ViolationsShowTheWrittenElementThatBrokeTheRule) {
    const std::string mutant = topologies + "mutants/bidi-before-tls.json";
    auto text = bidilab("check " + mutant);
    ASSERT_EQ(text.code, 1) << text.out;
    EXPECT_NE(text.out.find("    wrote I1 → R1: <bidi xmlns='urn:xmpp:bidi'/>   <!-- ✗ violates bidi-only-after-tls "
                            "(BIDI-3, CORE-27) -->"),
              std::string::npos)
        << text.out;
    auto r = bidilab("check " + mutant + " --json -");
    ASSERT_EQ(r.code, 1);
    const auto j = nlohmann::json::parse(r.out);
    std::size_t marked = 0;
    for (const auto& p : j.at("properties")) {
        if (p.at("trace").is_null()) continue;
        for (const auto& step : p.at("trace").at("steps")) {
            ASSERT_TRUE(step.contains("wrote")) << step;
            EXPECT_FALSE(step.contains("violates")) << step;  // this quirk writes wrongly, it reads nothing wrong
            for (const auto& w : step.at("wrote")) {
                if (!w.contains("violates")) continue;
                ++marked;
                EXPECT_EQ(p.at("name"), "bidi-only-after-tls");
                EXPECT_EQ(w.at("violates"), "bidi-only-after-tls (BIDI-3, CORE-27)");
                EXPECT_EQ(w.at("xml"), "<bidi xmlns='urn:xmpp:bidi'/>");
                EXPECT_EQ(w.at("direction"), "I1 → R1");
                EXPECT_EQ(&step, &p.at("trace").at("steps").back()) << "marked on the last step";
            }
        }
    }
    EXPECT_EQ(marked, 1u);
    // The witness of the same run shows writes too: montague's header is
    // written by its submission, before capulet reads it, by the router's
    // step the submission led to (model/router_step.hpp).
    EXPECT_NE(text.out.find("<!-- 1. montague has a stanza to send -->\n    <!-- stanza #1 from montague.lit to "
                            "capulet.lit -->\n        then montague dials connection 1 for stanza #1 (DB-3)\n"
                            "        wrote I1 → R1: <stream:stream"),
              std::string::npos)
        << text.out;
}

// The answer, not only the verdict: each stanza's fates over every final state.
TEST(Bidilab, StanzaFatesOverEveryFinalState) {
    auto pass = bidilab("check");
    ASSERT_EQ(pass.code, 0);
    EXPECT_NE(pass.out.find("stanzas over the "), std::string::npos) << pass.out;
    EXPECT_NE(pass.out.find("  #0 juliet@capulet.lit/balcony → romeo@montague.lit: delivered in every one\n"),
              std::string::npos)
        << pass.out;
    // With a TCP reset, a stanza is lost in some orderings and delivered in others.
    auto r = bidilab("check " + topologies + "capulet-montague-reset.json --json -");
    ASSERT_EQ(r.code, 0) << r.out;
    const auto j = nlohmann::json::parse(r.out);
    std::uint64_t finals = 0;
    for (const auto& o : j.at("outcomes")) finals += o.at("final_states").get<std::uint64_t>();
    ASSERT_FALSE(j.at("stanza_fates").empty());
    bool sometimes_lost = false;
    for (const auto& s : j.at("stanza_fates")) {
        EXPECT_EQ(s.at("final_states").get<std::uint64_t>(), finals);
        std::uint64_t sum = 0;
        for (const auto& [fate, n] : s.at("fates").items()) sum += n.get<std::uint64_t>();
        EXPECT_EQ(sum, finals) << s;
        EXPECT_EQ(s.at("always").is_null(), s.at("fates").size() > 1) << s;
        sometimes_lost = sometimes_lost || (s.at("fates").contains("lost") && s.at("always").is_null());
        EXPECT_TRUE(s.contains("from") && s.contains("to")) << s;
    }
    EXPECT_TRUE(sometimes_lost) << j.at("stanza_fates");
    const auto text = bidilab("check " + topologies + "capulet-montague-reset.json").out;
    EXPECT_NE(text.find("#0 juliet@capulet.lit/balcony → romeo@montague.lit: delivered in 14, lost in 6\n"),
              std::string::npos)
        << text;
}

// '-' is standard output for every output file, which is then that output's
// alone; two outputs on it are refused before anything runs.
TEST(Bidilab, DashIsStandardOutputForEveryOutput) {
    const std::string example3 = topologies + "xep0288-example3.json";
    auto chart = bidilab("run " + example3 + " --svg -");
    ASSERT_EQ(chart.code, 0);
    EXPECT_EQ(chart.out.rfind("<?xml", 0), 0u) << chart.out.substr(0, 200);
    EXPECT_EQ(chart.out.size() - chart.out.rfind("</svg>\n"), std::string("</svg>\n").size());
    auto dot = bidilab("check " + topologies + "no-tls.json --dot - --max-nodes 200");
    ASSERT_EQ(dot.code, 0);
    EXPECT_EQ(dot.out.rfind("digraph", 0), 0u) << dot.out.substr(0, 200);
    EXPECT_EQ(dot.out.find("summary:"), std::string::npos);
    auto svg = bidilab("check " + topologies + "no-tls.json --svg - --max-nodes 200");
    ASSERT_EQ(svg.code, 0);
    EXPECT_EQ(svg.out.rfind("<?xml", 0), 0u);
    EXPECT_NE(svg.out.find("</svg>"), std::string::npos);
    auto page = bidilab("explore " + example3 + " --html -");
    ASSERT_EQ(page.code, 0);
    EXPECT_EQ(page.out.rfind("<!DOCTYPE html>", 0), 0u);
    EXPECT_EQ(page.out.find("explore: wrote"), std::string::npos);
    auto both = bidilab("check --json - --svg -", true);
    EXPECT_EQ(both.code, 2);
    EXPECT_NE(both.out.find("only one output can be '-'"), std::string::npos) << both.out;
    EXPECT_EQ(bidilab("run " + example3 + " --json - --svg -", true).code, 2);
}

// Misspelt commands and options get a suggestion; "--" ends the options.
TEST(Bidilab, DidYouMeanAndDoubleDash) {
    auto command = bidilab("chek", true);
    EXPECT_EQ(command.code, 2);
    EXPECT_NE(command.out.find("unknown command 'chek'; did you mean 'check'?"), std::string::npos) << command.out;
    auto option = bidilab("check --maxstates 10", true);
    EXPECT_EQ(option.code, 2);
    EXPECT_NE(option.out.find("unknown option --maxstates; did you mean --max-states?"), std::string::npos) << option.out;
    EXPECT_EQ(bidilab("frobnicate", true).out.find("did you mean"), std::string::npos);
    // After "--", a file whose name starts with dashes is a file, not an option.
    auto file = bidilab("check -- --no-such-topology.json", true);
    EXPECT_EQ(file.code, 2);
    EXPECT_NE(file.out.find("--no-such-topology.json: (root): cannot open file"), std::string::npos) << file.out;
}

// A `sometimes` the topology's policies rule out says which field does.
TEST(Bidilab, UnwitnessedSometimesComeWithAHint) {
    auto text = bidilab("check");
    EXPECT_NE(text.out.find("stanza-delivered-after-reset [sometimes]  CORE-20, CORE-56, CORE-52\n"
                            "    hint: faults.resets is 0: no reset happens\n"),
              std::string::npos)
        << text.out;
    const auto j = nlohmann::json::parse(bidilab("check --json -").out);
    bool found = false;
    for (const auto& p : j.at("properties"))
        if (p.at("name") == "stanza-delivered-after-reset") found = p.value("hint", "") == "faults.resets is 0: no reset happens";
    EXPECT_TRUE(found);
}

// Without --max-memory a run is bounded by three quarters of the machine's
// memory (it ends with a report, not at the OOM killer); 0 lifts the bound.
TEST(Bidilab, MemoryIsBoundedByDefault) {
    EXPECT_NE(bidilab("check --help").out.find("default: three quarters of this machine's memory"), std::string::npos);
    EXPECT_EQ(bidilab("check --max-memory 0").code, 0);
    // A bound below what the program needs at start stops the run at once.
    auto tiny = bidilab("check --max-memory 1M", true);
    EXPECT_EQ(tiny.code, 3) << tiny.out;
}

// Issue "show the finding": the text report prints the violations' traces;
// witnesses' only with --traces all (the JSON report has every trace).
TEST(Bidilab, TracesPrintsViolationsByDefaultAndWitnessesOnRequest) {
    const std::string cm = topologies + "capulet-montague.json";
    auto count = [](const std::string& text, const std::string& what) {
        std::size_t n = 0;
        for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
        return n;
    };
    auto pass = bidilab("check " + cm);
    ASSERT_EQ(pass.code, 0);
    EXPECT_EQ(count(pass.out, "<!-- 1. "), 0u) << pass.out;  // two witnesses, no transcript
    EXPECT_NE(pass.out.find("  (2 traces not shown: --traces all prints them, --json has every one)\n"), std::string::npos);
    auto all = bidilab("check " + cm + " --traces all");
    ASSERT_EQ(all.code, 0);
    EXPECT_EQ(count(all.out, "<!-- 1. "), 2u);
    EXPECT_EQ(all.out.find("not shown"), std::string::npos);
    auto json = nlohmann::json::parse(bidilab("check " + cm + " --json -").out);
    std::size_t traces = 0;
    for (const auto& p : json.at("properties")) traces += !p.at("trace").is_null();
    EXPECT_EQ(traces, 2u);

    const std::string mutant = topologies + "mutants/bidi-before-tls.json";
    auto violated = bidilab("check " + mutant);
    ASSERT_EQ(violated.code, 1);
    // The violation's transcript comes right after its property line; the witnesses' do not.
    const std::size_t line = violated.out.find("  violated  bidi-only-after-tls");
    ASSERT_NE(line, std::string::npos) << violated.out;
    EXPECT_NE(violated.out.find("<!-- 1. ", line), std::string::npos);
    EXPECT_EQ(count(violated.out, "<!-- 1. "), 1u);
    auto none = bidilab("check " + mutant + " --traces none");
    EXPECT_EQ(none.code, 1);
    EXPECT_EQ(count(none.out, "<!-- 1. "), 0u);
    EXPECT_NE(none.out.find("traces not shown"), std::string::npos);
    EXPECT_EQ(bidilab("check " + cm + " --traces some").code, 2);
}

// Issue "show the finding": every long command reports progress (on a
// terminal, or when --progress asks for it).
TEST(Bidilab, ExploreAndCoverageReportProgressWhenAsked) {
    auto coverage = bidilab("coverage " + topologies + "xep0288-example5.json --progress", true);
    ASSERT_EQ(coverage.code, 0) << coverage.out;
    EXPECT_NE(coverage.out.find("progress: "), std::string::npos) << coverage.out.substr(0, 400);
    auto quiet = bidilab("coverage " + topologies + "xep0288-example3.json", true);
    EXPECT_EQ(quiet.out.find("progress: "), std::string::npos);  // not a terminal, not asked
    EXPECT_EQ(bidilab("explore " + topologies + "xep0288-example3.json --html /dev/null --progress").code, 0);
}

// Issue "reliability": every error message is one printable line whatever the
// input held: a NUL cannot cut it short, an escape sequence never reaches the
// terminal raw.
TEST(Bidilab, ErrorMessagesEscapeControlBytes) {
    const std::string dir = ::testing::TempDir();
    {
        std::ofstream f(dir + "control-bytes.json");
        f << R"({"name": "x", "servers": [{"name": "capulet", "domains": ["capulet.lit"], "tls": "off\u0000ered\u001b[31mred"},
                 {"name": "montague", "domains": ["montague.lit"]}], "stanzas": []})";
    }
    auto r = bidilab("topology " + dir + "control-bytes.json", true);
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.out.find("off\\x00ered\\x1B[31mred"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find('\x1b'), std::string::npos);
    EXPECT_EQ(r.out.find('\0'), std::string::npos);
    EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << r.out;  // one line
    auto usage = bidilab("check --por \"$(printf 'x\\033[31m')\"", true);
    EXPECT_EQ(usage.code, 2);
    EXPECT_NE(usage.out.find("not 'x\\x1B[31m'"), std::string::npos) << usage.out;
    EXPECT_EQ(usage.out.find('\x1b'), std::string::npos);
}

// Issue "reliability": a schedule must be a regular file with at least one
// entry: a directory, a FIFO or an empty file is bad input, never 0 steps.
TEST(Bidilab, ScheduleFilesMustBeRegularAndHoldAnEntry) {
    const std::string dir = ::testing::TempDir();
    const std::string cm = topologies + "capulet-montague.json";
    auto directory = bidilab("run " + cm + " --schedule " + dir, true);
    EXPECT_EQ(directory.code, 2);
    EXPECT_NE(directory.out.find(":0: not a regular file"), std::string::npos) << directory.out;
    { std::ofstream f(dir + "empty.schedule"); f << "# nothing but a comment\n\n"; }
    auto empty = bidilab("run " + cm + " --schedule " + dir + "empty.schedule", true);
    EXPECT_EQ(empty.code, 2);
    EXPECT_NE(empty.out.find("empty.schedule:0: no schedule entry"), std::string::npos) << empty.out;
    ASSERT_EQ(test_support::run_shell("rm -f " + dir + "fifo.schedule && mkfifo " + dir + "fifo.schedule").code, 0);
    auto fifo = bidilab("run " + cm + " --schedule " + dir + "fifo.schedule", true);  // must not block
    EXPECT_EQ(fifo.code, 2);
    EXPECT_NE(fifo.out.find("not a regular file"), std::string::npos) << fifo.out;
}

// `check --threads N`: the same report for every N (the time, the process's
// peak and the frontier's peak aside: more threads take states from the
// frontier in larger batches); 0 threads is bad usage.
TEST(Bidilab, EveryThreadCountGivesTheSameReport) {
    auto report = [](const std::string& threads) {
        auto r = bidilab("check " + topologies + "three-servers-muc.json --threads " + threads + " --json -");
        EXPECT_EQ(r.code, 0) << threads;
        auto j = nlohmann::json::parse(r.out);
        EXPECT_EQ(j.at("threads"), std::stoi(threads));
        for (const char* key : {"seconds", "peak_memory_bytes", "threads", "bytes_per_state"}) j.erase(key);
        j["memory"].erase("frontier_peak");
        j["memory"].erase("total");
        return j;
    };
    const auto one = report("1");
    EXPECT_EQ(report("2"), one);
    EXPECT_EQ(report("4"), one);
    auto zero = bidilab("check " + topologies + "three-servers-muc.json --threads 0", true);
    EXPECT_EQ(zero.code, 2);
    EXPECT_NE(zero.out.find("--threads: expected at least 1"), std::string::npos) << zero.out;
}

// What a run cannot give, asked for in so many words, is refused with one
// line (exit 2), not left out: threads with --dfs or --coverage, --por on with
// what needs every transition. Their defaults give way quietly, and say so in
// the report (one thread, no partial order).
TEST(Bidilab, AnExplicitOptionTheRunCannotHonourIsRefused) {
    const std::string cm = "check " + topologies + "capulet-montague.json ";
    for (const auto& [args, message] : std::vector<std::pair<std::string, std::string>>{
             {"--dfs --threads 2", "--threads 2 does not work with --dfs (the threads search breadth-first"},
             {"--coverage --threads 3", "--threads 3 does not work with --coverage (it records"},
             {"--coverage --por on", "--por on does not work with --coverage (it needs every transition taken)"},
             {"--dot /dev/null --por on", "--por on does not work with --dot or --svg (it needs every transition"}}) {
        auto r = bidilab(cm + args, true);
        EXPECT_EQ(r.code, 2) << args << ": " << r.out;
        EXPECT_NE(r.out.find("bidilab check: " + message), std::string::npos) << args << ": " << r.out;
        EXPECT_EQ(r.out.find('\n'), r.out.size() - 1) << "one line: " << r.out;
    }
    for (const std::string args : {"--dfs", "--dfs --threads 1", "--coverage", "--coverage --threads 1 --por off"}) {
        auto r = bidilab(cm + args + " --json -");
        EXPECT_EQ(r.code, 0) << args << ": " << r.out;
        const auto j = nlohmann::json::parse(r.out);
        EXPECT_EQ(j.at("threads"), 1) << args;
        if (args.find("coverage") == std::string::npos) continue;
        for (const auto& reduction : j.at("reductions"))
            EXPECT_EQ(reduction.get<std::string>().find("partial order"), std::string::npos) << args;
    }
}
