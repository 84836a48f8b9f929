// tests/support/run_program.hpp — run a program of the project through the
// shell, as a user would, and collect its exit code and output.
#pragma once

#include <cstdio>
#include <string>
#include <sys/wait.h>

namespace test_support {

struct Result {
    int code;         // the exit code; -1 if the program did not exit (a signal)
    std::string out;  // what it wrote to stdout, or to stderr when that was asked for
};

// Runs a shell command line; its exit code and stdout.
inline Result run_shell(const std::string& command) {
    FILE* p = popen(command.c_str(), "r");
    std::string out;
    char buf[4096];
    while (std::size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
    const int status = pclose(p);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

// Runs `program args`: its stdout (stderr discarded), or its stderr (stdout discarded).
inline Result run_program(const std::string& program, const std::string& args, bool want_stderr = false) {
    return run_shell(program + " " + args + (want_stderr ? " 2>&1 >/dev/null" : " 2>/dev/null"));
}

}  // namespace test_support
