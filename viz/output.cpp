#include "viz/output.hpp"

#include <fstream>
#include <iostream>

namespace bidilab::viz {

void write_file(const std::string& file, const std::string& text) {
    if (file == "-") {  // standard output
        std::cout << text << std::flush;
        if (!std::cout) throw OutputError("cannot write to standard output");
        return;
    }
    std::ofstream out(file, std::ios::binary);
    if (!out) throw OutputError("cannot write '" + file + "'");
    out << text;
    out.close();
    if (!out) throw OutputError("cannot write '" + file + "'");
}

std::string xml_escape(const std::string& s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&apos;"; break;
            default: out += c;
        }
    }
    return out;
}

}  // namespace bidilab::viz
