// capture/stream_header.hpp — the attributes and namespace declarations of
// one <stream:stream> header, as a WireEvent of kind StreamOpen carries them.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "capture/xml_element.hpp"

namespace bidilab::capture {

struct NamespaceDeclaration {
    std::string prefix;  // "" for the default namespace (xmlns='...')
    std::string uri;
};

struct StreamHeader {
    std::string ns;          // the header element's namespace: http://etherx.jabber.org/streams
    std::string name;        // its local name: stream
    std::string default_ns;  // the default namespace it declares (jabber:server), "" if none
    std::vector<NamespaceDeclaration> namespaces;  // declared on the header, document order
    std::vector<XmlAttribute> attributes;          // document order, named as in XmlElement
    std::string raw;                               // canonical start tag, see to_canonical_xml

    std::optional<std::string> attr(std::string_view qualified_name) const;
    std::optional<std::string> from() const { return attr("from"); }
    std::optional<std::string> to() const { return attr("to"); }
    std::optional<std::string> id() const { return attr("id"); }  // "" when sent as id=''
    std::optional<std::string> version() const { return attr("version"); }
};

// The header's start tag for display: the prefix it bound to the streams
// namespace (stream:stream), its namespace declarations and attributes in
// document order, quoted with '.
std::string to_canonical_xml(const StreamHeader& header);

}  // namespace bidilab::capture
