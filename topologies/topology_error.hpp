// The single error type of the topology loader and validator.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

namespace bidilab::topologies {

// Every problem found while loading or validating a topology.
//
// file():    the path given to load_topology (or the source name given to
//            parse_topology, or Topology::source_file for validate_topology).
// pointer(): an RFC 6901 JSON pointer to the offending value, e.g.
//            "/servers/1/domains/0". The document root is the empty pointer ""
//            (errors about the file as a whole: cannot open, invalid JSON,
//            root not an object, missing top-level field).
// reason():  one line of plain text.
//
// what() is exactly one line:   FILE: POINTER: REASON
// where an empty pointer is printed as "(root)" and an empty file name as
// "(no file)". Line breaks in any part are replaced by spaces.
class TopologyError : public std::runtime_error {
 public:
  TopologyError(std::string file, std::string pointer, std::string reason);

  const std::string& file() const noexcept { return file_; }
  const std::string& pointer() const noexcept { return pointer_; }
  const std::string& reason() const noexcept { return reason_; }

  // The what() text for the given parts.
  static std::string format(const std::string& file, const std::string& pointer,
                            const std::string& reason);

 private:
  std::string file_;
  std::string pointer_;
  std::string reason_;
};

// RFC 6901 helpers: append one reference token to a pointer, escaping '~' as
// "~0" and '/' as "~1".
std::string pointer_child(const std::string& parent, const std::string& key);
std::string pointer_child(const std::string& parent, std::size_t index);

}  // namespace bidilab::topologies
