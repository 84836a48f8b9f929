#include "topologies/topology_error.hpp"

#include <utility>

namespace bidilab::topologies {

namespace {

std::string one_line(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return text;
}

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
