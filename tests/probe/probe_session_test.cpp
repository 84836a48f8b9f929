// The probe against scripted live servers on loopback: one that breaks the
// dialback rules (it says valid without verifying), one that goes silent,
// one that writes broken XML, and an address nobody listens on. Each must
// get its verdict, and a deviation its line and rule IDs.
#include <gtest/gtest.h>

#include <poll.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <thread>

#include "probe/probe.hpp"
#include "probe/send_command.hpp"
#include "model/scenario.hpp"
#include "probe/session.hpp"
#include "probe/tcp.hpp"
#include "topologies/topology.hpp"

namespace bp = bidilab::probe;
using namespace std::chrono_literals;

namespace {

// A fake live server: accepts one connection and follows a script of
// (wait for this text, then write that) steps, then reads until the probe
// closes (at most `linger`).
class FakeLive {
public:
    using Step = std::pair<std::string, std::string>;  // wait for .first, write .second
    explicit FakeLive(std::vector<Step> script) : listener_(bp::Endpoint{"127.0.0.1", 0}), script_(std::move(script)) {
        thread_ = std::thread([this] { serve(); });
    }
    ~FakeLive() { thread_.join(); }
    bp::Endpoint at() const { return listener_.bound(); }
    std::string heard() const { return heard_; }

private:
    bool read_until(bp::TcpSocket& s, const std::string& text, std::chrono::milliseconds within) {
        const auto end = std::chrono::steady_clock::now() + within;
        while (heard_.find(text, seen_) == std::string::npos) {
            if (std::chrono::steady_clock::now() >= end || !s.open()) return false;
            pollfd p{s.fd(), POLLIN, 0};
            if (::poll(&p, 1, 50) <= 0) continue;
            std::string data;
            const bool alive = s.read_available(data);
            heard_ += data;
            if (!alive) return heard_.find(text, seen_) != std::string::npos;
        }
        seen_ = heard_.find(text, seen_) + text.size();
        return true;
    }
    void serve() {
        bp::TcpSocket s;
        const auto end = std::chrono::steady_clock::now() + 5s;
        while (!s.open() && std::chrono::steady_clock::now() < end) {
            pollfd p{listener_.fd(), POLLIN, 0};
            if (::poll(&p, 1, 50) > 0) s = listener_.accept();
        }
        if (!s.open()) return;
        for (const auto& [wait, write] : script_) {
            if (!read_until(s, wait, 3s)) return;
            if (!s.write_all(write, 1000ms)) return;
        }
        read_until(s, "\x01never", 3s);  // until the probe hangs up
    }

    bp::TcpListener listener_;
    std::vector<Step> script_;
    std::thread thread_;
    std::string heard_;
    std::size_t seen_ = 0;
};

const std::string kHeader =
    "<?xml version='1.0'?><stream:stream xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams' "
    "xmlns:db='jabber:server:dialback' from='capulet.lit' to='montague.lit' id='fake-stream-1' version='1.0'>";
const std::string kFeatures = "<stream:features><dialback xmlns='urn:xmpp:features:dialback'/></stream:features>";

bp::ProbeResult probe(const bp::Endpoint& at, const std::string& scenario = "all-stanzas", bool stop = true) {
    const auto t = bidilab::topologies::load_topology(PROBE_TEST_DATA "/dialback.topology.json");
    bp::ProbeOptions o;
    o.live = "capulet";
    o.live_at = at;
    o.scenarios = {scenario};
    o.quiet = 400ms;
    o.limit = 8s;
    o.stop_at_deviation = stop;
    return bp::run_probe(t, o);
}

// The lines of a wire log after line n that are not comments.
std::size_t element_lines_after(const std::string& log, std::size_t n) {
    std::istringstream in(log);
    std::string line;
    std::size_t count = 0;
    for (std::size_t i = 1; std::getline(in, line); ++i)
        if (i > n && !line.empty() && line[0] != '#') ++count;
    return count;
}

std::string line_of(const std::string& log, std::size_t n) {
    std::istringstream in(log);
    std::string line;
    for (std::size_t i = 1; std::getline(in, line); ++i)
        if (i == n) return line;
    return "";
}

}  // namespace

