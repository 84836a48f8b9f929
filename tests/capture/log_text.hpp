// tests/capture/log_text.hpp — builds small wire logs inline for the tests.
#pragma once

#include <string>
#include <vector>

namespace bidilab::capture::test {

inline const std::string kStreamsNs = "http://etherx.jabber.org/streams";

// A stream header as Prosody writes it; `id` may be empty (the initiator's).
inline std::string header(const std::string& from, const std::string& to, const std::string& id) {
    return "<?xml version='1.0'?><stream:stream xmlns='jabber:server' xmlns:stream='" + kStreamsNs +
           "' xmlns:db='jabber:server:dialback' from='" + from + "' to='" + to + "' id='" + id +
           "' version='1.0'>";
}

// One data line: "  0.100000 CONN DIR WRITER XML".
inline std::string data(const std::string& conn, const std::string& dir, const std::string& xml,
                        const std::string& writer = "a.lit") {
    return "  0.100000 " + conn + " " + dir + " " + writer + "  " + xml;
}

// Lines joined with '\n' (line N of the result is lines[N-1]).
inline std::string lines(const std::vector<std::string>& ls) {
    std::string out;
    for (const std::string& l : ls) out += l + "\n";
    return out;
}

// The two headers of connection c0 between a.lit and b.lit, as data lines.
inline const std::string kOpenA = data("c0", "->", header("a.lit", "b.lit", ""));
inline const std::string kOpenB = data("c0", "<-", header("b.lit", "a.lit", "s1"), "b.lit");

}  // namespace bidilab::capture::test
