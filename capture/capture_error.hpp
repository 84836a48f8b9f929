// capture/capture_error.hpp — the one exception the capture reader throws.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

namespace bidilab::capture {

// what() is exactly one line, "FILE:LINE: reason" (LINE is 1-based; 0 when
// the file itself cannot be read). Newlines in the reason become spaces.
class CaptureError : public std::runtime_error {
public:
    CaptureError(std::string file, std::size_t line, std::string reason);

    const std::string& file() const { return file_; }
    std::size_t line() const { return line_; }
    const std::string& reason() const { return reason_; }

private:
    std::string file_;
    std::size_t line_;
    std::string reason_;
};

}  // namespace bidilab::capture
