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
    };
    return all;
}

std::set<std::string> quirk_names() {
    std::set<std::string> names;
    for (const auto& q : quirks()) names.insert(q.name);
    return names;
}

}  // namespace bidilab::properties
