// Internal: turning topology file text into a JSON document.
#pragma once

#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

namespace bidilab::topologies::detail {

struct TextPosition {
  std::size_t line = 1;    // 1-based
  std::size_t column = 1;  // 1-based, in bytes
};

// Position of the byte nlohmann reports in parse_error::byte (1-based index of
// the last byte read; text.size() + 1 at end of input).
TextPosition position_of_byte(const std::string& text, std::size_t byte);

// Parses `text` strictly (no comments) and rejects duplicate object keys, which
// nlohmann would otherwise resolve silently by keeping the last one.
// Throws TopologyError naming `file`.
nlohmann::json parse_json_text(const std::string& text, const std::string& file);

}  // namespace bidilab::topologies::detail
