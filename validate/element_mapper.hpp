// validate/element_mapper.hpp — a captured XML event as a model Element: the
// stream headers, features, STARTTLS, SASL EXTERNAL, <bidi/>, dialback,
// stanzas, stream errors and closes of an s2s stream. What legitimately varies
// between runs is dropped: attribute and feature order, literal ids and keys
// (kept aside for Correlation), stanza ids and payloads (a stanza is its
// kind, from and to, numbered in capture order), timings.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "capture/wire_event.hpp"
#include "model/element.hpp"
#include "validate/correlation.hpp"
#include "validate/finding.hpp"

namespace bidilab::validate {

struct Mapped {
    model::Element element;
    std::string id_text;   // StreamOpen, DbVerify: the literal 'id' ("" when absent or empty)
    std::string key_text;  // untyped DbResult, DbVerify: the literal key
    std::string xml;       // the captured element, canonical (for messages)
};

class ElementMapper {
public:
    ElementMapper(model::NameTable& names, Correlation& correlation) : names_(names), corr_(correlation) {}

    // Maps one event into `out`; a Problem when the element is outside the
    // model (an unknown top-level element, another SASL mechanism, a stream
    // version other than 1.0; no version is 0.9, CORE-17) or malformed (a
    // stanza without from or to).
    // A db:verify gets its model stream id and key from the Correlation here;
    // a response header's id and a db:result request's key are bound later,
    // when the writing machine has produced its own.
    std::optional<Problem> map(const capture::WireEvent& event, Mapped& out);

    // The id of a domain name ("" → kNoDomain); names the topology does not
    // host are added (they are hosted by no server). nullopt past 31 domains.
    std::optional<model::DomainId> domain(const std::string& name);

private:
    std::optional<Problem> map_element(const capture::XmlElement& x, Mapped& out);
    std::optional<Problem> map_dialback(const capture::XmlElement& x, Mapped& out);
    std::optional<Problem> map_stanza(const capture::XmlElement& x, Mapped& out);
    std::optional<Problem> map_auth(const capture::XmlElement& x, Mapped& out);
    std::optional<Problem> addressed(const std::optional<std::string>& from, const std::optional<std::string>& to,
                                     model::Element& e);

    model::NameTable& names_;
    Correlation& corr_;
    std::uint16_t seq_ = 0;
};

// The condition named `name` ("system-shutdown", "item-not-found", ...);
// UndefinedCondition for a name the model does not list.
model::Condition condition_named(const std::string& name);
// Standard base64 (RFC 4648), nullopt when malformed.
std::optional<std::string> decode_base64(const std::string& text);

}  // namespace bidilab::validate
