// Topologies: which servers exist, what they host and support, and which
// stanzas they have to exchange. The file format is described in
// topologies/README.md; this header is the whole public interface.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "topologies/jid.hpp"
#include "topologies/spec_choice.hpp"
#include "topologies/topology_error.hpp"

namespace bidilab::topologies {

// ---------------------------------------------------------------- value types

struct Certificate {
  std::vector<std::string> names;  // domains, or "*.domain" wildcards
  bool trusted = true;             // chains to a root the peers accept

  // True when one of `names` matches `domain` (see certificate_name_matches).
  bool covers(const std::string& domain) const;
};

enum class TlsPolicy { Required, Offered, None };

// "required", "offered", "none".
const char* to_string(TlsPolicy policy);
std::optional<TlsPolicy> parse_tls_policy(const std::string& text);

// Where a receiving server advertises the bidi feature (RULES.md §8.1):
// "when_usable" (Prosody 0.12: pre-TLS only where TLS is not required) or
// "pre_and_post_tls" (ejabberd: always, as XEP-0288 §2.1 says).
enum class BidiAdvertisement { WhenUsable, PreAndPostTls };

const char* to_string(BidiAdvertisement advertisement);
std::optional<BidiAdvertisement> parse_bidi_advertisement(const std::string& text);

// The XMPP version a server speaks (RFC 6120 §4.7.5, RULES.md CORE-17):
// "1.0", or "0.9" for a pre-1.0 server, whose stream headers carry no
// 'version' and which negotiates no features (no STARTTLS, SASL or bidi):
// dialback starts right after the headers.
enum class StreamVersion { V1_0, V0_9 };

const char* to_string(StreamVersion version);
std::optional<StreamVersion> parse_stream_version(const std::string& text);

struct Server {
  std::string name;
  std::vector<std::string> domains;
  std::optional<Certificate> certificate;  // nullopt: the server has none
  TlsPolicy tls = TlsPolicy::Offered;
  bool sasl_external = true;
  bool dialback = true;
  bool dialback_errors = true;  // XEP-0220 §2.4 dialback error support
  bool bidi = true;             // XEP-0288
  bool attacker = false;        // a malicious server (see RULES.md attacker model)
  std::vector<std::string> quirks;
  // Spec-ambiguity switches (RULES.md §8); the defaults are Prosody 0.12's reading.
  BidiAdvertisement bidi_advertisement = BidiAdvertisement::WhenUsable;  // §8.1, BIDI-1
  bool sasl_authzid = true;                 // §8.3: send the authzid (XEP-0178) or '=' (RFC 6120)
  bool unknown_target_stream_error = true;  // §8.5: host-unknown (Prosody) or item-not-found (DB-24)
  bool reverse_dialback = false;            // BIDI-8: authenticate another of our domains over an
                                            // incoming bidi stream instead of dialling out
  bool verify_only_connections = false;     // DB-16: db:verify on a connection of its own, closed
                                            // after the answer, instead of the ordinary outgoing stream
  bool multiplexing = false;                // DB-40..DB-43: new domain pairs on an established outgoing
                                            // stream to the same server instead of a connection each
  StreamVersion stream_version = StreamVersion::V1_0;  // CORE-17: "0.9" writes headers without version
  // The choices the specs leave open (spec_choice.hpp), by SpecChoice; Unset
  // unless the file gives the field.
  ChoiceSettings choices{};

  ChoiceSetting choice(SpecChoice c) const { return choices[static_cast<std::size_t>(c)]; }

  bool hosts(const std::string& domain) const;
  bool has_quirk(const std::string& quirk) const;
};

// What a stanza is on the wire; only transcripts show it, routing is the same
// for every kind. iq-get and iq-result are the XEP-0199 ping and its answer, as
// XEP-0288 §3 sends them.
enum class StanzaKind { Message, Presence, IqGet, IqResult };

// "message", "presence", "iq-get", "iq-result".
const char* to_string(StanzaKind kind);
std::optional<StanzaKind> parse_stanza_kind(const std::string& text);

// The id of the stanza at `index` when its file gives none: "s0", "s1", ...
std::string default_stanza_id(std::size_t index);

struct Stanza {
  std::string from;  // JID
  std::string to;    // JID
  StanzaKind kind = StanzaKind::Message;
  std::string id{};  // the stanza's 'id' attribute, non-empty; the loader's default is
                     // default_stanza_id(its index)

