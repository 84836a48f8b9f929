// tests/support/library.hpp — the shipped topology library (the top level
// and the mutants), for tests that sweep it with one test per topology.
#pragma once

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "properties/quirks.hpp"
#include "topologies/topology.hpp"

namespace test_support {

// Every shipped topology and mutant, as paths, sorted.
inline std::vector<std::string> library_files() {
    namespace fs = std::filesystem;
    std::vector<std::string> files;
    for (const auto& dir : {bidilab::topologies::shipped_topologies_dir(),
                            bidilab::topologies::shipped_topologies_dir() / "mutants"})
        for (const auto& e : fs::directory_iterator(dir))
            if (e.path().extension() == ".json") files.push_back(e.path().string());
    std::sort(files.begin(), files.end());
    return files;
}

// A library file, its mutants' quirks known.
inline bidilab::topologies::Topology load_library_topology(const std::filesystem::path& p) {
    return bidilab::topologies::load_topology(
        p, bidilab::topologies::LoadOptions::with_known_quirks(bidilab::properties::quirk_names()));
}

// The test name of a library file: its stem, "mutant_" before a mutant's.
inline std::string library_test_name(const ::testing::TestParamInfo<std::string>& info) {
    namespace fs = std::filesystem;
    std::string name = fs::path(info.param).parent_path().filename().string() == "mutants"
                           ? "mutant_" + fs::path(info.param).stem().string()
                           : fs::path(info.param).stem().string();
    for (char& c : name)
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
    return name;
}

}  // namespace test_support
