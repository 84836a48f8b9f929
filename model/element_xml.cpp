// to_xml() and describe() for Element: the XML as the specifications show it.
#include <string>

#include "model/element.hpp"

namespace bidilab::model {

namespace {

const char* const kStreamsNs = "urn:ietf:params:xml:ns:xmpp-streams";
const char* const kStanzasNs = "urn:ietf:params:xml:ns:xmpp-stanzas";
const char* const kTlsNs = "urn:ietf:params:xml:ns:xmpp-tls";
const char* const kSaslNs = "urn:ietf:params:xml:ns:xmpp-sasl";

std::string attr(const char* name, const std::string& value) {
    return value.empty() ? std::string() : std::string(" ") + name + "='" + value + "'";
}

std::string base64(const std::string& in) {
    static const char* const digits =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < in.size(); i += 3) {
        unsigned v = (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8 | (unsigned char)in[i + 2];
        out += {digits[v >> 18], digits[(v >> 12) & 63], digits[(v >> 6) & 63], digits[v & 63]};
    }
    if (i + 1 == in.size()) {
        unsigned v = (unsigned char)in[i] << 16;
        out += {digits[v >> 18], digits[(v >> 12) & 63], '=', '='};
    } else if (i + 2 == in.size()) {
        unsigned v = (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8;
        out += {digits[v >> 18], digits[(v >> 12) & 63], digits[(v >> 6) & 63], '='};
    }
    return out;
}

std::string key_text(const Key& k, const NameTable& n) {
    std::string s = "key(" + n.domain(k.from) + ", " + n.domain(k.to) + ", " + NameTable::stream(k.id);
    std::string owner = n.secret(k.secret);
    if (!owner.empty()) s += "; secret of " + owner;
    return s + ")";
}

// XEP-0220 §2.5: the error child of a typed error db:* element (DB-37).
std::string db_error(Condition c) {
    const char* type = c == Condition::RemoteServerTimeout || c == Condition::ResourceConstraint
                           ? "wait" : "cancel";
    return std::string("<error type='") + type + "'><" + condition_name(c) + " xmlns='" + kStanzasNs +
           "'/></error>";
}

std::string db_element(const Element& e, const NameTable& n, const char* name, bool with_id) {
    std::string head = std::string("<db:") + name + attr("from", n.domain(e.from)) +
                       attr("to", n.domain(e.to)) + (with_id ? attr("id", NameTable::stream(e.id)) : "");
    if (e.type == DbType::None) return head + ">" + key_text(e.key, n) + "</db:" + name + ">";
    head += attr("type", db_type_name(e.type));
    if (e.type == DbType::Error && e.condition != Condition::None)
        return head + ">" + db_error(e.condition) + "</db:" + name + ">";
    return head + "/>";
}

std::string features_xml(Features f, bool swapped_bidi_ns) {
    if (f == 0) return "<stream:features/>";
    std::string s = "<stream:features>";
    if (has(f, feature::kStartTls))
        s += std::string("<starttls xmlns='") + kTlsNs + "'" +
             (has(f, feature::kTlsRequired) ? "><required/></starttls>" : "/>");
    if (has(f, feature::kSaslExternal))
        s += std::string("<mechanisms xmlns='") + kSaslNs + "'><mechanism>EXTERNAL</mechanism></mechanisms>";
    if (has(f, feature::kDialback))
        s += has(f, feature::kDialbackErrors)
                 ? "<dialback xmlns='urn:xmpp:features:dialback'><errors/></dialback>"
                 : "<dialback xmlns='urn:xmpp:features:dialback'/>";
    // BIDI-2; swapped: the namespace of the request (ejabberd 24.10, RW-7).
    if (has(f, feature::kBidi))
        s += swapped_bidi_ns ? "<bidi xmlns='urn:xmpp:bidi'/>" : "<bidi xmlns='urn:xmpp:features:bidi'/>";
    return s + "</stream:features>";
}

// "s3", or "forged" for a stanza an attacker made up.
std::string stanza_label(std::uint16_t seq) { return seq == kForgedStanza ? "forged" : "s" + std::to_string(seq); }

std::string comment(const std::string& text) { return "<!-- " + text + " -->"; }

std::string names_of(DomainSet set, const NameTable& n) {
    std::string s;
    for (DomainId d = 1; d <= kMaxDomainId; ++d)
        if (contains(set, d)) s += (s.empty() ? "" : ", ") + n.domain(d);
    return s.empty() ? "no trusted name" : s;
}

}  // namespace

std::string to_xml(const Element& e, const NameTable& n) {
    const std::string from = n.domain(e.from), to = n.domain(e.to);
    switch (e.kind) {
        case ElementKind::StreamOpen:
            return std::string("<stream:stream xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams'") +
                   (e.declares_dialback() ? " xmlns:db='jabber:server:dialback'" : "") + attr("from", from) + attr("to", to) +
                   attr("id", NameTable::stream(e.id)) + (e.no_version() ? ">" : " version='1.0'>");  // CORE-17
        case ElementKind::StreamFeatures: return features_xml(e.features, e.swapped_bidi_ns());
        case ElementKind::StartTls: return std::string("<starttls xmlns='") + kTlsNs + "'/>";
        case ElementKind::Proceed: return std::string("<proceed xmlns='") + kTlsNs + "'/>";
        case ElementKind::TlsFailure: return std::string("<failure xmlns='") + kTlsNs + "'/>";
        case ElementKind::SaslAuth: {
            std::string authzid = n.domain(e.authzid);
            return std::string("<auth xmlns='") + kSaslNs + "' mechanism='EXTERNAL'>" +
                   (authzid.empty() ? "=" : base64(authzid)) + "</auth>";
        }
        case ElementKind::SaslSuccess: return std::string("<success xmlns='") + kSaslNs + "'/>";
        case ElementKind::SaslFailure:
            return std::string("<failure xmlns='") + kSaslNs + "'><" +
                   condition_name(e.condition == Condition::None ? Condition::NotAuthorized : e.condition) +
                   "/></failure>";
        case ElementKind::Bidi:  // BIDI-2; swapped: the feature's namespace (RW-7)
            return e.swapped_bidi_ns() ? "<bidi xmlns='urn:xmpp:features:bidi'/>" : "<bidi xmlns='urn:xmpp:bidi'/>";
        case ElementKind::DbResult: return db_element(e, n, "result", false);
        case ElementKind::DbVerify: return db_element(e, n, "verify", true);
        case ElementKind::Stanza:
            return "<message" + attr("from", from) + attr("to", to) + " id='" + stanza_label(e.seq) + "'/>";
        case ElementKind::StreamError:
            return std::string("<stream:error><") + condition_name(e.condition) + " xmlns='" + kStreamsNs +
                   "'/></stream:error>";
        case ElementKind::StreamClose: return "</stream:stream>";
        case ElementKind::TcpConnected: return comment("TCP connection up");
        case ElementKind::TlsDone: return comment("TLS handshake done; peer certificate: " + names_of(e.cert_names, n));
        default: return comment(describe(e, n));
    }
}

std::string describe(const Element& e, const NameTable& n) {
    const std::string pair = n.domain(e.from) + " -> " + n.domain(e.to);
    const std::string type = e.type == DbType::None ? "" : std::string(" type=") + db_type_name(e.type);
    const std::string cond = e.condition == Condition::None ? "" : std::string(" ") + condition_name(e.condition);
    const std::string id = e.id == kNoStream ? "" : " " + NameTable::stream(e.id);
    switch (e.kind) {
        case ElementKind::StreamOpen: return "stream header " + pair + id + (e.no_version() ? " without version" : "");
        case ElementKind::StreamFeatures: return "features " + features_xml(e.features, e.swapped_bidi_ns());
        case ElementKind::Bidi: return e.swapped_bidi_ns() ? "Bidi in urn:xmpp:features:bidi" : "Bidi";
        case ElementKind::SaslAuth: return "SASL EXTERNAL authzid=" + (e.authzid ? n.domain(e.authzid) : "=");
        case ElementKind::SaslFailure: return "SASL failure" + cond;
        case ElementKind::DbResult:
            return "db:result " + pair + (e.type == DbType::None ? " " + key_text(e.key, n) : type + cond);
        case ElementKind::DbVerify:
            return "db:verify " + pair + id + (e.type == DbType::None ? " " + key_text(e.key, n) : type + cond);
        case ElementKind::Stanza: return "stanza " + stanza_label(e.seq) + " " + pair;
        case ElementKind::StreamError: return "stream error" + cond;
        case ElementKind::StreamClose: return "stream close";
        case ElementKind::TlsDone: return "TLS done, peer certificate: " + names_of(e.cert_names, n);
        case ElementKind::RequestPair: return "request dialback for " + pair;
        case ElementKind::SendVerify: return "send db:verify " + pair + id + " " + key_text(e.key, n);
        case ElementKind::SendStanza: return "send stanza s" + std::to_string(e.seq) + " " + pair;
        case ElementKind::VerifyOutcome: return "verification of " + pair + id + type;
        case ElementKind::VerifyNeeded: return "verify " + key_text(e.key, n) + " for " + pair + id;
        case ElementKind::PairOutcome: return "pair " + pair + type;
        default: return kind_name(e.kind);
    }
}

}  // namespace bidilab::model
