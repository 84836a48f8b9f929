// probe/address.hpp — where the probe connects and listens: NAME=HOST:PORT
// arguments, IPv4 literals only, and which of them are loopback addresses
// (the probe refuses any other unless asked, issue "probe": it never targets
// anything but what the user gave, and by default only this machine).
#pragma once

#include <cstdint>
#include <string>

namespace bidilab::probe {

struct Endpoint {
    std::string host;  // an IPv4 literal: "127.0.0.2"
    std::uint16_t port = 0;
    bool loopback() const;  // 127.0.0.0/8
    std::string text() const { return host + ":" + std::to_string(port); }
};

struct NamedEndpoint {
    std::string name;  // a server of the topology
    Endpoint at;
};

// "capulet=127.0.0.2:5269"; throws std::invalid_argument with a one-line
// reason ("'capulet=x:1': 'x' is not an IPv4 address") on anything else.
NamedEndpoint parse_named_endpoint(const std::string& text);

}  // namespace bidilab::probe