TEST(ProbeSession, AValidVerdictWithoutVerificationDeviates) {
    // XEP-0220: the receiving server answers the db:result only after the
    // authoritative server (played by the probe) has verified the key; this
    // one never dials back and says valid at once.
    FakeLive fake({{"<stream:stream", kHeader + kFeatures},
                   {"</db:result>", "<db:result from='capulet.lit' to='montague.lit' type='valid'/>"}});
    const bp::ProbeResult r = probe(fake.at());
    ASSERT_EQ(r.scenarios.size(), 1u);
    const bp::ScenarioResult& s = r.scenarios[0];
    EXPECT_EQ(s.verdict, "deviates") << s.message << "\n" << s.wire_log;
    EXPECT_EQ(r.verdict(), "deviates");
    EXPECT_FALSE(s.rules.empty());
    const std::string line = line_of(s.wire_log, s.line);
    EXPECT_NE(line.find("type='valid'"), std::string::npos) << line << "\n" << s.wire_log;
    EXPECT_NE(line.find("capulet.lit"), std::string::npos) << line;
    // What the probe wrote first: its header and a real XEP-0185 key over the fake's stream id.
    EXPECT_NE(fake.heard().find("from='montague.lit' to='capulet.lit'"), std::string::npos) << fake.heard();
    EXPECT_NE(s.wire_log.find("<db:result from='montague.lit' to='capulet.lit'>"), std::string::npos) << s.wire_log;
    EXPECT_EQ(bp::probe_summary_line(r), "probe: 1 scenarios, 0 conform, 1 deviate, 0 inconclusive");
    // Judged as it came: the session stopped at that element, before the
    // played montague read it (it would have sent its stanza).
    EXPECT_EQ(s.stopped_at, s.line) << s.wire_log;
    EXPECT_GE(s.judged_online, 2u);
    EXPECT_EQ(element_lines_after(s.wire_log, s.line), 0u) << s.wire_log;
    EXPECT_EQ(fake.heard().find("<message"), std::string::npos) << fake.heard();
    EXPECT_NE(s.wire_log.find("# the probe stops: the live server's element at line " + std::to_string(s.line)),
              std::string::npos)
        << s.wire_log;
    EXPECT_NE(bp::probe_text(r, false).find("stopped at line " + std::to_string(s.line)), std::string::npos);
    EXPECT_EQ(bp::probe_json(r)["scenarios"][0]["stopped_at"], s.line);
}

TEST(ProbeSession, ReadPastADeviationTheVerdictIsTheSame) {
    // --read-past-deviation: montague reads the valid and sends its stanza;
    // the complete log deviates at the same line.
    FakeLive fake({{"<stream:stream", kHeader + kFeatures},
                   {"</db:result>", "<db:result from='capulet.lit' to='montague.lit' type='valid'/>"}});
    const bp::ProbeResult r = probe(fake.at(), "all-stanzas", false);
    ASSERT_EQ(r.scenarios.size(), 1u);
    const bp::ScenarioResult& s = r.scenarios[0];
    EXPECT_EQ(s.verdict, "deviates") << s.message << "\n" << s.wire_log;
    EXPECT_EQ(s.stopped_at, 0u);
    EXPECT_EQ(s.judged_online, 0u);
    EXPECT_NE(line_of(s.wire_log, s.line).find("type='valid'"), std::string::npos) << s.wire_log;
    EXPECT_GE(element_lines_after(s.wire_log, s.line), 1u) << s.wire_log;
    EXPECT_EQ(bp::probe_json(r)["scenarios"][0].count("stopped_at"), 0u);
}

TEST(ProbeSession, ASilentServerAfterItsFeaturesConforms) {
    // Nothing it wrote breaks a rule: a prefix of an allowed exchange.
    FakeLive fake({{"<stream:stream", kHeader + kFeatures}});
    const bp::ProbeResult r = probe(fake.at());
    ASSERT_EQ(r.scenarios.size(), 1u);
    EXPECT_EQ(r.scenarios[0].verdict, "conforms") << r.scenarios[0].message << "\n" << r.scenarios[0].wire_log;
    EXPECT_EQ(r.scenarios[0].elements_read, 2u);
    EXPECT_NE(fake.heard().find("<db:result"), std::string::npos) << fake.heard();
    EXPECT_EQ(r.scenarios[0].stopped_at, 0u);  // judged as it came, and never stopped
    EXPECT_GE(r.scenarios[0].judged_online, 1u);  // its header and features
}

TEST(ProbeSession, XmlThatIsNotWellFormedDeviates) {
    FakeLive fake({{"<stream:stream", kHeader + "<stream:features><dialback></stream:features>"}});
    const bp::ProbeResult r = probe(fake.at());
    ASSERT_EQ(r.scenarios.size(), 1u);
    EXPECT_EQ(r.scenarios[0].verdict, "deviates") << r.scenarios[0].message << "\n" << r.scenarios[0].wire_log;
    EXPECT_NE(line_of(r.scenarios[0].wire_log, r.scenarios[0].line).find("<dialback>"), std::string::npos);
}

