// probe/send_command.hpp — the user's way to make the live server send a
// stanza (`bidilab probe --send-command CMD`): the probe cannot ask a live
// server to speak first over s2s, but a scenario may need it to (the live
// server's stanza to a domain, to see which connection it takes). CMD is run
// by /bin/sh with BIDILAB_FROM (the live server's domain) and BIDILAB_TO (the
// domain to send to) in its environment, its input /dev/null, its output
// discarded, for at most `limit`; then it is killed (by its PID, and its
// process group).
#pragma once

#include <chrono>
#include <string>

namespace bidilab::probe {

// "exit 0", "exit 3", "killed by signal 9", "stopped after 15000 ms", or why
// it could not be started.
std::string run_send_command(const std::string& command, const std::string& from, const std::string& to,
                             std::chrono::milliseconds limit);

}  // namespace bidilab::probe
