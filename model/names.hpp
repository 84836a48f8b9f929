// model/names.hpp — small integer ids for domains, stream ids and dialback
// secrets, and the table that maps them back to names for transcripts.
//
// The machines only ever see ids: a domain is a DomainId (1..31, 0 = absent),
// a set of domains is a bitmask, a stream id is a counter value the global
// model hands out fresh (CORE-7, CORE-15), a secret is the id of the
// administrative network that owns it (KEY-3).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace bidilab::model {

using DomainId = std::uint8_t;
constexpr DomainId kNoDomain = 0;
constexpr DomainId kMaxDomainId = 31;

// A set of domains as a bitmask: bit d is domain d (kNoDomain is never a member).
using DomainSet = std::uint32_t;
constexpr bool contains(DomainSet set, DomainId d) {
    return d != kNoDomain && d <= kMaxDomainId && ((set >> d) & 1u) != 0;
}
constexpr DomainSet with(DomainSet set, DomainId d) {
    return (d == kNoDomain || d > kMaxDomainId) ? set : (set | (DomainSet{1} << d));
}
constexpr DomainSet domain_set(std::initializer_list<DomainId> ds) {
    DomainSet s = 0;
    for (DomainId d : ds) s = with(s, d);
    return s;
}

using StreamId = std::uint16_t;  // 0: no id (initial headers carry none, CORE-16)
constexpr StreamId kNoStream = 0;

using SecretId = std::uint8_t;  // 0: no secret
constexpr SecretId kNoSecret = 0;

// Maps ids to names for XML and one-line descriptions. Domain ids are handed
// out in the order of add(), starting at 1.
class NameTable {
public:
    NameTable() = default;
    explicit NameTable(const std::vector<std::string>& domains);

    DomainId add_domain(const std::string& name);   // existing name: its id
    std::optional<DomainId> find_domain(const std::string& name) const;
    std::string domain(DomainId id) const;          // "" for kNoDomain, "domain-N" if unknown
    std::size_t domain_count() const { return domains_.size(); }

    void name_secret(SecretId id, const std::string& owner);  // e.g. the server's name
    std::string secret(SecretId id) const;                     // "" when unnamed

    static std::string stream(StreamId id);  // "id-3"; "" for kNoStream

private:
    std::vector<std::string> domains_;  // domains_[i] is domain id i + 1
    std::vector<std::string> secrets_;  // secrets_[i] is secret id i
};

}  // namespace bidilab::model
