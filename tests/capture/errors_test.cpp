// tests/capture/errors_test.cpp — every CaptureError class with its line and
// one-line message, and the warnings for a log that ends mid-element.
#include <gtest/gtest.h>

#include "capture/wire_log.hpp"
#include "log_text.hpp"

namespace bidilab::capture {
namespace {

using test::data;
using test::header;
using test::lines;

using test::kOpenA;
using test::kOpenB;

// Parses `text` as bad.log and checks the error: its line, a piece of its
// reason, and the one-line "bad.log:LINE: reason" form.
void expect_error(const std::string& text, std::size_t line, const std::string& piece) {
    try {
        parse_wire_log(text, "bad.log");
        ADD_FAILURE() << "no error; expected line " << line << ": " << piece;
    } catch (const CaptureError& e) {
        const std::string what = e.what();
        EXPECT_EQ(e.file(), "bad.log");
        EXPECT_EQ(e.line(), line) << what;
        EXPECT_NE(e.reason().find(piece), std::string::npos) << what;
        EXPECT_EQ(what, "bad.log:" + std::to_string(line) + ": " + e.reason());
        EXPECT_EQ(what.find('\n'), std::string::npos) << what;
    }
}

TEST(WireLogErrors, MissingFields) {
    expect_error(lines({kOpenA, "  0.2 c0 -> "}), 2, "malformed line: missing WRITER");
    expect_error(lines({"0.2"}), 1, "malformed line: missing CONN");
    expect_error(lines({kOpenA, "", "0.2 c0"}), 3, "missing DIR");
    expect_error(lines({kOpenA, "0.2 c0 -> a.lit   "}), 2, "missing XML");
    expect_error(lines({kOpenA, "0.2 c0 -> a.lit (peer)"}), 2,
                 "missing XML (expected 'SECONDS CONN DIR WRITER XML')");
}

TEST(WireLogErrors, BadDirection) {
    expect_error(lines({kOpenA, "0.2 c0 => a.lit <a/>"}), 2,
                 "bad direction token '=>' (expected '->' or '<-')");
    expect_error(lines({"0.2 c0 > a.lit <a/>"}), 1, "bad direction token '>'");
}

TEST(WireLogErrors, BadSeconds) {
    expect_error(lines({"# c", "abc c0 -> a.lit <a/>"}), 2, "bad seconds 'abc'");
    expect_error(lines({"1.2.3 c0 -> a.lit <a/>"}), 1, "bad seconds '1.2.3'");
    expect_error(lines({"-1 c0 -> a.lit <a/>"}), 1, "bad seconds '-1'");
    expect_error(lines({"1. c0 -> a.lit <a/>"}), 1, "bad seconds '1.'");
}

TEST(WireLogErrors, XmlNotWellFormed) {
    // "0.2 c0 -> a.lit <iq></message>": expat points at the end tag's name.
    expect_error(lines({kOpenA, "0.2 c0 -> a.lit <iq></message>"}), 2,
                 "c0 ->: XML not well-formed: mismatched tag (column 23)");
    // A duplicate attribute in a start tag that spans two lines.
    expect_error(lines({kOpenA, "0.2 c0 -> a.lit <iq type='get' ", "0.3 c0 -> a.lit type='set'/>"}),
                 3, "XML not well-formed: duplicate attribute (column 17)");
    // An undeclared prefix inside the stream.
    expect_error(lines({data("c0", "->",
                             "<?xml version='1.0'?><stream:stream "
                             "xmlns:stream='http://etherx.jabber.org/streams'>"),
                        data("c0", "->", "<db:result/>")}),
                 2, "unbound prefix");
    // <?xml in the middle of an element is not a restart.
    expect_error(
        lines({kOpenA, data("c0", "->", "<iq>"), data("c0", "->", "<?xml version='1.0'?>")}), 3,
        "XML or text declaration not at start of entity");
    expect_error(lines({data("c0", "->", "<?xml version='1.0'?><!DOCTYPE stream:stream>")}), 1,
                 "c0 ->: a DOCTYPE is not allowed in an XML stream");
    // "  0.100000 c0 -> a.lit  <!DOCTYPE x>": inside the stream expat rejects it itself.
    expect_error(lines({kOpenA, data("c0", "->", "<!DOCTYPE x>")}), 2,
                 "c0 ->: XML not well-formed: not well-formed (invalid token) (column 27)");
}

TEST(WireLogErrors, DataAfterStreamClose) {
    expect_error(lines({kOpenA, data("c0", "->", "</stream:stream>"), data("c0", "->", "<iq/>")}),
                 3,
                 "c0 ->: data after </stream:stream> (line 2) without a new stream header: <iq>");
    // On the same line as the close, and with a prefix only the old stream bound.
    expect_error(lines({kOpenA, data("c0", "->", "</stream:stream><db:result/>")}), 2,
                 "data after </stream:stream> (line 2) without a new stream header "
                 "(XML not well-formed: unbound prefix");
    expect_error(
        lines({kOpenA, data("c0", "->", "</stream:stream>"), "", data("c0", "->", "junk")}), 4,
        "data after </stream:stream> (line 2) without a new stream header: text");
    expect_error(lines({data("c0", "->", " x<stream:stream>")}), 1,
                 "c0 ->: the first data of this direction is not a stream header: text");
}

TEST(WireLogErrors, FirstDataNotAStreamHeader) {
    expect_error(lines({kOpenA, data("c0", "<-", "<stream:features/>", "b.lit")}), 2,
                 "c0 <-: the first data of this direction is not a stream header "
                 "(XML not well-formed: unbound prefix");
    expect_error(lines({data("c0", "->", "<iq xmlns='jabber:server'/>")}), 1,
                 "c0 ->: the first data of this direction is not a stream header: "
                 "<{jabber:server}iq>");
    // Split: the element that is not a header completes on a later line,
    // but the error names the line where it begins.
    expect_error(lines({kOpenA, kOpenB, data("c1", "->", "<features "),
                        data("c1", "->", "xmlns='http://etherx.jabber.org/streams'/>")}),
                 3,
                 "c1 ->: the first data of this direction is not a stream header: "
                 "<{http://etherx.jabber.org/streams}features>");
}

TEST(WireLogErrors, ConnectionStartsWithReceiver) {
    expect_error(lines({kOpenA, kOpenB, data("c1", "<-", header("b.lit", "a.lit", "x"))}), 3,
                 "c1: its first line is '<-', but the initiator writes first");
}

TEST(WireLogErrors, UnreadableFile) {
    try {
        read_wire_log("/nonexistent/capture.log");
        ADD_FAILURE() << "no error";
    } catch (const CaptureError& e) {
        EXPECT_EQ(e.line(), 0u);
        EXPECT_EQ(std::string(e.what()).rfind("/nonexistent/capture.log:0: cannot open", 0), 0u)
            << e.what();
    }
}

TEST(WireLogWarnings, LogEndsInsideAnElement) {
    const WireLog log = parse_wire_log(
        lines(
            {kOpenA, kOpenB, data("c0", "->", "<bidi xmlns='urn:xmpp:bidi'/><iq type='get'>"),
             data("c0", "->", "<ping xmlns='urn:xmpp:ping'/>"),
             data(
                 "c0", "<-",
                 "<stream:features><bidi xmlns='urn:xmpp:features:bidi'/></stream:features><db:res",
                 "b.lit"),
             data("c1", "->", "<?xml version='1.0'?><stream:stream xmlns='jabber:server'")}),
        "cut.log");
    EXPECT_EQ(log.count(WireEventKind::Element), 2u);
    EXPECT_EQ(log.count(WireEventKind::StreamOpen), 2u);
    EXPECT_EQ(log.warnings, (std::vector<std::string>{
                                "cut.log:3: c0 ->: the log ends inside <{jabber:server}iq>",
                                "cut.log:5: c0 <-: the log ends inside an unfinished tag",
                                "cut.log:6: c1 ->: the log ends inside the stream header",
                            }));
}

TEST(WireLogWarnings, TextBetweenElements) {
    const WireLog log = parse_wire_log(
        lines({kOpenA, data("c0", "->", " hello <bidi xmlns='urn:xmpp:bidi'/>")}), "text.log");
    EXPECT_EQ(log.count(WireEventKind::Element), 1u);
    ASSERT_EQ(log.warnings.size(), 1u);
    EXPECT_EQ(log.warnings[0], "text.log:2: c0 ->: text between top-level elements ignored");
}

TEST(WireLogWarnings, OpenStreamAtEndIsNoWarning) {
    const WireLog log = parse_wire_log(
        lines({kOpenA, data("c0", "->", "<bidi xmlns='urn:xmpp:bidi'/>  ")}), "open.log");
    EXPECT_TRUE(log.warnings.empty());
    EXPECT_EQ(log.events.size(), 2u);
}

}  // namespace
}  // namespace bidilab::capture

