#include "topologies/topology_error.hpp"

#include <utility>

#include "sim/printable.hpp"

namespace bidilab::topologies {

namespace {

// One line, whatever the file held: a value quoted in a reason may hold any byte.
std::string one_line(const std::string& text) { return sim::printable_line(text); }

}  // namespace

TopologyError::TopologyError(std::string file, std::string pointer, std::string reason)
    : std::runtime_error(format(file, pointer, reason)),
      file_(std::move(file)),
      pointer_(std::move(pointer)),
      reason_(std::move(reason)) {}

std::string TopologyError::format(const std::string& file, const std::string& pointer,
                                  const std::string& reason) {
  const std::string shown_file = file.empty() ? "(no file)" : file;
  const std::string shown_pointer = pointer.empty() ? "(root)" : pointer;
  return one_line(shown_file) + ": " + one_line(shown_pointer) + ": " + one_line(reason);
}

std::string pointer_child(const std::string& parent, const std::string& key) {
  std::string out = parent;
  out += '/';
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

std::string pointer_child(const std::string& parent, std::size_t index) {
  return parent + "/" + std::to_string(index);
}

}  // namespace bidilab::topologies
