// tests/capture/rechunk_test.cpp — the real captures cut into other writes
// give the same events: every XML field split into pieces of N bytes (one
// line each), and runs of lines of one direction joined into one line. This
// exercises headers, restarts, elements and closes split at every offset.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "capture/log_line.hpp"
#include "capture/wire_log.hpp"

namespace bidilab::capture {
namespace {

const std::string kCaptureDir = CAPTURE_TEST_DATA;
const char* const kCaptures[] = {"prosody-dialback-bidi.log", "prosody-tls-sasl-external-bidi.log"};

std::string read_text(const std::string& name) {
    std::string text;
    std::FILE* f = std::fopen((kCaptureDir + "/" + name).c_str(), "rb");
    EXPECT_NE(f, nullptr) << name;
    if (f == nullptr) return text;
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) text.append(buf, n);
    std::fclose(f);
    return text;
}

struct Write {
    std::string conn, dir, writer, xml;
};

std::vector<Write> writes_of(const std::string& text) {
    std::vector<Write> out;
    std::size_t begin = 0, n = 0;
    while (begin < text.size()) {
        std::size_t end = text.find('\n', begin);
        if (end == std::string::npos) end = text.size();
        const std::string line = text.substr(begin, end - begin);
        begin = end + 1;
        const LogLine l = parse_log_line(line, "x", ++n);
        if (l.type != LogLine::Type::Data) continue;
        out.push_back(
            {l.connection, std::string(arrow(l.direction)), l.writer, std::string(l.xml)});
    }
    return out;
}

std::string line_of(const Write& w, const std::string& xml) {
    return "0.5 " + w.conn + " " + w.dir + " " + w.writer + " " + xml + "\n";
}

// What must not change when the writes are cut differently.
std::vector<std::string> signature(const WireLog& log) {
    std::vector<std::string> out;
    for (const WireEvent& e : log.events) {
        EXPECT_LE(e.first_line, e.line);
        out.push_back(e.connection + std::string(arrow(e.direction)) +
                      std::string(to_string(e.kind)) + e.header.raw + e.element.raw);
    }
    return out;
}

TEST(WireLogRechunk, SplitIntoPiecesGivesTheSameEvents) {
    for (const char* name : kCaptures) {
        const std::string text = read_text(name);
        const auto expected = signature(parse_wire_log(text, name));
        for (std::size_t size : {1u, 2u, 3u, 7u, 64u}) {
            std::string cut;
            for (const Write& w : writes_of(text)) {
                // A piece may not begin with a blank (that would be column padding).
                std::size_t at = 0;
                while (at < w.xml.size()) {
                    std::size_t next = std::min(at + size, w.xml.size());
                    while (next < w.xml.size() && (w.xml[next] == ' ' || w.xml[next] == '\t'))
                        ++next;
                    cut += line_of(w, w.xml.substr(at, next - at));
                    at = next;
                }
            }
            const WireLog log = parse_wire_log(cut, name);
            EXPECT_EQ(signature(log), expected) << name << " in pieces of " << size;
            EXPECT_TRUE(log.warnings.empty());
        }
    }
}

TEST(WireLogRechunk, JoinedWritesGiveTheSameEvents) {
    for (const char* name : kCaptures) {
        const std::string text = read_text(name);
        const auto expected = signature(parse_wire_log(text, name));
        const std::vector<Write> writes = writes_of(text);
        std::string joined;
        for (std::size_t i = 0; i < writes.size();) {
            std::string xml;
            std::size_t j = i;
            for (; j < writes.size() && writes[j].conn == writes[i].conn &&
                   writes[j].dir == writes[i].dir;
                 ++j) {
                xml += writes[j].xml;
            }
            joined += line_of(writes[i], xml);
            i = j;
        }
        const WireLog log = parse_wire_log(joined, name);
        EXPECT_LT(log.events.back().line, writes.size());  // fewer lines, same events
        EXPECT_EQ(signature(log), expected) << name;
    }
}

}  // namespace
}  // namespace bidilab::capture
