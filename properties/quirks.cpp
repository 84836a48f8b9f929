#include "properties/quirks.hpp"

namespace bidilab::properties {

const std::vector<Quirk>& quirks() {
    static const std::vector<Quirk> all{
        {"bidi-before-tls", {"BIDI-3", "CORE-27"}, "bidi-only-after-tls",
         "the initiating server sends <bidi/> on the pre-TLS features and then STARTTLS (ejabberd's "
         "xmpp_stream_out runs the features hook before the STARTTLS decision)"},
        {"reuse-stream-id", {"CORE-7", "CORE-15", "CORE-42"}, "fresh-stream-ids",
         "the receiving server keeps the previous stream id after a restart, as the SASL example of "
         "XEP-0288 shows; a dialback key computed before TLS could be replayed"},
        {"send-before-auth", {"BIDI-5", "CORE-54"}, "no-stanza-before-auth",
         "the receiving server flushes its queue to the peer over the incoming stream as soon as <bidi/> "
         "arrives, before the peer is authenticated"},
        {"route-under-stream-from", {"BIDI-7", "CORE-46"}, "stanzas-only-for-authorized-pairs",
         "the receiving server routes over an incoming bidi stream for any of its domains towards the "
         "stream header's 'from', not only for the inverse of validated pairs (REAL-WORLD RW-22)"},
        {"assume-pairs-after-sasl", {"SASL-8", "CORE-11"}, "stanzas-only-for-authorized-pairs",
         "after SASL EXTERNAL the initiating server sends for every domain it hosts, not only the "
         "stream's 'from' that the certificate authenticated"},
    };
    return all;
}

std::set<std::string> quirk_names() {
    std::set<std::string> names;
    for (const auto& q : quirks()) names.insert(q.name);
    return names;
}

}  // namespace bidilab::properties
