// viz/graphviz.hpp — Graphviz lays out and renders what viz/ writes as DOT:
// `dot -Tsvg` runs as a subprocess (found on PATH), DOT on its standard input.
#pragma once

#include <string>

#include "viz/output.hpp"

namespace bidilab::viz {

// Lays out DOT text with `dot -Tsvg` and writes the SVG to `svg_file`.
// Throws OutputError if the file cannot be written, std::runtime_error if dot
// cannot be run or fails (its messages go to standard error).
void render_svg(const std::string& dot, const std::string& svg_file);

}  // namespace bidilab::viz
