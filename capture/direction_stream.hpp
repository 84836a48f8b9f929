// capture/direction_stream.hpp — one direction of one connection of a wire
// log as one XML stream, parsed incrementally with expat.
//
// Each log line's XML field is fed to the direction's parser as it comes, so
// an element may span lines and a line may hold several elements; an event is
// produced the moment expat completes it, which gives its completing line.
// Depth 0 is the document level, where only a <stream:stream> header may
// open; depth 1 is inside the stream, where each complete child is an Element
// event; </stream:stream> is a StreamClose.
//
// Restarts (RFC 6120: after <proceed/> or SASL <success/> the stream starts
// over as a new XML document, without a </stream:stream>) are found by expat
// itself rather than by scanning text: at depth 1, between elements,
//   - a new <stream:stream> start tag arrives as a start-element event for
//     {http://etherx.jabber.org/streams}stream at depth 1;
//   - a new <?xml ...?> declaration makes expat fail with "XML or text
//     declaration not at start of entity" at depth 1, at the '<' of "<?xml".
// Either way the direction keeps the text of its current document and which
// log line each byte came from, so it drops the parser and feeds the bytes
// from that offset on, line by line, to a fresh parser: a header split across
// lines, or one sharing a line with other data, restarts where it begins. The
// same replay follows </stream:stream>: what comes after it on the line (and
// on later lines) must open a new stream, or it is an error.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "capture/wire_event.hpp"

struct XML_ParserStruct;

namespace bidilab::capture {

// The log line a piece of XML came from.
struct LineOrigin {
    std::size_t line = 0;    // 1-based
    std::size_t column = 0;  // 1-based column of the piece's first byte
    std::string writer;
    bool logged_by_peer = false;
    double seconds = 0;
    bool forged = false;  // the line's WRITER carried "(forged)"
};

class DirectionStream {
public:
    DirectionStream(std::string source, std::string connection, Direction direction);
    ~DirectionStream();
    DirectionStream(const DirectionStream&) = delete;
    DirectionStream& operator=(const DirectionStream&) = delete;

    // Feeds one line's XML field; appends completed events to `events` and
    // notes to `warnings`. Throws CaptureError for XML that is not
    // well-formed, a first document that does not open with a stream header,
    // and data after </stream:stream> that does not open a new one.
    void feed(std::string_view xml, const LineOrigin& origin, std::vector<WireEvent>& events,
              std::vector<std::string>& warnings);

    // At the end of the log: "FILE:LINE: ..." when a stream header or an
    // element was begun but not completed (LINE is where it began).
    std::optional<std::string> end_of_input_warning() const;

    // "conn0 ->"
    std::string label() const;

    // Elements nested deeper than this in one stanza are refused (a capture
    // error with the line): each element's canonical text holds its subtree.
    static constexpr std::size_t kMaxElementDepth = 64;

private:
    static constexpr std::size_t kSlice = 4096;  // bytes fed to expat at a time
    struct Chunk {
        std::size_t offset;  // into doc_
        LineOrigin origin;
    };
    enum class Action { None, Close, Restart, Fail };

    void feed_segment(std::string_view text, LineOrigin origin);
    void start_document();
    void drop_document();
    void replay_from(std::size_t offset);
    [[noreturn]] void throw_xml_error();
    const Chunk& chunk_at(std::size_t offset) const;
    std::size_t line_at(std::size_t offset) const { return chunk_at(offset).origin.line; }
    WireEvent make_event(WireEventKind kind, std::size_t first_line) const;
    std::string header_context() const;
    void stop(Action action, std::size_t offset);
    std::size_t mark_event();  // the current event's start offset; advances consumed_

    void on_start(const char* name, const char** atts);
    void on_end();
    void on_text(std::string_view text);
    void on_namespace(const char* prefix, const char* uri);
    void on_doctype();

    static void start_handler(void* self, const char* name, const char** atts);
    static void end_handler(void* self, const char* name);
    static void text_handler(void* self, const char* s, int len);
    static void namespace_handler(void* self, const char* prefix, const char* uri);
    static void doctype_handler(void* self, const char* name, const char* sysid, const char* pubid,
                                int has_internal_subset);
    static void default_handler(void* self, const char* s, int len);

    std::string source_;
    std::string connection_;
    Direction direction_;

    XML_ParserStruct* parser_ = nullptr;  // null between documents
    std::string doc_;                     // the current document's text so far
    std::vector<Chunk> chunks_;           // where each piece of doc_ came from
    std::size_t current_ = 0;             // the chunk being parsed
    std::size_t consumed_ = 0;            // doc_ offset after the last event
    std::size_t depth_ = 0;               // 0 document level, 1 in the stream
    std::vector<XmlElement> open_;        // elements under construction
    std::size_t element_first_line_ = 0;
    std::vector<NamespaceDeclaration> pending_namespaces_;
    std::optional<std::size_t> closed_on_line_;  // the previous document's close

    std::vector<WireEvent>* events_ = nullptr;
    std::vector<std::string>* warnings_ = nullptr;
    Action action_ = Action::None;
    std::size_t action_offset_ = 0;
    std::size_t fail_line_ = 0;
    std::string fail_reason_;
};

}  // namespace bidilab::capture