namespace bidilab::capture {
namespace {

// Bounded work on hostile captures: elements nested past the limit are an
// error with their line; thousands of stream restarts on one line are read
// one by one (the reader feeds expat in slices and re-feeds only a slice's
// tail after a restart: linear, without a recursion per restart).
TEST(WireLogLimits, DeepNestingIsAnErrorManyRestartsOnOneLineAreRead) {
    std::string deep = "<message from='a@a.lit' to='b@b.lit'>";
    for (int k = 0; k < 100; ++k) deep += "<x>";
    for (int k = 0; k < 100; ++k) deep += "</x>";
    deep += "</message>";
    expect_error(lines({kOpenA, "  0.1 c0 -> a.lit " + deep}), 2, "elements nested deeper than 64 levels");
    std::string ok = "<message from='a@a.lit' to='b@b.lit'>";
    for (int k = 0; k < 60; ++k) ok += "<x>";
    for (int k = 0; k < 60; ++k) ok += "</x>";
    ok += "</message>";
    EXPECT_EQ(parse_wire_log(lines({kOpenA, "  0.1 c0 -> a.lit " + ok}), "ok.log").count(WireEventKind::Element), 1u);
    const std::string h = header("a.lit", "b.lit", "");
    std::string many;
    for (int k = 0; k < 5000; ++k) many += h;
    const WireLog log = parse_wire_log(lines({"  0.0 c0 -> a.lit " + many}), "many.log");
    EXPECT_EQ(log.count(WireEventKind::StreamOpen), 5000u);
    for (const auto& e : log.events) EXPECT_EQ(e.line, 1u);
}

}  // namespace
}  // namespace bidilab::capture
