// The specs' own server-to-server examples (RFC 6120 §9.2, XEP-0178 §3,
// XEP-0220 §2, XEP-0288 §3 Examples 3-5) as wire logs (tests/validate/data/spec/*.log, each
// with a header comment saying what is the spec's text and what is filled in), validated
// against topologies describing the servers the example implies (data/spec/*.topology.json).
//
// The expected verdict is what the SPEC allows:
// - a log that keeps a mistake the spec itself contradicts is rejected at that line, with the
//   rule it breaks (or, for XML that is not well-formed, cannot be read at all);
// - a log of a choice the spec allows is accepted: the test names the choice
//   (topologies/README.md, "Choices the specs leave open") that covers it.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "capture/capture_error.hpp"
#include "tests/validate/findings.hpp"
#include "validate/validator.hpp"

namespace bidilab::validate {
namespace {

const std::string kSpec = std::string(VALIDATE_TEST_DATA) + "/spec/";

// File names in data/spec/, without ".topology.json" and ".log".
Result run_example(const std::string& topology_name, const std::string& log_name) {
    return validate(topologies::load_topology(kSpec + topology_name + ".topology.json"),
                    capture::read_wire_log(kSpec + log_name + ".log"));
}

void expect_accepted(const Result& r, std::size_t connections) {
    EXPECT_TRUE(r.accepted()) << explain_text(r);
    EXPECT_EQ(r.connections.size(), connections);
}

// The capture cannot be read: the XML of `line` is not well-formed (RFC 6120 §11.3: «An XMPP
// entity MUST NOT generate data that is not XML-well-formed»).
void expect_not_well_formed(const std::string& log_name, std::size_t line) {
    try {
        (void)capture::read_wire_log(kSpec + log_name + ".log");
        ADD_FAILURE() << log_name << ".log was read, but its line " << line << " is not well-formed XML";
    } catch (const capture::CaptureError& e) {
        EXPECT_EQ(e.line(), line) << e.what();
        EXPECT_NE(e.reason().find("not well-formed"), std::string::npos) << e.what();
    }
}

// --- RFC 6120 §9.2 Server-to-Server Examples ---------------------------------------------

TEST(SpecExamples, Rfc6120ServerToServerExampleAccepted) {
    // TLS, SASL EXTERNAL with '=', restart, empty features, the message, both closes; Server2
    // writes prefix-free <stream>/<features> without jabber:server.
    expect_accepted(run_example("rfc6120-s2s", "rfc6120-s2s"), 1u);
}

TEST(SpecExamples, Rfc6120StartTlsFailureAltAcceptedForAnInternalError) {
    // offered_starttls_answer = failure (left open by the topology, so validate takes either): a
    // receiving server that offered STARTTLS may still answer <starttls/> with <failure/> and close
    // (RFC 6120 §5.4.2.2, cause 3: «The receiving entity cannot complete STARTTLS negotiation because
    // of an internal error»; §9.2.1 "Step 5 (alt)"; CORE-31).
    expect_accepted(run_example("rfc6120-s2s", "rfc6120-s2s-tls-failure"), 1u);
}

TEST(SpecExamples, Rfc6120SaslFailureAltAcceptedForARefusedExternalOffer) {
    // sasl_external_offer = always and after_sasl_failure = close (left open): SASL EXTERNAL
    // offered and then refused with <not-authorized/>, the stream closed (RFC 6120 §9.2.2 "Step 10
    // (alt)"). The RFC gives no reason; the topology's is a certificate that does not name
    // im.example.com, for which Server2 SHOULD NOT offer EXTERNAL (CORE-37, SASL-4) but may.
    expect_accepted(run_example("rfc6120-s2s-sasl-failure", "rfc6120-s2s-sasl-failure"), 1u);
}

// --- XEP-0178 §3 Server-to-Server Recommendation ------------------------------------------

TEST(SpecExamples, Xep0178ExampleUnreadableForUnclosedMechanismElement) {
    // Step 9 writes <mechanism>EXTERNAL<mechanism>: </mechanisms> then mismatches (no RULES.md
    // ID; RFC 6120 §11.3 rule 1).
    expect_not_well_formed("xep0178-s2s", 17);
}

TEST(SpecExamples, Xep0178ExampleWithMechanismTypoFixedAccepted) {
    // Steps 1-11a; the XEP stops at <success/>, so the restart is only a note.
    Result r = run_example("xep0178-s2s", "xep0178-s2s-fixed");
    expect_accepted(r, 1u);
    EXPECT_FALSE(r.notes.empty());
}

TEST(SpecExamples, Xep0178SaslFailureStepAcceptedForARefusedExternalOffer) {
    // sasl_external_offer = always, after_sasl_failure = close (left open): SASL EXTERNAL offered
    // although the stream 'from' does not match the certificate (step 9 says only SHOULD, SASL-4),
    // then refused with <not-authorized/> and the stream closed (XEP-0178 §3 step 11b, SASL-9:
    // «Server2 SHOULD return a <not-authorized/> error and either close Server1's TCP connection or
    // continue with a Server Dialback»).
    expect_accepted(run_example("xep0178-s2s-sasl-failure", "xep0178-s2s-sasl-failure"), 1u);
}

// --- XEP-0220 §2 Server Dialback ------------------------------------------------------------

TEST(SpecExamples, Xep0220DialbackBothDirectionsAccepted) {
    // Examples 1, 2, 5, 6 and their mirror images, each key verified over the verifier's own
    // outgoing stream to the other server, a stanza each way.
    expect_accepted(run_example("xep0220-dialback", "xep0220-dialback"), 2u);
}

TEST(SpecExamples, Xep0220InvalidKeyReportedAndStreamClosedAccepted) {
    // Examples 5 and 7: the Authoritative Server says invalid; the Receiving Server reports
    // invalid and closes the stream (DB-27).
    expect_accepted(run_example("xep0220-dialback", "xep0220-dialback-invalid"), 2u);
}

TEST(SpecExamples, Xep0220TraditionalDialbackWithoutFeatureAccepted) {
    // dialback_feature = omitted (left open): dialback announced only by the xmlns:db declaration,
    // with no <dialback/> stream feature (XEP-0220 §2.4.1, DB-33; §2.4.2 obliges only servers with
    // dialback errors to advertise the feature, DB-34), here with empty <stream:features/>.
    expect_accepted(run_example("xep0220-traditional", "xep0220-traditional"), 2u);
}

// --- XEP-0288 §3 Examples -------------------------------------------------------------------

TEST(SpecExamples, Xep0288Example3UnreadableForUnclosedMechanismElement) {
    // The post-TLS features write <mechanism>EXTERNAL<mechanism> (RULES.md §1, quirk (b)).
    expect_not_well_formed("xep0288-example3", 20);
}

TEST(SpecExamples, Xep0288Example3RejectedForReusedStreamIdAfterSasl) {
    // The typo fixed; the header after <success/> reuses the post-TLS id b5cd769b... (RULES.md §1
    // quirk (a), §8.9). CORE-7: «When the receiving entity receives the new initial stream header,
    // it MUST generate a new stream ID (instead of reusing the old stream ID)» (RFC 6120 §4.3.3);
    // CORE-42 (§6.4.6) says the same for the SASL restart.
    auto r = run_example("xep0288-example3", "xep0288-example3-reused-id");
    expect_rejected(r, 23, {"CORE-7", "CORE-15"});
    if (!r.findings.empty() && !r.findings[0].rules.empty()) {
        EXPECT_EQ(r.findings[0].rules.front(), "CORE-7");
    }
}

TEST(SpecExamples, Xep0288Example3CorrectedAccepted) {
    // Both mistakes corrected: the ping goes I1 -> R1 and its result R1 -> I1 over bidi.
    expect_accepted(run_example("xep0288-example3", "xep0288-example3-corrected"), 1u);
}

TEST(SpecExamples, Xep0288Example4WithoutDialbackFeatureAccepted) {
    // dialback_feature = omitted (left open): a server doing dialback whose features lack the
    // <dialback/> feature (XEP-0220 §2.4.1: support is shown by the xmlns:db declaration, DB-33; the
    // feature is a MUST only for dialback errors, §2.4.2, DB-34), before TLS (<starttls/><bidi/>) and
    // after it (<mechanisms/><bidi/>).
    expect_accepted(run_example("xep0288-example4", "xep0288-example4"), 1u);
}

TEST(SpecExamples, Xep0288Example4WithDialbackFeatureAddedAccepted) {
    // The same with <dialback><errors/></dialback> added to both features lists; the empty
    // <mechanisms/> is taken as "no EXTERNAL". The XEP stops there: <bidi/> and db:result are notes.
    Result r = run_example("xep0288-example4", "xep0288-example4-dialback-feature");
    expect_accepted(r, 1u);
    EXPECT_FALSE(r.notes.empty());
}

TEST(SpecExamples, Xep0288Example5RejectedWithoutTheVerificationItsReceiverMustDo) {
    // The receiving server answers a db:result 'valid' (and capulet the reverse one) with no
    // db:verify in the capture: the XEP leaves out XEP-0220 Steps 2 and 3, which DB-22 makes a
    // MUST («it MUST verify the identity of the Initiating Server»). A capture of one connection
    // cannot show that this answer is not forged (DB-10, BIDI-12, DB-45): the validator refuses
    // it, and the twin below, with the verifications filled in, is accepted.
    expect_rejected(run_example("xep0288-example5", "xep0288-example5"), 16, {"DB-10", "BIDI-12", "DB-45"});
}

TEST(SpecExamples, Xep0288Example5WithVerificationsFilledInAccepted) {
    // The verify-only connections of topologies/xep0288-example5.json filled in (DB-16), and the
    // reverse dialback for conference.montague.lit over the bidi stream (BIDI-8, BIDI-9).
    expect_accepted(run_example("xep0288-example5", "xep0288-example5-verified"), 3u);
}

TEST(SpecExamples, Xep0288Example5AfterDecliningOfferedTlsAccepted) {
    // montague offers STARTTLS (not required) as in Examples 3 and 4; capulet does not use TLS
    // and enables bidi in the clear (XEP-0288 §2.1: TLS first only «If the initiating entity
    // chooses to use TLS», BIDI-3).
    expect_accepted(run_example("xep0288-example5-tls-offered", "xep0288-example5-tls-offered"), 3u);
}

TEST(SpecExamples, Xep0220FirstRequestForAnotherPairThanTheHeadersAccepted) {
    // The initiator's first db:result names chat.capulet.example, another domain of its server,
    // on a stream whose header says capulet.example (line 9): XEP-0220 §2.1.1 asks only that the
    // Sender Domain is the initiator's (DB-3, DB-4).
    expect_accepted(run_example("xep0220-first-result-other-pair", "xep0220-first-result-other-pair"), 2u);
}

TEST(SpecExamples, Xep0220VerifyAnswerOvertakenByTheStreamsOtherWritesAccepted) {
    // capulet answers montague's db:verify on conn1 (line 19) after its db:result verdict for
    // montague's request on the same stream (line 18): nothing orders them (DB-31).
    expect_accepted(run_example("xep0220-dialback", "xep0220-verify-answer-overtaken"), 2u);
}

}  // namespace
}  // namespace bidilab::validate
