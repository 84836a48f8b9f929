// model/scenario.hpp — the constant part of a model run, built from a
// topology: domain ids and names, each server's policy, which server hosts
// which domain, and the scenario's stanzas. Never part of a state.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/names.hpp"
#include "model/server_policy.hpp"
#include "topologies/topology.hpp"

namespace bidilab::model {

using ServerIndex = std::uint8_t;

struct ScenarioStanza {
    std::string from_jid, to_jid;  // as the topology gives them, for transcripts
    topologies::StanzaKind kind = topologies::StanzaKind::Message;  // for transcripts only
    std::string id;                                                  // its 'id', for transcripts
    DomainId from = kNoDomain;
    DomainId to = kNoDomain;
    ServerIndex origin = 0;  // the server hosting `from`: it submits the stanza
    ServerIndex target = 0;  // the server hosting `to`
};

struct Scenario {
    std::string name;
    NameTable names;
    std::vector<std::string> server_names;
    std::vector<ServerPolicy> servers;      // by server index; secret = index + 1 (KEY-3)
    std::vector<ServerIndex> host_of;       // by domain id; host_of[0] unused
    std::vector<ScenarioStanza> stanzas;    // in file order
    int resets = 0;
    // Elements the attackers may forge in one run, besides dialling each
    // victim once (model/attacker.hpp): enough for the 2012 unsolicited
    // dialback attacks (a claim, then a typed answer), small enough to
    // explore in seconds. Unused without an attacker.
    int forgeries = 2;

    bool has_attacker() const {
        for (const auto& s : servers)
            if (s.attacker) return true;
        return false;
    }

    ServerIndex server_of(DomainId d) const { return host_of.at(d); }
    // The domain a server speaks as by default: its first hosted domain.
    DomainId primary_domain(ServerIndex s) const;
};

// Builds the scenario; throws std::invalid_argument, its message "/json/pointer:
// reason", if the topology exceeds the model's bounds (more than 31 domains, 8
// servers or 64 stanzas), or gives an attacker a stanza to submit (it forges
// its stanzas instead).
Scenario make_scenario(const topologies::Topology& topology);

}  // namespace bidilab::model
