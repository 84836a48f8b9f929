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
        {"accept-unsolicited-dialback", {"DB-10", "BIDI-12", "DB-45"}, "no-stanza-to-unproven-peer",
         "a db:result type='valid' for a pair never asked for on that stream authorizes the pair, on the "
         "initiating stream and on an inbound bidi stream (jabberd2 before CVE-2012-3525, REAL-WORLD RW-2; "
         "XEP-0220 §3.1): an attacker the server dialled back impersonates any target domain"},
        {"skip-pair-check", {"CORE-46", "DB-6", "CORE-45"}, "stanzas-only-for-authorized-pairs",
         "the receiving server checks a stanza from an authenticated peer only against the domains it "
         "hosts (Prosody's check of 'to', REAL-WORLD RW-23, applied to 'from' as well), not against the "
         "validated pairs: an attacker that proved its own domain spoofs any sender"},
        {"verify-on-request-connection", {"BIDI-6", "DB-15"}, "verify-not-on-request-connection",
         "the receiving server routes db:verify through its routing table, which already maps the "
         "authoritative server to the incoming bidi stream the request came in on (RULES BIDI-6)"},
        {"swapped-bidi-namespaces", {"BIDI-2", "BIDI-1"}, "bidi-namespaces-right",
         "the request in urn:xmpp:features:bidi (ejabberd 24.10 and 24.12 had one codec element for "
         "feature and request, REAL-WORLD RW-7) and, swapped as RULES BIDI-2 puts it, the feature in "
         "urn:xmpp:bidi; the feature it reads in either: a compliant peer never enables bidi with it, and "
         "closes the stream with unsupported-stanza-type on its request"},
        {"no-dialback-errors", {"DB-14", "BIDI-10", "DB-13"}, "dialback-errors-affect-only-their-pair",
         "the initiating server closes the stream with not-authorized on a db:result type='error' instead of "
         "bouncing only that pair's queue (Prosody 0.12, REAL-WORLD RW-19)"},
        {"conflict-on-duplicate", {"CORE-21", "CORE-52", "CORE-49"}, "conflict-loses-no-stanza",
         "once an incoming stream from a peer is bidi, the server closes its own outgoing stream to that "
         "peer with <conflict/> (the community mod_bidi, REAL-WORLD RW-14): in a collision the stanzas "
         "waiting for that stream are bounced, and when both sides do it both connections are lost"},
        {"reject-reverse-dialback", {"BIDI-8", "BIDI-10"}, "reverse-dialback-keeps-the-stream",
         "the initiating server takes an untyped db:result on its outgoing stream for a malformed answer "
         "and closes with invalid-id (Prosody 0.12, REAL-WORLD RW-21): a peer doing reverse dialback "
         "(BIDI-8) loses the stream, its pairs and the stanzas waiting for it"},
    };
    return all;
}

std::set<std::string> quirk_names() {
    std::set<std::string> names;
    for (const auto& q : quirks()) names.insert(q.name);
    return names;
}

}  // namespace bidilab::properties
