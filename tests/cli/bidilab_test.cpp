// The bidilab program itself on shipped topologies and bad input.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <sys/wait.h>

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
    EXPECT_EQ(j["states"], 625);
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
