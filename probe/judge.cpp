#include "probe/judge.hpp"

#include <sstream>
#include <utility>

#include "capture/capture_error.hpp"
#include "capture/wire_log.hpp"
#include "validate/validate_error.hpp"
#include "validate/validator.hpp"

namespace bidilab::probe {

std::string writer_of_line(const std::string& log, std::size_t n) {
    std::istringstream in(log);
    std::string line;
    for (std::size_t i = 1; std::getline(in, line); ++i) {
        if (i != n) continue;
        std::istringstream fields(line);
        std::string seconds, conn, dir, writer;
        fields >> seconds >> conn >> dir >> writer;
        return line.empty() || line[0] == '#' ? "" : writer;
    }
    return "";
}

Judge::Judge(const topologies::Topology& topology, const topologies::Server& live, std::string head, std::string file)
    : topology_(topology), live_(live), head_(std::move(head)), file_(std::move(file)) {}

bool Judge::live_line(const std::string& log, std::size_t line) const {
    const std::string w = writer_of_line(log, line);
    return !w.empty() && live_.hosts(w);
}

std::optional<std::size_t> Judge::deviation(const std::string& log_so_far) {
    if (log_so_far.size() > kOnlineBytes) return std::nullopt;
    const std::string log = head_ + log_so_far;
    try {
        ++judged_;
        const validate::Result v = validate::validate(topology_, capture::parse_wire_log(log, file_));
        // A finding at a line a played server wrote is the probe's own
        // fault, not the live server's: judge_log says so at the end.
        if (!v.accepted() && live_line(log, v.findings.front().line)) return v.findings.front().line;
    } catch (const capture::CaptureError&) {
    } catch (const validate::ValidateError&) {
    }
    return std::nullopt;
}

Judgement Judge::judge_log(const std::string& log, const std::string& problem, std::size_t elements_read) const {
    Judgement r;
    try {
        const validate::Result v = validate::validate(topology_, capture::parse_wire_log(log, file_));
        r.explain = validate::explain_text(v);
        if (!v.accepted()) {
            const validate::Finding& f = v.findings.front();
            r.line = f.line;
            r.rules = f.rules;
            r.message = f.message;
            r.verdict = live_line(log, f.line) ? "deviates" : "inconclusive";
            if (r.verdict == "inconclusive")
                r.message = "a fault of the probe: the finding is at a line a played server wrote: " + r.message;
            return r;
        }
    } catch (const capture::CaptureError& e) {
        r.line = e.line();
        // XML that is not well-formed (RFC 6120 §11.3; no rule of the catalogue
        // names it): the line it breaks at.
        r.message = "not well-formed XML (RFC 6120 section 11.3): " + e.reason();
        r.verdict = live_line(log, e.line()) ? "deviates" : "inconclusive";
        if (r.verdict == "inconclusive" && !problem.empty()) r.message = problem;  // e.g. nothing exchanged
        return r;
    } catch (const validate::ValidateError& e) {
        r.verdict = "inconclusive";
        r.message = problem.empty() ? e.what() : problem;
        return r;
    }
    if (!problem.empty()) {
        r.verdict = "inconclusive";
        r.message = problem;
    } else if (elements_read == 0) {
        r.verdict = "inconclusive";
        r.message = "the live server wrote nothing";
    } else {
        r.verdict = "conforms";
    }
    return r;
}

}  // namespace bidilab::probe
