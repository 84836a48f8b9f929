// sim/zero_runs.hpp — a byte string XORed with a base string and its runs of
// zero bytes squeezed: how the frontier keeps queued states small (the
// plain bytes of a protocol state are mostly zero, and a state queued right
// after its sibling is mostly equal to it; with an all-zero base, only the
// zero runs are squeezed). Tokens: t < 0x80: t + 1 literal bytes follow;
// t >= 0x80: t - 0x7F zero bytes. Both directions write into buffers the
// caller sized, eight bytes at a time where they can.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <stdexcept>

namespace sim {

// The most bytes squeeze_zero_runs writes for n bytes.
constexpr std::size_t squeezed_bound(std::size_t n) { return n + n / 128 + 1; }

namespace detail {
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "first_byte reads a word's lowest byte as its first");
inline std::uint64_t load64(const unsigned char* p) {
    std::uint64_t v;
    std::memcpy(&v, p, 8);
    return v;
}
// The bytes of raw XOR base from k on, eight at once (little-endian: the
// byte at k is the lowest).
inline std::uint64_t diff64(const unsigned char* raw, const unsigned char* base, std::size_t k) {
    return load64(raw + k) ^ load64(base + k);
}
// One bit (the top one) in each byte of x that is zero, and no other.
inline std::uint64_t zero_bytes(std::uint64_t x) {
    constexpr std::uint64_t low7 = 0x7F7F7F7F7F7F7F7FULL;
    return ~(((x & low7) + low7) | x | low7);
}
inline std::size_t first_byte(std::uint64_t mask) { return static_cast<std::size_t>(__builtin_ctzll(mask)) / 8; }

// Where a zero run that begins at i (raw and base agree there) ends: at the
// first byte before `limit` where they differ, or at `limit`.
inline std::size_t zero_run_end(const unsigned char* raw, const unsigned char* base, std::size_t i, std::size_t limit) {
    std::size_t j = i + 1;
    for (; j + 8 <= limit; j += 8)
        if (const std::uint64_t w = diff64(raw, base, j); w != 0) return j + first_byte(w);
    while (j < limit && raw[j] == base[j]) ++j;
    return j;
}

// Where literals that begin at i end: at the first pair of agreeing bytes
// (j and j + 1), at an agreeing last byte (j + 1 == n), or at `limit`.
inline std::size_t literal_run_end(const unsigned char* raw, const unsigned char* base, std::size_t i, std::size_t n,
                                   std::size_t limit) {
    std::size_t j = i + 1;
    for (; j + 9 <= limit; j += 8)
        if (const std::uint64_t pairs = zero_bytes(diff64(raw, base, j)) & zero_bytes(diff64(raw, base, j + 1)))
            return j + first_byte(pairs);
    while (j < limit && !(raw[j] == base[j] && (j + 1 == n || raw[j + 1] == base[j + 1]))) ++j;
    return j;
}
}  // namespace detail

// Squeezes raw XOR base (both n bytes) into out (squeezed_bound(n) bytes);
// returns the length written. Greedy: a zero run as long as it goes (at most
// 128 bytes), literals up to the next pair of zero bytes (a lone zero is
// cheaper inside them; at most 128). Scanned eight bytes at a time.
inline std::size_t squeeze_zero_runs(const unsigned char* raw, const unsigned char* base, std::size_t n,
                                     unsigned char* out) {
    unsigned char* o = out;
    std::size_t i = 0;
    while (i < n) {
        const std::size_t limit = n - i < 128 ? n : i + 128;
        if (raw[i] == base[i]) {
            const std::size_t j = detail::zero_run_end(raw, base, i, limit);
            *o++ = static_cast<unsigned char>(0x7F + (j - i));
            i = j;
            continue;
        }
        const std::size_t j = detail::literal_run_end(raw, base, i, n, limit);
        *o++ = static_cast<unsigned char>(j - i - 1);
        for (; i + 8 <= j; i += 8, o += 8) {
            const std::uint64_t w = detail::diff64(raw, base, i);
            std::memcpy(o, &w, 8);
        }
        for (; i < j; ++i) *o++ = static_cast<unsigned char>(raw[i] ^ base[i]);
    }
    return static_cast<std::size_t>(o - out);
}

// raw XOR base as literal runs alone, no zero run squeezed: what
// squeeze_zero_runs writes where no two bytes agree, without the search
// (expand_zero_runs reads both alike).
inline std::size_t xor_as_literals(const unsigned char* raw, const unsigned char* base, std::size_t n,
                                   unsigned char* out) {
    unsigned char* o = out;
    for (std::size_t i = 0; i < n;) {
        const std::size_t run = n - i < 128 ? n - i : 128;
        *o++ = static_cast<unsigned char>(run - 1);
        std::size_t k = 0;
        for (; k + 8 <= run; k += 8) {
            const std::uint64_t w = detail::diff64(raw, base, i + k);
            std::memcpy(o + k, &w, 8);
        }
        for (; k < run; ++k) o[k] = static_cast<unsigned char>(raw[i + k] ^ base[i + k]);
        o += run;
        i += run;
    }
    return static_cast<std::size_t>(o - out);
}

// Expands what squeeze_zero_runs wrote, XORed back with base, into out
// (capacity bytes; base has as many); returns the length. out may be base
// itself (expanding in place: the zero runs are then left as they are).
// Throws std::length_error on a literal run past the end of `in` or on more
// than `capacity` bytes.
inline std::size_t expand_zero_runs(const unsigned char* in, std::size_t n, const unsigned char* base,
                                    unsigned char* out, std::size_t capacity) {
    std::size_t i = 0, o = 0;
    while (i < n) {
        const unsigned char t = in[i++];
        const std::size_t run = t >= 0x80 ? std::size_t{t} - 0x7F : std::size_t{t} + 1;
        if (o + run > capacity) throw std::length_error("zero runs: more bytes than the state can have");
        if (t >= 0x80) {
            if (out != base) std::memcpy(out + o, base + o, run);
        } else {
            if (i + run > n) throw std::length_error("zero runs: a literal run past the end");
            std::size_t k = 0;
            for (; k + 8 <= run; k += 8) {
                const std::uint64_t w = detail::load64(in + i + k) ^ detail::load64(base + o + k);
                std::memcpy(out + o + k, &w, 8);
            }
            for (; k < run; ++k) out[o + k] = static_cast<unsigned char>(in[i + k] ^ base[o + k]);
            i += run;
        }
        o += run;
    }
    return o;
}

}  // namespace sim
