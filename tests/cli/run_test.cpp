// `bidilab run`: the XEP-0288 §3 examples against their golden transcripts,
// schedules that do not fit, seeded walks, and the JSON report.
//
// The golden files tests/golden/xep0288-example{3,4,5}.txt are the exact
// standard output of `bidilab run topologies/xep0288-exampleN.json`. After an
// intended change of the model or of the transcript format, regenerate them:
//     BIDILAB_UPDATE_GOLDEN=1 ctest --test-dir build -R RunGolden
// and review the diff (git diff tests/golden) before committing.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>

#include <nlohmann/json.hpp>

#include "../support/run_program.hpp"

namespace {
using test_support::Result;

Result bidilab(const std::string& args, bool want_stderr = false) {
    return test_support::run_program(BIDILAB, args, want_stderr);
}

const std::string source = SOURCE_DIR;
const std::string topologies = source + "/topologies/";

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string write_temp(const std::string& name, const std::string& text) {
    const std::string path = ::testing::TempDir() + name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
}

bool updating() {
    const char* v = std::getenv("BIDILAB_UPDATE_GOLDEN");
    return v && std::string(v) == "1";
}

class RunGolden : public ::testing::TestWithParam<int> {};

TEST_P(RunGolden, TranscriptMatchesTheGoldenFile) {
    const std::string stem = "xep0288-example" + std::to_string(GetParam());
    const auto r = bidilab("run " + topologies + stem + ".json");
    ASSERT_EQ(r.code, 0) << r.out;
    const std::string golden = source + "/tests/golden/" + stem + ".txt";
    if (updating()) {
        std::filesystem::create_directories(std::filesystem::path(golden).parent_path());
        std::ofstream f(golden, std::ios::binary);
        ASSERT_TRUE(f << r.out) << "cannot write " << golden;
        f.close();  // rewritten: the comparison below reads it back
    }
    EXPECT_EQ(r.out, read_file(golden))
        << "bidilab run differs from " << golden << "; if the change is intended, regenerate with "
        << "BIDILAB_UPDATE_GOLDEN=1 ctest --test-dir build -R RunGolden and review the diff";
}

INSTANTIATE_TEST_SUITE_P(Xep0288, RunGolden, ::testing::Values(3, 4, 5),
                         [](const ::testing::TestParamInfo<int>& info) { return "example" + std::to_string(info.param); });

TEST(Run, TheExamplesShowWhatTheXepShows) {
    // Example 3: a NEW stream id after SASL (RULES.md §8.9, CORE-7), empty features, the answer over bidi.
    const std::string e3 = bidilab("run " + topologies + "xep0288-example3.json").out;
    EXPECT_NE(e3.find("id='id-3'"), std::string::npos);
    EXPECT_NE(e3.find("R1 → I1: <stream:features/>"), std::string::npos);
    EXPECT_NE(e3.find("stanza #1 montague.lit → juliet@capulet.lit/balcony: delivered over connection 1 (R1 → I1, bidi)"),
              std::string::npos);
    // The XEP's own stanzas: juliet's ping and montague.lit's result, one id, full JIDs.
    const auto get = e3.find("\nI1 → R1: <iq from='juliet@capulet.lit/balcony' to='montague.lit' type='get' "
                             "id='8dfc70af'><query xmlns='urn:xmpp:ping'/></iq>\n");
    const auto result = e3.find("\nR1 → I1: <iq from='montague.lit' to='juliet@capulet.lit/balcony' type='result' "
                                "id='8dfc70af'><query xmlns='urn:xmpp:ping'/></iq>\n");
    ASSERT_NE(get, std::string::npos) << e3;
    ASSERT_NE(result, std::string::npos) << e3;
    EXPECT_LT(get, result);
    EXPECT_EQ(e3.find("<message"), std::string::npos);
    // Example 5: the reverse db:result over the incoming connection, and its valid answer (BIDI-8).
    const std::string e5 = bidilab("run " + topologies + "xep0288-example5.json").out;
    const auto request = e5.find("R1 → I1: <db:result from='conference.montague.lit' to='capulet.lit'>");
    const auto answer = e5.find("I1 → R1: <db:result from='capulet.lit' to='conference.montague.lit' type='valid'/>");
    ASSERT_NE(request, std::string::npos);
    ASSERT_NE(answer, std::string::npos);
    EXPECT_LT(request, answer);
    EXPECT_EQ(e5.find("TLS"), std::string::npos) << "example 5 runs without TLS";
    // «Now S can send as conference.m.l as well as C sending to that domain» (BIDI-13): after the
    // valid answer, both directions over connection 1, and no dialback of capulet's own for it.
    const auto from_room = e5.find("R1 → I1: <message from='balcony@conference.montague.lit/romeo' "
                                   "to='juliet@capulet.lit/balcony' id='s2'/>");
    const auto to_room = e5.find("I1 → R1: <message from='juliet@capulet.lit/balcony' "
                                 "to='balcony@conference.montague.lit' id='s3'/>");
    ASSERT_NE(from_room, std::string::npos) << e5;
    ASSERT_NE(to_room, std::string::npos) << e5;
    EXPECT_LT(answer, from_room);
    EXPECT_LT(from_room, to_room);
    EXPECT_EQ(e5.find("<db:result from='capulet.lit' to='conference.montague.lit'>"), std::string::npos);
    EXPECT_NE(e5.find("stanza #3 juliet@capulet.lit/balcony → balcony@conference.montague.lit: delivered over "
                      "connection 1 (I1 → R1)\n"),
              std::string::npos);
}

TEST(Run, CheckPassesOnEveryExample) {
    for (int n : {3, 4, 5}) {
        const auto r = bidilab("check " + topologies + "xep0288-example" + std::to_string(n) + ".json --json -");
        ASSERT_EQ(r.code, 0) << n;
        EXPECT_EQ(nlohmann::json::parse(r.out)["verdict"], "pass") << n;
    }
}

TEST(Run, ABadEntryOfTheTopologysScheduleIsExitTwoWithItsPointer) {
    auto j = nlohmann::json::parse(read_file(topologies + "xep0288-example3.json"));
    j["schedule"][2] = "connection 1: TLS handshake completes";
    const std::string path = write_temp("bad-schedule.json", j.dump(2));
    EXPECT_EQ(bidilab("run " + path).code, 2);
    EXPECT_EQ(bidilab("run " + path, true).out,
              path + ": /schedule/2: 'connection 1: TLS handshake completes' matches no enabled action; "
                     "enabled: 'montague submits its next stanza', 'I1 reads the next element'\n");
}

TEST(Run, ABadLineOfAScheduleFileIsExitTwoWithItsLine) {
    const std::string schedule = write_temp("bad.schedule",
                                            "# example 3, the start\n"
                                            "capulet submits its next stanza\n"
                                            "\n"
                                            "R1 reads the next element   # header and features\n"
                                            "R2 reads the next element\n");
    const std::string args = "run " + topologies + "xep0288-example3.json --schedule " + schedule;
    EXPECT_EQ(bidilab(args).code, 2);
    EXPECT_EQ(bidilab(args, true).out,
              schedule + ":5: 'R2 reads the next element' matches no enabled action; "
                         "enabled: 'montague submits its next stanza', 'I1 reads the next element'\n");
    EXPECT_EQ(bidilab("run --schedule /nonexistent.schedule").code, 2);
}

TEST(Run, AScheduleFileThatEndsEarlyStopsThere) {
    const std::string schedule = write_temp("short.schedule",
                                            "capulet submits its next stanza\n"
                                            "R1 reads the next element\n");
    const auto r = bidilab("run " + topologies + "xep0288-example3.json --schedule " + schedule);
    EXPECT_EQ(r.code, 0);
    EXPECT_NE(r.out.find("end: the schedule ends here; 2 actions are still enabled: not a final state"), std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("stanza #0 juliet@capulet.lit/balcony → montague.lit: queued, waiting for connection 1"),
              std::string::npos);
    EXPECT_NE(r.out.find("stanza #1 montague.lit → juliet@capulet.lit/balcony: not submitted"), std::string::npos);
}

TEST(Run, TheSameSeedGivesTheSameTranscript) {
    const auto a = bidilab("run " + topologies + "capulet-montague.json --seed 11");
    const auto b = bidilab("run " + topologies + "capulet-montague.json --seed 11");
    EXPECT_EQ(a.code, 0);
    EXPECT_EQ(a.out, b.out);
    EXPECT_NE(a.out.find("a random walk, seed 11"), std::string::npos);
    // Without a schedule in the topology, the default is seed 0.
    EXPECT_EQ(bidilab("run " + topologies + "capulet-montague.json").out,
              bidilab("run " + topologies + "capulet-montague.json --seed 0").out);
    // --seed overrides the topology's schedule.
    EXPECT_NE(bidilab("run " + topologies + "xep0288-example4.json --seed 3").out.find("seed 3"), std::string::npos);
}

TEST(Run, MaxStepsStopsTheRun) {
    const auto r = bidilab("run " + topologies + "xep0288-example4.json --max-steps 5");
    EXPECT_EQ(r.code, 0);
    EXPECT_NE(r.out.find("<!-- 5. "), std::string::npos);
    EXPECT_EQ(r.out.find("<!-- 6. "), std::string::npos);
    EXPECT_NE(r.out.find("end: stopped at --max-steps 5"), std::string::npos) << r.out;
}

TEST(Run, JsonHasTheVerdictStepsStanzasAndViolations) {
    const auto r = bidilab("run " + topologies + "xep0288-example5.json --json -");
    ASSERT_EQ(r.code, 0);
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["verdict"], "pass");
    EXPECT_EQ(j["end"], "final");
    EXPECT_EQ(j["ordering"]["source"], "schedule");
    EXPECT_EQ(j["steps"].size(), j["ordering"]["steps"].get<std::size_t>());
    EXPECT_EQ(j["steps"][0]["action"], "capulet submits its next stanza");
    ASSERT_EQ(j["stanzas"].size(), 4u);
    for (const auto& s : j["stanzas"]) EXPECT_EQ(s["fate"], "delivered");
    EXPECT_TRUE(j["stanzas"][2]["bidi"].get<bool>());
    EXPECT_FALSE(j["stanzas"][3]["bidi"].get<bool>());  // capulet's own direction of connection 1
    EXPECT_TRUE(j["violations"].empty());
}

