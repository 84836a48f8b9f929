// model/world_codec.hpp — a World as a byte string and back, for the
// explorer's frontier (sim/frontier.hpp, which squeezes it further): every
// field in order, counts as 16 bits, each machine and element as its plain
// bytes (they have no padding). Labels are kept as they are: a decoded
// world is equal (==) to the encoded one, next ids and counters included.
#pragma once

#include <cstddef>
#include <vector>

#include "model/world.hpp"

namespace bidilab::model {

// Appends the bytes of w to out.
void encode_world(const World& w, std::vector<unsigned char>& out);
// Reuses `w`'s buffers. Throws std::length_error on bytes encode_world did not write.
void decode_world(const unsigned char* bytes, std::size_t n, World& w);

}  // namespace bidilab::model
