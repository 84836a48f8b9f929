// The probe's judge (probe/judge.hpp): a prefix of an exchange is judged as
// it grows; its deviation is the line the complete log is judged deviating at,
// and only a line the live server wrote stops a session.
#include <gtest/gtest.h>

#include <string>

#include "probe/judge.hpp"
#include "topologies/topology.hpp"

namespace bp = bidilab::probe;

namespace {

const std::string kHead = "# bidilab probe, scenario s: a test\n# live server capulet at 127.0.0.1:5269\n";
const std::string kNote = "# conn0: initiator 127.0.0.1:40000 -> receiving server 127.0.0.1:5269 (capulet.lit)\n";
const std::string kOpen =
    "   0.000100 conn0 -> montague.lit           <?xml version='1.0'?><stream:stream xmlns='jabber:server' "
    "xmlns:stream='http://etherx.jabber.org/streams' xmlns:db='jabber:server:dialback' from='montague.lit' "
    "to='capulet.lit' version='1.0'>\n";
const std::string kAnswer =
    "   0.000200 conn0 <- capulet.lit            <?xml version='1.0'?><stream:stream xmlns='jabber:server' "
    "xmlns:stream='http://etherx.jabber.org/streams' xmlns:db='jabber:server:dialback' from='capulet.lit' "
    "to='montague.lit' id='fake-stream-1' version='1.0'><stream:features><dialback "
    "xmlns='urn:xmpp:features:dialback'/></stream:features>\n";
const std::string kRequest =
    "   0.000300 conn0 -> montague.lit           <db:result from='montague.lit' "
    "to='capulet.lit'>4809df2ed4902c2f9dab18378acae39ae49a8303b131be770b182387eae27bc6</db:result>\n";
// XEP-0220: valid only once the authority (montague, played) verified the key.
const std::string kValidAtOnce =
    "   0.000400 conn0 <- capulet.lit            <db:result from='capulet.lit' to='montague.lit' type='valid'/>\n";

struct Lab {
    bidilab::topologies::Topology t = bidilab::topologies::load_topology(PROBE_TEST_DATA "/dialback.topology.json");
    const bidilab::topologies::Server& live() const {
        for (const auto& s : t.servers)
            if (s.name == "capulet") return s;
        throw std::logic_error("no capulet");
    }
};

}  // namespace

TEST(ProbeJudge, APrefixTheModelAllowsIsNoDeviation) {
    Lab lab;
    bp::Judge j(lab.t, lab.live(), kHead, "s.log");
    EXPECT_EQ(j.deviation(kNote + kOpen + kAnswer), std::nullopt);
    EXPECT_EQ(j.deviation(kNote + kOpen + kAnswer + kRequest), std::nullopt);
    EXPECT_EQ(j.judged(), 2u);
}

TEST(ProbeJudge, TheDeviationIsTheLineTheCompleteLogDeviatesAt) {
    Lab lab;
    bp::Judge j(lab.t, lab.live(), kHead, "s.log");
    const std::string so_far = kNote + kOpen + kAnswer + kRequest + kValidAtOnce;
    const auto line = j.deviation(so_far);
    ASSERT_TRUE(line.has_value());
    EXPECT_EQ(*line, 7u);  // two head lines, the connection's comment, four elements
    const bp::Judgement whole = j.judge_log(kHead + so_far, "", 2);
    EXPECT_EQ(whole.verdict, "deviates") << whole.message;
    EXPECT_EQ(whole.line, *line);
    EXPECT_FALSE(whole.rules.empty());
}

TEST(ProbeJudge, AFindingAtAPlayedLineDoesNotStopTheSession) {
    // The played montague answering its own request: the probe's fault,
    // which the complete log calls inconclusive, never the live server's.
    Lab lab;
    bp::Judge j(lab.t, lab.live(), kHead, "s.log");
    const std::string played_valid =
        "   0.000300 conn0 -> montague.lit           <db:result from='montague.lit' to='capulet.lit' type='valid'/>\n";
    const std::string so_far = kNote + kOpen + kAnswer + played_valid;
    EXPECT_EQ(j.deviation(so_far), std::nullopt);
    const bp::Judgement whole = j.judge_log(kHead + so_far, "", 1);
    EXPECT_EQ(whole.verdict, "inconclusive") << whole.message;
    EXPECT_EQ(whole.line, 6u);
}

TEST(ProbeJudge, AnElementStillComingIsNotJudgedYet) {
    Lab lab;
    bp::Judge j(lab.t, lab.live(), kHead, "s.log");
    const std::string half = "   0.000400 conn0 <- capulet.lit            <db:result from='capulet.lit'\n";
    EXPECT_EQ(j.deviation(kNote + kOpen + kAnswer + kRequest + half), std::nullopt);
}

TEST(ProbeJudge, ALogBeyondTheOnlineBoundIsLeftToTheEnd) {
    Lab lab;
    bp::Judge j(lab.t, lab.live(), kHead, "s.log");
    std::string so_far = kNote + kOpen + kAnswer + kRequest + kValidAtOnce;
    so_far += "# " + std::string(bp::Judge::kOnlineBytes, 'x') + "\n";
    EXPECT_EQ(j.deviation(so_far), std::nullopt);
    EXPECT_EQ(j.judged(), 0u);
    EXPECT_EQ(j.judge_log(kHead + so_far, "", 2).verdict, "deviates");
}

TEST(ProbeJudge, TheWriterColumn) {
    const std::string log = kHead + kNote + kOpen + kAnswer;
    EXPECT_EQ(bp::writer_of_line(log, 1), "");
    EXPECT_EQ(bp::writer_of_line(log, 4), "montague.lit");
    EXPECT_EQ(bp::writer_of_line(log, 5), "capulet.lit");
    EXPECT_EQ(bp::writer_of_line(log, 9), "");
}