TEST(Run, AViolatedPropertyIsExitOneAndNamed) {
    // Example 3 as the XEP prints it: montague reuses the stream id after the restarts (CORE-7).
    auto j = nlohmann::json::parse(read_file(topologies + "xep0288-example3.json"));
    j["servers"][1]["quirks"] = {"reuse-stream-id"};
    const std::string path = write_temp("example3-as-printed.json", j.dump(2));
    const auto r = bidilab("run " + path);
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.out.find("violated: fresh-stream-ids [step]  CORE-7, CORE-15, CORE-42  at step 8\n"), std::string::npos)
        << r.out;
    EXPECT_EQ(r.out.find("properties: every"), std::string::npos);
    const auto js = nlohmann::json::parse(bidilab("run " + path + " --json -").out);
    EXPECT_EQ(js["verdict"], "fail");
    ASSERT_EQ(js["violations"].size(), 1u);
    EXPECT_EQ(js["violations"][0]["name"], "fresh-stream-ids");
    EXPECT_EQ(js["violations"][0]["step"], 8);
}

TEST(Run, AnUnknownStanzaKindIsExitTwoWithItsPointer) {
    auto j = nlohmann::json::parse(read_file(topologies + "xep0288-example3.json"));
    j["stanzas"][1]["kind"] = "ping";
    const std::string path = write_temp("bad-kind.json", j.dump(2));
    EXPECT_EQ(bidilab("run " + path).code, 2);
    EXPECT_EQ(bidilab("run " + path, true).out,
              path + ": /stanzas/1/kind: invalid kind value 'ping'; allowed: \"message\", \"presence\", "
                     "\"iq-get\", \"iq-result\"\n");
}

