// `bidilab probe`: what it refuses before connecting anywhere (exit 2, one
// line), --list (the same every run), --make-pki, and the exit code of an
// unreachable server (3).
#include <gtest/gtest.h>

#include <string>

#include "../support/run_program.hpp"
#include "probe/tcp.hpp"

namespace {
// Its stderr (the refusals), or its stdout.
test_support::Result run_bidilab(const std::string& args, bool stderr_only = true) {
    return test_support::run_program(BIDILAB, args, stderr_only);
}
const std::string topo = PROBE_TEST_DATA "/dialback.topology.json ";
}  // namespace

TEST(ProbeCli, RefusesBadInputBeforeConnecting) {
    struct Case {
        std::string args, says;
    };
    const Case cases[] = {
        {"probe " + topo, "--server NAME=HOST:PORT is required"},
        {"probe " + topo + "--server capulet=10.1.2.3:5269", "not a loopback address"},
        {"probe " + topo + "--server capulet=127.0.0.1:5269 --listen montague=192.168.1.1:5269", "not a loopback address"},
        {"probe " + topo + "--server capulet=127.0.0.1:99999", "outside 1-65535"},
        {"probe " + topo + "--server nobody=127.0.0.1:5269", "no server named 'nobody'"},
        {"probe " + topo + "--server capulet=127.0.0.1:5269 --scenarios nothing-like-it", "no scenario named 'nothing-like-it'"},
        {"probe " + topo + "--server capulet=127.0.0.1:5269 --listen capulet=127.0.0.1:5270", "that is the live server"},
        {"probe " + std::string(PROBE_TEST_DATA) + "/tls-played.topology.json --server capulet=127.0.0.1:5269",
         "give the played servers' certificates (--pki DIR)"},
        {"probe " + topo + "--server capulet=127.0.0.1:5269 --quiet 0", "--quiet must be at least 1"},
        {"probe /nonexistent.json --server capulet=127.0.0.1:5269", "/nonexistent.json"},
        {"probe " + topo + "--server capulet=127.0.0.1:5269 --walks 65", "--walks"},
        {"probe " + topo + "--make-pki /proc/no-such-place/pki", "/proc/no-such-place/pki: cannot be created"},
        {"probe " + topo + "--server capulet=127.0.0.1:5269 --send-command ''", "--send-command needs a command"},
    };
    for (const Case& c : cases) {
        const auto r = run_bidilab(c.args);
        EXPECT_EQ(r.code, 2) << c.args << "\n" << r.out;
        EXPECT_NE(r.out.find(c.says), std::string::npos) << c.args << "\n" << r.out;
    }
}

TEST(ProbeCli, ListsItsScenarios) {
    const auto r = run_bidilab("probe " + topo + "--server capulet=127.0.0.1:5269 --list", false);
    EXPECT_EQ(r.code, 0) << r.out;
    for (const char* name : {"all-stanzas\t", "verify-only-connections\t", "dialback-errors-flipped\t"})
        EXPECT_NE(r.out.find(name), std::string::npos) << name << "\n" << r.out;
    // montague does not ask for bidi in this topology: no no-bidi variation, no reverse dialback.
    EXPECT_EQ(r.out.find("no-bidi"), std::string::npos) << r.out;
}

TEST(ProbeCli, ASendCommandAddsAttackHeaderFrom) {
    const std::string header_from = "probe " + std::string(PROBE_TEST_DATA) + "/header-from.topology.json ";
    const auto without = run_bidilab(header_from + "--server capulet=127.0.0.1:5269 --list", false);
    const auto with = run_bidilab(header_from + "--server capulet=127.0.0.1:5269 --list --send-command true", false);
    EXPECT_EQ(with.code, 0) << with.out;
    EXPECT_EQ(without.out.find("attack-header-from"), std::string::npos) << without.out;
    EXPECT_NE(with.out.find("attack-header-from\ta played server's first stream header names verona.lit"),
              std::string::npos)
        << with.out;
}

TEST(ProbeCli, ListsTheModelsOrdersTheSameEveryRun) {
    const std::string list = "probe " + topo + "--server capulet=127.0.0.1:5269 --list --seed 5 --walks 2";
    const auto a = run_bidilab(list, false), b = run_bidilab(list, false);
    EXPECT_EQ(a.code, 0) << a.out;
    EXPECT_EQ(a.out, b.out);
    EXPECT_NE(a.out.find("\nwitness-"), std::string::npos) << a.out;
    EXPECT_NE(a.out.find("\nwalk-5-"), std::string::npos) << a.out;
    const auto none = run_bidilab("probe " + topo + "--server capulet=127.0.0.1:5269 --list --walks 0 --no-witnesses", false);
    EXPECT_EQ(none.out.find("witness-"), std::string::npos) << none.out;
    EXPECT_EQ(none.out.find("walk-"), std::string::npos) << none.out;
}

TEST(ProbeCli, MakesCertificatesWithoutAServer) {
    const std::string dir = testing::TempDir() + "bidilab-probe-cli-pki";
    const auto r = run_bidilab("probe " + std::string(PROBE_TEST_DATA) + "/pki.topology.json --make-pki " + dir, false);
    EXPECT_EQ(r.code, 0) << r.out;
    for (const char* f : {"/ca.crt\n", "/ca.key\n", "/capulet.lit.crt\n", "/verona.lit.key\n"})
        EXPECT_NE(r.out.find(dir + f), std::string::npos) << f << "\n" << r.out;
}

TEST(ProbeCli, AnUnreachableServerExitsThree) {
    bidilab::probe::Endpoint closed;
    {
        bidilab::probe::TcpListener l(bidilab::probe::Endpoint{"127.0.0.1", 0});
        closed = l.bound();
    }
    const auto r = run_bidilab("probe " + topo + "--server capulet=" + closed.text() +
                           " --scenarios all-stanzas --quiet 200 --limit 5 --json -", false);
    EXPECT_EQ(r.code, 3) << r.out;
    EXPECT_NE(r.out.find("\"verdict\": \"inconclusive\""), std::string::npos) << r.out;
}
