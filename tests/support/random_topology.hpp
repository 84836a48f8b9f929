// tests/support/random_topology.hpp — small random topologies, seeded: 2–3
// servers (1–2 domains each), random policies and, on request, a quirk, and
// 1–3 stanzas between domains of different servers. The same seed gives the
// same topology on every machine (std::mt19937_64 and plain arithmetic, no
// std::uniform_int_distribution, whose output the standard leaves open).
// Used by the differential tests of the reductions: each must give the
// verdicts of the plain search on every such topology.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "topologies/topology.hpp"

namespace bidilab::test {

class RandomTopology {
public:
    explicit RandomTopology(std::uint64_t seed) : rng_(seed), seed_(seed) {}

    // quirks: the names a server may be given (one server at most gets one).
    topologies::Topology make(const std::vector<std::string>& quirks = {}) {
        topologies::Topology t;
        t.name = "random-" + std::to_string(seed_);
        const int servers = 2 + pick(2);
        static const char* names[] = {"capulet", "montague", "verona"};
        for (int s = 0; s < servers; ++s) {
            topologies::Server server;
            server.name = names[s];
            server.domains.push_back(server.name + ".lit");
            if (pick(3) == 0) server.domains.push_back("conference." + server.name + ".lit");
            const int tls = pick(4);  // offered twice as often as the others
            server.tls = tls == 0 ? topologies::TlsPolicy::Required
                         : tls == 1 ? topologies::TlsPolicy::None
                                    : topologies::TlsPolicy::Offered;
            if (server.tls != topologies::TlsPolicy::None || pick(2) == 0) {
                topologies::Certificate c;
                c.names.push_back(server.name + ".lit");
                c.trusted = pick(4) != 0;
                server.certificate = c;
            }
            server.sasl_external = pick(3) != 0;
            server.dialback_errors = pick(3) != 0;
            server.bidi = pick(3) != 0;
            server.verify_only_connections = pick(4) == 0;
            server.reverse_dialback = pick(4) == 0;
            server.multiplexing = pick(5) == 0;
            server.unknown_target_stream_error = pick(3) != 0;
            t.servers.push_back(server);
        }
        if (!quirks.empty() && pick(2) == 0)
            t.servers[pick(servers)].quirks.push_back(quirks[pick(static_cast<int>(quirks.size()))]);
        std::vector<std::pair<int, std::string>> domains;
        for (int s = 0; s < servers; ++s)
            for (const auto& d : t.servers[s].domains) domains.emplace_back(s, d);
        const int stanzas = 1 + pick(3);
        for (int k = 0; k < stanzas; ++k) {
            const auto& from = domains[pick(static_cast<int>(domains.size()))];
            std::vector<std::string> targets;
            for (const auto& d : domains)
                if (d.first != from.first) targets.push_back(d.second);
            topologies::Stanza st;
            st.from = "a@" + from.second;
            st.to = "b@" + targets[pick(static_cast<int>(targets.size()))];
            st.id = topologies::default_stanza_id(static_cast<std::size_t>(k));
            t.stanzas.push_back(st);
        }
        return t;
    }

private:
    int pick(int n) { return static_cast<int>(rng_() % static_cast<std::uint64_t>(n)); }

    std::mt19937_64 rng_;
    std::uint64_t seed_;
};

}  // namespace bidilab::test
