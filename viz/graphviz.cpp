#include "viz/graphviz.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fstream>
#include <iostream>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace bidilab::viz {

namespace {
// SIGPIPE ignored while we write to dot: if it dies early, write() fails
// with EPIPE instead of killing us.
struct IgnoreSigpipe {
    struct sigaction old {};
    IgnoreSigpipe() {
        struct sigaction ignore {};
        ignore.sa_handler = SIG_IGN;
        sigemptyset(&ignore.sa_mask);
        sigaction(SIGPIPE, &ignore, &old);
    }
    ~IgnoreSigpipe() { sigaction(SIGPIPE, &old, nullptr); }
};
}  // namespace

void render_svg(const std::string& dot, const std::string& svg_file) {
    const bool to_stdout = svg_file == "-";  // dot writes to ours
    if (to_stdout) {
        std::cout.flush();
    } else {  // dot would report an unwritable file less clearly
        std::ofstream probe(svg_file, std::ios::binary | std::ios::app);
        if (!probe) throw OutputError("cannot write '" + svg_file + "'");
    }
    int fds[2];
    if (pipe(fds) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[0], STDIN_FILENO);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    posix_spawn_file_actions_addclose(&actions, fds[1]);
    std::string program = "dot", format = "-Tsvg", flag = "-o", output = svg_file;
    char* argv[] = {program.data(), format.data(), to_stdout ? nullptr : flag.data(), output.data(), nullptr};
    pid_t pid = 0;
    const int spawned = posix_spawnp(&pid, "dot", &actions, nullptr, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    close(fds[0]);
    if (spawned != 0) {
        close(fds[1]);
        throw std::runtime_error("cannot run 'dot' (is Graphviz installed?): " + std::string(std::strerror(spawned)));
    }
    bool written = true;
    {
        IgnoreSigpipe guard;
        const char* p = dot.data();
        std::size_t left = dot.size();
        while (left > 0) {
            ssize_t n = write(fds[1], p, left);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) {
                written = false;
                break;
            }
            p += n;
            left -= static_cast<std::size_t>(n);
        }
        close(fds[1]);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) throw std::runtime_error(std::string("waitpid: ") + std::strerror(errno));
    if (to_stdout && WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE)
        throw OutputError("cannot write to standard output (closed)");
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !written) {
        if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
            throw std::runtime_error("cannot run 'dot' (is Graphviz installed?)");
        throw std::runtime_error("dot -Tsvg failed" +
                                 (WIFEXITED(status) ? " with exit code " + std::to_string(WEXITSTATUS(status))
                                                    : std::string(" (killed by a signal)")));
    }
}

}  // namespace bidilab::viz
