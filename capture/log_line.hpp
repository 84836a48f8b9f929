// capture/log_line.hpp — the line grammar of a wire log, without the XML:
//   blank | '#' comment | SECONDS CONN DIR WRITER [(peer)] XML
// The XML field is the rest of the line after the blanks that follow WRITER,
// byte for byte (a trailing '\r' is dropped with the line end).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "capture/wire_event.hpp"

namespace bidilab::capture {

struct LogLine {
    enum class Type : std::uint8_t { Blank, Comment, Data };
    Type type = Type::Blank;
    // Data lines only:
    double seconds = 0;
    std::string connection;
    Direction direction = Direction::InitiatorToReceiver;
    std::string writer;           // without the "(peer)" suffix
    bool logged_by_peer = false;  // WRITER was followed by "(peer)"
    // WRITER was followed by "(forged)": an element the writer wrote as an
    // attacker (`bidilab probe`'s attacks), outside its own machine.
    bool forged = false;
    std::string_view xml;         // a view into the parsed line
    std::size_t xml_column = 0;   // 1-based column of the XML field's first byte
};

// Splits one line (without its '\n'). Throws CaptureError(source, line_no, …)
// for a data line with a missing field, a bad SECONDS or a bad DIR token.
LogLine parse_log_line(std::string_view line, const std::string& source, std::size_t line_no);

// What an informative comment says about a connection:
//   # connN: initiator ADDR -> receiving server ADDR (DOMAIN)
struct ConnectionNote {
    std::string initiator_address;
    std::string receiver_address;
    std::string receiver_domain;  // "" when the comment names none
};

// (CONN, note) when a comment line has that shape, nullopt otherwise.
std::optional<std::pair<std::string, ConnectionNote>> parse_connection_note(std::string_view line);

}  // namespace bidilab::capture
