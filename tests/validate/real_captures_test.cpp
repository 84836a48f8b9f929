// The two real Prosody 0.12.3 captures (tests/capture/data/) are accepted with
// the topologies that describe their servers.
#include <gtest/gtest.h>

#include "validate/validator.hpp"

namespace bidilab::validate {
namespace {

Result run(const std::string& name) {
    auto topology = topologies::load_topology(std::string(VALIDATE_TEST_DATA) + "/" + name + ".topology.json");
    auto log = capture::read_wire_log(std::string(CAPTURE_TEST_DATA) + "/" + name + ".log");
    return validate(topology, log);
}

TEST(RealCaptures, DialbackBidiIsAccepted) {
    Result r = run("prosody-dialback-bidi");
    EXPECT_TRUE(r.accepted()) << explain_text(r);
    EXPECT_EQ(r.connections.size(), 4u);
}

TEST(RealCaptures, TlsSaslExternalBidiIsAccepted) {
    Result r = run("prosody-tls-sasl-external-bidi");
    EXPECT_TRUE(r.accepted()) << explain_text(r);
    EXPECT_EQ(r.connections.size(), 2u);
}

}  // namespace
}  // namespace bidilab::validate
