// capture/namespaces.hpp — the XML namespaces that s2s wire logs use, for
// matching parsed elements (XmlElement::ns, XmlElement::child).
#pragma once

#include <string_view>

namespace bidilab::capture::ns {

inline constexpr std::string_view kXml = "http://www.w3.org/XML/1998/namespace";
inline constexpr std::string_view kStreams = "http://etherx.jabber.org/streams";
inline constexpr std::string_view kServer = "jabber:server";
inline constexpr std::string_view kDialback = "jabber:server:dialback";
inline constexpr std::string_view kDialbackFeature = "urn:xmpp:features:dialback";
inline constexpr std::string_view kBidi = "urn:xmpp:bidi";                  // the request
inline constexpr std::string_view kBidiFeature = "urn:xmpp:features:bidi";  // the feature
inline constexpr std::string_view kTls = "urn:ietf:params:xml:ns:xmpp-tls";
inline constexpr std::string_view kSasl = "urn:ietf:params:xml:ns:xmpp-sasl";
inline constexpr std::string_view kStreamErrors = "urn:ietf:params:xml:ns:xmpp-streams";
inline constexpr std::string_view kStanzaErrors = "urn:ietf:params:xml:ns:xmpp-stanzas";
inline constexpr std::string_view kPing = "urn:xmpp:ping";

}  // namespace bidilab::capture::ns
