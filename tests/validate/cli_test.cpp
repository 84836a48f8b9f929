// `bidilab validate`: exit codes, the JSON report, --explain.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <sys/wait.h>

#include <nlohmann/json.hpp>

#include "../support/run_program.hpp"

namespace {
using Run = test_support::Result;

Run bidilab(const std::string& args, bool want_stderr = false) {
    return test_support::run_program(BIDILAB, args, want_stderr);
}

const std::string data = VALIDATE_TEST_DATA;
const std::string captures = CAPTURE_TEST_DATA;
const std::string dialback = data + "/prosody-dialback-bidi.topology.json ";
const std::string tls = data + "/prosody-tls-sasl-external-bidi.topology.json ";
}  // namespace

TEST(ValidateCli, RealCapturesAreAccepted) {
    auto r = bidilab("validate " + dialback + captures + "/prosody-dialback-bidi.log");
    EXPECT_EQ(r.code, 0) << r.out;
    EXPECT_EQ(r.out.rfind("verdict: accepted", 0), 0u) << r.out;
    EXPECT_EQ(bidilab("validate " + tls + captures + "/prosody-tls-sasl-external-bidi.log").code, 0);
}

TEST(ValidateCli, JsonReport) {
    auto r = bidilab("validate " + tls + data + "/tls-bidi-before-starttls.log --json -");
    ASSERT_EQ(r.code, 1) << r.out;
    auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["verdict"], "rejected");
    ASSERT_EQ(j["findings"].size(), 1u);
    EXPECT_EQ(j["findings"][0]["line"], 10);
    EXPECT_EQ(j["findings"][0]["rules"][0], "BIDI-3");
    EXPECT_TRUE(j["findings"][0]["message"].is_string());
    auto ok = nlohmann::json::parse(bidilab("validate " + dialback + captures + "/prosody-dialback-bidi.log --json -").out);
    EXPECT_EQ(ok["verdict"], "accepted");
    EXPECT_TRUE(ok["findings"].empty());
}

TEST(ValidateCli, ExplainShowsTheCaptureAsTheModelSeesIt) {
    auto r = bidilab("validate " + tls + captures + "/prosody-tls-sasl-external-bidi.log --explain");
    ASSERT_EQ(r.code, 0);
    for (const char* s : {"1 = conn0: capulet.lit (server capulet) dials montague.lit (server montague)",
                          "   16  R1 → I1: <success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>",
                          "<!-- TLS handshake done; peer certificate: capulet.lit -->   <!-- inferred -->",
                          "I1 Established [id-3 tls bidi sasl] | R1 Established [id-3 tls bidi sasl as capulet.lit]",
                          "   21  R1 → I1: <message from='montague.lit' to='capulet.lit' id='s2'/>"})
        EXPECT_NE(r.out.find(s), std::string::npos) << s << "\n" << r.out;
    auto bad = bidilab("validate " + dialback + data + "/dialback-verify-on-requesting-connection.log --explain");
    EXPECT_EQ(bad.code, 1);
    EXPECT_NE(bad.out.find("<!-- finding: line 18 [BIDI-6"), std::string::npos) << bad.out;
}

TEST(ValidateCli, UnreadableInputIsExit2WithOneLine) {
    auto r = bidilab("validate " + dialback + data + "/missing.log", true);
    EXPECT_EQ(r.code, 2);
    EXPECT_EQ(r.out, data + "/missing.log:0: cannot open: No such file or directory\n");
    r = bidilab("validate " + data + "/missing.json " + captures + "/prosody-dialback-bidi.log", true);
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.out.find("missing.json: (root): "), std::string::npos) << r.out;
    r = bidilab("validate " + data + "/other-domains.topology.json " + captures + "/prosody-dialback-bidi.log", true);
    EXPECT_EQ(r.code, 2) << r.out;
    EXPECT_NE(r.out.find("prosody-dialback-bidi.log:6: conn0: no server of topology 'other-domains' hosts "
                         "'capulet.lit' (the initiating server)\n"),
              std::string::npos)
        << r.out;
    EXPECT_EQ(bidilab("validate " + dialback).code, 2);
}

// Reports are valid UTF-8 whatever the capture held: a connection label with
// an invalid byte and a control byte, echoed in the finding.
TEST(ValidateCli, ReportsAreValidUtf8WhateverTheCaptureHeld) {
    std::ifstream in(data + "/spec/xep0220-dialback.log", std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (std::size_t at; (at = text.find(" conn0 ")) != std::string::npos;) text.replace(at, 7, " conn\xff\x01 ");
    const std::string sender = "from='juliet@capulet.example/balcony'";
    text.replace(text.find(sender), sender.size(), "from='juliet@verona.example/balcony'");  // rejected there
    const std::string file = ::testing::TempDir() + "bidilab-bad-bytes.log";
    std::ofstream(file, std::ios::binary) << text;
    const std::string topology = data + "/spec/xep0220-dialback.topology.json ";
    auto j = bidilab("validate " + topology + file + " --json -");
    ASSERT_EQ(j.code, 1) << j.out;
    const auto report = nlohmann::json::parse(j.out);  // throws on invalid UTF-8
    EXPECT_NE(report["findings"][0]["message"].get<std::string>().find("conn\xEF\xBF\xBD\x01 ->"), std::string::npos);
    auto t = bidilab("validate " + topology + file);
    ASSERT_EQ(t.code, 1);
    EXPECT_NE(t.out.find("conn\xEF\xBF\xBD\\x01 ->"), std::string::npos) << t.out;
    EXPECT_EQ(t.out.find('\x01'), std::string::npos);
    EXPECT_EQ(t.out.find('\xff'), std::string::npos);
}
