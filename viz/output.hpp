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

// Writes `text` to `file` ("-": standard output), or throws OutputError.
void write_file(const std::string& file, const std::string& text);

// `s` as character data or an attribute value of SVG or HTML: & < > " ' as
// entity references (&apos; is XML's, and HTML5 knows it too).
std::string xml_escape(const std::string& s);

}  // namespace bidilab::viz
