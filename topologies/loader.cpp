// Structural reading: JSON types, known and required fields, enum values.
// The semantic checks live in validator.cpp and run on the result.
#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "topologies/json_text.hpp"
#include "topologies/suggest.hpp"
#include "topologies/topology.hpp"

namespace bidilab::topologies {

namespace {

using nlohmann::json;

enum class Kind { Object, Array, String, Boolean, Integer };

const char* kind_name(Kind kind) {
  switch (kind) {
    case Kind::Object:
      return "object";
    case Kind::Array:
      return "array";
    case Kind::String:
      return "string";
    case Kind::Boolean:
      return "boolean";
    case Kind::Integer:
      return "integer";
  }
  return "?";
}

bool has_kind(const json& value, Kind kind) {
  switch (kind) {
    case Kind::Object:
      return value.is_object();
    case Kind::Array:
      return value.is_array();
    case Kind::String:
      return value.is_string();
    case Kind::Boolean:
      return value.is_boolean();
    case Kind::Integer:
      return value.is_number_integer();
  }
  return false;
}

std::string got_name(const json& value) {
  if (value.is_number_float()) return "non-integer number";
  return value.type_name();
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

const std::vector<std::string> kRootFields = {"name",   "description", "servers", "stanzas",
                                              "faults", "schedule",    "policy",  "expect"};
const std::vector<std::string> kRootRequired = {"name", "servers"};
const std::vector<std::string> kServerFields = {
    "name",     "domains",         "certificate", "tls",      "sasl_external",
    "dialback", "dialback_errors", "bidi",        "attacker", "quirks",
    // spec-ambiguity switches (RULES.md §8), reverse dialback (BIDI-8), verify-only
    // connections (DB-16), the XMPP version (CORE-17), dialback multiplexing (DB-40)
    "bidi_advertisement", "sasl_authzid", "unknown_target_stream_error", "reverse_dialback",
    "verify_only_connections", "stream_version", "multiplexing",
    // the choices the specs leave open (spec_choice.hpp)
    "features_before_tls", "dialback_feature", "sasl_external_offer", "after_sasl_failure",
    "starttls_unoffered", "unoffered_starttls_answer", "invalid_dialback_answer", "offered_starttls_answer",
    "bidi_request", "unsupported_dialback_error"};
const std::vector<std::string> kServerRequired = {"name", "domains"};
const std::vector<std::string> kCertificateFields = {"names", "trusted"};
const std::vector<std::string> kCertificateRequired = {"names"};
const std::vector<std::string> kStanzaFields = {"from", "to", "kind", "id"};
const std::vector<std::string> kStanzaRequired = {"from", "to"};
const std::vector<std::string> kFaultsFields = {"resets"};
const std::vector<std::string> kExpectFields = {"stanza", "server", "pair", "fate", "never"};

class Reader {
 public:
  explicit Reader(const std::string& file) : file_(file) {}

  Topology read_topology(const json& root) const {
    const std::string at;
    expect(root, at, Kind::Object);
    check_fields(root, at, kRootFields, kRootRequired);

    Topology topology;
    topology.name = read_string(root, at, "name", "");
    topology.description = read_string(root, at, "description", "");
    const std::string servers_at = pointer_child(at, "servers");
    for (const auto& [index, value] : elements(root, at, "servers")) {
      topology.servers.push_back(read_server(value, pointer_child(servers_at, index)));
    }
    const std::string stanzas_at = pointer_child(at, "stanzas");
    for (const auto& [index, value] : elements(root, at, "stanzas")) {
      topology.stanzas.push_back(read_stanza(value, pointer_child(stanzas_at, index), index));
    }
    if (root.contains("faults")) {
      topology.faults = read_faults(root.at("faults"), pointer_child(at, "faults"));
    }
    topology.schedule = read_strings(root, at, "schedule");
    if (root.contains("policy")) {
      topology.policy = read_policy(root.at("policy"), pointer_child(at, "policy"));
    }
    const std::string expect_at = pointer_child(at, "expect");
    for (const auto& [index, value] : elements(root, at, "expect")) {
      topology.expect.push_back(read_expectation(value, pointer_child(expect_at, index)));
    }
    return topology;
  }

 private:
  [[noreturn]] void fail(const std::string& at, const std::string& reason) const {
    throw TopologyError(file_, at, reason);
  }

  void expect(const json& value, const std::string& at, Kind kind) const {
    if (!has_kind(value, kind)) {
      fail(at, std::string("expected ") + kind_name(kind) + ", got " + got_name(value));
    }
  }

  void check_fields(const json& object, const std::string& at,
                    const std::vector<std::string>& allowed,
                    const std::vector<std::string>& required) const {
    for (const auto& item : object.items()) {
      if (std::find(allowed.begin(), allowed.end(), item.key()) == allowed.end()) {
        const std::string near = nearest(item.key(), allowed);
        fail(pointer_child(at, item.key()), "unknown field '" + item.key() + "'; allowed fields: " + join(allowed) +
                                                (near.empty() ? "" : "; did you mean '" + near + "'?"));
      }
    }
    for (const std::string& field : required) {
      if (!object.contains(field)) fail(at, "missing required field '" + field + "'");
    }
  }

  std::string read_string(const json& object, const std::string& at, const char* key,
                          const std::string& fallback) const {
    if (!object.contains(key)) return fallback;
    const json& value = object.at(key);
    expect(value, pointer_child(at, key), Kind::String);
    return value.get<std::string>();
  }

  bool read_bool(const json& object, const std::string& at, const char* key,
                 bool fallback) const {
    if (!object.contains(key)) return fallback;
    const json& value = object.at(key);
    expect(value, pointer_child(at, key), Kind::Boolean);
    return value.get<bool>();
  }

  // The elements of array field `key` (empty when absent), with their indices.
  std::vector<std::pair<std::size_t, const json&>> elements(const json& object,
                                                            const std::string& at,
                                                            const char* key) const {
    std::vector<std::pair<std::size_t, const json&>> out;
    if (!object.contains(key)) return out;
    const json& array = object.at(key);
    expect(array, pointer_child(at, key), Kind::Array);
    for (std::size_t i = 0; i < array.size(); ++i) out.emplace_back(i, array.at(i));
    return out;
  }

  std::vector<std::string> read_strings(const json& object, const std::string& at,
                                        const char* key) const {
    std::vector<std::string> out;
    const std::string array_at = pointer_child(at, key);
    for (const auto& [index, value] : elements(object, at, key)) {
      expect(value, pointer_child(array_at, index), Kind::String);
      out.push_back(value.get<std::string>());
    }
    return out;
  }

  Server read_server(const json& value, const std::string& at) const {
    expect(value, at, Kind::Object);
    check_fields(value, at, kServerFields, kServerRequired);
    Server server;
    server.name = read_string(value, at, "name", "");
    server.domains = read_strings(value, at, "domains");
    if (value.contains("certificate")) {
      server.certificate =
          read_certificate(value.at("certificate"), pointer_child(at, "certificate"));
    }
    if (value.contains("tls")) {
      const std::string text = read_string(value, at, "tls", "");
      const auto policy = parse_tls_policy(text);
      if (!policy) {
        fail(pointer_child(at, "tls"),
             "invalid tls value '" + text + "'; allowed: \"required\", \"offered\", \"none\"");
      }
      server.tls = *policy;
    }
    server.sasl_external = read_bool(value, at, "sasl_external", server.sasl_external);
    server.dialback = read_bool(value, at, "dialback", server.dialback);
    server.dialback_errors = read_bool(value, at, "dialback_errors", server.dialback_errors);
    server.bidi = read_bool(value, at, "bidi", server.bidi);
    server.attacker = read_bool(value, at, "attacker", server.attacker);
    server.quirks = read_strings(value, at, "quirks");
    if (value.contains("bidi_advertisement")) {
      const std::string text = read_string(value, at, "bidi_advertisement", "");
      const auto advertisement = parse_bidi_advertisement(text);
      if (!advertisement) {
        fail(pointer_child(at, "bidi_advertisement"),
             "invalid bidi_advertisement value '" + text +
                 "'; allowed: \"when_usable\", \"pre_and_post_tls\"");
      }
      server.bidi_advertisement = *advertisement;
    }
    server.sasl_authzid = read_bool(value, at, "sasl_authzid", server.sasl_authzid);
    server.unknown_target_stream_error =
        read_bool(value, at, "unknown_target_stream_error", server.unknown_target_stream_error);
    server.reverse_dialback = read_bool(value, at, "reverse_dialback", server.reverse_dialback);
    server.multiplexing = read_bool(value, at, "multiplexing", server.multiplexing);
    server.verify_only_connections =
        read_bool(value, at, "verify_only_connections", server.verify_only_connections);
    if (value.contains("stream_version")) {
      const std::string text = read_string(value, at, "stream_version", "");
      const auto version = parse_stream_version(text);
      if (!version) {
        fail(pointer_child(at, "stream_version"),
             "invalid stream_version value '" + text + "'; allowed: \"1.0\", \"0.9\"");
      }
      server.stream_version = *version;
    }
    for (const SpecChoiceInfo& c : spec_choices()) {
      if (!value.contains(c.field)) continue;
      const std::string text = read_string(value, at, c.field, "");
      const auto setting = parse_choice_setting(c.choice, text);
      if (!setting) {
        fail(pointer_child(at, c.field), "invalid " + std::string(c.field) + " value '" + text +
                                             "'; allowed: \"" + c.usual + "\", \"" + c.other +
                                             "\", \"any\"");
      }
      server.choices[static_cast<std::size_t>(c.choice)] = *setting;
    }
    return server;
  }

  Certificate read_certificate(const json& value, const std::string& at) const {
    expect(value, at, Kind::Object);
    check_fields(value, at, kCertificateFields, kCertificateRequired);
    Certificate certificate;
    certificate.names = read_strings(value, at, "names");
    certificate.trusted = read_bool(value, at, "trusted", certificate.trusted);
    return certificate;
  }

  Stanza read_stanza(const json& value, const std::string& at, std::size_t index) const {
    expect(value, at, Kind::Object);
    check_fields(value, at, kStanzaFields, kStanzaRequired);
    Stanza stanza;
    stanza.from = read_string(value, at, "from", "");
    stanza.to = read_string(value, at, "to", "");
    if (value.contains("kind")) {
      const std::string text = read_string(value, at, "kind", "");
      const auto kind = parse_stanza_kind(text);
      if (!kind) {
        fail(pointer_child(at, "kind"),
             "invalid kind value '" + text +
                 "'; allowed: \"message\", \"presence\", \"iq-get\", \"iq-result\"");
      }
      stanza.kind = *kind;
    }
    stanza.id = read_string(value, at, "id", default_stanza_id(index));
    return stanza;
  }

  // One subject (stanza, server or pair) and one of fate / never; the values
  // are checked against the topology in validator.cpp.
  Expectation read_expectation(const json& value, const std::string& at) const {
    expect(value, at, Kind::Object);
    check_fields(value, at, kExpectFields, {});
    Expectation e;
    const int subjects = value.contains("stanza") + value.contains("server") + value.contains("pair");
    if (subjects != 1) fail(at, "expected exactly one of \"stanza\", \"server\", \"pair\"");
    if (value.contains("fate") == value.contains("never")) {
      fail(at, "expected exactly one of \"fate\", \"never\"");
    }
    if (value.contains("stanza")) {
      const json& k = value.at("stanza");
      const std::string k_at = pointer_child(at, "stanza");
      expect(k, k_at, Kind::Integer);
      if (!k.is_number_unsigned() || k.get<std::uint64_t>() > 0xFFFF) {
        fail(k_at, "expected a stanza index (0, 1, ...), got " + k.dump());
      }
      e.stanza = static_cast<std::size_t>(k.get<std::uint64_t>());
    }
    e.server = read_string(value, at, "server", "");
    if (value.contains("pair")) {
      e.pair = read_strings(value, at, "pair");
      if (e.pair.size() != 2) fail(pointer_child(at, "pair"), "expected [SENDER, TARGET], two domains");
    }
    e.fate = read_string(value, at, "fate", "");
    e.never = read_string(value, at, "never", "");
    if (!e.fate.empty() && !e.stanza) fail(pointer_child(at, "fate"), "\"fate\" goes with \"stanza\"");
    return e;
  }

  Faults read_faults(const json& value, const std::string& at) const {
    expect(value, at, Kind::Object);
    check_fields(value, at, kFaultsFields, {});
    Faults faults;
    if (value.contains("resets")) {
      const json& resets = value.at("resets");
      const std::string resets_at = pointer_child(at, "resets");
      expect(resets, resets_at, Kind::Integer);
      const bool in_range = resets.is_number_unsigned()
                                ? resets.get<std::uint64_t>() <= std::uint64_t{kMaxResets}
                                : resets.get<std::int64_t>() >= 0 &&
                                      resets.get<std::int64_t>() <= kMaxResets;
      if (!in_range) {
        fail(resets_at, "resets must be between 0 and " + std::to_string(kMaxResets) +
                            ", got " + resets.dump());
      }
      faults.resets = resets.get<int>();
    }
    return faults;
  }

  std::map<std::string, std::string> read_policy(const json& value, const std::string& at) const {
    expect(value, at, Kind::Object);
    std::map<std::string, std::string> policy;
    for (const auto& item : value.items()) {
      const std::string item_at = pointer_child(at, item.key());
      expect(item.value(), item_at, Kind::String);
      policy.emplace(item.key(), item.value().get<std::string>());
    }
    return policy;
  }

  const std::string& file_;
};

}  // namespace

Topology topology_from_json(const nlohmann::json& document, const std::string& source_name,
                            const LoadOptions& options) {
  Topology topology = Reader(source_name).read_topology(document);
  topology.source_file = source_name;
  validate_topology(topology, options);
  return topology;
}

Topology parse_topology(const std::string& text, const std::string& source_name,
                        const LoadOptions& options) {
  return topology_from_json(detail::parse_json_text(text, source_name), source_name, options);
}

Topology load_topology(const std::filesystem::path& path, const LoadOptions& options) {
  const std::string file = path.string();
  std::error_code ignored;
  if (std::filesystem::is_directory(path, ignored)) {
    throw TopologyError(file, "", "cannot open file: it is a directory");
  }
  // A regular file of bounded size: not a device (/dev/zero) or a FIFO, which
  // would read forever or block.
  if (std::filesystem::exists(path, ignored) && !std::filesystem::is_regular_file(path, ignored)) {
    throw TopologyError(file, "", "cannot open file: not a regular file");
  }
  if (std::filesystem::is_regular_file(path, ignored) && std::filesystem::file_size(path, ignored) > kMaxTopologyBytes) {
    throw TopologyError(file, "", "larger than " + std::to_string(kMaxTopologyBytes >> 20) +
                                      " MiB, the limit of a topology file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int error = errno;
    throw TopologyError(file, "",
                        std::string("cannot open file: ") +
                            (error != 0 ? std::strerror(error) : "unknown error"));
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw TopologyError(file, "", "cannot read file");
  return parse_topology(text.str(), file, options);
}

}  // namespace bidilab::topologies
