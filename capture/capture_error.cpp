// capture/capture_error.cpp — the one-line error message.
#include "capture/capture_error.hpp"

#include <algorithm>
#include <utility>

namespace bidilab::capture {
namespace {

std::string one_line(std::string s) {
    std::replace(s.begin(), s.end(), '\n', ' ');
    std::replace(s.begin(), s.end(), '\r', ' ');
    return s;
}

}  // namespace

CaptureError::CaptureError(std::string file, std::size_t line, std::string reason)
    : std::runtime_error(one_line(file + ":" + std::to_string(line) + ": " + reason)),
      file_(std::move(file)),
      line_(line),
      reason_(one_line(std::move(reason))) {}

}  // namespace bidilab::capture
