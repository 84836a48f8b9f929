// validate/validator.hpp — does a wire log show behaviour the model allows
// for the servers a topology describes, with the rules holding along it?
//
//   auto r = bidilab::validate::validate(topology, wire_log);
//   r.accepted();          // no finding
//   r.findings[0];         // the first offending line, its rule IDs, why
//   explain_text(r);       // the capture as the model sees it
//
// How elements are mapped, what is inferred and how, and what the validator
// does not check: validate/README.md.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "capture/wire_log.hpp"
#include "topologies/topology.hpp"
#include "validate/finding.hpp"
#include "validate/transcript.hpp"

namespace bidilab::validate {

struct Result {
    std::string topology;  // the topology's name
    std::string capture;   // the capture's file name
    std::vector<Finding> findings;  // empty: accepted; else the first offending element
    std::vector<std::string> notes;  // capture warnings, writes still due when the capture ends, ...
    std::vector<std::string> connections;       // "1 = conn0: capulet.lit (server capulet) dials ..."
    std::vector<TranscriptEntry> transcript;
    // The choices the topology leaves open that the replay asked about, with
    // the branch it took: "verona: features_before_tls = starttls_only".
    std::vector<std::string> branches;

    bool accepted() const { return findings.empty(); }
};

// Replays `log` against `topology`. Throws ValidateError ("FILE:LINE: reason")
// when a connection's servers are not in the topology, and
// std::invalid_argument when the topology exceeds the model's bounds.
// Choices the topology leaves unset are open (either branch is accepted);
// at most kMaxReplays replays are tried.
constexpr int kMaxReplays = 256;
Result validate(const topologies::Topology& topology, const capture::WireLog& log);

// {"verdict": "accepted"|"rejected", "findings": [{"line", "rules", "message"}], "choices": [...], "notes": [...]}
nlohmann::json result_json(const Result& r);
// `s` as valid UTF-8 a terminal shows as text: each byte that is not part of a
// UTF-8 sequence becomes U+FFFD, each control byte but newline and tab "\xNN".
std::string printable(const std::string& s);
// The verdict, the findings and the notes, one per line (printable).
std::string result_text(const Result& r);
// The transcript (see transcript.hpp) followed by result_text.
std::string explain_text(const Result& r);

}  // namespace bidilab::validate
