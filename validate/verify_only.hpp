// validate/verify_only.hpp — which connections of a capture were opened only
// to carry db:verify (XEP-0220 §2.1.2, DB-16): the replay gives them an
// initiating stream of that purpose, which authenticates nothing of its own.
#pragma once

#include <set>
#include <string>

#include "capture/wire_log.hpp"

namespace bidilab::validate {

// The labels of the connections whose initiator writes at least one db:verify
// request and nothing that a stream for stanzas writes: no db:result request,
// no stanza, no SASL <auth/>, no <bidi/>.
std::set<std::string> verify_only_connections(const capture::WireLog& log);

}  // namespace bidilab::validate
