// validate/element_match.hpp — does a captured element say what the writing
// endpoint's machine emitted? Only what the model sees is compared (kinds,
// domains, features as a set, types, conditions, correlated ids); literal ids
// and keys are bound by the caller (Correlation).
#pragma once

#include <optional>
#include <string>

#include "model/element.hpp"
#include "validate/finding.hpp"

namespace bidilab::validate {

// Same kind and, for db:result / db:verify, both requests or both answers:
// the captured element is meant to be the one the machine emitted.
bool same_category(const model::Element& emitted, const model::Element& captured);

// nullopt when `captured` is `emitted` as far as the model sees; else the
// rules the difference breaks. `by_initiator`: the writer dialled the
// connection. A typed db:verify answer may say invalid (or error) where the
// model's key check says valid: the validity of a key is the authoritative
// server's to decide (the validator checks correlation, not cryptography).
std::optional<Problem> compare_write(const model::Element& emitted, const model::Element& captured,
                                     const model::NameTable& names, bool by_initiator);

// "{starttls (required), dialback, bidi}"
std::string feature_list(model::Features f);

}  // namespace bidilab::validate
