#include "topologies/topology.hpp"

namespace bidilab::topologies {

namespace {

using nlohmann::json;

json server_json(const Server& server) {
  json out = {
      {"name", server.name},
      {"domains", server.domains},
      {"tls", to_string(server.tls)},
      {"sasl_external", server.sasl_external},
      {"dialback", server.dialback},
      {"dialback_errors", server.dialback_errors},
      {"bidi", server.bidi},
      {"attacker", server.attacker},
      {"quirks", server.quirks},
      {"bidi_advertisement", to_string(server.bidi_advertisement)},
      {"sasl_authzid", server.sasl_authzid},
      {"unknown_target_stream_error", server.unknown_target_stream_error},
      {"reverse_dialback", server.reverse_dialback},
      {"verify_only_connections", server.verify_only_connections},
      {"stream_version", to_string(server.stream_version)},
      {"multiplexing", server.multiplexing},
  };
  for (const SpecChoiceInfo& c : spec_choices())  // only those the file gave
    if (server.choice(c.choice) != ChoiceSetting::Unset) out[c.field] = to_string(c.choice, server.choice(c.choice));
  if (server.certificate) {
    out["certificate"] = {{"names", server.certificate->names},
                          {"trusted", server.certificate->trusted}};
  }
  return out;
}

}  // namespace

json to_json(const Topology& topology) {
  json servers = json::array();
  for (const Server& server : topology.servers) servers.push_back(server_json(server));
  json stanzas = json::array();
  for (const Stanza& stanza : topology.stanzas) {
    stanzas.push_back({{"from", stanza.from},
                       {"to", stanza.to},
                       {"kind", to_string(stanza.kind)},
                       {"id", stanza.id}});
  }
  json policy = json::object();
  for (const auto& [key, value] : topology.policy) policy[key] = value;
  json expect = json::array();
  for (const Expectation& e : topology.expect) {
    json j = json::object();
    if (e.stanza) j["stanza"] = *e.stanza;
    if (!e.server.empty()) j["server"] = e.server;
    if (!e.pair.empty()) j["pair"] = e.pair;
    if (!e.fate.empty()) j["fate"] = e.fate;
    if (!e.never.empty()) j["never"] = e.never;
    expect.push_back(std::move(j));
  }
  return {
      {"name", topology.name},
      {"description", topology.description},
      {"servers", servers},
      {"stanzas", stanzas},
      {"faults", {{"resets", topology.faults.resets}}},
      {"schedule", json(topology.schedule)},
      {"policy", policy},
      {"expect", expect},
  };
}

}  // namespace bidilab::topologies
