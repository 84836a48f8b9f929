// tests/fuzz/fuzz_support.hpp — what every fuzz target checks of bidilab's
// answer to bad input: one line naming the source, valid UTF-8 in reports.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>

namespace fuzz {

// A finding: print it and abort, so libFuzzer keeps the input as a crash.
[[noreturn]] inline void finding(const std::string& what) {
    std::fprintf(stderr, "fuzz finding: %s\n", what.c_str());
    std::abort();
}

// An error message for bad input: one line, starting with the source's name.
inline void expect_one_line(const std::string& message, const std::string& source) {
    if (message.find('\n') != std::string::npos) finding("a multi-line error: " + message);
    if (message.rfind(source, 0) != 0) finding("an error that does not name '" + source + "': " + message);
}

inline bool valid_utf8(const std::string& s) {
    for (std::size_t i = 0; i < s.size();) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
        if (n == 0 || i + n > s.size() || (n == 2 && c < 0xC2)) return false;
        for (std::size_t k = 1; k < n; ++k)
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
        i += n;
    }
    return true;
}

}  // namespace fuzz
