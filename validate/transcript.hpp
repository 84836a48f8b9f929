// validate/transcript.hpp — a capture as the model sees it (--explain): each
// element as model XML with its connection and direction (I1 → R1: the
// initiating end of connection 1 writes, its receiving end reads), each input
// the validator inferred (TCP up, TLS done, local commands, verification
// results carried over from another connection), each endpoint's state after
// it, and the capture line in front.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "model/initiating_stream.hpp"
#include "model/receiving_stream.hpp"

namespace bidilab::validate {

struct TranscriptEntry {
    std::size_t line = 0;  // the capture line; 0: after the capture ends
    std::string who;       // "I1 → R1", "R1 → I1" (a wire element), "I1", "R2" (an input or output of one end)
    std::string xml;       // model XML; non-wire elements as XML comments
    std::string states;    // both ends of the connection after it
    std::string note;      // "inferred", "discarded: the stream is closed", a finding, ...
};

// "I1 Established [id-2 tls bidi sasl; capulet.lit→montague.lit valid]"
std::string describe_endpoint(int number, const model::InitiatingStream& s, const model::NameTable& names);
std::string describe_endpoint(int number, const model::ReceivingStream& s, const model::NameTable& names);

// The transcript as text: a header (one line per connection), then the entries.
std::string transcript_text(const std::vector<std::string>& connections, const std::vector<TranscriptEntry>& entries);

}  // namespace bidilab::validate
