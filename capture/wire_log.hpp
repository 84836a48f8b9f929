// capture/wire_log.hpp — reads a wire log (captured s2s traffic, one write
// per line; format in README.md) into the events of its connections.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "capture/capture_error.hpp"
#include "capture/log_line.hpp"
#include "capture/wire_event.hpp"

namespace bidilab::capture {

struct WireLog {
    std::string source;                    // the file name errors and warnings cite
    std::vector<std::string> connections;  // CONN labels, in order of first appearance
    // Every direction's events, in completion order: the order the receiving
    // sides could act on them (line order, then document order within a line).
    std::vector<WireEvent> events;
    // "FILE:LINE: ..." notes: a header or element the log ends inside (LINE is
    // where it began), text between top-level elements.
    std::vector<std::string> warnings;
    // What the informative "# connN: initiator ... -> receiving server ..."
    // comments say, for the connections that have one.
    std::map<std::string, ConnectionNote> notes;

    // The events of one direction of one connection, in order.
    std::vector<const WireEvent*> stream(const std::string& connection, Direction direction) const;
    std::size_t count(WireEventKind kind) const;
};

// Parses a whole wire log; `source_name` is used in errors and warnings.
// Throws CaptureError ("FILE:LINE: reason") on the first problem.
WireLog parse_wire_log(std::string text, std::string source_name);

// Reads and parses a file; a file that cannot be read is "FILE:0: ...".
WireLog read_wire_log(const std::filesystem::path& path);
// The largest capture read_wire_log reads (bytes).
constexpr std::uintmax_t kMaxWireLogBytes = std::uintmax_t{64} << 20;

}  // namespace bidilab::capture