TEST(Run, BadUsageIsExitTwo) {
    EXPECT_EQ(bidilab("run --seed 1 --schedule x.schedule").code, 2);
    EXPECT_EQ(bidilab("run --seed many").code, 2);
    EXPECT_EQ(bidilab("run a.json b.json").code, 2);
    EXPECT_EQ(bidilab("run /nonexistent.json").code, 2);
    EXPECT_EQ(bidilab("run --help").code, 0);
}

}  // namespace

TEST(RunChart, SvgDrawsTheRunAsASequenceChart) {
    const std::string path = ::testing::TempDir() + "run-example3.svg";
    std::remove(path.c_str());
    ASSERT_EQ(bidilab("run " + topologies + "xep0288-example3.json --svg " + path).code, 0);
    const std::string svg = read_file(path);
    ASSERT_NE(svg.find("<svg"), std::string::npos);
    // The arrows' labels (drawn over every line, after them) in the order the XEP's example shows them.
    EXPECT_NE(svg.find("TLS handshake"), std::string::npos);
    std::size_t at = svg.find("<g class=\"labels\">");
    ASSERT_NE(at, std::string::npos);
    for (const char* label : {"&lt;starttls/&gt;", "&lt;proceed/&gt;", "&lt;bidi/&gt;", "SASL EXTERNAL",
                              "id-3", "stanza s0", "stanza s1"}) {
        const std::size_t found = svg.find(label, at);
        ASSERT_NE(found, std::string::npos) << label;
        at = found;
    }
    // An arrow's tooltip is the element as the transcript shows it: the XEP's ping.
    EXPECT_NE(svg.find("<title>&lt;iq from=&apos;juliet@capulet.lit/balcony&apos; to=&apos;montague.lit&apos; "
                       "type=&apos;get&apos; id=&apos;8dfc70af&apos;&gt;&lt;query xmlns=&apos;urn:xmpp:ping&apos;/&gt;"
                       "&lt;/iq&gt;</title>"),
              std::string::npos);
    EXPECT_EQ(bidilab("run " + topologies + "xep0288-example3.json --svg /nonexistent-dir/x.svg").code, 2);
}
