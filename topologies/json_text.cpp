#include "topologies/json_text.hpp"

#include <algorithm>
#include <optional>
#include <set>
#include <vector>

#include "topologies/topology_error.hpp"

namespace bidilab::topologies::detail {

namespace {

using nlohmann::json;

// SAX pass that only tracks where it is, to name the first duplicate key.
class DuplicateKeyFinder {
 public:
  std::optional<std::string> duplicate_pointer;
  std::string duplicate_key;

  bool null() { return element(); }
  bool boolean(bool) { return element(); }
  bool number_integer(json::number_integer_t) { return element(); }
  bool number_unsigned(json::number_unsigned_t) { return element(); }
  bool number_float(json::number_float_t, const json::string_t&) { return element(); }
  bool string(json::string_t&) { return element(); }
  bool binary(json::binary_t&) { return element(); }

  bool start_object(std::size_t) {
    element();
    frames_.push_back(Frame{false, 0, {}, {}});
    return true;
  }
  bool key(json::string_t& key) {
    Frame& top = frames_.back();
    if (!top.keys.insert(key).second) {
      duplicate_key = key;
      duplicate_pointer = pointer_child(parent_pointer(), key);
      return false;
    }
    top.token = key;
    return true;
  }
  bool end_object() {
    frames_.pop_back();
    return true;
  }
  bool start_array(std::size_t) {
    element();
    frames_.push_back(Frame{true, 0, {}, {}});
    return true;
  }
  bool end_array() {
    frames_.pop_back();
    return true;
  }
  // Where the parser stopped: the pointer of the value it was reading, and its text.
  std::optional<std::string> error_pointer;
  std::string error_token;
  bool parse_error(std::size_t, const std::string& token, const json::exception&) {
    if (frames_.empty()) {
      error_pointer = "";
    } else {  // the value being read: the next index of an array, the key's value of an object
      const Frame& top = frames_.back();
      error_pointer = pointer_child(parent_pointer(), top.is_array ? std::to_string(top.next_index) : top.token);
    }
    error_token = token;
    return false;
  }

 private:
  struct Frame {
    bool is_array;
    std::size_t next_index;
    std::string token;  // key or index of the current element
    std::set<std::string> keys;
  };

  // A value starts: inside an array it takes the next index.
  bool element() {
    if (!frames_.empty() && frames_.back().is_array) {
      frames_.back().token = std::to_string(frames_.back().next_index++);
    }
    return true;
  }

  // Pointer to the object holding the key being read.
  std::string parent_pointer() const {
    std::string out;
    for (std::size_t i = 0; i + 1 < frames_.size(); ++i) out = pointer_child(out, frames_[i].token);
    return out;
  }

  std::vector<Frame> frames_;
};

// nlohmann's message without its "[json.exception...] parse error at line L,
// column C: " prefix, which counts differently from position_of_byte.
std::string parse_error_description(const std::string& what) {
  const auto at = what.find("parse error");
  if (at == std::string::npos) return what;
  const auto colon = what.find(": ", at);
  if (colon == std::string::npos) return what;
  return what.substr(colon + 2);
}

}  // namespace

TextPosition position_of_byte(const std::string& text, std::size_t byte) {
  const std::size_t index = std::min(byte == 0 ? 0 : byte - 1, text.size());
  TextPosition position;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < index; ++i) {
    if (text[i] == '\n') {
      ++position.line;
      line_start = i + 1;
    }
  }
  position.column = index - line_start + 1;
  return position;
}

json parse_json_text(const std::string& text, const std::string& file) {
  json document;
  try {
    document = json::parse(text);
  } catch (const json::parse_error& error) {
    const TextPosition at = position_of_byte(text, error.byte);
    throw TopologyError(file, "",
                        "invalid JSON at line " + std::to_string(at.line) + ", column " +
                            std::to_string(at.column) + ": " +
                            parse_error_description(error.what()));
  } catch (const json::out_of_range&) {  // a number no double holds (1e400)
    DuplicateKeyFinder finder;
    json::sax_parse(text, &finder);
    throw TopologyError(file, finder.error_pointer.value_or(""),
                        "number out of range: " + finder.error_token.substr(0, 40));
  }
  DuplicateKeyFinder finder;
  json::sax_parse(text, &finder);
  if (finder.duplicate_pointer) {
    throw TopologyError(file, *finder.duplicate_pointer,
                        "duplicate key '" + finder.duplicate_key +
                            "' in the same object (JSON would keep only the last one)");
  }
  return document;
}

}  // namespace bidilab::topologies::detail
