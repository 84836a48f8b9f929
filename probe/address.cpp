#include "probe/address.hpp"

#include <arpa/inet.h>

#include <stdexcept>

namespace bidilab::probe {

bool Endpoint::loopback() const {
    in_addr a{};
    return inet_pton(AF_INET, host.c_str(), &a) == 1 && (ntohl(a.s_addr) >> 24) == 127;
}

NamedEndpoint parse_named_endpoint(const std::string& text) {
    const auto bad = [&](const std::string& why) { return std::invalid_argument("'" + text + "': " + why); };
    const std::size_t eq = text.find('=');
    if (eq == std::string::npos || eq == 0) throw bad("expected NAME=HOST:PORT");
    const std::string rest = text.substr(eq + 1);
    const std::size_t colon = rest.rfind(':');
    if (colon == std::string::npos) throw bad("expected NAME=HOST:PORT (no port)");
    NamedEndpoint out;
    out.name = text.substr(0, eq);
    out.at.host = rest.substr(0, colon);
    in_addr a{};
    if (inet_pton(AF_INET, out.at.host.c_str(), &a) != 1) throw bad("'" + out.at.host + "' is not an IPv4 address");
    const std::string port = rest.substr(colon + 1);
    if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos)
        throw bad("'" + port + "' is not a port number");
    const unsigned long p = std::stoul(port);
    if (p == 0 || p > 65535) throw bad("port " + port + " is outside 1-65535");
    out.at.port = static_cast<std::uint16_t>(p);
    return out;
}

}  // namespace bidilab::probe
