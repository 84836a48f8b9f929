// validate/correlation.hpp — the literal values of a capture that the model
// treats as opaque tokens: real stream ids become model StreamIds, real
// dialback keys become model Keys. A validator compares correlation (this key
// was sent for that stream id; this verify names that stream), never the
// literal values, which change from run to run.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "model/element.hpp"
#include "validate/finding.hpp"

namespace bidilab::validate {

class Correlation {
public:
    // The counter fresh model stream ids come from: the receiving machines take
    // theirs from it (Context::next_stream_id), and so do real ids that appear
    // outside any header. Ids are thus handed out in first-appearance order.
    model::StreamId& next_stream_id() { return next_; }

    // Binds the id of a captured response header to the id the receiving
    // machine minted for it. A Problem (CORE-7, CORE-15) when the real id was
    // seen before: stream ids must never repeat.
    std::optional<Problem> bind_stream(const std::string& real, model::StreamId id);
    // The model id of a real id met in a db:verify; one not seen before gets a
    // fresh id that no machine uses (so it correlates with nothing).
    model::StreamId stream(const std::string& real);
    // The real id bound to a model id ("" when none), for transcripts.
    std::string real_stream(model::StreamId id) const;

    // Binds the key text of a captured db:result request to the Key the
    // writing machine minted (sender, target, stream id, its server's secret).
    // A Problem (KEY-1) when the same text was already bound to another Key.
    std::optional<Problem> bind_key(const std::string& text, const model::Key& key);
    // The Key a key text was bound to; an unknown text is a Key no server
    // minted (it verifies as invalid).
    model::Key key(const std::string& text) const;
    bool knows_key(const std::string& text) const { return keys_.count(text) != 0; }

private:
    std::map<std::string, model::StreamId> streams_;
    std::map<model::StreamId, std::string> reals_;
    std::map<std::string, model::Key> keys_;
    model::StreamId next_ = 1;
};

}  // namespace bidilab::validate
