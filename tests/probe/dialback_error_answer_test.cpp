// dialback-error-answer (REAL-WORLD RW-19): a scripted live server dials the
// played montague and asks for dialback; montague verifies the key with the
// live server's authority (the same script) and writes its answer as a
// dialback error, marked forged. Whether the live server may then end the
// stream depends on its policy: without dialback error support and without
// bidi it may (XEP-0220 §2.5, DB-35); with error support it may not (DB-14).
#include <gtest/gtest.h>

#include <poll.h>

#include <chrono>
#include <string>
#include <thread>

#include "model/scenario.hpp"
#include "probe/session.hpp"
#include "probe/tcp.hpp"
#include "topologies/topology.hpp"
#include "validate/validator.hpp"

namespace bp = bidilab::probe;
using namespace std::chrono_literals;

namespace {

// What `s` has written until `text` (within 3 s), appended to `heard`.
bool heard_until(bp::TcpSocket& s, std::string& heard, const std::string& text) {
    const auto end = std::chrono::steady_clock::now() + 3s;
    while (heard.find(text) == std::string::npos && std::chrono::steady_clock::now() < end && s.open()) {
        pollfd p{s.fd(), POLLIN, 0};
        if (::poll(&p, 1, 50) <= 0) continue;
        std::string data;
        const bool alive = s.read_available(data);
        heard += data;
        if (!alive) break;
    }
    return heard.find(text) != std::string::npos;
}

std::string attribute(const std::string& heard, const std::string& after, const std::string& name) {
    const std::size_t from = heard.find(after);
    const std::size_t at = heard.find(name + "='", from);
    if (from == std::string::npos || at == std::string::npos) return "";
    const std::size_t start = at + name.size() + 2;
    return heard.substr(start, heard.find('\'', start) - start);
}

const std::string kOpen = "<?xml version='1.0'?><stream:stream xmlns='jabber:server' "
                          "xmlns:stream='http://etherx.jabber.org/streams' xmlns:db='jabber:server:dialback' ";
const std::string kFeatures = "<stream:features><dialback xmlns='urn:xmpp:features:dialback'/></stream:features>";
const std::string kFeaturesWithErrors =
    "<stream:features><dialback xmlns='urn:xmpp:features:dialback'><errors/></dialback></stream:features>";
const std::string kNotAuthorized =
    "<stream:error><not-authorized xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error></stream:stream>";

struct AnswerRun {
    bp::SessionOutcome outcome;
    std::string dialled_heard;  // what the script's own connection to montague heard
    bidilab::validate::Result judged;
};

// The live capulet (a script) dials montague, asks for dialback, answers
// montague's db:verify on montague's connection, and ends its stream with
// <not-authorized/> once it reads montague's answer.
AnswerRun session(bool capulet_has_dialback_errors) {
    auto t = bidilab::topologies::load_topology(PROBE_TEST_DATA "/dialback.topology.json");
    t.stanzas.clear();  // montague only answers
    t.servers[0].dialback_errors = capulet_has_dialback_errors;
    const bidilab::model::Scenario sc = bidilab::model::make_scenario(t);
    bp::TcpListener live(bp::Endpoint{"127.0.0.1", 0}), played(bp::Endpoint{"127.0.0.1", 0});
    AnswerRun run;
    std::thread script([&] {
        bp::TcpSocket out = bp::TcpSocket::connect(played.bound(), 2s);
        std::string heard, in_heard;
        out.write_all(kOpen + "from='capulet.lit' to='montague.lit' version='1.0'>", 1s);
        if (!heard_until(out, heard, "</stream:features>")) return;
        out.write_all("<db:result from='capulet.lit' to='montague.lit'>0123abcd</db:result>", 1s);
        bp::TcpSocket in;
        const auto end = std::chrono::steady_clock::now() + 3s;
        while (!in.open() && std::chrono::steady_clock::now() < end) {
            pollfd p{live.fd(), POLLIN, 0};
            if (::poll(&p, 1, 50) > 0) in = live.accept();
        }
        if (!heard_until(in, in_heard, "version='1.0'>")) return;
        const std::string features = capulet_has_dialback_errors ? kFeaturesWithErrors : kFeatures;
        in.write_all(kOpen + "from='capulet.lit' to='montague.lit' id='capulet-in-1' version='1.0'>" + features, 1s);
        if (!heard_until(in, in_heard, "</db:verify>")) return;
        in.write_all("<db:verify from='capulet.lit' to='montague.lit' id='" + attribute(in_heard, "<db:verify", "id") +
                         "' type='valid'/>",
                     1s);
        if (heard_until(out, heard, "type='error'")) out.write_all(kNotAuthorized, 1s);
        heard_until(out, heard, "\x01never");
        run.dialled_heard = heard;
    });
    bp::SessionSetup setup;
    setup.scenario = &sc;
    setup.live = 0;
    setup.live_at = live.bound();
    setup.listeners[1] = &played;
    setup.quiet = 500ms;
    setup.limit = 8s;
    setup.salt = "answer";
    setup.attack = bp::Attack{bp::Attack::When::AfterFeatures, "", "", "", bidilab::model::Condition::RemoteServerNotFound};
    run.outcome = bp::Session(setup).run();
    script.join();
    run.judged = bidilab::validate::validate(t, bidilab::capture::parse_wire_log(run.outcome.wire_log, "answer.log"));
    return run;
}

}  // namespace

TEST(DialbackErrorAnswer, TheAnswerIsWrittenAsADialbackErrorMarkedForged) {
    const AnswerRun r = session(false);
    EXPECT_NE(r.outcome.wire_log.find("montague.lit (forged)  <db:result from='montague.lit' to='capulet.lit' "
                                      "type='error'>"),
              std::string::npos)
        << r.outcome.wire_log;
    EXPECT_NE(r.dialled_heard.find("<remote-server-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"),
              std::string::npos)
        << r.dialled_heard;
    EXPECT_EQ(r.dialled_heard.find("type='valid'"), std::string::npos) << r.dialled_heard;  // instead, not besides
}

TEST(DialbackErrorAnswer, DB_35_WithoutErrorSupportOrBidiTheStreamMayEnd) {
    const AnswerRun r = session(false);
    EXPECT_TRUE(r.judged.accepted()) << bidilab::validate::explain_text(r.judged);
}

TEST(DialbackErrorAnswer, DB_14_WithErrorSupportTheStreamMustNotEndOverIt) {
    const AnswerRun r = session(true);
    ASSERT_FALSE(r.judged.accepted()) << r.outcome.wire_log;
    const auto& f = r.judged.findings.front();
    EXPECT_EQ(f.rules.front(), "DB-14") << f.describe();
    EXPECT_NE(f.message.find("after a dialback error for capulet.lit -> montague.lit"), std::string::npos) << f.describe();
}
