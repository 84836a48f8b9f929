// model/server_policy.hpp — what one server hosts, offers and does: the
// constant input of its stream machines (not part of any state).
#pragma once

#include <functional>
#include <set>
#include <string>
#include <string_view>

#include "model/element.hpp"
#include "model/names.hpp"
#include "topologies/spec_choice.hpp"

namespace bidilab::model {

using topologies::ChoiceSetting;
using topologies::SpecChoice;
// A server's branches, or the choices it asked about: one bit per SpecChoice.
using ChoiceBits = std::uint16_t;
constexpr ChoiceBits choice_bit(SpecChoice c) { return static_cast<ChoiceBits>(1u << static_cast<unsigned>(c)); }
static_assert(topologies::kSpecChoiceCount <= 16, "ChoiceBits holds a bit per choice");

enum class TlsPolicy : std::uint8_t { Required, Offered, None };

// Where a receiving server advertises the bidi feature (RULES.md §8.1, BIDI-1).
enum class BidiAdvertisement : std::uint8_t {
    // Prosody 0.12 (mod_s2s_bidi): on unauthenticated streams that are encrypted
    // or whose TLS is not required; so post-TLS only when TLS is required.
    WhenUsable,
    // ejabberd: pre- and post-TLS, whatever the TLS policy (XEP-0288 §2.1 text).
    PreAndPostTls,
};

struct ServerPolicy {
    DomainSet hosted = 0;        // the domains this server is authoritative for
    SecretId secret = kNoSecret; // its dialback secret (KEY-3: one per network)

    TlsPolicy tls = TlsPolicy::Offered;
    bool has_certificate = false;      // TLS needs one on the receiving side
    bool certificate_trusted = false;  // peers' trust stores accept it
    DomainSet certificate_names = 0;   // names it covers (wildcards resolved)
    bool sasl_external = true;         // XEP-0178
    bool dialback = true;              // XEP-0220
    bool dialback_errors = true;       // XEP-0220 §2.4.2 (DB-34)
    bool bidi = true;                  // XEP-0288

    // Spec-ambiguity switches (RULES.md §8); defaults are Prosody 0.12's reading.
    BidiAdvertisement bidi_advertisement = BidiAdvertisement::WhenUsable;  // §8.1
    bool sasl_authzid = true;                // §8.3: send authzid (XEP-0178 SHOULD) or '=' (RFC 6120)
    bool unknown_target_stream_error = true; // §8.5: host-unknown stream error (Prosody) or
                                             //       item-not-found dialback error (XEP-0220)
    // BIDI-8, BIDI-9, EXT-2: for a stanza from another of our domains to a peer
    // that has proven itself on an incoming bidi stream, ask for the pair on
    // that stream (reverse dialback) rather than dial out; Prosody 0.12 dials out.
    bool reverse_dialback = false;
    // DB-16, EXT-3: when no outgoing stream to the authority exists, send
    // db:verify on a connection opened only for it and closed after the
    // answer (ejabberd); Prosody 0.12 opens its ordinary outgoing stream,
    // authenticates it and routes later stanzas over it.
    bool verify_only_connections = false;
    // DB-40, DB-41, DB-42, DB-43: a stanza for a domain pair no stream carries
    // yet is asked for (a new db:result) on an established outgoing stream to
    // the server hosting its target, when there is one (sender and target
    // multiplexing; jabberd2, Openfire); Prosody 0.12 opens one connection
    // per domain pair.
    bool multiplexing = false;

    // A pre-1.0 ("0.9") server (topology stream_version, RULES.md CORE-17):
    // its headers carry no 'version'; it sends and expects no features, so it
    // never does STARTTLS, SASL or bidi, and dialback starts right after the
    // headers (make_scenario turns its tls, sasl_external and bidi off).
    bool legacy = false;

    // A malicious server (RULES.md BIDI-11, DB-45; model/attacker.hpp): no
    // stream machine runs for it; it writes forged elements instead.
    bool attacker = false;

    // The choices the specs leave open (topologies/spec_choice.hpp), by
    // SpecChoice: Usual (Prosody 0.12), Other, or Any (both: the branch a run
    // takes is in its World, Scenario::open_choices). Never Unset here:
    // make_scenario resolves that.
    topologies::ChoiceSettings choices{};

    std::set<std::string, std::less<>> quirks;  // named deviations (properties/quirks.cpp)

    // Does this server take the other branch of `c`? `branches` holds, bit by
    // SpecChoice, the branch taken at each choice set to Any.
    bool takes_other(SpecChoice c, ChoiceBits branches) const {
        switch (choices[static_cast<std::size_t>(c)]) {
            case ChoiceSetting::Other: return true;
            case ChoiceSetting::Any: return (branches & choice_bit(c)) != 0;
            default: return false;
        }
    }
    bool open(SpecChoice c) const { return choices[static_cast<std::size_t>(c)] == ChoiceSetting::Any; }

    bool hosts(DomainId d) const { return contains(hosted, d); }
    // The names a peer accepts from this server's certificate (none if untrusted).
    DomainSet trusted_names() const {
        return has_certificate && certificate_trusted ? certificate_names : 0;
    }
    // What the other end of a connection learns of us when TLS completes
    // (SASL-2, CORE-53): the names our certificate is trusted for, and
    // whether we presented one at all.
    Element tls_done_for_peer() const {
        Element e = Element::tls_done(trusted_names());
        if (has_certificate) e.flags |= Element::kPeerCertificate;
        return e;
    }
    bool can_offer_tls() const { return tls != TlsPolicy::None && has_certificate; }
    // No string is built: the routing and the guards ask this on every step.
    bool has_quirk(std::string_view q) const { return !quirks.empty() && quirks.find(q) != quirks.end(); }
    // CORE-17: a stream is 0.9 when either header lacks 'version' (RFC 6120
    // §4.7.5: the lower of the two versions); a 0.9 server's streams always are.
    bool legacy_stream(const Element& header) const { return legacy || header.no_version(); }
    // CORE-17 with EXT-1, CORE-40: can we go on with a 0.9 peer? Only by
    // dialback in the clear, so not if we require TLS or do not do dialback.
    bool accepts_legacy_peer() const { return dialback && tls != TlsPolicy::Required; }
};

}  // namespace bidilab::model
