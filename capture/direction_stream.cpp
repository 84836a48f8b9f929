// capture/direction_stream.cpp — the expat driver behind DirectionStream.
#include "capture/direction_stream.hpp"

#include <expat.h>

#include <algorithm>
#include <utility>

#include "capture/capture_error.hpp"
#include "capture/namespaces.hpp"

namespace bidilab::capture {
namespace {

constexpr char kSeparator = '\x1F';  // cannot occur in XML text, so not in a URI

// expat's "URI<sep>local" (or "local") as (URI, local).
std::pair<std::string, std::string> split_name(const char* name) {
    std::string_view n(name);
    const auto sep = n.find(kSeparator);
    if (sep == std::string_view::npos) return {"", std::string(n)};
    return {std::string(n.substr(0, sep)), std::string(n.substr(sep + 1))};
}

std::size_t first_non_blank(std::string_view s) {
    return s.find_first_not_of(" \t\r\n");
}

bool is_stream_header(const std::string& ns, const std::string& local) {
    return ns == capture::ns::kStreams && local == "stream";
}

std::string clark(const std::string& ns, const std::string& local) {
    return ns.empty() ? local : "{" + ns + "}" + local;
}

}  // namespace

DirectionStream::DirectionStream(std::string source, std::string connection, Direction direction)
    : source_(std::move(source)), connection_(std::move(connection)), direction_(direction) {}

DirectionStream::~DirectionStream() {
    drop_document();
}

std::string DirectionStream::label() const {
    return connection_ + " " + std::string(arrow(direction_));
}

void DirectionStream::feed(std::string_view xml, const LineOrigin& origin,
                           std::vector<WireEvent>& events, std::vector<std::string>& warnings) {
    events_ = &events;
    warnings_ = &warnings;
    // In slices: a restart or a close re-feeds only what follows it in its
    // slice, so reading stays linear in the input however many stream
    // headers one line holds.
    for (std::size_t at = 0; at < xml.size(); at += kSlice) {
        LineOrigin slice_origin = origin;
        slice_origin.column += at;
        feed_segment(xml.substr(at, kSlice), slice_origin);
    }
}

void DirectionStream::start_document() {
    parser_ = XML_ParserCreateNS("UTF-8", kSeparator);
    if (parser_ == nullptr) throw std::bad_alloc();
    XML_SetUserData(parser_, this);
    XML_SetElementHandler(parser_, &start_handler, &end_handler);
    XML_SetCharacterDataHandler(parser_, &text_handler);
    XML_SetStartNamespaceDeclHandler(parser_, &namespace_handler);
    XML_SetStartDoctypeDeclHandler(parser_, &doctype_handler);
    XML_SetDefaultHandlerExpand(parser_, &default_handler);  // declarations, comments, PIs
#if defined(BIDILAB_EXPAT_REPARSE_DEFERRAL) || XML_MAJOR_VERSION > 2 || \
    (XML_MAJOR_VERSION == 2 && XML_MINOR_VERSION >= 6)
    // Events must fire on the line that completes them, not when more data comes.
    XML_SetReparseDeferralEnabled(parser_, XML_FALSE);
#endif
}

void DirectionStream::drop_document() {
    if (parser_ != nullptr) XML_ParserFree(parser_);
    parser_ = nullptr;
    doc_.clear();
    chunks_.clear();
    current_ = consumed_ = depth_ = 0;
    open_.clear();
    pending_namespaces_.clear();
    action_ = Action::None;
}

void DirectionStream::feed_segment(std::string_view text, LineOrigin origin) {
    if (parser_ == nullptr) {
        const std::size_t skip = first_non_blank(text);
        if (skip == std::string_view::npos) return;  // blanks between documents
        text.remove_prefix(skip);
        origin.column += skip;
        if (text.front() != '<') {  // character data cannot begin an XML document
            throw CaptureError(
                source_, origin.line,
                header_context() + ": text (column " + std::to_string(origin.column) + ")");
        }
        start_document();
    }
    chunks_.push_back(Chunk{doc_.size(), std::move(origin)});
    current_ = chunks_.size() - 1;
    doc_.append(text);
    if (XML_Parse(parser_, text.data(), static_cast<int>(text.size()), XML_FALSE) ==
        XML_STATUS_OK) {
        return;
    }
    switch (action_) {
        case Action::Fail: throw CaptureError(source_, fail_line_, fail_reason_);
        case Action::Close:
        case Action::Restart: replay_from(action_offset_); return;
        case Action::None: break;
    }
    const XML_Index at = XML_GetCurrentByteIndex(parser_);
    if (XML_GetErrorCode(parser_) == XML_ERROR_MISPLACED_XML_PI && depth_ == 1 && open_.empty() &&
        at >= 0 && doc_.compare(static_cast<std::size_t>(at), 5, "<?xml") == 0) {
        replay_from(static_cast<std::size_t>(at));  // a restart that begins with <?xml ...?>
        return;
    }
    throw_xml_error();
}

// Drops the current document and feeds its bytes from `offset` on again, each
// piece with the line it came from, so that they start a new document.
void DirectionStream::replay_from(std::size_t offset) {
    std::vector<std::pair<std::string, LineOrigin>> pieces;
    for (std::size_t i = 0; i < chunks_.size(); ++i) {
        const std::size_t begin = chunks_[i].offset;
        const std::size_t end = i + 1 < chunks_.size() ? chunks_[i + 1].offset : doc_.size();
        const std::size_t from = std::max(begin, offset);
        if (from >= end) continue;
        LineOrigin origin = chunks_[i].origin;
        origin.column += from - begin;
        pieces.emplace_back(doc_.substr(from, end - from), std::move(origin));
    }
    drop_document();
    for (auto& [text, origin] : pieces) feed_segment(text, origin);
}

void DirectionStream::throw_xml_error() {
    const XML_Index at = XML_GetCurrentByteIndex(parser_);
    const Chunk& chunk = at >= 0 ? chunk_at(static_cast<std::size_t>(at)) : chunks_[current_];
    const std::size_t column =
        chunk.origin.column + (at >= 0 ? static_cast<std::size_t>(at) - chunk.offset : 0);
    const std::string what = std::string("XML not well-formed: ") +
                             XML_ErrorString(XML_GetErrorCode(parser_)) + " (column " +
                             std::to_string(column) + ")";
    if (depth_ == 0)
        throw CaptureError(source_, chunk.origin.line, header_context() + " (" + what + ")");
    throw CaptureError(source_, chunk.origin.line, label() + ": " + what);
}

// What a document-level failure means: no header where one must be.
std::string DirectionStream::header_context() const {
    if (closed_on_line_) {
        return label() + ": data after </stream:stream> (line " + std::to_string(*closed_on_line_) +
               ") without a new stream header";
    }
    return label() + ": the first data of this direction is not a stream header";
}

const DirectionStream::Chunk& DirectionStream::chunk_at(std::size_t offset) const {
    auto it = std::upper_bound(chunks_.begin(), chunks_.end(), offset,
                               [](std::size_t o, const Chunk& c) { return o < c.offset; });
    return it == chunks_.begin() ? chunks_.front() : *(it - 1);
}

WireEvent DirectionStream::make_event(WireEventKind kind, std::size_t first_line) const {
    const LineOrigin& origin = chunks_[current_].origin;
    WireEvent e;
    e.kind = kind;
    e.connection = connection_;
    e.direction = direction_;
    e.writer = origin.writer;
    e.logged_by_peer = origin.logged_by_peer;
    e.forged = origin.forged;
    e.seconds = origin.seconds;
    e.first_line = first_line;
    e.line = origin.line;
    return e;
}

void DirectionStream::stop(Action action, std::size_t offset) {
    action_ = action;
    action_offset_ = offset;
    XML_StopParser(parser_, XML_FALSE);
}

std::size_t DirectionStream::mark_event() {
    const XML_Index at = XML_GetCurrentByteIndex(parser_);
    const std::size_t start = at >= 0 ? static_cast<std::size_t>(at) : consumed_;
    consumed_ =
        std::max(consumed_, start + static_cast<std::size_t>(XML_GetCurrentByteCount(parser_)));
    return start;
}

void DirectionStream::on_start(const char* name, const char** atts) {
    const std::size_t start = mark_event();
    auto [ns, local] = split_name(name);
    std::vector<NamespaceDeclaration> namespaces = std::move(pending_namespaces_);
    pending_namespaces_.clear();
    std::vector<XmlAttribute> attributes;
    for (const char** a = atts; *a != nullptr; a += 2) {
        auto [attr_ns, attr_local] = split_name(a[0]);
        attributes.emplace_back(qualified_attribute_name(attr_ns, attr_local), a[1]);
    }
    if (depth_ == 0) {
        if (!is_stream_header(ns, local)) {
            fail_line_ = line_at(start);
            fail_reason_ = header_context() + ": <" + clark(ns, local) + ">";
            stop(Action::Fail, start);
            return;
        }
        WireEvent e = make_event(WireEventKind::StreamOpen, line_at(start));
        e.header.ns = std::move(ns);
        e.header.name = std::move(local);
        for (const NamespaceDeclaration& d : namespaces) {
            if (d.prefix.empty()) e.header.default_ns = d.uri;
        }
        e.header.namespaces = std::move(namespaces);
        e.header.attributes = std::move(attributes);
        e.header.raw = to_canonical_xml(e.header);
        events_->push_back(std::move(e));
        closed_on_line_.reset();
        depth_ = 1;
        return;
    }
    if (depth_ == 1 && is_stream_header(ns, local)) {
        stop(Action::Restart, start);  // a restart without <?xml ...?>
        return;
    }
    if (depth_ == 1) element_first_line_ = line_at(start);
    if (depth_ > kMaxElementDepth) {  // each element keeps its subtree's text: bounded work
        fail_line_ = line_at(start);
        fail_reason_ = label() + ": elements nested deeper than " + std::to_string(kMaxElementDepth) +
                       " levels, the limit of a capture";
        stop(Action::Fail, start);
        return;
    }
    XmlElement e;
    e.ns = std::move(ns);
    e.name = std::move(local);
    e.attributes = std::move(attributes);
    open_.push_back(std::move(e));
    ++depth_;
}

void DirectionStream::on_end() {
    const std::size_t start = mark_event();
    if (depth_ == 1) {
        events_->push_back(make_event(WireEventKind::StreamClose, line_at(start)));
        closed_on_line_ = chunks_[current_].origin.line;
        stop(Action::Close, consumed_);
        return;
    }
    --depth_;
    XmlElement e = std::move(open_.back());
    open_.pop_back();
    e.raw = to_canonical_xml(e);
    if (!open_.empty()) {
        open_.back().children.push_back(std::move(e));
        return;
    }
    WireEvent event = make_event(WireEventKind::Element, element_first_line_);
    event.element = std::move(e);
    events_->push_back(std::move(event));
}

void DirectionStream::on_text(std::string_view text) {
    const std::size_t start = mark_event();
    if (!open_.empty()) {
        open_.back().text.append(text);
    } else if (first_non_blank(text) != std::string_view::npos) {
        warnings_->push_back(source_ + ":" + std::to_string(line_at(start)) + ": " + label() +
                             ": text between top-level elements ignored");
    }
}

void DirectionStream::on_namespace(const char* prefix, const char* uri) {
    pending_namespaces_.push_back({prefix != nullptr ? prefix : "", uri != nullptr ? uri : ""});
}

void DirectionStream::on_doctype() {
    const std::size_t start = mark_event();
    fail_line_ = line_at(start);
    fail_reason_ = label() + ": a DOCTYPE is not allowed in an XML stream";
    stop(Action::Fail, start);
}

std::optional<std::string> DirectionStream::end_of_input_warning() const {
    if (parser_ == nullptr) return std::nullopt;
    std::string what;
    std::size_t line = 0;
    if (!open_.empty()) {
        what = "<" + clark(open_.front().ns, open_.front().name) + ">";
        line = element_first_line_;
    } else {
        const std::size_t rest = first_non_blank(std::string_view(doc_).substr(consumed_));
        if (depth_ == 0) {
            what = "the stream header";
            line = chunks_.front().origin.line;
        } else if (rest != std::string_view::npos) {
            what = "an unfinished tag";
            line = line_at(consumed_ + rest);
        } else {
            return std::nullopt;
        }
    }
    return source_ + ":" + std::to_string(line) + ": " + label() + ": the log ends inside " + what;
}

// expat callbacks: ignore everything once a handler has stopped the parser
// (expat may still deliver a few events after XML_StopParser).
void DirectionStream::start_handler(void* self, const char* name, const char** atts) {
    auto* s = static_cast<DirectionStream*>(self);
    if (s->action_ == Action::None) s->on_start(name, atts);
}
void DirectionStream::end_handler(void* self, const char*) {
    auto* s = static_cast<DirectionStream*>(self);
    if (s->action_ == Action::None) s->on_end();
}
void DirectionStream::text_handler(void* self, const char* text, int len) {
    auto* s = static_cast<DirectionStream*>(self);
    if (s->action_ == Action::None)
        s->on_text(std::string_view(text, static_cast<std::size_t>(len)));
}
void DirectionStream::namespace_handler(void* self, const char* prefix, const char* uri) {
    auto* s = static_cast<DirectionStream*>(self);
    if (s->action_ == Action::None) s->on_namespace(prefix, uri);
}
void DirectionStream::doctype_handler(void* self, const char*, const char*, const char*, int) {
    auto* s = static_cast<DirectionStream*>(self);
    if (s->action_ == Action::None) s->on_doctype();
}
void DirectionStream::default_handler(void* self, const char*, int) {
    auto* s = static_cast<DirectionStream*>(self);
    if (s->action_ == Action::None) s->mark_event();
}

}  // namespace bidilab::capture
