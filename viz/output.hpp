// viz/output.hpp — writing what viz/ draws to files.
#pragma once

#include <stdexcept>
#include <string>

namespace bidilab::viz {

// A file that cannot be written ("cannot write 'FILE'"): a command reports it
// as bad usage (exit 2).
struct OutputError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Writes `text` to `file`, or throws OutputError.
void write_file(const std::string& file, const std::string& text);

}  // namespace bidilab::viz
