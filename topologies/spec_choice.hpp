// topologies/spec_choice.hpp — the points where the specs let a server choose
// between two behaviours, each a per-server topology field (topologies/README.md):
// the usual branch (what Prosody 0.12 does), the other branch, or "any" (both:
// `bidilab check` explores each, `bidilab validate` accepts either). A field
// the file leaves out is unset: `check` takes the usual branch, `validate`
// accepts either (real servers other than Prosody make the other choice).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace bidilab::topologies {

// Named for the other branch (the usual one is Prosody 0.12's).
enum class SpecChoice : std::uint8_t {
    StarttlsOnlyBeforeTls,           // features_before_tls: "all" | "starttls_only"
    DialbackFeatureOmitted,          // dialback_feature: "advertised" | "omitted"
    ExternalOfferedAlways,           // sasl_external_offer: "when_acceptable" | "always"
    CloseAfterSaslFailure,           // after_sasl_failure: "dialback" | "close"
    CloseWhenTlsNotOffered,          // starttls_unoffered: "try" | "close"
    TlsFailureForUnofferedStarttls,  // unoffered_starttls_answer: "stream_error" | "tls_failure"
    ForbiddenForInvalidKey,          // invalid_dialback_answer: "invalid" | "forbidden"
    TlsFailureAfterOffer,            // offered_starttls_answer: "proceed" | "failure"
    BidiNotRequested,                // bidi_request: "when_offered" | "never"
    BounceUnsupportedDialbackError,  // unsupported_dialback_error: "close" | "bounce"
};
constexpr std::size_t kSpecChoiceCount = 10;

// A server's setting of one choice.
enum class ChoiceSetting : std::uint8_t { Unset, Usual, Other, Any };

struct SpecChoiceInfo {
    SpecChoice choice;
    const char* field;  // the topology field
    const char* usual;  // its value for the usual branch (Prosody 0.12)
    const char* other;  // its value for the other branch
    const char* rules;  // the RULES.md IDs that allow both, ", "-separated
    const char* why;    // the spec's words for the choice, in short
};

// Every choice, in SpecChoice order.
const std::array<SpecChoiceInfo, kSpecChoiceCount>& spec_choices();
const SpecChoiceInfo& info(SpecChoice c);

// "all" -> Usual, "starttls_only" -> Other, "any" -> Any (per the choice's values).
std::optional<ChoiceSetting> parse_choice_setting(SpecChoice c, const std::string& text);
// The field's value for a setting that is not Unset.
const char* to_string(SpecChoice c, ChoiceSetting s);
// One choice's branch as a reader sees it: `field = value`.
std::string describe_branch(SpecChoice c, bool other);

using ChoiceSettings = std::array<ChoiceSetting, kSpecChoiceCount>;

}  // namespace bidilab::topologies
