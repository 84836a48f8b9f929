// capture/wire_log.cpp — lines to directions to events.
#include "capture/wire_log.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <utility>

#include "capture/direction_stream.hpp"

namespace bidilab::capture {

std::vector<const WireEvent*> WireLog::stream(const std::string& connection,
                                              Direction direction) const {
    std::vector<const WireEvent*> out;
    for (const WireEvent& e : events) {
        if (e.connection == connection && e.direction == direction) out.push_back(&e);
    }
    return out;
}

std::size_t WireLog::count(WireEventKind kind) const {
    std::size_t n = 0;
    for (const WireEvent& e : events) n += e.kind == kind ? 1 : 0;
    return n;
}

WireLog parse_wire_log(std::string text, std::string source_name) {
    WireLog log;
    log.source = std::move(source_name);
    // Directions in order of first data; the map finds them by (CONN, DIR).
    std::vector<std::unique_ptr<DirectionStream>> streams;
    std::map<std::pair<std::string, Direction>, DirectionStream*> by_key;

    std::size_t line_no = 0;
    std::size_t begin = 0;
    while (begin < text.size()) {
        std::size_t end = text.find('\n', begin);
        if (end == std::string::npos) end = text.size();
        std::string_view line(text.data() + begin, end - begin);
        begin = end + 1;
        ++line_no;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);

        const LogLine parsed = parse_log_line(line, log.source, line_no);
        if (parsed.type == LogLine::Type::Comment) {
            if (auto note = parse_connection_note(line)) log.notes.insert(std::move(*note));
            continue;
        }
        if (parsed.type == LogLine::Type::Blank) continue;

        const auto key = std::make_pair(parsed.connection, parsed.direction);
        auto it = by_key.find(key);
        if (it == by_key.end()) {
            const bool new_connection =
                by_key.count({parsed.connection, Direction::InitiatorToReceiver}) == 0 &&
                by_key.count({parsed.connection, Direction::ReceiverToInitiator}) == 0;
            if (new_connection) {
                if (parsed.direction == Direction::ReceiverToInitiator) {
                    throw CaptureError(log.source, line_no,
                                       parsed.connection +
                                           ": its first line is '<-', but the initiator "
                                           "writes first ('->')");
                }
                log.connections.push_back(parsed.connection);
            }
            streams.push_back(
                std::make_unique<DirectionStream>(log.source, parsed.connection, parsed.direction));
            it = by_key.emplace(key, streams.back().get()).first;
        }
        LineOrigin origin{line_no, parsed.xml_column, parsed.writer, parsed.logged_by_peer,
                          parsed.seconds, parsed.forged};
        it->second->feed(parsed.xml, origin, log.events, log.warnings);
    }
    for (const auto& s : streams) {
        if (auto warning = s->end_of_input_warning()) log.warnings.push_back(std::move(*warning));
    }
    if (log.events.empty()) throw CaptureError(log.source, line_no, "no s2s traffic: not one line of a connection");
    return log;
}

WireLog read_wire_log(const std::filesystem::path& path) {
    // A regular file of bounded size: not a directory, a device (/dev/zero)
    // or a FIFO, which would read nothing or forever.
    std::error_code error;
    if (std::filesystem::exists(path, error) && !std::filesystem::is_regular_file(path, error))
        throw CaptureError(path.string(), 0, "not a regular file");
    if (std::filesystem::is_regular_file(path, error) && std::filesystem::file_size(path, error) > kMaxWireLogBytes)
        throw CaptureError(path.string(), 0,
                           "larger than " + std::to_string(kMaxWireLogBytes >> 20) + " MiB, the limit of a capture");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw CaptureError(path.string(), 0, std::string("cannot open: ") + std::strerror(errno));
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (in.bad()) throw CaptureError(path.string(), 0, "cannot read");
    return parse_wire_log(std::move(buffer).str(), path.string());
}

}  // namespace bidilab::capture
