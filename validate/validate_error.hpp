// validate/validate_error.hpp — a capture the validator cannot replay against
// a topology (unreadable input, exit 2): what() is one line, "FILE:LINE: reason".
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

namespace bidilab::validate {

class ValidateError : public std::runtime_error {
public:
    ValidateError(const std::string& file, std::size_t line, const std::string& reason)
        : std::runtime_error(file + ":" + std::to_string(line) + ": " + reason) {}
};

}  // namespace bidilab::validate
