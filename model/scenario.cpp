#include "model/scenario.hpp"

#include <stdexcept>
#include <string>

namespace bidilab::model {

DomainId Scenario::primary_domain(ServerIndex s) const {
    for (DomainId d = 1; d < host_of.size(); ++d)
        if (host_of[d] == s) return d;
    return kNoDomain;
}

namespace {
TlsPolicy tls_of(topologies::TlsPolicy p) {
    switch (p) {
        case topologies::TlsPolicy::Required: return TlsPolicy::Required;
        case topologies::TlsPolicy::Offered: return TlsPolicy::Offered;
        case topologies::TlsPolicy::None: return TlsPolicy::None;
    }
    return TlsPolicy::Offered;
}
}  // namespace

Scenario make_scenario(const topologies::Topology& t, UnsetChoices unset) {
    Scenario sc;
    sc.name = t.name;
    const auto domains = t.hosted_domains();
    if (domains.size() > kMaxDomainId) throw std::invalid_argument("/servers: the model handles at most 31 domains");
    if (t.servers.size() > 8) throw std::invalid_argument("/servers: the model handles at most 8 servers");
    if (t.stanzas.size() > 64) throw std::invalid_argument("/stanzas: the model handles at most 64 stanzas");
    sc.host_of.assign(domains.size() + 1, 0);
    for (const auto& d : domains) sc.names.add_domain(d);
    for (std::size_t s = 0; s < t.servers.size(); ++s) {
        const auto& server = t.servers[s];
        ServerPolicy p;
        for (const auto& d : server.domains) {
            DomainId id = *sc.names.find_domain(d);
            p.hosted = with(p.hosted, id);
            sc.host_of[id] = static_cast<ServerIndex>(s);
        }
        p.secret = static_cast<SecretId>(s + 1);  // KEY-3: one secret per server (network)
        sc.names.name_secret(p.secret, server.name);
        p.tls = tls_of(server.tls);
        if (server.certificate) {
            p.has_certificate = true;
            p.certificate_trusted = server.certificate->trusted;
            for (const auto& d : domains)  // SASL-4: names matched per RFC 6125 (wildcards resolved)
                if (server.certificate->covers(d)) p.certificate_names = with(p.certificate_names, *sc.names.find_domain(d));
        }
        p.sasl_external = server.sasl_external;
        p.dialback = server.dialback;
        p.dialback_errors = server.dialback_errors;
        p.bidi = server.bidi;
        p.bidi_advertisement = server.bidi_advertisement == topologies::BidiAdvertisement::PreAndPostTls
                                   ? BidiAdvertisement::PreAndPostTls
                                   : BidiAdvertisement::WhenUsable;  // RULES §8.1
        p.sasl_authzid = server.sasl_authzid;                                // RULES §8.3
        p.unknown_target_stream_error = server.unknown_target_stream_error;  // RULES §8.5
        p.reverse_dialback = server.reverse_dialback;                        // BIDI-8
        p.verify_only_connections = server.verify_only_connections;          // DB-16
        p.multiplexing = server.multiplexing;                                // DB-40..DB-43
        p.attacker = server.attacker;                                        // BIDI-11, DB-45
        // CORE-17: a 0.9 server negotiates no features: no STARTTLS, SASL or bidi.
        p.legacy = server.stream_version == topologies::StreamVersion::V0_9;
        if (p.legacy) {
            p.tls = TlsPolicy::None;
            p.sasl_external = false;
            p.bidi = false;
        }
        for (const auto& c : topologies::spec_choices()) {
            const std::size_t k = static_cast<std::size_t>(c.choice);
            ChoiceSetting setting = server.choices[k];
            if (setting == ChoiceSetting::Unset)
                setting = unset == UnsetChoices::Any && !p.attacker ? ChoiceSetting::Any : ChoiceSetting::Usual;
            p.choices[k] = setting;
            if (setting != ChoiceSetting::Any) continue;
            // A run decides each in its World (bits); validate searches its own.
            if (unset == UnsetChoices::Usual && sc.open_choices.size() == kMaxOpenChoices)
                throw std::invalid_argument("/servers/" + std::to_string(s) + "/" + c.field +
                                            ": the model handles at most 32 choices set to \"any\"");
            sc.open_choices.push_back(OpenChoice{static_cast<ServerIndex>(s), c.choice});
        }
        p.quirks.insert(server.quirks.begin(), server.quirks.end());
        sc.server_names.push_back(server.name);
        sc.servers.push_back(p);
    }
    for (std::size_t k = 0; k < t.stanzas.size(); ++k) {
        const auto& st = t.stanzas[k];
        ScenarioStanza s;
        s.from_jid = st.from;
        s.to_jid = st.to;
        s.kind = st.kind;
        s.id = st.id.empty() ? topologies::default_stanza_id(k) : st.id;  // a topology built in code
        s.from = *sc.names.find_domain(st.from_domain());
        s.to = *sc.names.find_domain(st.to_domain());
        s.origin = sc.host_of[s.from];
        s.target = sc.host_of[s.to];
        if (sc.servers[s.origin].attacker)
            throw std::invalid_argument("/stanzas/" + std::to_string(k) +
                                        "/from: an attacker submits no stanzas; it forges them (model/attacker.hpp)");
        sc.stanzas.push_back(s);
    }
    sc.resets = t.faults.resets;
    sc.expect = t.expect;
    return sc;
}

}  // namespace bidilab::model
