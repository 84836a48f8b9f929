#include "probe/send_command.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>
#include <vector>

extern char** environ;

namespace bidilab::probe {

std::string run_send_command(const std::string& command, const std::string& from, const std::string& to,
                             std::chrono::milliseconds limit) {
    // Everything the child needs, made before fork(): after it, the child
    // only calls what is safe there.
    std::vector<std::string> env{"BIDILAB_FROM=" + from, "BIDILAB_TO=" + to};
    for (char** e = environ; *e; ++e)
        if (std::strncmp(*e, "BIDILAB_FROM=", 13) != 0 && std::strncmp(*e, "BIDILAB_TO=", 11) != 0) env.emplace_back(*e);
    std::vector<char*> envp;
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    std::string sh = "/bin/sh", dash_c = "-c", text = command;
    char* argv[] = {sh.data(), dash_c.data(), text.data(), nullptr};
    const int null = ::open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null < 0) return std::string("not started: /dev/null: ") + std::strerror(errno);
    const pid_t pid = ::fork();
    if (pid < 0) {
        ::close(null);
        return std::string("not started: fork: ") + std::strerror(errno);
    }
    if (pid == 0) {
        // The child: its own process group (so that a timeout stops what it
        // started too), no input, no output.
        ::setpgid(0, 0);
        ::dup2(null, 0);
        ::dup2(null, 1);
        ::dup2(null, 2);
        ::execve(argv[0], argv, envp.data());
        ::_exit(127);
    }
    ::close(null);
    ::setpgid(pid, pid);  // also here: whichever runs first
    const auto end = std::chrono::steady_clock::now() + limit;
    int status = 0;
    for (;;) {
        const pid_t r = ::waitpid(pid, &status, WNOHANG);
        if (r == pid) break;
        if (r < 0 && errno != EINTR) return std::string("lost: waitpid: ") + std::strerror(errno);
        if (std::chrono::steady_clock::now() >= end) {
            ::kill(-pid, SIGKILL);
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            return "stopped after " + std::to_string(limit.count()) + " ms";
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (WIFEXITED(status)) return "exit " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
    return "ended";
}

}  // namespace bidilab::probe
