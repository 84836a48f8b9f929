// A real exchange from the probe lab (tests/interop/README.md, RW-21): the
// played montague.lit asks, over Prosody 0.12.3's outgoing bidi stream, for
// conference.montague.lit (a reverse dialback request, BIDI-8), and Prosody
// answers with <stream:error><invalid-id/>. The validator rejects that line
// as `check`'s step property reverse-dialback-keeps-the-stream does, and
// leaves the stream's end to the writer where it names no fault of the peer.
// And the lab's dialback-error-answer (RW-19): a bidi stream ended over a
// dialback error (BIDI-10, DB-14); without bidi and error support that end is
// allowed (DB-35: tests/probe/dialback_error_answer_test.cpp).
#include <gtest/gtest.h>

#include <string>

#include "tests/validate/findings.hpp"
#include "validate/validator.hpp"

namespace bidilab::validate {
namespace {

const std::string kReverseBase = std::string(VALIDATE_TEST_DATA) + "/lab/reverse-dialback-over-prosody-bidi";

const std::string kInvalidId = "<stream:error><invalid-id xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>";

TEST(ReverseDialback, BIDI_8_ProsodyEndingItsBidiStreamOverARequestIsRejected) {
    const Result r = validate_changed(kReverseBase, kInvalidId, kInvalidId);  // as captured
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
        expect_rejected(validate_changed(kReverseBase, kInvalidId, e), 17, {"BIDI-8"});
    }
}

TEST(ReverseDialback, EndsThatNameNoFaultOfThePeerStayTheWritersRight) {
    // RFC 6120 §4.4: either party may close its stream; a shutdown or a reset
    // (or a bare </stream:stream>) claims nothing of the request.
    for (const char* c : {"system-shutdown", "reset"}) {
        const std::string e = std::string("<stream:error><") + c + " xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>";
        const Result r = validate_changed(kReverseBase, kInvalidId, e);
        EXPECT_TRUE(r.accepted()) << c << "\n" << explain_text(r);
    }
    EXPECT_TRUE(validate_changed(kReverseBase, kInvalidId, "").accepted());
}

// The probe lab's dialback-error-answer (RW-19): Prosody dials
// conference.montague.lit with bidi and dialback; the played server answers
// its request with a dialback error (forged in place of its answer), and
// Prosody ends the stream with <not-authorized/> (line 31).
const std::string kErrorBase = std::string(VALIDATE_TEST_DATA) + "/lab/dialback-error-over-prosody-bidi";

const std::string kNotAuthorized = "<stream:error><not-authorized xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>";

TEST(DialbackErrors, BIDI_10_ProsodyEndingItsBidiStreamOverADialbackErrorIsRejected) {
    const Result r = validate_changed(kErrorBase, kNotAuthorized, kNotAuthorized);  // as captured
    expect_rejected(r, 31, {"BIDI-10", "DB-14"});
    EXPECT_EQ(r.findings[0].rules.front(), "BIDI-10");
    EXPECT_NE(r.findings[0].message.find("after a dialback error for capulet.lit -> conference.montague.lit"),
              std::string::npos)
        << r.findings[0].message;
}

}  // namespace
}  // namespace bidilab::validate
