// capture/wire_event.cpp — names and one-line descriptions of events.
#include "capture/wire_event.hpp"

namespace bidilab::capture {

std::string_view to_string(WireEventKind kind) {
    switch (kind) {
        case WireEventKind::StreamOpen: return "stream-open";
        case WireEventKind::Element: return "element";
        case WireEventKind::StreamClose: return "stream-close";
    }
    return "?";
}

std::string WireEvent::describe() const {
    std::string out =
        connection + " " + std::string(arrow(direction)) + " line " + std::to_string(line) + ": ";
    switch (kind) {
        case WireEventKind::StreamOpen: return out + header.raw;
        case WireEventKind::Element: return out + element.raw;
        case WireEventKind::StreamClose: return out + "</stream:stream>";
    }
    return out;
}

}  // namespace bidilab::capture
