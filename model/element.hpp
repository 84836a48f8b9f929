// model/element.hpp — the wire vocabulary of one s2s stream pair as a small
// value type, plus the few non-wire inputs and outputs that connect a stream
// machine to the global model (TCP up, TLS done, local commands, verification
// requests and outcomes).
//
// An Element is 24 bytes, trivially copyable, without padding: channels of the
// global model can hold them and be hashed as bytes.
#pragma once

#include <cstdint>
#include <string>
#include <type_traits>

#include "model/names.hpp"

namespace bidilab::model {

enum class ElementKind : std::uint8_t {
    // Wire elements (RFC 6120, XEP-0220, XEP-0178, XEP-0288).
    StreamOpen,      // <stream:stream from to id version='1.0'> (without version: kNoVersion)
    StreamFeatures,  // <stream:features> (see Features)
    StartTls,        // <starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>
    Proceed,         // <proceed .../>
    TlsFailure,      // <failure xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>
    SaslAuth,        // <auth mechanism='EXTERNAL'>authzid or '='</auth>
    SaslSuccess,     // <success .../>
    SaslFailure,     // <failure xmlns='...xmpp-sasl'><condition/></failure>
    Bidi,            // <bidi xmlns='urn:xmpp:bidi'/> (the request, BIDI-2)
    DbResult,        // <db:result from to [type]>key</db:result>
    DbVerify,        // <db:verify from to id [type]>key</db:verify>
    Stanza,          // a stanza from → to, numbered by the scenario
    StreamError,     // <stream:error><condition/></stream:error>
    StreamClose,     // </stream:stream>
    // Non-wire inputs from the global model.
    TcpConnected,    // the initiating side's TCP connect completed
    TlsDone,         // the TLS handshake completed; cert_names = the peer's trusted names
    RequestPair,     // local: authorize sender→target on this stream (dialback, DB-3)
    SendVerify,      // local: send this db:verify on this stream (DB-15, DB-16)
    SendStanza,      // local: send this stanza on this stream (DB-6, BIDI-5)
    VerifyOutcome,   // the authoritative answer for a pending pair (DB-18, DB-25)
    // Non-wire outputs to the global model.
    VerifyNeeded,    // ask the authoritative server of `from` about this key (BIDI-6, DB-22)
    PairOutcome,     // a dialback pair on this stream was decided (type)
};
constexpr int kElementKindCount = static_cast<int>(ElementKind::PairOutcome) + 1;

const char* kind_name(ElementKind kind);   // "StreamOpen", ...
bool is_wire(ElementKind kind);            // true for the wire elements
bool is_local_command(ElementKind kind);   // RequestPair, SendVerify, SendStanza

// The 'type' of db:result / db:verify (XEP-0220), also the verdict of a
// VerifyOutcome and a PairOutcome. None marks a request.
enum class DbType : std::uint8_t { None, Valid, Invalid, Error };
const char* db_type_name(DbType type);  // "", "valid", "invalid", "error"

// Error conditions: stream errors (RFC 6120 §4.9.3), stanza conditions used as
// dialback errors (XEP-0220 §2.5), SASL failures (RFC 6120 §6.5).
enum class Condition : std::uint8_t {
    None,
    // stream errors
    Conflict, HostUnknown, ImproperAddressing, InvalidFrom, InvalidId, NotAuthorized,
    PolicyViolation, RemoteConnectionFailed, Reset, SystemShutdown, UndefinedCondition,
    UnsupportedFeature, UnsupportedStanzaType, UnsupportedVersion,
    // dialback errors (stanza error conditions)
    ItemNotFound, RemoteServerNotFound, RemoteServerTimeout, Forbidden, NotAcceptable,
    ResourceConstraint, InternalServerError,
    // SASL failures (NotAuthorized is shared)
    InvalidAuthzid, InvalidMechanism,
};
const char* condition_name(Condition c);  // "host-unknown", ...

// Stream features as a bitmask (RFC 6120 §4.3.2, XEP-0220 §2.4, XEP-0288 §2.1).
using Features = std::uint8_t;
namespace feature {
constexpr Features kStartTls = 1u << 0;        // <starttls/>
constexpr Features kTlsRequired = 1u << 1;     // <starttls><required/></starttls> (CORE-30)
constexpr Features kSaslExternal = 1u << 2;    // <mechanisms><mechanism>EXTERNAL</mechanism>
constexpr Features kDialback = 1u << 3;        // <dialback xmlns='urn:xmpp:features:dialback'/>
constexpr Features kDialbackErrors = 1u << 4;  // ... with <errors/> (DB-34)
constexpr Features kBidi = 1u << 5;            // <bidi xmlns='urn:xmpp:features:bidi'/> (BIDI-2)
}  // namespace feature
constexpr bool has(Features set, Features f) { return (set & f) == f && f != 0; }

// A dialback key as an opaque token (XEP-0185, KEY-1): minted with the secret
// of `secret`'s owner for sender `from`, target `to` and stream `id`. It is
// valid iff the authoritative server of `from` owns `secret` and the other
// three values are those of the db:result it travels in (DB-30).
struct Key {
    StreamId id = kNoStream;
    SecretId secret = kNoSecret;
    DomainId from = kNoDomain;
    DomainId to = kNoDomain;
    std::uint8_t reserved = 0;  // explicit padding: keeps the bytes unique
    friend bool operator==(const Key& a, const Key& b) {
        return a.id == b.id && a.secret == b.secret && a.from == b.from && a.to == b.to;
    }
    friend bool operator!=(const Key& a, const Key& b) { return !(a == b); }
};

// The stanza number of a stanza an attacker forged (model/attacker.hpp): no
// scenario stanza has it.
constexpr std::uint16_t kForgedStanza = 0xFFFF;

struct Element {
    DomainSet cert_names = 0;  // TlsDone: names of the peer's trusted certificate
    Key key{};                 // DbResult, DbVerify, SendVerify, VerifyNeeded
    StreamId id = kNoStream;   // StreamOpen (response headers), DbVerify, Verify*, PairOutcome
    std::uint16_t seq = 0;     // Stanza, SendStanza: the scenario's stanza number
    ElementKind kind = ElementKind::StreamClose;
    DomainId from = kNoDomain;
    DomainId to = kNoDomain;
    DbType type = DbType::None;
    Condition condition = Condition::None;  // StreamError, SaslFailure, typed error db:*
    Features features = 0;                  // StreamFeatures
    DomainId authzid = kNoDomain;           // SaslAuth: kNoDomain is the empty response '='
    std::uint8_t flags = 0;                 // kSwappedBidiNs, kNoVersion, kNoDialbackNs
    std::uint8_t reserved[2] = {0, 0};

