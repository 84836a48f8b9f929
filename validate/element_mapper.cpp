#include "validate/element_mapper.hpp"

#include "capture/namespaces.hpp"
#include "topologies/jid.hpp"

namespace bidilab::validate {

using model::Condition;
using model::DbType;
using model::Element;
namespace feature = model::feature;
namespace ns = capture::ns;

namespace {
std::string trimmed(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return "";
    return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

// The first child in `in_ns` other than <text/>: the condition of an error.
std::string condition_child(const capture::XmlElement& x, std::string_view in_ns) {
    for (const auto& c : x.children)
        if (c.ns == in_ns && c.name != "text") return c.name;
    return "";
}

model::Features features_of(const capture::XmlElement& x) {
    model::Features f = 0;
    for (const auto& c : x.children) {
        if (c.is(ns::kTls, "starttls")) {
            f |= feature::kStartTls;
            if (c.child(ns::kTls, "required")) f |= feature::kTlsRequired;
        } else if (c.is(ns::kSasl, "mechanisms")) {
            for (const auto& m : c.children)
                if (m.is(ns::kSasl, "mechanism") && trimmed(m.text) == "EXTERNAL") f |= feature::kSaslExternal;
        } else if (c.is(ns::kDialbackFeature, "dialback")) {
            f |= feature::kDialback;
            if (c.child(ns::kDialbackFeature, "errors")) f |= feature::kDialbackErrors;
        } else if (c.is(ns::kBidiFeature, "bidi")) {
            f |= feature::kBidi;
        }
        // Anything else (caps, stream management, ...) is a feature the model does not negotiate.
    }
    return f;
}
}  // namespace

Condition condition_named(const std::string& name) {
    for (int c = 1; c <= static_cast<int>(Condition::InvalidMechanism); ++c)
        if (name == model::condition_name(static_cast<Condition>(c))) return static_cast<Condition>(c);
    return Condition::UndefinedCondition;
}

std::optional<std::string> decode_base64(const std::string& text) {
    static const std::string digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    if (text.size() % 4 != 0) return std::nullopt;
    std::string out;
    unsigned acc = 0;
    int bits = 0;
    std::size_t pad = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char ch = text[i];
        if (ch == '=') {
            if (i + 2 < text.size()) return std::nullopt;
            ++pad;
            continue;
        }
        if (pad) return std::nullopt;
        const auto v = digits.find(ch);
        if (v == std::string::npos) return std::nullopt;
        acc = (acc << 6) | static_cast<unsigned>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((acc >> bits) & 0xff);
        }
    }
    return out;
}

std::optional<model::DomainId> ElementMapper::domain(const std::string& name) {
    if (name.empty()) return model::kNoDomain;
    if (auto id = names_.find_domain(name)) return *id;
    const model::DomainId id = names_.add_domain(name);
    if (id == model::kNoDomain) return std::nullopt;
    return id;
}

std::optional<Problem> ElementMapper::addressed(const std::optional<std::string>& from,
                                                const std::optional<std::string>& to, Element& e) {
    auto f = domain(from.value_or("")), t = domain(to.value_or(""));
    if (!f || !t) return Problem{"", "more than 31 domains: beyond the model's bounds"};
    e.from = *f;
    e.to = *t;
    return std::nullopt;
}

std::optional<Problem> ElementMapper::map(const capture::WireEvent& event, Mapped& out) {
    out = Mapped{};
    switch (event.kind) {
        case capture::WireEventKind::StreamOpen: {
            const auto& h = event.header;
            out.xml = h.raw;
            out.element = Element::stream_open(model::kNoDomain, model::kNoDomain);
            out.id_text = h.id().value_or("");
            if (auto p = addressed(h.from(), h.to(), out.element)) return p;
            // DB-33: dialback support is the xmlns:db declaration (any prefix).
            bool declares_dialback = false;
            for (const auto& d : h.namespaces) declares_dialback = declares_dialback || d.uri == ns::kDialback;
            if (!declares_dialback) out.element.flags |= Element::kNoDialbackNs;
            // CORE-17: no version is a 0.9 header (the model's legacy streams);
            // any version but 1.0 is outside the model.
            if (!h.version()) {
                out.element.flags |= Element::kNoVersion;
                return std::nullopt;
            }
            if (*h.version() != "1.0")
                return Problem{"CORE-17", "a stream header with version='" + *h.version() +
                                              "': the model covers XMPP 1.0 streams and 0.9 ones (no version)"};
            return std::nullopt;
        }
        case capture::WireEventKind::StreamClose:
            out.xml = "</stream:stream>";
            out.element = Element::stream_close();
            return std::nullopt;
        case capture::WireEventKind::Element:
            out.xml = event.element.raw;
            return map_element(event.element, out);
    }
    return std::nullopt;
}

