// sim/zero_runs.hpp — a byte string with its runs of zero bytes squeezed:
// what a model's codec can use to keep queued states small, since the plain
// bytes of a protocol state are mostly zero (unused slots, absent fields).
// Tokens: t < 0x80: t + 1 literal bytes follow; t >= 0x80: t - 0x7F zeros.
#pragma once

#include <cstddef>
#include <cstring>
#include <stdexcept>
#include <vector>

namespace sim {

inline void squeeze_zero_runs(const unsigned char* raw, std::size_t n, std::vector<unsigned char>& out) {
    out.reserve(out.size() + n + n / 128 + 1);
    std::size_t i = 0;
    while (i < n) {
        if (raw[i] == 0) {
            std::size_t run = 1;
            while (i + run < n && raw[i + run] == 0 && run < 128) ++run;
            out.push_back(static_cast<unsigned char>(0x7F + run));
            i += run;
            continue;
        }
        // Literals up to the next pair of zeros (a lone zero is cheaper inside them).
        std::size_t run = 1;
        while (i + run < n && run < 128 && !(raw[i + run] == 0 && (i + run + 1 == n || raw[i + run + 1] == 0))) ++run;
        out.push_back(static_cast<unsigned char>(run - 1));
        out.insert(out.end(), raw + i, raw + i + run);
        i += run;
    }
}

// Appends the bytes `squeeze_zero_runs` squeezed to `out`; throws
// std::length_error on a token that runs past the end.
inline void expand_zero_runs(const unsigned char* in, std::size_t n, std::vector<unsigned char>& out) {
    std::size_t i = 0;
    while (i < n) {
        const unsigned char t = in[i++];
        if (t >= 0x80) {
            out.resize(out.size() + (t - 0x7F), 0);
            continue;
        }
        const std::size_t run = std::size_t{t} + 1;
        if (i + run > n) throw std::length_error("zero runs: a literal run past the end");
        out.insert(out.end(), in + i, in + i + run);
        i += run;
    }
}

}  // namespace sim
