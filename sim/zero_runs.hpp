// sim/zero_runs.hpp — a byte string XORed with a base string and its runs of
// zero bytes squeezed: how the frontier keeps queued states small (the
// plain bytes of a protocol state are mostly zero, and a state queued right
// after its sibling is mostly equal to it; with an all-zero base, only the
// zero runs are squeezed). Tokens: t < 0x80: t + 1 literal bytes follow;
// t >= 0x80: t - 0x7F zero bytes. Both directions write into buffers the
// caller sized, a machine word at a time through zero runs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <stdexcept>

namespace sim {

namespace detail {
inline std::uint64_t load64(const unsigned char* p) {
    std::uint64_t v;
    std::memcpy(&v, p, 8);
    return v;
}
}  // namespace detail

// The most bytes squeeze_zero_runs writes for n bytes.
constexpr std::size_t squeezed_bound(std::size_t n) { return n + n / 128 + 1; }

// Squeezes raw XOR base (both n bytes) into out (squeezed_bound(n) bytes);
// returns the length written.
inline std::size_t squeeze_zero_runs(const unsigned char* raw, const unsigned char* base, std::size_t n,
                                     unsigned char* out) {
    using detail::load64;
    unsigned char* o = out;
    std::size_t i = 0;
    auto at = [&](std::size_t k) { return static_cast<unsigned char>(raw[k] ^ base[k]); };
    while (i < n) {
        if (at(i) == 0) {
            std::size_t j = i + 1;
            while (j + 8 <= n && j + 8 - i <= 128 && (load64(raw + j) ^ load64(base + j)) == 0) j += 8;
            while (j < n && j - i < 128 && at(j) == 0) ++j;
            *o++ = static_cast<unsigned char>(0x7F + (j - i));
            i = j;
            continue;
        }
        // Literals up to the next pair of zeros (a lone zero is cheaper inside them).
        std::size_t j = i + 1;
        while (j < n && j - i < 128 && !(at(j) == 0 && (j + 1 == n || at(j + 1) == 0))) ++j;
        *o++ = static_cast<unsigned char>(j - i - 1);
        for (std::size_t k = i; k < j; ++k) *o++ = at(k);
        i = j;
    }
    return static_cast<std::size_t>(o - out);
}

// Expands what squeeze_zero_runs wrote, XORed back with base, into out
// (capacity bytes; base has as many); returns the length. Throws
// std::length_error on a literal run past the end of `in` or on more than
// `capacity` bytes.
inline std::size_t expand_zero_runs(const unsigned char* in, std::size_t n, const unsigned char* base,
                                    unsigned char* out, std::size_t capacity) {
    std::size_t i = 0, o = 0;
    while (i < n) {
        const unsigned char t = in[i++];
        const std::size_t run = t >= 0x80 ? std::size_t{t} - 0x7F : std::size_t{t} + 1;
        if (o + run > capacity) throw std::length_error("zero runs: more bytes than the state can have");
        if (t >= 0x80) {
            std::memcpy(out + o, base + o, run);
        } else {
            if (i + run > n) throw std::length_error("zero runs: a literal run past the end");
            for (std::size_t k = 0; k < run; ++k) out[o + k] = static_cast<unsigned char>(in[i + k] ^ base[o + k]);
            i += run;
        }
        o += run;
    }
    return o;
}

}  // namespace sim
