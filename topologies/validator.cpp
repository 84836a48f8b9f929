// Semantic checks on a structurally sound topology. Pointers are computed from
// vector indices, so they match the input file and to_json() alike.
#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "topologies/topology.hpp"

namespace bidilab::topologies {

namespace {

constexpr std::size_t kMaxNameBytes = 64;

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '.' || c == '_' || c == '-';
}

// Topology and server names: 1 to 64 characters of [A-Za-z0-9._-], starting
// with a letter or digit. They end up in reports, file names and graph labels.
bool is_valid_name(const std::string& name) {
  if (name.empty() || name.size() > kMaxNameBytes) return false;
  if (name.front() == '.' || name.front() == '_' || name.front() == '-') return false;
  for (char c : name) {
    if (!is_name_char(c)) return false;
  }
  return true;
}

class Validator {
 public:
  Validator(const Topology& topology, const LoadOptions& options)
      : topology_(topology), options_(options) {}

  void run() {
    check_name("/name", "topology", topology_.name);
    check_servers();
    check_stanzas();
    check_faults();
    check_schedule();
    check_policy();
    check_expectations();
  }

 private:
  [[noreturn]] void fail(const std::string& at, const std::string& reason) const {
    throw TopologyError(topology_.source_file, at, reason);
  }

  void check_name(const std::string& at, const char* what, const std::string& name) const {
    if (!is_valid_name(name)) {
      fail(at, std::string("invalid ") + what + " name '" + name +
                   "': use 1 to 64 characters from A-Z a-z 0-9 . _ -, starting with a letter "
                   "or digit");
    }
  }

  void check_servers() {
    if (topology_.servers.empty()) fail("/servers", "the servers list is empty; give at least one");
    std::map<std::string, std::size_t> server_names;
    for (std::size_t i = 0; i < topology_.servers.size(); ++i) {
      const Server& server = topology_.servers[i];
      const std::string at = pointer_child("/servers", i);
      check_name(pointer_child(at, "name"), "server", server.name);
      const auto [first, inserted] = server_names.emplace(server.name, i);
      if (!inserted) {
        fail(pointer_child(at, "name"), "duplicate server name '" + server.name +
                                            "' (already used by " +
                                            pointer_child("/servers", first->second) + ")");
      }
      check_domains(server, i);
      if (server.certificate) check_certificate(*server.certificate, pointer_child(at, "certificate"));
      check_quirks(server, pointer_child(at, "quirks"));
      check_stream_version(server, at);
    }
  }

  // CORE-17: a 0.9 server negotiates no features, so it authenticates with
  // dialback in the clear or not at all.
  void check_stream_version(const Server& server, const std::string& at) const {
    if (server.stream_version != StreamVersion::V0_9) return;
    if (server.tls == TlsPolicy::Required) {
      fail(pointer_child(at, "tls"), "a server with stream_version \"0.9\" cannot negotiate TLS, so "
                                     "it cannot require it (RFC 6120 §4.7.5)");
    }
    if (!server.dialback) {
      fail(pointer_child(at, "dialback"), "a server with stream_version \"0.9\" authenticates with "
                                          "dialback only; it needs \"dialback\": true");
    }
  }

  void check_domains(const Server& server, std::size_t server_index) {
    const std::string at = pointer_child(pointer_child("/servers", server_index), "domains");
    if (server.domains.empty()) {
      fail(at, "server '" + server.name + "' has an empty domains list; give at least one");
    }
    for (std::size_t j = 0; j < server.domains.size(); ++j) {
      const std::string& domain = server.domains[j];
      const std::string domain_at = pointer_child(at, j);
      if (auto why = why_invalid_domain(domain)) {
        fail(domain_at, "invalid domain '" + domain + "': " + *why);
      }
      const auto [first, inserted] = domain_owner_.emplace(domain, std::make_pair(server_index, j));
      if (inserted) continue;
      const auto [other_index, other_j] = first->second;
      const std::string other_at =
          pointer_child(pointer_child(pointer_child("/servers", other_index), "domains"), other_j);
      if (other_index == server_index) {
        fail(domain_at, "domain '" + domain + "' is listed twice by server '" + server.name +
                            "' (also at " + other_at + ")");
      }
      fail(domain_at, "domain '" + domain + "' is hosted by two servers: '" +
                          topology_.servers[other_index].name + "' (" + other_at + ") and '" +
                          server.name + "'");
    }
  }

  void check_certificate(const Certificate& certificate, const std::string& at) const {
    const std::string names_at = pointer_child(at, "names");
    if (certificate.names.empty()) {
      fail(names_at,
           "certificate names list is empty; give at least one name, or omit \"certificate\" "
           "for a server without a certificate");
    }
    for (std::size_t k = 0; k < certificate.names.size(); ++k) {
      const std::string& name = certificate.names[k];
      if (auto why = why_invalid_certificate_name(name)) {
        fail(pointer_child(names_at, k), "invalid certificate name '" + name + "': " + *why);
      }
    }
  }

  void check_quirks(const Server& server, const std::string& at) const {
    std::map<std::string, std::size_t> seen;
    for (std::size_t k = 0; k < server.quirks.size(); ++k) {
      const std::string& quirk = server.quirks[k];
      const std::string quirk_at = pointer_child(at, k);
      if (quirk.empty()) fail(quirk_at, "empty quirk name");
      const auto [first, inserted] = seen.emplace(quirk, k);
      if (!inserted) {
        fail(quirk_at, "duplicate quirk '" + quirk + "' (also at " +
                           pointer_child(at, first->second) + ")");
      }
      if (options_.is_known_quirk && !options_.is_known_quirk(quirk)) {
        std::string reason = "unknown quirk '" + quirk + "'";
        if (!options_.known_quirk_names.empty()) {
          reason += "; known quirks: " + join(options_.known_quirk_names);
        }
        fail(quirk_at, reason);
      }
    }
  }

