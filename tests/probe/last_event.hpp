// tests/probe/last_event.hpp — the last event the capture parser reads from
// a wire text that a played server writes (after montague's stream header
// unless the text is a header itself), as the judge reads it.
#pragma once

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "capture/direction_stream.hpp"

namespace probe_test {

inline bidilab::capture::WireEvent last_event(const std::string& xml, bool from_initiator = true) {
    bidilab::capture::DirectionStream in("test", "conn0",
                                         from_initiator ? bidilab::capture::Direction::InitiatorToReceiver
                                                        : bidilab::capture::Direction::ReceiverToInitiator);
    std::vector<bidilab::capture::WireEvent> events;
    std::vector<std::string> warnings;
    bidilab::capture::LineOrigin origin;
    origin.line = 1;
    const std::string header = "<?xml version='1.0'?><stream:stream xmlns='jabber:server' "
                               "xmlns:stream='http://etherx.jabber.org/streams' xmlns:db='jabber:server:dialback' "
                               "from='montague.lit' to='capulet.lit' version='1.0'>";
    in.feed(xml.rfind("<?xml", 0) == 0 ? xml : header + xml, origin, events, warnings);
    EXPECT_FALSE(events.empty()) << xml;
    return events.empty() ? bidilab::capture::WireEvent{} : events.back();
}

}  // namespace probe_test