std::optional<Problem> ElementMapper::map_element(const capture::XmlElement& x, Mapped& out) {
    Element& e = out.element;
    if (x.is(ns::kStreams, "features")) {
        e = Element::stream_features(features_of(x));
    } else if (x.is(ns::kStreams, "error")) {
        e = Element::stream_error(condition_named(condition_child(x, ns::kStreamErrors)));
    } else if (x.is(ns::kTls, "starttls")) {
        e = Element::start_tls();
    } else if (x.is(ns::kTls, "proceed")) {
        e = Element::proceed();
    } else if (x.is(ns::kTls, "failure")) {
        e = Element::tls_failure();
    } else if (x.is(ns::kSasl, "auth")) {
        return map_auth(x, out);
    } else if (x.is(ns::kSasl, "success")) {
        e = Element::sasl_success();
    } else if (x.is(ns::kSasl, "failure")) {
        Condition c = condition_named(condition_child(x, ns::kSasl));
        // CORE-43: a SASL condition the peer does not know counts as not-authorized.
        if (c != Condition::InvalidAuthzid && c != Condition::InvalidMechanism) c = Condition::NotAuthorized;
        e = Element::sasl_failure(c);
    } else if (x.is(ns::kBidi, "bidi")) {
        e = Element::bidi();
    } else if (x.ns == ns::kDialback && (x.name == "result" || x.name == "verify")) {
        return map_dialback(x, out);
    } else if (x.ns == ns::kServer && (x.name == "message" || x.name == "iq" || x.name == "presence")) {
        return map_stanza(x, out);
    } else {
        return Problem{"CORE-26", "a top-level element the model does not know ({" + x.ns + "}" + x.name +
                                      "): an s2s peer closes with unsupported-stanza-type"};
    }
    return std::nullopt;
}

std::optional<Problem> ElementMapper::map_auth(const capture::XmlElement& x, Mapped& out) {
    const std::string mechanism = x.attr("mechanism").value_or("");
    if (mechanism != "EXTERNAL")
        return Problem{"SASL-4, CORE-37", "SASL mechanism '" + mechanism +
                                              "': the model covers SASL EXTERNAL only between servers"};
    const std::string text = trimmed(x.text);
    model::DomainId authzid = model::kNoDomain;
    if (!text.empty() && text != "=") {  // CORE-39: '=' is the empty response
        auto decoded = decode_base64(text);
        if (!decoded) return Problem{"CORE-38, CORE-39", "the SASL response '" + text + "' is not base64"};
        auto d = domain(*decoded);
        if (!d) return Problem{"", "more than 31 domains: beyond the model's bounds"};
        authzid = *d;
    }
    out.element = Element::sasl_auth(authzid);
    return std::nullopt;
}

std::optional<Problem> ElementMapper::map_dialback(const capture::XmlElement& x, Mapped& out) {
    Element& e = out.element;
    e.kind = x.name == "result" ? model::ElementKind::DbResult : model::ElementKind::DbVerify;
    if (auto p = addressed(x.attr("from"), x.attr("to"), e)) return p;
    const std::string type = x.attr("type").value_or("");
    if (type.empty()) e.type = DbType::None;
    else if (type == "valid") e.type = DbType::Valid;
    else if (type == "invalid") e.type = DbType::Invalid;
    else if (type == "error") e.type = DbType::Error;
    else return Problem{"DB-25, DB-31", "db:" + x.name + " with type='" + type + "' (valid, invalid or error)"};
    if (e.type == DbType::Error) {
        const capture::XmlElement* err = x.child(ns::kServer, "error");
        const std::string c = err ? condition_child(*err, ns::kStanzaErrors) : "";
        if (c.empty()) return Problem{"DB-37", "db:" + x.name + " type='error' without a stanza error condition"};
        e.condition = condition_named(c);
    }
    if (e.kind == model::ElementKind::DbVerify) {
        out.id_text = x.attr("id").value_or("");
        e.id = corr_.stream(out.id_text);
    }
    if (e.type == DbType::None) {
        out.key_text = trimmed(x.text);
        if (e.kind == model::ElementKind::DbVerify) e.key = corr_.key(out.key_text);
    }
    return std::nullopt;
}

std::optional<Problem> ElementMapper::map_stanza(const capture::XmlElement& x, Mapped& out) {
    const auto from = x.attr("from"), to = x.attr("to");
    // CORE-44, CORE-18: both addresses are required between servers.
    for (const auto* a : {&from, &to}) {
        const char* which = a == &from ? "from" : "to";
        if (!*a || topologies::jid_domain(**a).empty())
            return Problem{"CORE-44, CORE-18", "a <" + x.name + "/> without a '" + which +
                                                   "' address: improper-addressing between servers"};
    }
    out.element = Element::stanza(model::kNoDomain, model::kNoDomain, ++seq_);
    return addressed(topologies::jid_domain(*from), topologies::jid_domain(*to), out.element);
}

}  // namespace bidilab::validate