TEST(ProbeSession, AnAddressNobodyListensOnIsInconclusive) {
    bp::Endpoint closed;
    {
        bp::TcpListener l(bp::Endpoint{"127.0.0.1", 0});
        closed = l.bound();
    }
    const bp::ProbeResult r = probe(closed);
    ASSERT_EQ(r.scenarios.size(), 1u);
    EXPECT_EQ(r.scenarios[0].verdict, "inconclusive");
    EXPECT_NE(r.scenarios[0].message.find("cannot reach the live server"), std::string::npos) << r.scenarios[0].message;
    EXPECT_EQ(r.verdict(), "inconclusive");
}

TEST(ProbeSession, AnAttackRefusedAsTheModelSaysConforms) {
    // attack-stanza-before-auth: the played server writes a stanza right
    // after the live server's features, marked (forged) in the log; RFC 6120
    // §4.3.5 (CORE-10): not-authorized, and the stream is closed.
    FakeLive fake({{"<stream:stream", kHeader + kFeatures},
                   {"before authentication</body></message>",
                    "<stream:error><not-authorized xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>"
                    "</stream:stream>"}});
    const bp::ProbeResult r = probe(fake.at(), "attack-stanza-before-auth");
    ASSERT_EQ(r.scenarios.size(), 1u);
    EXPECT_EQ(r.scenarios[0].verdict, "conforms") << r.scenarios[0].message << "\n" << r.scenarios[0].wire_log;
    EXPECT_NE(r.scenarios[0].wire_log.find("montague.lit (forged)"), std::string::npos) << r.scenarios[0].wire_log;
}

TEST(ProbeSession, AnAttackIgnoredDeviatesWithTheRuleOfTheRefusal) {
    // The same stanza dropped silently, the dialback answered as if nothing
    // came: what it writes next is the finding, citing CORE-10 first.
    FakeLive fake({{"<stream:stream", kHeader + kFeatures},
                   {"</db:result>", "<db:result from='capulet.lit' to='montague.lit' type='invalid'/>"}});
    const bp::ProbeResult r = probe(fake.at(), "attack-stanza-before-auth");
    ASSERT_EQ(r.scenarios.size(), 1u);
    const bp::ScenarioResult& s = r.scenarios[0];
    EXPECT_EQ(s.verdict, "deviates") << s.message << "\n" << s.wire_log;
    ASSERT_FALSE(s.rules.empty());
    EXPECT_EQ(s.rules[0], "CORE-10") << s.message;
    EXPECT_NE(line_of(s.wire_log, s.line).find("type='invalid'"), std::string::npos) << s.wire_log;
}

TEST(ProbeSession, AFloodingServerIsCutOffInconclusive) {
    // What the live server writes is bounded (SessionSetup::max_log_bytes,
    // 16 MiB by default): past it the scenario stops, inconclusive.
    std::string flood = kHeader;
    for (int i = 0; i < 40000; ++i) flood += "<stream:features/>";  // about 720 KB
    FakeLive fake({{"<stream:stream", flood}});
    const auto t = bidilab::topologies::load_topology(PROBE_TEST_DATA "/dialback.topology.json");
    bidilab::model::Scenario sc = bidilab::model::make_scenario(t);
    bp::SessionSetup setup;
    setup.scenario = &sc;
    setup.live = 0;
    setup.live_at = fake.at();
    setup.quiet = 400ms;
    setup.limit = 8s;
    setup.max_log_bytes = 64 * 1024;
    const bp::SessionOutcome out = bp::Session(setup).run();
    EXPECT_NE(out.problem.find("more than the limit of 65536 bytes"), std::string::npos) << out.problem;
    EXPECT_LE(out.wire_log.size(), 64u * 1024) << out.wire_log.size();
}

namespace {
// A session of the dialback topology against `at`, keeping `order`.
bp::SessionOutcome ordered_session(const bp::Endpoint& at, const bidilab::model::Scenario& sc, bp::PlayedOrder order) {
    bp::SessionSetup setup;
    setup.scenario = &sc;
    setup.live = 0;
    setup.live_at = at;
    setup.quiet = 400ms;
    setup.limit = 8s;
    setup.salt = "order";
    setup.order = std::move(order);
    return bp::Session(setup).run();
}
using Kind = bp::PlayedStep::Kind;
}  // namespace

