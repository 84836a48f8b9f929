// capture/wire_event.hpp — one thing a receiving server could act on in a
// wire log: a stream header, a complete top-level element, or a stream close,
// on one direction of one connection.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "capture/stream_header.hpp"
#include "capture/xml_element.hpp"

namespace bidilab::capture {

enum class Direction : std::uint8_t {
    InitiatorToReceiver,  // "->" in a wire log
    ReceiverToInitiator,  // "<-"
};
constexpr std::string_view arrow(Direction d) {
    return d == Direction::InitiatorToReceiver ? "->" : "<-";
}

enum class WireEventKind : std::uint8_t {
    StreamOpen,   // a <stream:stream> header (the first one or a restart's)
    Element,      // a complete top-level child of the stream
    StreamClose,  // </stream:stream>
};
std::string_view to_string(WireEventKind kind);

struct WireEvent {
    WireEventKind kind = WireEventKind::Element;
    std::string connection;  // the CONN label, e.g. "conn0"
    Direction direction = Direction::InitiatorToReceiver;
    std::string writer;           // WRITER of the completing line, without " (peer)"
    bool logged_by_peer = false;  // that WRITER carried the "(peer)" suffix
    bool forged = false;          // that WRITER carried the "(forged)" mark
    double seconds = 0;           // SECONDS of the completing line
    std::size_t first_line = 0;   // 1-based line where the event's XML began
    std::size_t line = 0;         // 1-based line where it completed
    StreamHeader header;          // kind == StreamOpen only
    XmlElement element;           // kind == Element only

    // "conn0 -> line 5: <bidi xmlns='urn:xmpp:bidi'/>" (the header's start
    // tag, the element's canonical XML, or </stream:stream>).
    std::string describe() const;
};

}  // namespace bidilab::capture
