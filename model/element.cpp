#include "model/element.hpp"

#include <cstring>

namespace bidilab::model {

const char* kind_name(ElementKind kind) {
    switch (kind) {
        case ElementKind::StreamOpen: return "StreamOpen";
        case ElementKind::StreamFeatures: return "StreamFeatures";
        case ElementKind::StartTls: return "StartTls";
        case ElementKind::Proceed: return "Proceed";
        case ElementKind::TlsFailure: return "TlsFailure";
        case ElementKind::SaslAuth: return "SaslAuth";
        case ElementKind::SaslSuccess: return "SaslSuccess";
        case ElementKind::SaslFailure: return "SaslFailure";
        case ElementKind::Bidi: return "Bidi";
        case ElementKind::DbResult: return "DbResult";
        case ElementKind::DbVerify: return "DbVerify";
        case ElementKind::Stanza: return "Stanza";
        case ElementKind::StreamError: return "StreamError";
        case ElementKind::StreamClose: return "StreamClose";
        case ElementKind::TcpConnected: return "TcpConnected";
        case ElementKind::TlsDone: return "TlsDone";
        case ElementKind::RequestPair: return "RequestPair";
        case ElementKind::SendVerify: return "SendVerify";
        case ElementKind::SendStanza: return "SendStanza";
        case ElementKind::VerifyOutcome: return "VerifyOutcome";
        case ElementKind::VerifyNeeded: return "VerifyNeeded";
        case ElementKind::PairOutcome: return "PairOutcome";
    }
    return "?";
}

bool is_wire(ElementKind kind) { return kind <= ElementKind::StreamClose; }

bool is_local_command(ElementKind kind) {
    return kind == ElementKind::RequestPair || kind == ElementKind::SendVerify ||
           kind == ElementKind::SendStanza;
}

const char* db_type_name(DbType type) {
    switch (type) {
        case DbType::None: return "";
        case DbType::Valid: return "valid";
        case DbType::Invalid: return "invalid";
        case DbType::Error: return "error";
    }
    return "?";
}

const char* condition_name(Condition c) {
    switch (c) {
        case Condition::None: return "";
        case Condition::Conflict: return "conflict";
        case Condition::HostUnknown: return "host-unknown";
        case Condition::ImproperAddressing: return "improper-addressing";
        case Condition::InvalidFrom: return "invalid-from";
        case Condition::InvalidId: return "invalid-id";
        case Condition::NotAuthorized: return "not-authorized";
        case Condition::PolicyViolation: return "policy-violation";
        case Condition::RemoteConnectionFailed: return "remote-connection-failed";
        case Condition::Reset: return "reset";
        case Condition::SystemShutdown: return "system-shutdown";
        case Condition::UndefinedCondition: return "undefined-condition";
        case Condition::UnsupportedFeature: return "unsupported-feature";
        case Condition::UnsupportedStanzaType: return "unsupported-stanza-type";
        case Condition::UnsupportedVersion: return "unsupported-version";
        case Condition::ItemNotFound: return "item-not-found";
        case Condition::RemoteServerNotFound: return "remote-server-not-found";
        case Condition::RemoteServerTimeout: return "remote-server-timeout";
        case Condition::Forbidden: return "forbidden";
        case Condition::NotAcceptable: return "not-acceptable";
        case Condition::ResourceConstraint: return "resource-constraint";
        case Condition::InternalServerError: return "internal-server-error";
        case Condition::InvalidAuthzid: return "invalid-authzid";
        case Condition::InvalidMechanism: return "invalid-mechanism";
    }
    return "?";
}

namespace {
Element make(ElementKind kind) {
    Element e;
    e.kind = kind;
    return e;
}
Element addressed(ElementKind kind, DomainId from, DomainId to) {
    Element e = make(kind);
    e.from = from;
    e.to = to;
    return e;
}
}  // namespace

Element Element::stream_open(DomainId from, DomainId to, StreamId id) {
    Element e = addressed(ElementKind::StreamOpen, from, to);
    e.id = id;
    return e;
}
Element Element::stream_features(Features f) {
    Element e = make(ElementKind::StreamFeatures);
    e.features = f;
    return e;
}
Element Element::start_tls() { return make(ElementKind::StartTls); }
Element Element::proceed() { return make(ElementKind::Proceed); }
Element Element::tls_failure() { return make(ElementKind::TlsFailure); }
Element Element::sasl_auth(DomainId authzid) {
    Element e = make(ElementKind::SaslAuth);
    e.authzid = authzid;
    return e;
}
Element Element::sasl_success() { return make(ElementKind::SaslSuccess); }
Element Element::sasl_failure(Condition c) {
    Element e = make(ElementKind::SaslFailure);
    e.condition = c;
    return e;
}
Element Element::bidi() { return make(ElementKind::Bidi); }
Element Element::db_result(DomainId from, DomainId to, Key key) {
    Element e = addressed(ElementKind::DbResult, from, to);
    e.key = key;
    return e;
}
Element Element::db_result(DomainId from, DomainId to, DbType type, Condition error) {
    Element e = addressed(ElementKind::DbResult, from, to);
    e.type = type;
    e.condition = error;
    return e;
}
Element Element::db_verify(DomainId from, DomainId to, StreamId id, Key key) {
    Element e = addressed(ElementKind::DbVerify, from, to);
    e.id = id;
    e.key = key;
    return e;
}
Element Element::db_verify(DomainId from, DomainId to, StreamId id, DbType type, Condition error) {
    Element e = addressed(ElementKind::DbVerify, from, to);
    e.id = id;
    e.type = type;
    e.condition = error;
    return e;
}
Element Element::stanza(DomainId from, DomainId to, std::uint16_t seq) {
    Element e = addressed(ElementKind::Stanza, from, to);
    e.seq = seq;
    return e;
}
Element Element::stream_error(Condition c) {
    Element e = make(ElementKind::StreamError);
    e.condition = c;
    return e;
}
Element Element::stream_close() { return make(ElementKind::StreamClose); }
Element Element::tcp_connected() { return make(ElementKind::TcpConnected); }
Element Element::tls_done(DomainSet peer_cert_names) {
    Element e = make(ElementKind::TlsDone);
    e.cert_names = peer_cert_names;
    return e;
}
Element Element::request_pair(DomainId sender, DomainId target) {
    return addressed(ElementKind::RequestPair, sender, target);
}
Element Element::send_verify(DomainId from, DomainId to, StreamId id, Key key) {
    Element e = db_verify(from, to, id, key);
    e.kind = ElementKind::SendVerify;
    return e;
}
Element Element::send_stanza(DomainId from, DomainId to, std::uint16_t seq) {
    Element e = stanza(from, to, seq);
    e.kind = ElementKind::SendStanza;
    return e;
}
Element Element::verify_outcome(DomainId sender, DomainId target, StreamId id, DbType type) {
    Element e = addressed(ElementKind::VerifyOutcome, sender, target);
    e.id = id;
    e.type = type;
    return e;
}
Element Element::verify_needed(DomainId sender, DomainId target, StreamId id, Key key) {
    Element e = addressed(ElementKind::VerifyNeeded, sender, target);
    e.id = id;
    e.key = key;
    return e;
}
Element Element::pair_outcome(DomainId sender, DomainId target, DbType type) {
    Element e = addressed(ElementKind::PairOutcome, sender, target);
    e.type = type;
    return e;
}
Element Element::send_verify_for(const Element& n) {
    // db:verify from = the asking (target) domain, to = the sender whose key it is (DB-15).
    return send_verify(n.to, n.from, n.id, n.key);
}

bool operator==(const Element& a, const Element& b) {
    return std::memcmp(&a, &b, sizeof(Element)) == 0;  // no padding: bytes are the value
}

}  // namespace bidilab::model
