// probe/judge.hpp — judges a scenario's wire log with `validate`, as it
// grows and once it is complete.
//
// Online (Judge::deviation): each time the live server has written an
// element, the exchange so far is replayed against the scenario's topology
// with every branch the topology leaves open (validate::validate: the model
// states consistent with everything seen so far; the live server's choices
// are nondeterminism). If no branch allows it and the first element the
// model does not allow is one the live server wrote, that element is the
// deviation: the session stops there, before the played servers read it
// (probe/session.hpp), so nothing the probe writes afterwards rests on a
// state the model says cannot be. A verdict of the prefix is the verdict of
// the whole: a replay reads the log in order and stops at its first finding,
// so the judgement of the complete log (judge_log) finds the same line.
//
// At the end (judge_log): the complete log, which is what `bidilab validate`
// is given (the --wire-dir files), decides the scenario's verdict.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "topologies/topology.hpp"

namespace bidilab::probe {

// The judgement of a log: "conforms", "deviates", or "inconclusive".
struct Judgement {
    std::string verdict;
    std::vector<std::string> rules;
    std::size_t line = 0;  // the log's line of the finding (0: none)
    std::string message;
    std::string explain;  // validate's transcript of the log
};

class Judge {
public:
    // `head`: the comment lines the final log starts with (so that line
    // numbers are the final log's); `file`: the log's name in findings.
    Judge(const topologies::Topology& topology, const topologies::Server& live, std::string head, std::string file);

    // Beyond this many bytes of log the exchange is judged only once it is
    // complete (a live server that floods would otherwise be replayed
    // quadratically); an s2s exchange of a scenario is a few KiB.
    static constexpr std::size_t kOnlineBytes = std::size_t{1} << 20;

    // The exchange so far (without the head), after the live server wrote:
    // the line of its first element the model does not allow, if there is
    // one. Text that is not (yet) well-formed is left to judge_log (an
    // element may still be coming).
    std::optional<std::size_t> deviation(const std::string& log_so_far);
    std::size_t judged() const { return judged_; }  // replays of a prefix so far

    // The complete log (with the head). `problem`: why the session could
    // not be completed ("" if it ended quiet); `elements_read`: what the
    // live server wrote, in elements.
    Judgement judge_log(const std::string& log, const std::string& problem, std::size_t elements_read) const;

private:
    bool live_line(const std::string& log, std::size_t line) const;

    const topologies::Topology& topology_;
    const topologies::Server& live_;
    std::string head_, file_;
    std::size_t judged_ = 0;
};

// The writer column of line `n` (1-based) of a wire log, "" for a comment.
std::string writer_of_line(const std::string& log, std::size_t n);

}  // namespace bidilab::probe
