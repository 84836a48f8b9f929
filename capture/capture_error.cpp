// capture/capture_error.cpp — the one-line error message.
#include "capture/capture_error.hpp"

#include <utility>

#include "sim/printable.hpp"

namespace bidilab::capture {
namespace {

// One line, whatever the capture held: control bytes escaped, invalid UTF-8 replaced.
std::string one_line(const std::string& s) { return sim::printable_line(s); }

}  // namespace

CaptureError::CaptureError(std::string file, std::size_t line, std::string reason)
    : std::runtime_error(one_line(file + ":" + std::to_string(line) + ": " + reason)),
      file_(std::move(file)),
      line_(line),
      reason_(one_line(std::move(reason))) {}

}  // namespace bidilab::capture