    // Bidi: the request in urn:xmpp:features:bidi; StreamFeatures: the bidi
    // feature in urn:xmpp:bidi. The namespaces swapped, as ejabberd 24.10
    // sent them (REAL-WORLD RW-7): a compliant peer does not recognise either (BIDI-2).
    static constexpr std::uint8_t kSwappedBidiNs = 1;
    bool swapped_bidi_ns() const { return (flags & kSwappedBidiNs) != 0; }
    // StreamOpen: a header without the 'version' attribute, as a pre-1.0
    // ("0.9") server writes it; its reader MUST take the other side to be 0.9
    // (RFC 6120 §4.7.5, CORE-17): no features, no STARTTLS, SASL or bidi.
    static constexpr std::uint8_t kNoVersion = 2;
    bool no_version() const { return (flags & kNoVersion) != 0; }
    // StreamOpen: a header without the xmlns:db declaration, as a server
    // without dialback writes it (DB-33: the declaration is what says that a
    // server supports dialback, XEP-0220 §2.4.1; the feature is optional).
    static constexpr std::uint8_t kNoDialbackNs = 4;
    bool declares_dialback() const { return (flags & kNoDialbackNs) == 0; }
    // TlsDone: the peer presented a certificate (trusted or not: cert_names
    // holds the names it is trusted for).
    static constexpr std::uint8_t kPeerCertificate = 8;
    bool peer_certificate() const { return (flags & kPeerCertificate) != 0; }

    // Factories, one per kind (the arguments are what the element carries).
    static Element stream_open(DomainId from, DomainId to, StreamId id = kNoStream);
    static Element stream_features(Features f);
    static Element start_tls();
    static Element proceed();
    static Element tls_failure();
    static Element sasl_auth(DomainId authzid);
    static Element sasl_success();
    static Element sasl_failure(Condition c);
    static Element bidi();
    static Element db_result(DomainId from, DomainId to, Key key);          // request
    static Element db_result(DomainId from, DomainId to, DbType type,       // answer
                             Condition error = Condition::None);
    static Element db_verify(DomainId from, DomainId to, StreamId id, Key key);  // request
    static Element db_verify(DomainId from, DomainId to, StreamId id, DbType type,
                             Condition error = Condition::None);              // answer
    static Element stanza(DomainId from, DomainId to, std::uint16_t seq);
    static Element stream_error(Condition c);
    static Element stream_close();
    static Element tcp_connected();
    static Element tls_done(DomainSet peer_cert_names);
    static Element request_pair(DomainId sender, DomainId target);
    static Element send_verify(DomainId from, DomainId to, StreamId id, Key key);
    static Element send_stanza(DomainId from, DomainId to, std::uint16_t seq);
    static Element verify_outcome(DomainId sender, DomainId target, StreamId id, DbType type);
    static Element verify_needed(DomainId sender, DomainId target, StreamId id, Key key);
    static Element pair_outcome(DomainId sender, DomainId target, DbType type);

    // The global model's glue: the db:verify to send for a VerifyNeeded (the
    // asker is `target`, the authority's domain `sender`), and the input for
    // the receiving stream made from a VerifyOutcome output.
    static Element send_verify_for(const Element& verify_needed);

    friend bool operator==(const Element& a, const Element& b);
    friend bool operator!=(const Element& a, const Element& b) { return !(a == b); }

    template <class H>
    void encode(H& h) const {
        h.value(static_cast<std::uint8_t>(kind));
        h.value(from); h.value(to); h.value(id); h.value(seq);
        h.value(static_cast<std::uint8_t>(type)); h.value(static_cast<std::uint8_t>(condition));
        h.value(features); h.value(authzid); h.value(flags); h.value(cert_names);
        h.value(key.id); h.value(key.secret); h.value(key.from); h.value(key.to);
    }
};
static_assert(sizeof(Element) == 24);
static_assert(std::is_trivially_copyable_v<Element>);
static_assert(std::has_unique_object_representations_v<Element>);

template <class H>
void hash_append(H& h, const Element& e) { e.encode(h); }

// The XML the specifications show, with namespaces; keys symbolic
// (key(capulet.lit, montague.lit, id-3)); non-wire kinds as XML comments.
std::string to_xml(const Element& e, const NameTable& names);
// One line, e.g. "db:result capulet.lit → montague.lit type=valid".
std::string describe(const Element& e, const NameTable& names);

}  // namespace bidilab::model