TEST(ProbeSession, TheOrderIsKeptAndAStepThatCannotBeTakenIsSkipped) {
    // Montague submits, reads the header, then waits for a db:verify that
    // never comes (skipped once the wire is quiet), then reads the features:
    // only then does its db:result go out (XEP-0220 §2.1.1).
    FakeLive fake({{"<stream:stream", kHeader + kFeatures}});
    const bidilab::model::Scenario sc = bidilab::model::make_scenario(
        bidilab::topologies::load_topology(PROBE_TEST_DATA "/dialback.topology.json"));
    const bp::SessionOutcome out = ordered_session(fake.at(), sc,
                                                   {{Kind::Submit, 1, false, ""},
                                                    {Kind::Read, 1, true, "stream:stream"},
                                                    {Kind::Read, 1, true, "db:verify"},
                                                    {Kind::Read, 1, true, "stream:features"}});
    EXPECT_TRUE(out.problem.empty()) << out.problem;
    EXPECT_EQ(out.order_taken, 3u) << out.wire_log;
    EXPECT_EQ(out.order_skipped, 1u) << out.wire_log;
    const std::size_t skipped =
        out.wire_log.find("# order: step 3 (montague reads db:verify as initiating end) cannot be taken; skipped");
    ASSERT_NE(skipped, std::string::npos) << out.wire_log;
    EXPECT_GT(out.wire_log.find("<db:result"), skipped) << out.wire_log;  // held until the features were read
    EXPECT_NE(fake.heard().find("<db:result"), std::string::npos) << fake.heard();
    EXPECT_NE(out.wire_log.find("# order: 3 of 4 played steps taken, 1 skipped"), std::string::npos) << out.wire_log;
    EXPECT_GT(out.rows.taken_count(bidilab::model::StreamMachine::Initiating), 0u);
    EXPECT_EQ(out.rows.taken_count(bidilab::model::StreamMachine::Receiving), 0u);  // nobody dialled montague
}

TEST(ProbeSession, PastTheOrderWhatIsLeftGoesInArrivalOrder) {
    // A first step that cannot be taken (no connection before a stanza) is
    // skipped; past the order the stanza is submitted and read as it comes.
    FakeLive fake({{"<stream:stream", kHeader + kFeatures}});
    const bidilab::model::Scenario sc = bidilab::model::make_scenario(
        bidilab::topologies::load_topology(PROBE_TEST_DATA "/dialback.topology.json"));
    const bp::SessionOutcome out = ordered_session(fake.at(), sc, {{Kind::Read, 1, true, "stream:stream"}});
    EXPECT_EQ(out.order_taken, 0u) << out.wire_log;
    EXPECT_EQ(out.order_skipped, 1u) << out.wire_log;
    EXPECT_NE(fake.heard().find("<db:result"), std::string::npos) << fake.heard();
}

TEST(ProbeSession, AWitnessScenarioReportsItsOrderAndRows) {
    FakeLive fake({{"<stream:stream", kHeader + kFeatures}});
    const auto t = bidilab::topologies::load_topology(PROBE_TEST_DATA "/dialback.topology.json");
    std::string witness;
    for (const auto& p : bp::plan_scenarios(t, "capulet", false))
        if (p.name.rfind("witness-", 0) == 0 && witness.empty()) witness = p.name;
    ASSERT_FALSE(witness.empty());
    const bp::ProbeResult r = probe(fake.at(), witness);
    ASSERT_EQ(r.scenarios.size(), 1u);
    const bp::ScenarioResult& s = r.scenarios[0];
    EXPECT_EQ(s.verdict, "conforms") << s.message << "\n" << s.wire_log;
    ASSERT_TRUE(s.order_steps.has_value());
    EXPECT_EQ(s.order_taken + s.order_skipped, *s.order_steps) << s.wire_log;
    EXPECT_GE(s.order_taken, 3u) << s.wire_log;  // submit, header, features
    const nlohmann::json j = bp::probe_json(r);
    EXPECT_EQ(j["scenarios"][0]["order"]["steps"], *s.order_steps);
    EXPECT_GT(j["scenarios"][0]["rows_taken"].get<std::size_t>(), 0u);
    EXPECT_EQ(j["played_rows"][0]["machine"], "InitiatingStream");
    EXPECT_GT(j["played_rows"][0]["taken"].get<std::size_t>(), 0u);
    EXPECT_TRUE(j["played_rows_complete"].get<bool>());
    for (const auto& m : j["played_rows"]) {
        // Of the rows the model's orderings take with capulet, this one scenario took some, not all.
        const auto reachable = m["reachable"].get<std::size_t>(), taken = m["reachable_taken"].get<std::size_t>();
        EXPECT_GT(reachable, 0u) << m;
        EXPECT_LE(taken, m["taken"].get<std::size_t>()) << m;
        EXPECT_EQ(taken + m["reachable_not_taken"].size(), reachable) << m;
        EXPECT_LT(reachable, m["rows"].get<std::size_t>()) << "rows the live server cannot provoke are left out: " << m;
    }
    const std::string text = bp::probe_text(r, false);
    EXPECT_NE(text.find("rows of the played servers' machines taken with the live server, of those the model's "
                        "orderings take: InitiatingStream "),
              std::string::npos)
        << text;
}

