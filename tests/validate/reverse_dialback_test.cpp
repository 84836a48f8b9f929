// A real exchange from the probe lab (tests/interop/README.md, RW-21): the
// played montague.lit asks, over Prosody 0.12.3's outgoing bidi stream, for
// conference.montague.lit (a reverse dialback request, BIDI-8), and Prosody
// answers with <stream:error><invalid-id/>. The validator rejects that line
// as `check`'s step property reverse-dialback-keeps-the-stream does, and
// leaves the stream's end to the writer where it names no fault of the peer.
#include <gtest/gtest.h>

#include <string>

#include "tests/validate/findings.hpp"
#include "validate/validator.hpp"

namespace bidilab::validate {
namespace {

const std::string kReverseBase = std::string(VALIDATE_TEST_DATA) + "/lab/reverse-dialback-over-prosody-bidi";

std::string reverse_capture() { return file_text(kReverseBase + ".log"); }

// The capture with its one stream error replaced by `replacement`.
Result reverse_with(const std::string& from, const std::string& replacement) {
    std::string text = reverse_capture();
    const std::size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), replacement);
    return validate(topologies::load_topology(kReverseBase + ".topology.json"), capture::parse_wire_log(text, "reverse.log"));
}

const std::string kInvalidId = "<stream:error><invalid-id xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>";

TEST(ReverseDialback, BIDI_8_ProsodyEndingItsBidiStreamOverARequestIsRejected) {
    const Result r = reverse_with(kInvalidId, kInvalidId);  // as captured
    expect_rejected(r, 17, {"BIDI-8", "BIDI-10", "DB-23"});
    EXPECT_EQ(r.findings[0].rules.front(), "BIDI-8");
    EXPECT_NE(r.findings[0].message.find("while it verifies the receiving server's reverse dialback request for "
                                         "conference.montague.lit -> capulet.lit"),
              std::string::npos)
        << r.findings[0].message;
}

TEST(ReverseDialback, AnyConditionThatBlamesThePeerIsRejectedToo) {
    for (const char* c : {"not-authorized", "policy-violation", "undefined-condition"}) {
        const std::string e = std::string("<stream:error><") + c + " xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>";
        expect_rejected(reverse_with(kInvalidId, e), 17, {"BIDI-8"});
    }
}

TEST(ReverseDialback, EndsThatNameNoFaultOfThePeerStayTheWritersRight) {
    // RFC 6120 §4.4: either party may close its stream; a shutdown or a reset
    // (or a bare </stream:stream>) claims nothing of the request.
    for (const char* c : {"system-shutdown", "reset"}) {
        const std::string e = std::string("<stream:error><") + c + " xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>";
        const Result r = reverse_with(kInvalidId, e);
        EXPECT_TRUE(r.accepted()) << c << "\n" << explain_text(r);
    }
    EXPECT_TRUE(reverse_with(kInvalidId, "").accepted());
}

}  // namespace
}  // namespace bidilab::validate
