// capture/xml_element.cpp — attribute and child look-up, canonical XML.
#include "capture/xml_element.hpp"

#include "capture/namespaces.hpp"

namespace bidilab::capture {
namespace {

void append_escaped(std::string& out, std::string_view s, bool attribute) {
    for (char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '\r': out += "&#13;"; break;
            case '\'': out += attribute ? "&apos;" : "'"; break;
            case '"': out += attribute ? "&quot;" : "\""; break;
            case '\t': out += attribute ? "&#9;" : "\t"; break;
            case '\n': out += attribute ? "&#10;" : "\n"; break;
            default: out += c;
        }
    }
}

void append_attribute(std::string& out, std::string_view name, std::string_view value) {
    out += ' ';
    out += name;
    out += "='";
    append_escaped(out, value, true);
    out += '\'';
}

void serialise(const XmlElement& e, std::string_view inherited_ns, std::string& out) {
    out += '<';
    out += e.name;
    if (e.ns != inherited_ns) append_attribute(out, "xmlns", e.ns);
    int prefix_count = 0;
    for (const auto& [name, value] : e.attributes) {
        if (name.empty() || name.front() != '{') {
            append_attribute(out, name, value);
            continue;
        }
        const auto close = name.find('}');
        const std::string prefix = "ns" + std::to_string(prefix_count++);
        append_attribute(out, "xmlns:" + prefix, std::string_view(name).substr(1, close - 1));
        append_attribute(out, prefix + ":" + name.substr(close + 1), value);
    }
    if (e.text.empty() && e.children.empty()) {
        out += "/>";
        return;
    }
    out += '>';
    append_escaped(out, e.text, false);
    for (const XmlElement& c : e.children) serialise(c, e.ns, out);
    out += "</";
    out += e.name;
    out += '>';
}

}  // namespace

std::optional<std::string> XmlElement::attr(std::string_view qualified_name) const {
    return find_attribute(attributes, qualified_name);
}

std::optional<std::string> find_attribute(const std::vector<XmlAttribute>& attributes,
                                          std::string_view qualified_name) {
    std::string key(qualified_name);
    const std::string xml_clark = "{" + std::string(ns::kXml) + "}";
    if (key.rfind(xml_clark, 0) == 0) key = "xml:" + key.substr(xml_clark.size());
    for (const auto& [name, value] : attributes) {
        if (name == key) return value;
    }
    return std::nullopt;
}

const XmlElement* XmlElement::child(std::string_view child_ns, std::string_view child_name) const {
    for (const XmlElement& c : children) {
        if (c.is(child_ns, child_name)) return &c;
    }
    return nullptr;
}

bool XmlElement::is(std::string_view element_ns, std::string_view element_name) const {
    return ns == element_ns && name == element_name;
}

std::string qualified_attribute_name(std::string_view attr_ns, std::string_view local) {
    if (attr_ns.empty()) return std::string(local);
    if (attr_ns == ns::kXml) return "xml:" + std::string(local);
    return "{" + std::string(attr_ns) + "}" + std::string(local);
}

std::string to_canonical_xml(const XmlElement& element, std::string_view inherited_ns) {
    std::string out;
    serialise(element, inherited_ns, out);
    return out;
}

}  // namespace bidilab::capture