  void check_stanzas() const {
    for (std::size_t k = 0; k < topology_.stanzas.size(); ++k) {
      const Stanza& stanza = topology_.stanzas[k];
      const std::string at = pointer_child("/stanzas", k);
      const std::string from_at = pointer_child(at, "from");
      const std::string to_at = pointer_child(at, "to");
      check_jid(stanza.from, from_at);
      check_jid(stanza.to, to_at);
      const auto from_server = topology_.server_of_domain(stanza.from_domain());
      if (!from_server) {
        fail(from_at, "from domain '" + stanza.from_domain() +
                          "' is not hosted by any server (hosted domains: " +
                          join(topology_.hosted_domains()) + ")");
      }
      const auto to_server = topology_.server_of_domain(stanza.to_domain());
      if (!to_server) {
        fail(to_at, "to domain '" + stanza.to_domain() +
                        "' is not hosted by any server, so the stanza could only bounce "
                        "(hosted domains: " + join(topology_.hosted_domains()) + ")");
      }
      if (*from_server == *to_server) {
        fail(to_at, "from domain '" + stanza.from_domain() + "' and to domain '" +
                        stanza.to_domain() + "' are both hosted by server '" +
                        topology_.servers[*to_server].name +
                        "'; the stanza would not cross a server-to-server stream");
      }
      check_stanza_id(stanza.id, pointer_child(at, "id"), k);
    }
  }

  // The id goes into an XML attribute of the transcripts as it is written, so
  // it must need no escaping. Ids may repeat: an iq result has its get's id.
  void check_stanza_id(const std::string& id, const std::string& at, std::size_t index) const {
    if (id.empty()) {
      fail(at, "empty stanza id; leave \"id\" out for the default '" + default_stanza_id(index) +
                   "'");
    }
    for (char c : id) {
      const auto byte = static_cast<unsigned char>(c);
      if (byte < 0x20 || byte == 0x7f || c == '\'' || c == '"' || c == '<' || c == '>' ||
          c == '&') {
        fail(at, "invalid stanza id '" + id +
                     "': control characters and ' \" < > & are not allowed");
      }
    }
  }

  void check_jid(const std::string& jid, const std::string& at) const {
    if (auto why = why_invalid_jid(jid)) fail(at, "invalid JID '" + jid + "': " + *why);
  }

  void check_faults() const {
    if (topology_.faults.resets < 0 || topology_.faults.resets > kMaxResets) {
      fail("/faults/resets", "resets must be between 0 and " + std::to_string(kMaxResets) +
                                 ", got " + std::to_string(topology_.faults.resets));
    }
  }

  void check_schedule() const {
    for (std::size_t n = 0; n < topology_.schedule.size(); ++n) {
      const std::string& entry = topology_.schedule[n];
      const std::string at = pointer_child("/schedule", n);
      if (entry.empty()) fail(at, "empty schedule entry");
      if (entry.find_first_of("\r\n") != std::string::npos) {
        fail(at, "schedule entries must be a single line");
      }
    }
  }

  void check_expectations() const {
    static const char* const kFates[] = {"delivered", "bounced", "lost"};
    const auto is_fate = [](const std::string& f) {
      return std::find(std::begin(kFates), std::end(kFates), f) != std::end(kFates);
    };
    for (std::size_t k = 0; k < topology_.expect.size(); ++k) {
      const Expectation& e = topology_.expect[k];
      const std::string at = pointer_child("/expect", k);
      const std::string word = e.fate.empty() ? "never" : "fate";
      const std::string& value = e.fate.empty() ? e.never : e.fate;
      if (e.stanza) {
        if (*e.stanza >= topology_.stanzas.size()) {
          fail(pointer_child(at, "stanza"), "no stanza " + std::to_string(*e.stanza) + "; the topology has " +
                                                std::to_string(topology_.stanzas.size()));
        }
        if (!is_fate(value)) {
          fail(pointer_child(at, word), "invalid fate '" + value + "'; allowed: \"delivered\", \"bounced\", \"lost\"");
        }
      } else if (!e.server.empty()) {
        if (!topology_.server_index(e.server)) fail(pointer_child(at, "server"), "no server '" + e.server + "'");
        if (value != "bidi") fail(pointer_child(at, word), "with \"server\", expected \"never\": \"bidi\"");
      } else {
        for (std::size_t d = 0; d < 2; ++d) {
          if (!topology_.server_of_domain(e.pair[d])) {
            fail(pointer_child(pointer_child(at, "pair"), d), "domain '" + e.pair[d] + "' is not hosted by any server");
          }
        }
        if (value != "dialback") fail(pointer_child(at, word), "with \"pair\", expected \"never\": \"dialback\"");
      }
    }
  }

  void check_policy() const {
    for (const auto& [key, value] : topology_.policy) {
      if (key.empty()) fail(pointer_child("/policy", key), "empty policy key");
    }
  }

  const Topology& topology_;
  const LoadOptions& options_;
  std::map<std::string, std::pair<std::size_t, std::size_t>> domain_owner_;
};

}  // namespace

void validate_topology(const Topology& topology, const LoadOptions& options) {
  Validator(topology, options).run();
}

}  // namespace bidilab::topologies
