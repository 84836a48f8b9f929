// tests/capture/streaming_test.cpp — elements and headers split across lines,
// several on one line, restarts, namespaces and the canonical form.
#include <gtest/gtest.h>

#include "capture/namespaces.hpp"
#include "capture/wire_log.hpp"
#include "log_text.hpp"

namespace bidilab::capture {
namespace {

using test::data;
using test::header;
using test::lines;

using test::kOpenA;
using test::kOpenB;

std::vector<const WireEvent*> of_kind(const WireLog& log, WireEventKind kind) {
    std::vector<const WireEvent*> out;
    for (const WireEvent& e : log.events) {
        if (e.kind == kind) out.push_back(&e);
    }
    return out;
}

TEST(WireLogStreaming, ElementSplitAcrossLines) {
    // Where a write ends in the middle of a tag, the blank that separates two
    // attributes is the last byte of the first line (blanks that begin a
    // line's XML field are column padding).
    const WireLog log = parse_wire_log(
        lines({kOpenA, data("c0", "->", "<iq type='get' "),
               data("c0", "->", "to='b.lit'><ping xmlns='urn:xm"), data("c0", "->", "pp:ping'/>"),
               data("c0", "->", "</iq><db:res"), data("c0", "->", "ult to='b.l"),
               data("c0", "->", "it'>ke"), data("c0", "->", "y</db:result>")}),
        "split.log");
    const auto elements = of_kind(log, WireEventKind::Element);
    ASSERT_EQ(elements.size(), 2u);
    const WireEvent& iq = *elements[0];
    EXPECT_EQ(iq.first_line, 2u);
    EXPECT_EQ(iq.line, 5u);
    EXPECT_TRUE(iq.element.is(ns::kServer, "iq"));
    EXPECT_EQ(iq.element.attributes, (std::vector<XmlAttribute>{{"type", "get"}, {"to", "b.lit"}}));
    EXPECT_NE(iq.element.child(ns::kPing, "ping"), nullptr);
    const WireEvent& result = *elements[1];
    EXPECT_EQ(result.first_line, 5u);
    EXPECT_EQ(result.line, 8u);
    EXPECT_TRUE(result.element.is(ns::kDialback, "result"));
    EXPECT_EQ(result.element.attr("to"), "b.lit");
    EXPECT_EQ(result.element.text, "key");
    EXPECT_TRUE(log.warnings.empty());
}

TEST(WireLogStreaming, SeveralElementsOnOneLine) {
    const WireLog log = parse_wire_log(
        lines({kOpenA, kOpenB,
               data("c0", "<-",
                    "<stream:features><bidi xmlns='urn:xmpp:features:bidi'/></stream:features>"
                    "<db:result type='valid' from='b.lit' to='a.lit'/> <iq type='get' id='1'/>",
                    "b.lit"),
               data("c0", "->", "<bidi xmlns='urn:xmpp:bidi'/></stream:stream>")}),
        "joined.log");
    ASSERT_EQ(log.events.size(), 7u);
    const auto& e = log.events;
    EXPECT_EQ(e[0].kind, WireEventKind::StreamOpen);
    EXPECT_EQ(e[1].kind, WireEventKind::StreamOpen);
    EXPECT_TRUE(e[2].element.is(ns::kStreams, "features"));
    EXPECT_TRUE(e[3].element.is(ns::kDialback, "result"));
    EXPECT_TRUE(e[4].element.is(ns::kServer, "iq"));
    for (int i = 2; i <= 4; ++i) EXPECT_EQ(e[i].line, 3u);
    EXPECT_TRUE(e[5].element.is(ns::kBidi, "bidi"));
    EXPECT_EQ(e[6].kind, WireEventKind::StreamClose);
    EXPECT_EQ(e[6].line, 4u);
    EXPECT_EQ(e[2].direction, Direction::ReceiverToInitiator);
    EXPECT_EQ(e[2].writer, "b.lit");
    EXPECT_EQ(e[5].direction, Direction::InitiatorToReceiver);
}

TEST(WireLogStreaming, HeaderSplitAcrossLines) {
    const WireLog log = parse_wire_log(
        lines({data("c0", "->", "<?xml version='1.0'?>"),
               data("c0", "->", "<stream:stream xmlns='jabber:server' "),
               data("c0", "->", "xmlns:stream='http://etherx.jabber.org/streams' to='b.lit' "),
               data("c0", "->", "version='1.0'><bidi xmlns='urn:xmpp:bidi'/>")}),
        "header.log");
    ASSERT_EQ(log.events.size(), 2u);
    const WireEvent& open = log.events[0];
    EXPECT_EQ(open.kind, WireEventKind::StreamOpen);
    EXPECT_EQ(open.first_line, 2u);
    EXPECT_EQ(open.line, 4u);
    EXPECT_EQ(open.header.to(), "b.lit");
    EXPECT_EQ(open.header.version(), "1.0");
    EXPECT_EQ(open.header.id(), std::nullopt);  // absent, not empty
    EXPECT_EQ(open.header.default_ns, "jabber:server");
    EXPECT_EQ(open.header.raw,
              "<stream:stream xmlns='jabber:server' "
              "xmlns:stream='http://etherx.jabber.org/streams' to='b.lit' version='1.0'>");
    EXPECT_TRUE(log.events[1].element.is(ns::kBidi, "bidi"));
    EXPECT_EQ(log.events[1].line, 4u);
}

// A STARTTLS restart in the usual shape: each header begins a line.
TEST(WireLogStreaming, RestartAfterProceed) {
    const WireLog log = parse_wire_log(
        lines({kOpenA, kOpenB,
               data("c0", "<-",
                    "<stream:features><starttls "
                    "xmlns='urn:ietf:params:xml:ns:xmpp-tls'/></stream:features>",
                    "b.lit"),
               data("c0", "->", "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"),
               data("c0", "<-", "<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>", "b.lit"),
               data("c0", "->", header("a.lit", "b.lit", "")),
               // The new document binds other prefixes: nothing of the old one is in scope.
               data("c0", "<-",
                    "<?xml version='1.0'?><s:stream xmlns:s='http://etherx.jabber.org/streams' "
                    "xmlns='jabber:server' id='s2' from='b.lit'>",
                    "b.lit"),
               data("c0", "<-", "<s:features/>", "b.lit")}),
        "restart.log");
    const auto opens = of_kind(log, WireEventKind::StreamOpen);
    ASSERT_EQ(opens.size(), 4u);
    EXPECT_EQ(opens[3]->header.id(), "s2");
    EXPECT_NE(opens[3]->header.id(), opens[1]->header.id());
    EXPECT_EQ(opens[3]->header.raw.rfind("<s:stream ", 0), 0u);
    EXPECT_EQ(opens[2]->line, 6u);
    EXPECT_EQ(opens[3]->line, 7u);
    EXPECT_TRUE(log.events.back().element.is(ns::kStreams, "features"));
    EXPECT_EQ(log.count(WireEventKind::StreamClose), 0u);
}

// A restart header without <?xml ...?>, split across lines and sharing its
// first line with the element before it.
TEST(WireLogStreaming, RestartWithoutDeclarationSplitAcrossLines) {
    const WireLog log = parse_wire_log(
        lines({kOpenA, kOpenB,
               data("c0", "<-", "<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/><stream:str",
                    "b.lit"),
               data("c0", "<-", "eam xmlns:stream='http://etherx.jabber.org/streams' ", "b.lit"),
               data("c0", "<-", "xmlns='jabber:server' id='s3'><stream:features/>", "b.lit")}),
        "restart2.log");
    ASSERT_EQ(log.events.size(), 5u);
    EXPECT_TRUE(log.events[2].element.is(ns::kSasl, "success"));
    EXPECT_EQ(log.events[2].line, 3u);
    const WireEvent& open = log.events[3];
    EXPECT_EQ(open.kind, WireEventKind::StreamOpen);
    EXPECT_EQ(open.first_line, 3u);
    EXPECT_EQ(open.line, 5u);
    EXPECT_EQ(open.header.id(), "s3");
    EXPECT_TRUE(log.events[4].element.is(ns::kStreams, "features"));
    EXPECT_EQ(log.events[4].line, 5u);
}

// <?xml split from the rest of the header, right after an element on the same line.
TEST(WireLogStreaming, RestartDeclarationSplitAcrossLines) {
    const WireLog log = parse_wire_log(
        lines({kOpenA, kOpenB,
               data("c0", "<-", "<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/><?xml vers",
                    "b.lit"),
               data("c0", "<-",
                    "ion='1.0'?><stream:stream xmlns:stream='http://etherx.jabber.org/streams' ",
                    "b.lit"),
               data("c0", "<-", "xmlns='jabber:server' id='s4'>", "b.lit"),
               data("c0", "<-", "</stream:stream>", "b.lit")}),
        "restart3.log");
    ASSERT_EQ(log.events.size(), 5u);
    EXPECT_TRUE(log.events[2].element.is(ns::kSasl, "success"));
    EXPECT_EQ(log.events[3].header.id(), "s4");
    EXPECT_EQ(log.events[3].first_line, 4u);
    EXPECT_EQ(log.events[3].line, 5u);
    EXPECT_EQ(log.events[4].kind, WireEventKind::StreamClose);
}

// A new stream after </stream:stream>, on the same line and on a later one.
TEST(WireLogStreaming, NewStreamAfterClose) {
    const WireLog log = parse_wire_log(
        lines({kOpenA, data("c0", "->", "</stream:stream>  " + header("a.lit", "b.lit", "")),
               data("c0", "->", "</stream:stream>   "), "", "# a comment between the streams",
               data("c0", "->", header("a.lit", "b.lit", "")),
               data("c0", "->", "<bidi xmlns='urn:xmpp:bidi'/>")}),
        "reopen.log");
    std::vector<WireEventKind> kinds;
    for (const WireEvent& e : log.events) kinds.push_back(e.kind);
    EXPECT_EQ(kinds,
              (std::vector<WireEventKind>{WireEventKind::StreamOpen, WireEventKind::StreamClose,
                                          WireEventKind::StreamOpen, WireEventKind::StreamClose,
                                          WireEventKind::StreamOpen, WireEventKind::Element}));
    EXPECT_EQ(log.events[2].line, 2u);
    EXPECT_EQ(log.events[4].line, 6u);
}

TEST(WireLogStreaming, NamespacesAndCanonicalForm) {
    const WireLog log = parse_wire_log(
        lines({kOpenA,
               data("c0", "->",
                    "<message xml:lang='en' xmlns:x='urn:example:x' x:flag='1' to='b.lit'>"
                    "<body>a &amp; b &lt; c 'q'</body><x:extra "
                    "xmlns:db='urn:other'><db:result/></x:extra>"
                    "</message>"),
               data("c0", "->", "<db:verify id='s1' to='b.lit'>k</db:verify>")}),
        "ns.log");
    ASSERT_EQ(log.events.size(), 3u);
    const XmlElement& m = log.events[1].element;
    EXPECT_EQ(m.attr("xml:lang"), "en");
    EXPECT_EQ(m.attr("{http://www.w3.org/XML/1998/namespace}lang"), "en");
    EXPECT_EQ(m.attr("{urn:example:x}flag"), "1");
    EXPECT_EQ(m.attr("flag"), std::nullopt);
    EXPECT_EQ(m.child(ns::kServer, "body")->text, "a & b < c 'q'");
    const XmlElement* extra = m.child("urn:example:x", "extra");
    ASSERT_NE(extra, nullptr);
    EXPECT_NE(extra->child("urn:other", "result"), nullptr);  // db rebound inside
    EXPECT_EQ(m.raw,
              "<message xmlns='jabber:server' xml:lang='en' xmlns:ns0='urn:example:x' "
              "ns0:flag='1' to='b.lit'><body>a &amp; b &lt; c 'q'</body>"
              "<extra xmlns='urn:example:x'><result xmlns='urn:other'/></extra></message>");
    EXPECT_EQ(m.child(ns::kServer, "body")->raw,
              "<body xmlns='jabber:server'>a &amp; b &lt; c 'q'</body>");
    const WireEvent& verify = log.events[2];
    EXPECT_TRUE(verify.element.is(ns::kDialback, "verify"));
    EXPECT_EQ(verify.element.raw,
              "<verify xmlns='jabber:server:dialback' id='s1' to='b.lit'>k</verify>");
    EXPECT_EQ(verify.describe(), "c0 -> line 3: " + verify.element.raw);
}

TEST(WireLogStreaming, LineFormat) {
    const WireLog log = parse_wire_log(
        "# a comment\r\n"
        "   # an indented comment\r\n"
        "\r\n"
        "# conn9: initiator 10.0.0.1:1 -> receiving server 10.0.0.2:5269\r\n"
        "12.5 conn9 -> a.lit (peer) " +
            header("a.lit", "b.lit", "") +
            "\r\n"
            "13\tconn9\t<-\tb.lit(peer)\t" +
            header("b.lit", "a.lit", "x") +
            "\r\n"
            "# conn9: not a note\r\n",
        "format.log");
    ASSERT_EQ(log.events.size(), 2u);
    EXPECT_EQ(log.events[0].writer, "a.lit");
    EXPECT_TRUE(log.events[0].logged_by_peer);
    EXPECT_DOUBLE_EQ(log.events[0].seconds, 12.5);
    EXPECT_EQ(log.events[0].line, 5u);
    EXPECT_EQ(log.events[1].writer, "b.lit");
    EXPECT_TRUE(log.events[1].logged_by_peer);
    EXPECT_EQ(log.events[1].header.id(), "x");
    ASSERT_EQ(log.notes.count("conn9"), 1u);
    EXPECT_EQ(log.notes.at("conn9").receiver_address, "10.0.0.2:5269");
    EXPECT_EQ(log.notes.at("conn9").receiver_domain, "");
}

}  // namespace
}  // namespace bidilab::capture
