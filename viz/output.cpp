#include "viz/output.hpp"

#include <fstream>

namespace bidilab::viz {

void write_file(const std::string& file, const std::string& text) {
    std::ofstream out(file, std::ios::binary);
    if (!out) throw OutputError("cannot write '" + file + "'");
    out << text;
    out.close();
    if (!out) throw OutputError("cannot write '" + file + "'");
}

}  // namespace bidilab::viz