TEST(ProbeSession, RW_22_AForgedHeaderFromThenTheLiveServerIsAskedToSend) {
    // attack-header-from: montague's header names verona.lit (marked forged);
    // once its stanza went, --send-command runs with the two domains. The
    // fake says valid without verifying (DB-22): the finding is there, so the
    // judge read the forged header as its reader did and went past it. The
    // probe reads past that deviation (--read-past-deviation), as far as the
    // command.
    const std::string header_to_verona =
        "<?xml version='1.0'?><stream:stream xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams' "
        "xmlns:db='jabber:server:dialback' from='capulet.lit' to='verona.lit' id='fake-stream-1' version='1.0'>";
    FakeLive fake({{"<stream:stream", header_to_verona + kFeatures},
                   {"</db:result>", "<db:result from='capulet.lit' to='montague.lit' type='valid'/>"}});
    const auto t = bidilab::topologies::load_topology(PROBE_TEST_DATA "/header-from.topology.json");
    const std::string sent = ::testing::TempDir() + "/bidilab-send-command.txt";
    std::remove(sent.c_str());
    bp::ProbeOptions o;
    o.live = "capulet";
    o.live_at = fake.at();
    o.scenarios = {"attack-header-from"};
    o.quiet = 400ms;
    o.limit = 8s;
    o.send_command = "printf '%s %s' \"$BIDILAB_FROM\" \"$BIDILAB_TO\" > " + sent;
    o.plan.live_sends = true;
    o.stop_at_deviation = false;  // past the valid, to the stanza and the command
    const bp::ProbeResult r = bp::run_probe(t, o);
    ASSERT_EQ(r.scenarios.size(), 1u);
    const bp::ScenarioResult& s = r.scenarios[0];
    EXPECT_NE(fake.heard().find("from='verona.lit' to='capulet.lit'"), std::string::npos) << fake.heard();
    EXPECT_NE(s.wire_log.find("conn0 -> montague.lit (forged)"), std::string::npos) << s.wire_log;
    EXPECT_NE(s.wire_log.find("# the live server is asked to send a stanza to verona.lit (--send-command): exit 0"),
              std::string::npos)
        << s.wire_log;
    std::ifstream in(sent);
    std::string text;
    std::getline(in, text);
    EXPECT_EQ(text, "capulet.lit verona.lit");
    EXPECT_EQ(s.verdict, "deviates") << s.message << "\n" << s.wire_log;
    EXPECT_NE(line_of(s.wire_log, s.line).find("type='valid'"), std::string::npos) << s.message << "\n" << s.wire_log;
}

TEST(ProbeSession, AttackHeaderFromIsPlannedOnlyWithASendCommandAndAnotherPlayedServer) {
    const auto t = bidilab::topologies::load_topology(PROBE_TEST_DATA "/header-from.topology.json");
    const auto named = [](const std::vector<bp::ScenarioPlan>& plans) {
        for (const auto& p : plans)
            if (p.name == "attack-header-from") return p.description;
        return std::string();
    };
    bp::PlanOptions with;
    with.live_sends = true;
    EXPECT_EQ(named(bp::plan_scenarios(t, "capulet", false)), "");
    EXPECT_NE(named(bp::plan_scenarios(t, "capulet", false, with)).find("names verona.lit"), std::string::npos);
    // With montague alone there is no other played domain to name.
    const auto alone = bidilab::topologies::load_topology(PROBE_TEST_DATA "/dialback.topology.json");
    EXPECT_EQ(named(bp::plan_scenarios(alone, "capulet", false, with)), "");
}

TEST(ProbeSession, TheSendCommandIsBoundedAndReportsItsEnd) {
    EXPECT_EQ(bp::run_send_command("exit 3", "a.lit", "b.lit", 5s), "exit 3");
    EXPECT_EQ(bp::run_send_command("test \"$BIDILAB_TO\" = b.lit", "a.lit", "b.lit", 5s), "exit 0");
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(bp::run_send_command("sleep 30", "a.lit", "b.lit", 300ms), "stopped after 300 ms");
    EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
}
