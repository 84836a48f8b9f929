#include "validate/element_match.hpp"

namespace bidilab::validate {

using model::Condition;
using model::DbType;
using model::Element;
using model::ElementKind;
namespace feature = model::feature;

bool same_category(const Element& emitted, const Element& captured) {
    if (emitted.kind != captured.kind) return false;
    if (emitted.kind == ElementKind::DbResult || emitted.kind == ElementKind::DbVerify)
        return (emitted.type == DbType::None) == (captured.type == DbType::None);
    return true;
}

std::string feature_list(model::Features f) {
    std::string s;
    auto add = [&](const char* name) { s += (s.empty() ? "" : ", ") + std::string(name); };
    if (model::has(f, feature::kStartTls)) add(model::has(f, feature::kTlsRequired) ? "starttls (required)" : "starttls");
    if (model::has(f, feature::kSaslExternal)) add("SASL EXTERNAL");
    if (model::has(f, feature::kDialback)) add(model::has(f, feature::kDialbackErrors) ? "dialback (errors)" : "dialback");
    if (model::has(f, feature::kBidi)) add("bidi");
    return "{" + s + "}";
}

namespace {
// XEP-0220 §2.5 and RULES §8.4: the Step-4 error conditions are interchangeable.
bool step4_error(Condition c) {
    return c == Condition::RemoteServerNotFound || c == Condition::RemoteServerTimeout ||
           c == Condition::RemoteConnectionFailed;
}

std::string features_rules(model::Features diff) {
    std::vector<std::string> r;
    if (diff & feature::kStartTls) add_rules(r, "CORE-28, CORE-33");
    if (diff & feature::kTlsRequired) add_rules(r, "CORE-30");
    if (diff & feature::kSaslExternal) add_rules(r, "SASL-4, CORE-36, CORE-37");
    if (diff & (feature::kDialback | feature::kDialbackErrors)) add_rules(r, "DB-34");
    if (diff & feature::kBidi) add_rules(r, "BIDI-1");
    std::string s;
    for (const auto& id : r) s += (s.empty() ? "" : ", ") + id;
    return s;
}

Problem differ(const std::string& rules, const std::string& what, const Element& emitted, const Element& captured,
               const model::NameTable& names) {
    return Problem{rules, what + ": the model sends " + model::to_xml(emitted, names) + ", the capture shows " +
                              model::to_xml(captured, names)};
}
}  // namespace

std::optional<Problem> compare_write(const Element& emitted, const Element& captured, const model::NameTable& names,
                                     bool by_initiator) {
    const bool addresses = emitted.from == captured.from && emitted.to == captured.to;
    switch (emitted.kind) {
        case ElementKind::StreamOpen:
            if (emitted.from != captured.from)
                return differ(by_initiator ? "CORE-13, CORE-41" : "CORE-13, CORE-24", "the header's 'from'", emitted,
                              captured, names);
            if (emitted.to != captured.to) return differ("CORE-14", "the header's 'to'", emitted, captured, names);
            // CORE-17: a 0.9 stream's headers have no version, a 1.0 stream's say 1.0.
            if (emitted.no_version() != captured.no_version())
                return differ("CORE-17", "the header's version", emitted, captured, names);
            // DB-33: a server that does dialback declares xmlns:db, one that does not does not.
            if (emitted.declares_dialback() != captured.declares_dialback())
                return differ("DB-33", "the header's xmlns:db declaration", emitted, captured, names);
            return std::nullopt;
        case ElementKind::StreamFeatures:
            if (emitted.features == captured.features) return std::nullopt;
            return Problem{features_rules(emitted.features ^ captured.features),
                           "stream features " + feature_list(captured.features) + " where the topology's policy offers " +
                               feature_list(emitted.features)};
        case ElementKind::SaslAuth:
            if (emitted.authzid == captured.authzid) return std::nullopt;
            return differ("SASL-6, SASL-7, CORE-38", "the SASL authorization identity", emitted, captured, names);
        case ElementKind::SaslFailure:
            if (emitted.condition == captured.condition) return std::nullopt;
            return differ("CORE-38, SASL-9", "the SASL failure condition", emitted, captured, names);
        case ElementKind::StreamError:
            if (emitted.condition == captured.condition) return std::nullopt;
            return differ("CORE-23, CORE-26", "the stream error condition", emitted, captured, names);
        case ElementKind::DbResult:
            if (emitted.type == DbType::None) {
                if (addresses) return std::nullopt;
                return differ("DB-3, DB-4", "the dialback request's sender or target", emitted, captured, names);
            }
            if (!addresses) return differ("DB-25, DB-10", "the dialback result's from/to", emitted, captured, names);
            if (emitted.type != captured.type) return differ("DB-25, DB-20", "the dialback result", emitted, captured, names);
            if (emitted.type == DbType::Error && emitted.condition != captured.condition &&
                !(step4_error(emitted.condition) && step4_error(captured.condition)))
                return differ("DB-36, DB-38", "the dialback error condition", emitted, captured, names);
            return std::nullopt;
        case ElementKind::DbVerify:
            if (emitted.type == DbType::None) {  // requests come from local commands, never queued
                if (addresses && emitted.id == captured.id) return std::nullopt;
                return differ("DB-15", "the db:verify request", emitted, captured, names);
            }
            if (!addresses || emitted.id != captured.id)
                return differ("DB-31, DB-18", "the db:verify answer's from/to/id", emitted, captured, names);
            if (emitted.type == captured.type) return std::nullopt;
            if (emitted.type == DbType::Valid && captured.type != DbType::Valid) return std::nullopt;  // its secret, its call
            if (emitted.type == DbType::Error)
                return differ("DB-29", "the answer for a domain this server does not host", emitted, captured, names);
            return differ("DB-30, KEY-1", "the key was not issued for this sender, target and stream id, yet the answer",
                          emitted, captured, names);
        case ElementKind::Stanza:
            if (addresses) return std::nullopt;
            return differ("CORE-46, CORE-45", "the stanza's addresses", emitted, captured, names);
        default:
            return std::nullopt;  // StartTls, Proceed, TlsFailure, SaslSuccess, Bidi, StreamClose: the kind says it all
    }
}

}  // namespace bidilab::validate
