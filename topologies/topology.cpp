#include "topologies/topology.hpp"

#include <algorithm>
#include <string>
#include <utility>

#ifndef BIDILAB_SHIPPED_TOPOLOGIES_DIR
#error "BIDILAB_SHIPPED_TOPOLOGIES_DIR must be defined by the build"
#endif

namespace bidilab::topologies {

bool Certificate::covers(const std::string& domain) const {
  return std::any_of(names.begin(), names.end(), [&](const std::string& name) {
    return certificate_name_matches(name, domain);
  });
}

const char* to_string(TlsPolicy policy) {
  switch (policy) {
    case TlsPolicy::Required:
      return "required";
    case TlsPolicy::Offered:
      return "offered";
    case TlsPolicy::None:
      return "none";
  }
  return "offered";
}

std::optional<TlsPolicy> parse_tls_policy(const std::string& text) {
  for (TlsPolicy policy : {TlsPolicy::Required, TlsPolicy::Offered, TlsPolicy::None}) {
    if (text == to_string(policy)) return policy;
  }
  return std::nullopt;
}

const char* to_string(BidiAdvertisement advertisement) {
  switch (advertisement) {
    case BidiAdvertisement::WhenUsable:
      return "when_usable";
    case BidiAdvertisement::PreAndPostTls:
      return "pre_and_post_tls";
  }
  return "when_usable";
}

std::optional<BidiAdvertisement> parse_bidi_advertisement(const std::string& text) {
  for (BidiAdvertisement a : {BidiAdvertisement::WhenUsable, BidiAdvertisement::PreAndPostTls}) {
    if (text == to_string(a)) return a;
  }
  return std::nullopt;
}

const char* to_string(StreamVersion version) {
  switch (version) {
    case StreamVersion::V1_0:
      return "1.0";
    case StreamVersion::V0_9:
      return "0.9";
  }
  return "1.0";
}

std::optional<StreamVersion> parse_stream_version(const std::string& text) {
  for (StreamVersion v : {StreamVersion::V1_0, StreamVersion::V0_9}) {
    if (text == to_string(v)) return v;
  }
  return std::nullopt;
}

const char* to_string(StanzaKind kind) {
  switch (kind) {
    case StanzaKind::Message:
      return "message";
    case StanzaKind::Presence:
      return "presence";
    case StanzaKind::IqGet:
      return "iq-get";
    case StanzaKind::IqResult:
      return "iq-result";
  }
  return "message";
}

std::optional<StanzaKind> parse_stanza_kind(const std::string& text) {
  for (StanzaKind kind :
       {StanzaKind::Message, StanzaKind::Presence, StanzaKind::IqGet, StanzaKind::IqResult}) {
    if (text == to_string(kind)) return kind;
  }
  return std::nullopt;
}

std::string default_stanza_id(std::size_t index) { return "s" + std::to_string(index); }

bool Server::hosts(const std::string& domain) const {
  return std::find(domains.begin(), domains.end(), domain) != domains.end();
}

bool Server::has_quirk(const std::string& quirk) const {
  return std::find(quirks.begin(), quirks.end(), quirk) != quirks.end();
}

std::optional<std::size_t> Topology::server_of_domain(const std::string& domain) const {
  for (std::size_t i = 0; i < servers.size(); ++i) {
    if (servers[i].hosts(domain)) return i;
  }
  return std::nullopt;
}

std::optional<std::size_t> Topology::server_index(const std::string& server_name) const {
  for (std::size_t i = 0; i < servers.size(); ++i) {
    if (servers[i].name == server_name) return i;
  }
  return std::nullopt;
}

std::vector<std::string> Topology::hosted_domains() const {
  std::vector<std::string> out;
  for (const Server& server : servers) {
    out.insert(out.end(), server.domains.begin(), server.domains.end());
  }
  return out;
}

bool operator==(const Certificate& a, const Certificate& b) {
  return a.names == b.names && a.trusted == b.trusted;
}
bool operator!=(const Certificate& a, const Certificate& b) { return !(a == b); }

bool operator==(const Server& a, const Server& b) {
  return a.name == b.name && a.domains == b.domains && a.certificate == b.certificate &&
         a.tls == b.tls && a.sasl_external == b.sasl_external && a.dialback == b.dialback &&
         a.dialback_errors == b.dialback_errors && a.bidi == b.bidi &&
         a.attacker == b.attacker && a.quirks == b.quirks &&
         a.bidi_advertisement == b.bidi_advertisement && a.sasl_authzid == b.sasl_authzid &&
         a.unknown_target_stream_error == b.unknown_target_stream_error &&
         a.reverse_dialback == b.reverse_dialback &&
         a.verify_only_connections == b.verify_only_connections &&
         a.stream_version == b.stream_version && a.multiplexing == b.multiplexing &&
         a.choices == b.choices;
}
bool operator!=(const Server& a, const Server& b) { return !(a == b); }

bool operator==(const Stanza& a, const Stanza& b) {
  return a.from == b.from && a.to == b.to && a.kind == b.kind && a.id == b.id;
}
bool operator!=(const Stanza& a, const Stanza& b) { return !(a == b); }

bool operator==(const Faults& a, const Faults& b) { return a.resets == b.resets; }
bool operator!=(const Faults& a, const Faults& b) { return !(a == b); }

bool operator==(const Topology& a, const Topology& b) {
  return a.name == b.name && a.description == b.description && a.servers == b.servers &&
         a.stanzas == b.stanzas && a.faults == b.faults && a.schedule == b.schedule &&
         a.policy == b.policy && a.expect == b.expect && a.source_file == b.source_file;
}

bool operator==(const Expectation& a, const Expectation& b) {
  return a.stanza == b.stanza && a.server == b.server && a.pair == b.pair && a.fate == b.fate &&
         a.never == b.never;
}

std::string describe(const Expectation& e) {
  if (e.stanza) return "#" + std::to_string(*e.stanza) + (e.fate.empty() ? " never " + e.never : " always " + e.fate);
  if (!e.server.empty()) return e.server + " never " + e.never;
  if (e.pair.size() == 2) return e.pair[0] + " → " + e.pair[1] + " never by " + e.never;
  return "?";
}
bool operator!=(const Topology& a, const Topology& b) { return !(a == b); }

LoadOptions LoadOptions::with_known_quirks(const std::set<std::string>& names) {
  LoadOptions options;
  options.is_known_quirk = [names](const std::string& quirk) { return names.count(quirk) > 0; };
  options.known_quirk_names.assign(names.begin(), names.end());
  return options;
}

std::filesystem::path shipped_topologies_dir() {
  return std::filesystem::path(BIDILAB_SHIPPED_TOPOLOGIES_DIR);
}

std::filesystem::path default_topology_file() {
  return shipped_topologies_dir() / "capulet-montague.json";
}

}  // namespace bidilab::topologies