  std::string from_domain() const { return jid_domain(from); }
  std::string to_domain() const { return jid_domain(to); }
};

// An answer the user expects of every ordering (topology field `expect`),
// checked as an `always` property named "expect: ..." with a trace:
//   {"stanza": K, "fate": F}       in every final state stanza K is F
//                                  (delivered, bounced or lost);
//   {"stanza": K, "never": F}      stanza K is never F, in any state;
//   {"server": S, "never": "bidi"} server S never has bidi on a stream (XEP-0288);
//   {"pair": [SENDER, TARGET], "never": "dialback"}
//                                  no stream authorizes SENDER → TARGET by dialback.
struct Expectation {
  std::optional<std::size_t> stanza;
  std::string server;
  std::vector<std::string> pair;  // [sender domain, target domain]
  std::string fate;               // with "stanza"
  std::string never;              // a fate with "stanza", "bidi" with "server", "dialback" with "pair"
};
bool operator==(const Expectation& a, const Expectation& b);
// "#0 always delivered", "verona never bidi", "capulet.lit → montague.lit never by dialback".
std::string describe(const Expectation& e);

constexpr int kMaxResets = 3;

struct Faults {
  int resets = 0;  // TCP resets the model may inject, 0..kMaxResets
};

struct Topology {
  std::string name;
  std::string description;
  std::vector<Server> servers;
  std::vector<Stanza> stanzas;
  Faults faults;
  std::vector<std::string> schedule;          // one-line action descriptions, opaque
  std::map<std::string, std::string> policy;  // spec-ambiguity switches, opaque
  std::vector<Expectation> expect;
  std::string source_file;                    // where it was loaded from; not in JSON

  // Index into `servers` of the server hosting `domain`.
  std::optional<std::size_t> server_of_domain(const std::string& domain) const;
  // Index into `servers` of the server called `name`.
  std::optional<std::size_t> server_index(const std::string& name) const;
  // Every hosted domain, in server order then file order.
  std::vector<std::string> hosted_domains() const;
};

// Value equality over every field, source_file included.
bool operator==(const Certificate& a, const Certificate& b);
bool operator!=(const Certificate& a, const Certificate& b);
bool operator==(const Server& a, const Server& b);
bool operator!=(const Server& a, const Server& b);
bool operator==(const Stanza& a, const Stanza& b);
bool operator!=(const Stanza& a, const Stanza& b);
bool operator==(const Faults& a, const Faults& b);
bool operator!=(const Faults& a, const Faults& b);
bool operator==(const Topology& a, const Topology& b);
bool operator!=(const Topology& a, const Topology& b);

// ---------------------------------------------------------------- loading

struct LoadOptions {
  // When set, a quirk for which this returns false is rejected. When unset,
  // any non-empty quirk name is accepted.
  std::function<bool(const std::string&)> is_known_quirk;
  // Listed in the "unknown quirk" message when non-empty.
  std::vector<std::string> known_quirk_names;

  // Options accepting exactly the quirks in `names`.
  static LoadOptions with_known_quirks(const std::set<std::string>& names);
};

// Reads, parses and validates a topology file. source_file is `path` as given.
// Throws TopologyError.
Topology load_topology(const std::filesystem::path& path, const LoadOptions& options = {});
// The largest topology file load_topology reads (bytes).
constexpr std::uintmax_t kMaxTopologyBytes = std::uintmax_t{4} << 20;

// Parses and validates topology JSON text; `source_name` plays the part of the
// file name in errors and in Topology::source_file. Throws TopologyError.
Topology parse_topology(const std::string& text, const std::string& source_name,
                        const LoadOptions& options = {});

// Same, from an already parsed document (no duplicate-key detection).
Topology topology_from_json(const nlohmann::json& document, const std::string& source_name,
                            const LoadOptions& options = {});

// The semantic checks alone, for topologies built in code. Pointers name the
// place the offending value has in to_json(topology); errors carry
// topology.source_file. Throws TopologyError.
void validate_topology(const Topology& topology, const LoadOptions& options = {});

// Canonical JSON: every field present with its defaults filled in, except
// "certificate", which is omitted for a server without one. Keys are sorted.
// Loading it again gives an equal topology (source_file aside).
nlohmann::json to_json(const Topology& topology);

// ---------------------------------------------------------------- shipped files

// The folder holding the topology files shipped in the source tree.
std::filesystem::path shipped_topologies_dir();
// The default topology: capulet-montague.json in that folder.
std::filesystem::path default_topology_file();

}  // namespace bidilab::topologies
