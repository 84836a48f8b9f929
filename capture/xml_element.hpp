// capture/xml_element.hpp — one parsed XML element with its namespace, as a
// plain value: what a wire log's top-level stream children become.
//
// Names are namespace-resolved, never prefixed: <db:result> in a stream that
// binds db to jabber:server:dialback is {ns = "jabber:server:dialback",
// name = "result"}. Attribute names are the local name when the attribute has
// no prefix (the usual case: from, to, id, type), "xml:NAME" for the XML
// namespace (xml:lang), and "{URI}NAME" for any other prefixed attribute.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bidilab::capture {

using XmlAttribute = std::pair<std::string, std::string>;  // (qualified name, value)

struct XmlElement {
    std::string ns;                        // namespace URI, "" when the element has none
    std::string name;                      // local name
    std::vector<XmlAttribute> attributes;  // in document order
    std::vector<XmlElement> children;      // child elements, in document order
    std::string text;                      // this element's own character data, concatenated
    std::string raw;                       // canonical re-serialisation (see to_canonical_xml)

    // The value of an attribute by qualified name ("to", "xml:lang",
    // "{URI}NAME"); "{http://www.w3.org/XML/1998/namespace}lang" finds xml:lang.
    std::optional<std::string> attr(std::string_view qualified_name) const;
    // The first child element with that namespace and local name, or nullptr.
    const XmlElement* child(std::string_view ns, std::string_view name) const;
    // True when this element is {ns}name.
    bool is(std::string_view ns, std::string_view name) const;
};

// The value of the attribute with that qualified name, as XmlElement::attr.
std::optional<std::string> find_attribute(const std::vector<XmlAttribute>& attributes,
                                          std::string_view qualified_name);

// The qualified attribute name for a namespace URI (may be empty) and a local name.
std::string qualified_attribute_name(std::string_view ns, std::string_view local);

// Canonical XML for display: no prefixes, an xmlns='...' wherever the
// namespace differs from the enclosing one (always on the outermost element
// unless it has none), attributes in document order quoted with ', the
// element's text before its child elements (s2s elements have no mixed
// content), empty elements as <name/>. `inherited_ns` is the default
// namespace already in scope ("" for a standalone element).
std::string to_canonical_xml(const XmlElement& element, std::string_view inherited_ns = {});

}  // namespace bidilab::capture
