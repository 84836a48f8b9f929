// probe/dialback_key.hpp — the dialback key of XEP-0185 (KEY-2):
// HMAC-SHA256(SHA256(secret), {Receiving Server, ' ', Originating Server,
// ' ', Stream ID}), in lower-case hex, as the played servers send it.
#pragma once

#include <string>

namespace bidilab::probe {

std::string dialback_key(const std::string& secret, const std::string& receiving, const std::string& originating,
                         const std::string& stream_id);

}  // namespace bidilab::probe
