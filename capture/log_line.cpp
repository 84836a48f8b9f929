// capture/log_line.cpp — fields of a wire log line.
#include "capture/log_line.hpp"

#include <cstdlib>
#include <vector>

#include "capture/capture_error.hpp"

namespace bidilab::capture {
namespace {

bool is_blank(char c) {
    return c == ' ' || c == '\t';
}

// Reads the next blank-separated token from `pos`, leaving `pos` after it.
std::string_view next_token(std::string_view line, std::size_t& pos) {
    while (pos < line.size() && is_blank(line[pos])) ++pos;
    const std::size_t begin = pos;
    while (pos < line.size() && !is_blank(line[pos])) ++pos;
    return line.substr(begin, pos - begin);
}

bool is_decimal(std::string_view s) {
    std::size_t i = 0;
    auto digits = [&] {
        const std::size_t start = i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
        return i > start;
    };
    if (!digits()) return false;
    if (i < s.size() && s[i] == '.') {
        ++i;
        if (!digits()) return false;
    }
    return i == s.size();
}

constexpr std::string_view kPeer = "(peer)";
constexpr std::string_view kForged = "(forged)";
constexpr const char* kShape = " (expected 'SECONDS CONN DIR WRITER XML')";

}  // namespace

LogLine parse_log_line(std::string_view line, const std::string& source, std::size_t line_no) {
    LogLine out;
    std::size_t pos = 0;
    while (pos < line.size() && is_blank(line[pos])) ++pos;
    if (pos == line.size()) return out;
    if (line[pos] == '#') {
        out.type = LogLine::Type::Comment;
        return out;
    }
    auto fail = [&](const std::string& reason) { throw CaptureError(source, line_no, reason); };

    static const char* const kNames[] = {"SECONDS", "CONN", "DIR", "WRITER"};
    std::string_view fields[4];
    for (int i = 0; i < 4; ++i) {
        fields[i] = next_token(line, pos);
        if (fields[i].empty()) fail("malformed line: missing " + std::string(kNames[i]) + kShape);
    }
    for (int mark = 0; mark < 2; ++mark) {  // "(peer)" and "(forged)", in either order
        std::size_t after_writer = pos;
        const std::string_view token = next_token(line, after_writer);
        if (token == kPeer) out.logged_by_peer = true;
        else if (token == kForged) out.forged = true;
        else break;
        pos = after_writer;
    }
    while (pos < line.size() && is_blank(line[pos])) ++pos;
    if (pos == line.size()) fail(std::string("malformed line: missing XML") + kShape);

    if (!is_decimal(fields[0])) fail("bad seconds '" + std::string(fields[0]) + "'");
    if (fields[2] == "->") {
        out.direction = Direction::InitiatorToReceiver;
    } else if (fields[2] == "<-") {
        out.direction = Direction::ReceiverToInitiator;
    } else {
        fail("bad direction token '" + std::string(fields[2]) + "' (expected '->' or '<-')");
    }
    out.type = LogLine::Type::Data;
    out.seconds = std::strtod(std::string(fields[0]).c_str(), nullptr);
    out.connection = std::string(fields[1]);
    out.writer = std::string(fields[3]);
    if (out.writer.size() > kPeer.size() &&
        out.writer.compare(out.writer.size() - kPeer.size(), kPeer.size(), kPeer) == 0) {
        out.writer.erase(out.writer.size() - kPeer.size());
        out.logged_by_peer = true;
    }
    out.xml = line.substr(pos);
    out.xml_column = pos + 1;
    return out;
}

std::optional<std::pair<std::string, ConnectionNote>> parse_connection_note(std::string_view line) {
    std::size_t pos = line.find('#');
    if (pos == std::string_view::npos) return std::nullopt;
    ++pos;
    std::vector<std::string_view> t;
    for (std::string_view tok = next_token(line, pos); !tok.empty(); tok = next_token(line, pos)) {
        t.push_back(tok);
    }
    if (t.size() < 7 || t.size() > 8 || t[0].size() < 2 || t[0].back() != ':' ||
        t[1] != "initiator" || t[3] != "->" || t[4] != "receiving" || t[5] != "server") {
        return std::nullopt;
    }
    ConnectionNote note{std::string(t[2]), std::string(t[6]), ""};
    if (t.size() == 8) {
        if (t[7].size() < 3 || t[7].front() != '(' || t[7].back() != ')') return std::nullopt;
        note.receiver_domain = std::string(t[7].substr(1, t[7].size() - 2));
    }
    return std::make_pair(std::string(t[0].substr(0, t[0].size() - 1)), note);
}

}  // namespace bidilab::capture
