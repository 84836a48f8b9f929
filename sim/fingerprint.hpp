// sim/fingerprint.hpp — stable 64-bit fingerprints of model states.
//
// A state is fingerprinted from its bytes with XXH3 (stable across runs and
// machines of one endianness). Three ways for a model to supply the bytes:
//   1. State is trivially copyable with unique object representations
//      (no padding): its object bytes are hashed directly;
//   2. otherwise an ADL function `void hash_append(sim::Hasher&, const State&)`
//      writes the state's canonical bytes into the hasher.
// Fingerprint 0 is reserved (it marks an empty slot of the visited set).
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <xxhash.h>

namespace sim {

// Collects a state's canonical bytes, then hashes them in one XXH3 call. The
// buffer is kept between states (one per thread in fingerprint()), and a
// fixed-size value is appended by one memcpy the compiler turns into a store.
class Hasher {
public:
    [[gnu::always_inline]] void bytes(const void* data, std::size_t size) { std::memcpy(extend(size), data, size); }
    // Room for `size` more bytes, to be written at the pointer returned
    // (valid until the next call): a value copied whole and then patched
    // there is read by the hash long after, not at once from the stack.
    [[gnu::always_inline]] unsigned char* extend(std::size_t size) {
        if (size_ + size > buffer_.size()) grow(size);
        unsigned char* at = buffer_.data() + size_;
        size_ += size;
        return at;
    }
    template <class T, class = std::enable_if_t<std::is_integral_v<T> || std::is_enum_v<T>>>
    [[gnu::always_inline]] void value(T v) { bytes(&v, sizeof v); }
    void text(std::string_view s) {
        value(static_cast<std::uint32_t>(s.size()));
        bytes(s.data(), s.size());
    }
    void clear() { size_ = 0; }
    std::uint64_t digest() const { return finish(XXH3_64bits(buffer_.data(), size_)); }

    static std::uint64_t finish(std::uint64_t h) { return h == 0 ? 1 : h; }

private:
    [[gnu::noinline]] void grow(std::size_t more) { buffer_.resize(std::max<std::size_t>(2 * buffer_.size(), size_ + more + 256)); }

    std::vector<unsigned char> buffer_;  // [0, size_) holds the bytes so far
    std::size_t size_ = 0;
};

template <class State>
constexpr bool hashed_as_bytes_v =
    std::is_trivially_copyable_v<State> && std::has_unique_object_representations_v<State>;

template <class State>
std::uint64_t fingerprint(const State& s) {
    if constexpr (hashed_as_bytes_v<State>) {
        return Hasher::finish(XXH3_64bits(&s, sizeof s));
    } else {
        thread_local Hasher h;
        h.clear();
        hash_append(h, s);
        return h.digest();
    }
}

}  // namespace sim
