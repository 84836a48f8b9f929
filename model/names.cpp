#include "model/names.hpp"

namespace bidilab::model {

NameTable::NameTable(const std::vector<std::string>& domains) {
    for (const auto& d : domains) add_domain(d);
}

DomainId NameTable::add_domain(const std::string& name) {
    if (auto id = find_domain(name)) return *id;
    if (domains_.size() >= kMaxDomainId) return kNoDomain;  // out of ids: see DomainSet
    domains_.push_back(name);
    return static_cast<DomainId>(domains_.size());
}

std::optional<DomainId> NameTable::find_domain(const std::string& name) const {
    for (std::size_t i = 0; i < domains_.size(); ++i)
        if (domains_[i] == name) return static_cast<DomainId>(i + 1);
    return std::nullopt;
}

std::string NameTable::domain(DomainId id) const {
    if (id == kNoDomain) return "";
    if (id <= domains_.size()) return domains_[id - 1];
    return "domain-" + std::to_string(id);
}

void NameTable::name_secret(SecretId id, const std::string& owner) {
    if (secrets_.size() <= id) secrets_.resize(std::size_t{id} + 1);
    secrets_[id] = owner;
}

std::string NameTable::secret(SecretId id) const {
    return id < secrets_.size() ? secrets_[id] : std::string();
}

std::string NameTable::stream(StreamId id) {
    return id == kNoStream ? std::string() : "id-" + std::to_string(id);
}

}  // namespace bidilab::model
