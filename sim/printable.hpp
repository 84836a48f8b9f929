// sim/printable.hpp — text that is safe to print whatever bytes it quotes:
// control bytes as \xNN (a NUL cannot cut it short, an escape sequence
// cannot reach the terminal), bytes that are not UTF-8 as U+FFFD; a message
// is also one line (CR and LF as spaces), a report keeps its line breaks.
#pragma once

#include <string>

namespace sim {

enum class Lines { One, Kept };

inline std::string printable(const std::string& s, Lines lines = Lines::Kept) {
    static const char* const hex = "0123456789ABCDEF";
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        // The length of the UTF-8 sequence c starts, 0 if it starts none.
        const std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
        bool valid = n != 0 && i + n <= s.size() && !(n == 2 && c < 0xC2);
        for (std::size_t k = 1; valid && k < n; ++k) valid = (static_cast<unsigned char>(s[i + k]) >> 6) == 0x2;
        if (!valid) {
            out += "\xEF\xBF\xBD";  // U+FFFD
            ++i;
        } else if (lines == Lines::One && (c == '\n' || c == '\r')) {
            out += ' ';
            ++i;
        } else if (n == 1 && (c < 0x20 || c == 0x7F) && c != '\t' && !(lines == Lines::Kept && c == '\n')) {
            out += std::string("\\x") + hex[c >> 4] + hex[c & 0xF];
            ++i;
        } else {
            out.append(s, i, n);
            i += n;
        }
    }
    return out;
}

inline std::string printable_line(const std::string& s) { return printable(s, Lines::One); }

}  // namespace sim
