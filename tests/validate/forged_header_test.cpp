// A real exchange from the probe lab (tests/interop/README.md, RW-22): the
// played montague.lit opens its stream to Prosody 0.12.3 with a header that
// names verona.lit as 'from' (marked forged), authenticates montague.lit by
// dialback with bidi, and Prosody, asked by its admin shell to ping
// verona.lit, writes the ping on that stream. The validator reads the forged
// header as the reader did, replays the writer as montague.lit, and rejects
// the ping where Prosody wrote it.
#include <gtest/gtest.h>

#include <string>

#include "tests/validate/findings.hpp"
#include "validate/validator.hpp"

namespace bidilab::validate {
namespace {

const std::string kHeaderFromBase = std::string(VALIDATE_TEST_DATA) + "/lab/header-from-routed-over-forged-stream";

std::string header_from_capture() { return file_text(kHeaderFromBase + ".log"); }

Result judge_header_from(const std::string& text) {
    return validate(topologies::load_topology(kHeaderFromBase + ".topology.json"), capture::parse_wire_log(text, "header-from.log"));
}

// The capture up to (not including) its first line that contains `marker`.
std::string header_from_before(const std::string& marker) {
    const std::string text = header_from_capture();
    const std::size_t at = text.find(marker);
    EXPECT_NE(at, std::string::npos) << marker;
    return text.substr(0, text.rfind('\n', at) + 1);
}

TEST(ForgedHeader, RW_22_AStanzaForTheForgedFromOnThatStreamIsRejected) {
    const Result r = judge_header_from(header_from_capture());
    expect_rejected(r, 22, {"BIDI-7", "BIDI-5"});
    EXPECT_NE(r.findings[0].message.find("capulet's receiving stream (R1) could not have written it"), std::string::npos)
        << r.findings[0].message;
}

TEST(ForgedHeader, TheForgedHeaderIsReadAsCapturedAndTheWriterReplayedAsItself) {
    // Everything before Prosody's ping is accepted: the response header names
    // verona.lit (CORE-14: the initial header's 'from'), and montague's own
    // dialback, bidi and ping are judged as montague's initiating stream.
    const Result r = judge_header_from(header_from_before("to='verona.lit' id='probe-send-1'"));
    EXPECT_TRUE(r.accepted()) << explain_text(r);
    ASSERT_FALSE(r.connections.empty());
    EXPECT_NE(r.connections[0].find("montague.lit (server montague) dials capulet.lit"), std::string::npos)
        << r.connections[0];
}

TEST(ForgedHeader, UnmarkedTheSameHeaderIsVeronasOwnAndItsWriterIsJudged) {
    // Without the mark, the header is verona's: the db:result for
    // montague.lit that follows is then not what its machine could write.
    std::string text = header_from_before("to='verona.lit' id='probe-send-1'");
    const std::string mark = "montague.lit (forged)";
    text.replace(text.find(mark), mark.size(), "montague.lit         ");
    const Result r = judge_header_from(text);
    ASSERT_FALSE(r.accepted());
    EXPECT_NE(r.findings[0].message.find("verona's initiating stream (I1) could not have written it"), std::string::npos)
        << r.findings[0].message;
}

}  // namespace
}  // namespace bidilab::validate
