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

// A choice a server's policy leaves open ("any"): each run takes one branch,
// decided by an explicit step before anything else happens (XmppModel).
struct OpenChoice {
    ServerIndex server = 0;
    SpecChoice choice = SpecChoice::StarttlsOnlyBeforeTls;
};
constexpr std::size_t kMaxOpenChoices = 32;  // World::branches has a bit for each

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
    // Every choice set to "any", by server then SpecChoice: the order in which
    // a run decides them (World::branches bit k = open_choices[k]; at most
    // kMaxOpenChoices, except in a scenario made with UnsetChoices::Any, which
    // `validate` replays with branches of its own and never explores).
    std::vector<OpenChoice> open_choices;
    // What the user expects of every ordering (the topology's `expect`,
    // checked by properties/expectations.cpp).
    std::vector<topologies::Expectation> expect;

    bool has_attacker() const {
        for (const auto& s : servers)
            if (s.attacker) return true;
        return false;
    }

    ServerIndex server_of(DomainId d) const { return host_of.at(d); }
    // The branches a server took, by SpecChoice (Context::branches), from a
    // world's bits by open choice.
    ChoiceBits branches_of(ServerIndex s, std::uint32_t world_branches) const {
        ChoiceBits out = 0;
        for (std::size_t k = 0; k < open_choices.size(); ++k)
            if (open_choices[k].server == s && (world_branches >> k & 1u)) out |= choice_bit(open_choices[k].choice);
        return out;
    }
    // The domain a server speaks as by default: its first hosted domain.
    DomainId primary_domain(ServerIndex s) const;
};

// What a choice the topology leaves unset becomes: the usual branch (what
// `check` explores) or both (what `validate` accepts).
enum class UnsetChoices : std::uint8_t { Usual, Any };

// Builds the scenario; throws std::invalid_argument, its message "/json/pointer:
// reason", if the topology exceeds the model's bounds (more than 31 domains, 8
// servers, 64 stanzas or 32 choices set to "any"), or gives an attacker a
// stanza to submit (it forges its stanzas instead).
Scenario make_scenario(const topologies::Topology& topology, UnsetChoices unset = UnsetChoices::Usual);

}  // namespace bidilab::model
