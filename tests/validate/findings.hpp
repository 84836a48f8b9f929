// tests/validate/findings.hpp — what the validator tests expect of a Result.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "validate/validator.hpp"

namespace bidilab::validate {

// The first finding is on `line` and names every rule of `rules`.
inline void expect_rejected(const Result& r, std::size_t line, const std::vector<std::string>& rules) {
    ASSERT_FALSE(r.accepted()) << explain_text(r);
    ASSERT_EQ(r.findings.size(), 1u);
    const Finding& f = r.findings[0];
    EXPECT_EQ(f.line, line) << f.describe();
    for (const auto& id : rules)
        EXPECT_NE(std::find(f.rules.begin(), f.rules.end(), id), f.rules.end()) << id << " missing: " << f.describe();
}

// A capture's whole text (to be changed in a test before it is parsed).
inline std::string file_text(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// The validator's result on capture BASE.log (against BASE.topology.json)
// with the first `from` in its text replaced by `replacement`.
inline Result validate_changed(const std::string& base, const std::string& from, const std::string& replacement) {
    std::string text = file_text(base + ".log");
    const std::size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), replacement);
    return validate(topologies::load_topology(base + ".topology.json"), capture::parse_wire_log(text, base + ".log"));
}

}  // namespace bidilab::validate
