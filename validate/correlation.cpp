#include "validate/correlation.hpp"

namespace bidilab::validate {

namespace {
std::string shorten(const std::string& s) { return s.size() > 16 ? s.substr(0, 12) + "..." : s; }
}  // namespace

std::optional<Problem> Correlation::bind_stream(const std::string& real, model::StreamId id) {
    auto it = streams_.find(real);
    if (it != streams_.end() && it->second != id)
        return Problem{"CORE-7, CORE-15", "stream id '" + shorten(real) + "' was already used (" +
                                              model::NameTable::stream(it->second) +
                                              "): a response header needs a fresh, non-repeating id"};
    streams_[real] = id;
    reals_[id] = real;
    return std::nullopt;
}

model::StreamId Correlation::stream(const std::string& real) {
    if (real.empty()) return model::kNoStream;
    auto it = streams_.find(real);
    if (it != streams_.end()) return it->second;
    const model::StreamId id = next_++;
    streams_[real] = id;
    reals_[id] = real;
    return id;
}

std::string Correlation::real_stream(model::StreamId id) const {
    auto it = reals_.find(id);
    return it == reals_.end() ? std::string() : it->second;
}

std::optional<Problem> Correlation::bind_key(const std::string& text, const model::Key& key) {
    auto it = keys_.find(text);
    if (it != keys_.end() && it->second != key)
        return Problem{"KEY-1", "the dialback key '" + shorten(text) +
                                    "' was already sent for another sender, target or stream id: a key "
                                    "must depend on all of them"};
    keys_[text] = key;
    return std::nullopt;
}

model::Key Correlation::key(const std::string& text) const {
    auto it = keys_.find(text);
    return it == keys_.end() ? model::Key{} : it->second;
}

}  // namespace bidilab::validate
