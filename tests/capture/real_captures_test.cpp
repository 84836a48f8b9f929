// tests/capture/real_captures_test.cpp — the two Prosody captures (copies of
// shared/captures/) parse into the expected connections and events.
#include <gtest/gtest.h>

#include <string>

#include "capture/namespaces.hpp"
#include "capture/wire_log.hpp"

namespace bidilab::capture {
namespace {

const std::string kData = CAPTURE_TEST_DATA;

// The events of one direction that are elements, in order.
std::vector<const XmlElement*> elements(const WireLog& log, const std::string& conn, Direction d) {
    std::vector<const XmlElement*> out;
    for (const WireEvent* e : log.stream(conn, d)) {
        if (e->kind == WireEventKind::Element) out.push_back(&e->element);
    }
    return out;
}

std::vector<const StreamHeader*> headers(const WireLog& log, const std::string& conn, Direction d) {
    std::vector<const StreamHeader*> out;
    for (const WireEvent* e : log.stream(conn, d)) {
        if (e->kind == WireEventKind::StreamOpen) out.push_back(&e->header);
    }
    return out;
}

constexpr Direction kOut = Direction::InitiatorToReceiver;
constexpr Direction kIn = Direction::ReceiverToInitiator;

TEST(WireLogRealCaptures, DialbackBidiCounts) {
    const WireLog log = read_wire_log(kData + "/prosody-dialback-bidi.log");
    EXPECT_EQ(log.connections, (std::vector<std::string>{"conn0", "conn1", "conn2", "conn3"}));
    EXPECT_EQ(log.count(WireEventKind::StreamOpen), 8u);
    EXPECT_EQ(log.count(WireEventKind::Element), 36u);
    EXPECT_EQ(log.count(WireEventKind::StreamClose), 8u);
    EXPECT_TRUE(log.warnings.empty());
    for (const std::string& conn : log.connections) {
        for (Direction d : {kOut, kIn}) {
            const auto events = log.stream(conn, d);
            ASSERT_FALSE(events.empty());
            EXPECT_EQ(events.front()->kind, WireEventKind::StreamOpen) << conn;
            EXPECT_EQ(events.back()->kind, WireEventKind::StreamClose) << conn;
        }
    }
    // Completion order is line order; in these captures every write is whole.
    for (std::size_t i = 1; i < log.events.size(); ++i) {
        EXPECT_LT(log.events[i - 1].line, log.events[i].line);
        EXPECT_EQ(log.events[i].first_line, log.events[i].line);
    }
    EXPECT_EQ(log.events.front().line, 6u);
}

TEST(WireLogRealCaptures, DialbackBidiElements) {
    const WireLog log = read_wire_log(kData + "/prosody-dialback-bidi.log");
    const auto* h = headers(log, "conn0", kOut).front();
    EXPECT_TRUE(h->ns == ns::kStreams && h->name == "stream");
    EXPECT_EQ(h->default_ns, ns::kServer);
    EXPECT_EQ(h->from(), "capulet.lit");
    EXPECT_EQ(h->to(), "montague.lit");
    EXPECT_EQ(h->id(), "");  // the initiator sends id=''
    EXPECT_EQ(h->version(), "1.0");
    EXPECT_EQ(h->attr("xml:lang"), "en");
    EXPECT_EQ(log.events.front().writer, "capulet.lit");

    // The feature (urn:xmpp:features:bidi) and the request (urn:xmpp:bidi).
    const auto in = elements(log, "conn0", kIn);
    ASSERT_GE(in.size(), 1u);
    EXPECT_TRUE(in[0]->is(ns::kStreams, "features"));
    EXPECT_NE(in[0]->child(ns::kBidiFeature, "bidi"), nullptr);
    EXPECT_EQ(in[0]->child(ns::kBidi, "bidi"), nullptr);
    EXPECT_NE(in[0]->child(ns::kDialbackFeature, "dialback"), nullptr);
    const auto out = elements(log, "conn0", kOut);
    ASSERT_GE(out.size(), 3u);
    EXPECT_TRUE(out[0]->is(ns::kBidi, "bidi"));
    EXPECT_EQ(out[0]->raw, "<bidi xmlns='urn:xmpp:bidi'/>");
    EXPECT_TRUE(out[1]->is(ns::kDialback, "result"));
    EXPECT_EQ(out[1]->attr("to"), "montague.lit");

    // conn0's db:verify asks about the stream conn1's receiver opened.
    EXPECT_TRUE(out[2]->is(ns::kDialback, "verify"));
    const auto conn1_in = headers(log, "conn1", kIn);
    ASSERT_EQ(conn1_in.size(), 1u);
    EXPECT_EQ(out[2]->attr("id"), conn1_in[0]->id());
    EXPECT_EQ(out[2]->attr("id"), "76c05a85-e430-4055-808a-bd21d268fe1c");
    // ... and carries the key conn1's initiator sent in its db:result.
    EXPECT_EQ(out[2]->text, elements(log, "conn1", kOut)[1]->text);

    // A stanza with a namespaced payload, and the stream error at the end.
    const XmlElement* ping = out[3];
    EXPECT_TRUE(ping->is(ns::kServer, "iq"));
    EXPECT_EQ(ping->attr("type"), "get");
    EXPECT_NE(ping->child(ns::kPing, "ping"), nullptr);
    const XmlElement* message = out[5];
    ASSERT_TRUE(message->is(ns::kServer, "message"));
    ASSERT_NE(message->child(ns::kServer, "body"), nullptr);
    EXPECT_EQ(message->child(ns::kServer, "body")->text, "Wherefore art thou?");
    const XmlElement* error = out.back();
    EXPECT_TRUE(error->is(ns::kStreams, "error"));
    ASSERT_NE(error->child(ns::kStreamErrors, "text"), nullptr);
    EXPECT_EQ(error->child(ns::kStreamErrors, "text")->text, "Received SIGTERM");
    EXPECT_NE(error->child(ns::kStreamErrors, "system-shutdown"), nullptr);
}

TEST(WireLogRealCaptures, DialbackBidiNotes) {
    const WireLog log = read_wire_log(kData + "/prosody-dialback-bidi.log");
    ASSERT_EQ(log.notes.size(), 4u);
    const ConnectionNote& n = log.notes.at("conn1");
    EXPECT_EQ(n.initiator_address, "127.0.0.1:45058");
    EXPECT_EQ(n.receiver_address, "127.0.0.2:5269");
    EXPECT_EQ(n.receiver_domain, "capulet.lit");
}

TEST(WireLogRealCaptures, TlsSaslExternalCounts) {
    const WireLog log = read_wire_log(kData + "/prosody-tls-sasl-external-bidi.log");
    EXPECT_EQ(log.connections, (std::vector<std::string>{"conn0", "conn1"}));
    EXPECT_EQ(log.count(WireEventKind::StreamOpen), 12u);  // 2 connections x 2 directions x 3
    EXPECT_EQ(log.count(WireEventKind::Element), 26u);
    EXPECT_EQ(log.count(WireEventKind::StreamClose), 4u);
    EXPECT_TRUE(log.warnings.empty());
}

TEST(WireLogRealCaptures, TlsSaslExternalRestarts) {
    const WireLog log = read_wire_log(kData + "/prosody-tls-sasl-external-bidi.log");
    for (const std::string conn : {"conn0", "conn1"}) {
        const auto in = headers(log, conn, kIn);
        ASSERT_EQ(in.size(), 3u);
        // Each restart gets a fresh stream id from the receiving server.
        EXPECT_NE(in[0]->id(), in[1]->id());
        EXPECT_NE(in[1]->id(), in[2]->id());
        EXPECT_NE(in[0]->id(), in[2]->id());
        for (const auto* h : headers(log, conn, kOut)) EXPECT_EQ(h->id(), "");

        // What comes just before each restart on the receiver's side.
        const auto events = log.stream(conn, kIn);
        std::vector<const XmlElement*> before_restart;
        for (std::size_t i = 1; i < events.size(); ++i) {
            if (events[i]->kind == WireEventKind::StreamOpen) {
                before_restart.push_back(&events[i - 1]->element);
            }
        }
        ASSERT_EQ(before_restart.size(), 2u);
        EXPECT_TRUE(before_restart[0]->is(ns::kTls, "proceed"));
        EXPECT_TRUE(before_restart[1]->is(ns::kSasl, "success"));
    }
    const auto in = elements(log, "conn0", kIn);
    EXPECT_NE(in[0]->child(ns::kTls, "starttls")->child(ns::kTls, "required"), nullptr);
    const XmlElement* mechanisms = in[2]->child(ns::kSasl, "mechanisms");
    ASSERT_NE(mechanisms, nullptr);
    EXPECT_EQ(mechanisms->child(ns::kSasl, "mechanism")->text, "EXTERNAL");
    EXPECT_NE(in[2]->child(ns::kBidiFeature, "bidi"), nullptr);
    const auto out = elements(log, "conn0", kOut);
    EXPECT_TRUE(out[0]->is(ns::kTls, "starttls"));
    EXPECT_TRUE(out[1]->is(ns::kBidi, "bidi"));
    EXPECT_TRUE(out[2]->is(ns::kSasl, "auth"));
    EXPECT_EQ(out[2]->attr("mechanism"), "EXTERNAL");
    EXPECT_EQ(out[2]->text, "Y2FwdWxldC5saXQ=");
    // After SASL the features carry only caps and dialback.
    const XmlElement* caps = in[4]->child("http://jabber.org/protocol/caps", "c");
    ASSERT_NE(caps, nullptr);
    EXPECT_EQ(caps->attr("hash"), "sha-1");
}

}  // namespace
}  // namespace bidilab::capture
