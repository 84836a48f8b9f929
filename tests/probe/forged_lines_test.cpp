// What validate makes of a line marked "(forged)" (docs/wire-log.md): the
// writer is not judged, the reader must refuse it as the model does (with
// the stream error it names) and then owes that error; without the mark the
// same line is the writer's own fault.
#include <gtest/gtest.h>

#include <string>

#include "capture/wire_log.hpp"
#include "topologies/topology.hpp"
#include "validate/validator.hpp"

namespace {
const std::string kHead =
    "# conn0: initiator 127.0.0.1:40000 -> receiving server 127.0.0.1:5269 (capulet.lit)\n"
    "0.1 conn0 -> montague.lit <?xml version='1.0'?><stream:stream xmlns='jabber:server' "
    "xmlns:stream='http://etherx.jabber.org/streams' xmlns:db='jabber:server:dialback' from='montague.lit' "
    "to='capulet.lit' version='1.0'>\n"
    "0.2 conn0 <- capulet.lit <?xml version='1.0'?><stream:stream xmlns='jabber:server' "
    "xmlns:stream='http://etherx.jabber.org/streams' xmlns:db='jabber:server:dialback' from='capulet.lit' "
    "to='montague.lit' id='x1' version='1.0'><stream:features><dialback "
    "xmlns='urn:xmpp:features:dialback'/></stream:features>\n";
const std::string kStanza = "<message from='montague.lit' to='capulet.lit' id='f1'><body>early</body></message>\n";

bidilab::validate::Result judge(const std::string& log) {
    const auto t = bidilab::topologies::load_topology(PROBE_TEST_DATA "/dialback.topology.json");
    return bidilab::validate::validate(t, bidilab::capture::parse_wire_log(log, "forged.log"));
}

std::string error(const char* condition) {
    return std::string("0.4 conn0 <- capulet.lit <stream:error><") + condition +
           " xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error></stream:stream>\n";
}
}  // namespace

TEST(ForgedLines, TheReaderRefusingAsTheModelDoesIsAccepted) {
    // RFC 6120 §4.3.5 (CORE-10): a stanza before authentication is answered
    // with <not-authorized/> and the stream is closed.
    const auto r = judge(kHead + "0.3 conn0 -> montague.lit (forged) " + kStanza + error("not-authorized"));
    EXPECT_TRUE(r.accepted()) << bidilab::validate::result_text(r);
}

TEST(ForgedLines, AnotherAnswerIsTheReadersDeviation) {
    const auto wrong = judge(kHead + "0.3 conn0 -> montague.lit (forged) " + kStanza + error("invalid-from"));
    ASSERT_FALSE(wrong.accepted());
    EXPECT_EQ(wrong.findings[0].line, 5u);
    ASSERT_FALSE(wrong.findings[0].rules.empty());
    EXPECT_EQ(wrong.findings[0].rules[0], "CORE-10");  // the refusal it owed comes first
    // Carrying on as if nothing came: the next thing it writes is the finding.
    const auto silent = judge(kHead + "0.3 conn0 -> montague.lit (forged) " + kStanza +
                              "0.4 conn0 <- capulet.lit <db:result from='capulet.lit' to='montague.lit' type='valid'/>\n");
    ASSERT_FALSE(silent.accepted());
    EXPECT_EQ(silent.findings[0].line, 5u);
}

TEST(ForgedLines, WithoutTheMarkTheWriterIsJudged) {
    const auto r = judge(kHead + "0.3 conn0 -> montague.lit " + kStanza + error("not-authorized"));
    ASSERT_FALSE(r.accepted());
    EXPECT_EQ(r.findings[0].line, 4u);  // montague's stanza: it could not have written it
}
