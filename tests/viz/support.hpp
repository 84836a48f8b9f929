// Helpers of the viz tests: files, processes, and the text of an SVG.
#pragma once

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>

#include "model/scenario.hpp"
#include "properties/catalogue.hpp"
#include "topologies/topology.hpp"

namespace viztest {

inline const std::string topologies = std::string(SOURCE_DIR) + "/topologies/";

inline std::string read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

struct Result {
    int code;
    std::string out;
};

// Runs a shell command; its standard output (or standard error, if asked).
inline Result run(const std::string& command, bool want_stderr = false) {
    std::string cmd = command + (want_stderr ? " 2>&1 >/dev/null" : " 2>/dev/null");
    FILE* p = popen(cmd.c_str(), "r");
    std::string out;
    char buf[4096];
    while (std::size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
    int status = pclose(p);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

inline Result bidilab(const std::string& args, bool want_stderr = false) {
    return run(std::string(BIDILAB) + " " + args, want_stderr);
}

// A fresh directory for one test.
inline std::string scratch(const std::string& name) {
    auto dir = std::filesystem::path(::testing::TempDir()) / ("viz-" + name);
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir.string();
}

// The characters of SVG text as Graphviz escapes them, turned back.
inline std::string svg_text(std::string s) {
    const std::pair<const char*, const char*> entities[] = {
        {"&#45;", "-"}, {"&gt;", ">"}, {"&lt;", "<"}, {"&quot;", "\""}, {"&apos;", "'"}, {"&#39;", "'"}, {"&amp;", "&"}};
    for (auto [from, to] : entities)
        for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + 1))
            s.replace(at, std::string(from).size(), to);
    return s;
}

inline bidilab::properties::CheckedModel model_of(const std::string& topology) {
    return bidilab::properties::CheckedModel(
        bidilab::model::make_scenario(bidilab::topologies::load_topology(topologies + topology + ".json")));
}

}  // namespace viztest
