// capture/stream_header.cpp — look-ups and the display form of a stream header.
#include "capture/stream_header.hpp"

namespace bidilab::capture {

std::optional<std::string> StreamHeader::attr(std::string_view qualified_name) const {
    return find_attribute(attributes, qualified_name);
}

std::string to_canonical_xml(const StreamHeader& header) {
    std::string prefix;
    for (const NamespaceDeclaration& d : header.namespaces) {
        if (!d.prefix.empty() && d.uri == header.ns) {
            prefix = d.prefix;
            break;
        }
    }
    // An element without attributes canonicalises to its start tag plus "/>".
    XmlElement tag;
    tag.ns = header.ns;
    tag.name = prefix.empty() ? header.name : prefix + ":" + header.name;
    for (const NamespaceDeclaration& d : header.namespaces) {
        tag.attributes.emplace_back(d.prefix.empty() ? "xmlns" : "xmlns:" + d.prefix, d.uri);
    }
    for (const XmlAttribute& a : header.attributes) tag.attributes.push_back(a);
    std::string out = to_canonical_xml(tag, header.ns);  // the declarations above say it
    out.erase(out.size() - 2);
    return out + ">";
}

}  // namespace bidilab::capture
