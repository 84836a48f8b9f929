// Domain names and JIDs as the topology format accepts them.
//
// Domains follow a simple DNS pattern, checked as written (nothing is folded):
//   - 1 to 253 bytes, labels separated by single dots, no leading or trailing dot;
//   - each label 1 to 63 bytes of [a-z0-9-], not starting or ending with '-';
//   - uppercase letters are rejected rather than lowercased, so that every domain
//     is spelled in the file exactly as reports and traces will print it.
// One-label domains ("localhost") are accepted.
//
// JIDs are [local@]domain[/resource] (RFC 7622 split: the domain part ends at the
// first '/', the local part is what precedes the first '@' before that):
//   - local part: 1 to 1023 bytes, no space, no control character, none of
//     " & ' / : < > @ (the characters RFC 7622 forbids in localparts);
//   - resource: 1 to 1023 bytes, no control character (spaces are allowed);
//   - domain part: a domain as above.
// Non-ASCII bytes are accepted in the local part and resource without further
// checks (the JSON parser already guarantees valid UTF-8).
#pragma once

#include <optional>
#include <string>

namespace bidilab::topologies {

struct Jid {
  std::string local;     // empty when absent
  std::string domain;
  std::string resource;  // empty when absent

  std::string to_string() const;
};

bool operator==(const Jid& a, const Jid& b);
bool operator!=(const Jid& a, const Jid& b);

// Why `domain` is not a valid domain, or nullopt when it is.
std::optional<std::string> why_invalid_domain(const std::string& domain);
bool is_valid_domain(const std::string& domain);

// Certificate names are domains, optionally with a wildcard as the whole
// leftmost label ("*.montague.lit").
std::optional<std::string> why_invalid_certificate_name(const std::string& name);

// Why `text` is not a valid JID, or nullopt when it is.
std::optional<std::string> why_invalid_jid(const std::string& text);

// The parsed JID, or nullopt when `text` is not a valid JID.
std::optional<Jid> parse_jid(const std::string& text);

// The domain part of `text` by the RFC 7622 split, without validation.
std::string jid_domain(const std::string& text);

// True when certificate name `name` (exact or "*.rest") matches `domain`.
// A wildcard matches exactly one leftmost label (RFC 6125 §6.4.3).
bool certificate_name_matches(const std::string& name, const std::string& domain);

}  // namespace bidilab::topologies
