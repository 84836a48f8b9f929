#include "topologies/spec_choice.hpp"

namespace bidilab::topologies {

const std::array<SpecChoiceInfo, kSpecChoiceCount>& spec_choices() {
    static const std::array<SpecChoiceInfo, kSpecChoiceCount> table = {{
        {SpecChoice::StarttlsOnlyBeforeTls, "features_before_tls", "all", "starttls_only",
         "CORE-30, DB-34", "RFC 6120 §5.3.1: SHOULD NOT advertise other features before a mandatory STARTTLS"},
        {SpecChoice::DialbackFeatureOmitted, "dialback_feature", "advertised", "omitted",
         "DB-33, DB-34", "XEP-0220 §2.4.1: the xmlns:db declaration indicates dialback support"},
        {SpecChoice::ExternalOfferedAlways, "sasl_external_offer", "when_acceptable", "always",
         "CORE-37, SASL-9", "XEP-0178 §3 step 11b, RFC 6120 §9.2.2 step 10: offered, then refused"},
        {SpecChoice::CloseAfterSaslFailure, "after_sasl_failure", "dialback", "close",
         "SASL-9, CORE-43", "RFC 6120 §6.4.5: after a failure the initiator may try another mechanism or give up"},
        {SpecChoice::CloseWhenTlsNotOffered, "starttls_unoffered", "try", "close",
         "EXT-1, CORE-55", "RFC 7590 §3.1: not deterred from attempting TLS when it is not advertised"},
        {SpecChoice::TlsFailureForUnofferedStarttls, "unoffered_starttls_answer", "stream_error", "tls_failure",
         "CORE-31, CORE-26", "RFC 6120 §5.4.2.2 <failure/>; a server without TLS does not know the element"},
        {SpecChoice::ForbiddenForInvalidKey, "invalid_dialback_answer", "invalid", "forbidden",
         "DB-20, DB-28, DB-27", "XEP-0220 §2.1.2, §2.2.1: a <forbidden/> dialback error may replace type='invalid'"},
        {SpecChoice::TlsFailureAfterOffer, "offered_starttls_answer", "proceed", "failure", "CORE-31, CORE-28",
         "RFC 6120 §5.4.2.2, cause 3: an internal error after STARTTLS was offered"},
        {SpecChoice::BidiNotRequested, "bidi_request", "when_offered", "never", "BIDI-2, BIDI-4",
         "XEP-0288 §2.2: a server that supports bidi enables it on a stream by sending <bidi/>, if it wants to"},
        {SpecChoice::BounceUnsupportedDialbackError, "unsupported_dialback_error", "close", "bounce", "DB-35, DB-14",
         "XEP-0220 §2.5: a server that does not understand a dialback error may terminate the stream"},
    }};
    return table;
}

const SpecChoiceInfo& info(SpecChoice c) { return spec_choices()[static_cast<std::size_t>(c)]; }

std::optional<ChoiceSetting> parse_choice_setting(SpecChoice c, const std::string& text) {
    const SpecChoiceInfo& i = info(c);
    if (text == i.usual) return ChoiceSetting::Usual;
    if (text == i.other) return ChoiceSetting::Other;
    if (text == "any") return ChoiceSetting::Any;
    return std::nullopt;
}

const char* to_string(SpecChoice c, ChoiceSetting s) {
    switch (s) {
        case ChoiceSetting::Usual: return info(c).usual;
        case ChoiceSetting::Other: return info(c).other;
        case ChoiceSetting::Any: return "any";
        case ChoiceSetting::Unset: break;
    }
    return "";
}

std::string describe_branch(SpecChoice c, bool other) {
    const SpecChoiceInfo& i = info(c);
    return std::string(i.field) + " = " + (other ? i.other : i.usual);
}

}  // namespace bidilab::topologies
