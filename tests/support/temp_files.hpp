// tests/support/temp_files.hpp — paths in the test's temporary folder
// (checkpoint files and the like) that are removed when the test program
// ends, so that runs of the suite leave nothing behind.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace test_support {

// ::testing::TempDir() + name, removed at the program's exit (the callers'
// names carry their pid: ctest runs test programs side by side).
inline std::string temp_path(const std::string& name) {
    struct Remover {
        std::vector<std::string> paths;
        ~Remover() {
            for (const auto& p : paths) std::remove(p.c_str());
        }
    };
    static Remover remover;
    std::string path = ::testing::TempDir() + name;
    remover.paths.push_back(path);
    return path;
}

}  // namespace test_support
