// The writer's side of Replayer: could the endpoint that wrote a captured
// element have written it, by its machine?
#include <algorithm>

#include "validate/element_match.hpp"
#include "validate/replayer.hpp"

namespace bidilab::validate {

using model::DbType;
using model::Element;
using model::ElementKind;
using model::Outcome;

std::optional<Problem> Replayer::check_write(Connection& c, Side w, const Mapped& m, Element& delivered) {
    const Element& x = m.element;
    auto& q = queue(c, w);
    if (!q.empty() && same_category(q.front(), x)) return write_queued(c, w, m, delivered);
    // The authoritative server's db:verify answers may be overtaken by the
    // stream's other writes: no rule orders them (XEP-0220 §2.2.2, DB-31 says
    // only what the answer carries), and real servers answer when their key
    // check is done. The element after queued answers may come first.
    std::size_t answers = 0;
    while (answers < q.size() && q[answers].kind == ElementKind::DbVerify && q[answers].type != DbType::None) ++answers;
    if (answers > 0 && answers < q.size() && same_category(q[answers], x)) {
        std::rotate(q.begin(), q.begin() + static_cast<std::ptrdiff_t>(answers),
                    q.begin() + static_cast<std::ptrdiff_t>(answers) + 1);
        return write_queued(c, w, m, delivered);
    }
    switch (x.kind) {
        case ElementKind::Stanza:  // the server had a stanza to send (SendStanza)
            return command(c, w, Element::send_stanza(x.from, x.to, x.seq), m, delivered);
        case ElementKind::DbResult:  // the server wants a pair authorized (RequestPair)
            if (x.type == DbType::None) return command(c, w, Element::request_pair(x.from, x.to), m, delivered);
            break;
        case ElementKind::DbVerify:  // the server verifies a key it received (SendVerify)
            if (x.type == DbType::None) return send_verify(c, w, m, delivered);
            break;
        case ElementKind::StreamError:
        case ElementKind::StreamClose:  // the server ends the stream (abort)
            return close(c, w, m, delivered);
        default:
            break;
    }
    return unexpected(c, w, x);
}

// The element is the next one the writer's machine emitted: compare, bind the
// literal id or key, and hand the reader the machine's element.
std::optional<Problem> Replayer::write_queued(Connection& c, Side w, const Mapped& m, Element& delivered) {
    auto& q = queue(c, w);
    const Element emitted = q.front();
    Element captured = m.element;
    if (captured.kind == ElementKind::StreamOpen) {
        if (w == Side::Initiator && !m.id_text.empty())
            return Problem{"CORE-16", "an initial stream header with id='" + m.id_text +
                                          "': the initiating entity MUST NOT include one"};
        if (w == Side::Receiver) {
            if (m.id_text.empty())
                return Problem{"CORE-7, CORE-15", "a response stream header without an id"};
            if (auto p = corr_.bind_stream(m.id_text, emitted.id)) return p;
        }
        captured.id = emitted.id;
    }
    const bool request = captured.kind == ElementKind::DbResult && captured.type == DbType::None;
    if (request) captured.key = emitted.key;
    if (auto p = compare_write(emitted, captured, names_, w == Side::Initiator)) return p;
    if (request)
        if (auto p = corr_.bind_key(m.key_text, emitted.key)) return p;
    q.pop_front();
    delivered = emitted;
    if (emitted.kind == ElementKind::DbVerify && emitted.type != DbType::None) {
        delivered.type = captured.type;  // the authoritative server's verdict on its own key
        delivered.condition = captured.condition;
    }
    return std::nullopt;
}

// A local command inferred from what the writer wrote; its machine must take
// it and emit exactly the captured element.
std::optional<Problem> Replayer::command(Connection& c, Side w, const Element& cmd, const Mapped& m, Element& delivered) {
    std::vector<Element> emitted;
    const std::size_t entry = open_entry(end_name(c, w), cmd, "inferred: a local command");
    const Outcome o = deliver(c, w, cmd, &emitted);
    close_entry(entry, c, o.handled() ? "" : "refused");
    if (o.verdict == model::Verdict::AfterClose)
        return Problem{"CORE-19", "its stream is already closed (" + std::string(o.state) + ")"};
    if (!o.handled()) {
        const std::string rules = *o.rules ? o.rules : cmd.kind == ElementKind::SendVerify ? "DB-16" : "";
        return Problem{rules, o.describe()};
    }
    if (emitted.empty()) return Problem{"", "its machine emitted nothing for " + model::describe(cmd, names_)};
    Element captured = m.element;
    const bool request = captured.kind == ElementKind::DbResult && captured.type == DbType::None;
    if (request) captured.key = emitted.front().key;
    if (auto p = compare_write(emitted.front(), captured, names_, w == Side::Initiator)) return p;
    if (request)
        if (auto p = corr_.bind_key(m.key_text, emitted.front().key)) return p;
    delivered = emitted.front();
    auto& q = queue(c, w);
    q.insert(q.begin(), emitted.begin() + 1, emitted.end());
    return std::nullopt;
}

std::optional<Problem> Replayer::send_verify(Connection& c, Side w, const Mapped& m, Element& delivered) {
    const Element& x = m.element;
    const Need* need = nullptr;
    for (const Need& n : needs_)
        if (n.need.from == x.to && n.need.to == x.from && n.need.id == x.id) {
            if (Connection* asker = by_number(n.connection); asker && server(*asker, n.side) == server(c, w)) {
                need = &n;
                break;
            }
        }
    if (!need)
        return Problem{"DB-15", "no db:result that " + sc_.server_names[server(c, w)] + " received from " +
                                    names_.domain(x.to) + " for " + names_.domain(x.from) + " on a stream with id '" +
                                    m.id_text + "' waits for this verification"};
    if (need->connection == c.number)
        return Problem{"BIDI-6", "it verifies the key of the db:result that came in on this same connection (line " +
                                     std::to_string(need->line) +
                                     "): a key MUST NOT be verified on the connection where the request was issued"};
    if (!corr_.knows_key(m.key_text) || x.key != need->need.key)
        return Problem{"DB-15, DB-30", "the db:verify carries another key than the db:result of line " +
                                           std::to_string(need->line) + " it verifies"};
    return command(c, w, Element::send_verify(x.from, x.to, x.id, x.key), m, delivered);
}

// A stream error or close: the one the machine emitted, or the writer's own
// decision to end the stream (abort: error, if any, then close).
std::optional<Problem> Replayer::close(Connection& c, Side w, const Mapped& m, Element& delivered) {
    const Element& x = m.element;
    const bool closed = w == Side::Initiator ? c.i.state() == model::InitiatingStream::State::Closed
                                             : c.r.state() == model::ReceivingStream::State::Closed;
    auto& q = queue(c, w);
    bool& wrote_error = w == Side::Initiator ? c.i_error : c.r_error;
    if (x.kind == ElementKind::StreamError) {
        if (wrote_error) return unexpected(c, w, x);
        wrote_error = true;
    }
    if (!closed) {
        if (initiator_blames_peer(c, w, x)) {
            if (auto p = ends_reverse_dialback(c, x)) return p;
            if (auto p = ends_over_dialback_error(c, x)) return p;
        }
        model::Context ctx = context_for(c, w);
        const model::Condition cond = x.kind == ElementKind::StreamError ? x.condition : model::Condition::None;
        if (w == Side::Initiator) c.i.abort(cond, ctx);
        else c.r.abort(cond, ctx);
        q.assign(ctx.out.begin(), ctx.out.end());
        record(c, end_name(c, w), x.kind == ElementKind::StreamError ? Element::stream_error(cond) : x,
               "inferred: the server ends the stream");
    } else if (x.kind == ElementKind::StreamError && !q.empty() && q.front().kind == ElementKind::StreamClose) {
        delivered = x;  // an error before the close that answers the peer's: harmless
        return std::nullopt;
    }
    if (!q.empty() && same_category(q.front(), x)) return write_queued(c, w, m, delivered);
    return unexpected(c, w, x);
}

// An established initiating end writes a stream error whose condition names
// a fault of the peer: not a reset, a shutdown or a conflict (CORE-21), which
// name another cause. The two judgements below ask only about such an end.
bool Replayer::initiator_blames_peer(const Connection& c, Side w, const Element& x) {
    using model::Condition;
    return w == Side::Initiator && x.kind == ElementKind::StreamError &&
           c.i.state() == model::InitiatingStream::State::Established && x.condition != Condition::Reset &&
           x.condition != Condition::SystemShutdown && x.condition != Condition::Conflict;
}

// The writer's own end of the stream is its right (RFC 6120 §4.4), with one
// exception the model knows (the step property reverse-dialback-keeps-the-
// stream of `check`): over a bidi stream the receiving server MAY ask for
// another of its domains (XEP-0288 §2.2, BIDI-8, BIDI-9), and the connecting
// server, which MUST support dialback errors (BIDI-10), answers the request
// or refuses it with one (DB-23); a stream error while it verifies such a
// request ends the stream and every pair on it over a request it had to
// take (Prosody 0.12's s2sout answers invalid-id, REAL-WORLD RW-21). A bare
// </stream:stream> stays the writer's right, and so do the conditions that
// name no fault of the peer (initiator_blames_peer).
std::optional<Problem> Replayer::ends_reverse_dialback(const Connection& c, const Element& x) const {
    if (!c.i.data().has(model::InitiatingData::kBidi)) return std::nullopt;
    const model::PairTable& rev = c.i.data().rev;
    for (std::size_t k = 0; k < rev.size(); ++k) {
        if (rev[k].state != model::PairState::Verifying && rev[k].state != model::PairState::Requested) continue;
        return Problem{"BIDI-8, BIDI-9, BIDI-10, DB-23",
                       std::string("it ends its bidi stream with <") + model::condition_name(x.condition) +
                           "/> while it verifies the receiving server's reverse dialback request for " +
                           names_.domain(rev[k].sender) + " -> " + names_.domain(rev[k].target) +
                           ": over a bidi stream that request is the peer's right (XEP-0288 §2.2), answered or refused "
                           "with a dialback error, never with the end of the stream and every pair on it "
                           "(reverse-dialback-keeps-the-stream)"};
    }
    return std::nullopt;
}

// XEP-0220 §2.1.1: a dialback error «is non-fatal for the XML stream» (DB-14),
// and «a connecting server that uses bidi and dialback MUST support dialback
// error conditions» (XEP-0288 §2.2, BIDI-10). A server that does neither
// (no <errors/> in its policy, no bidi on this stream) may end the stream
// over an error it does not understand (XEP-0220 §2.5, DB-35); one that does
// writes no stream error for it (Prosody 0.12 closes with not-authorized,
// REAL-WORLD RW-19).
std::optional<Problem> Replayer::ends_over_dialback_error(const Connection& c, const Element& x) const {
    const model::InitiatingData& d = c.i.data();
    const bool bidi = d.has(model::InitiatingData::kBidi);
    if (model::may_end_over_dialback_error(policy(c, Side::Initiator), d)) return std::nullopt;  // DB-35
    for (std::size_t k = 0; k < d.fwd.size(); ++k) {
        if (d.fwd[k].state != model::PairState::Error) continue;
        return Problem{bidi ? "BIDI-10, DB-14" : "DB-14, DB-34",
                       std::string("it ends its stream with <") + model::condition_name(x.condition) +
                           "/> after a dialback error for " + names_.domain(d.fwd[k].sender) + " -> " +
                           names_.domain(d.fwd[k].target) + ": the error is non-fatal for the stream (XEP-0220 §2.1.1)" +
                           (bidi ? ", and a server that uses bidi with dialback must support dialback errors (XEP-0288 §2.2)"
                                 : ", and this server advertises dialback error support")};
    }
    return std::nullopt;
}

bool Replayer::stands_for(const Element& forged, const Element& own) {
    if (forged.kind == ElementKind::StreamOpen) return own.kind == ElementKind::StreamOpen;
    return forged.kind == ElementKind::DbResult && own.kind == ElementKind::DbResult && forged.type != DbType::None &&
           own.type != DbType::None && forged.from == own.from && forged.to == own.to;
}

std::optional<Problem> Replayer::unexpected(Connection& c, Side w, const Element& x) {
    const auto& q = queue(c, w);
    std::string rules;
    switch (x.kind) {
        case ElementKind::StreamOpen: rules = w == Side::Initiator ? "CORE-6, CORE-5" : "CORE-2, CORE-7, CORE-42"; break;
        case ElementKind::StreamFeatures: rules = "CORE-2, CORE-8, CORE-9"; break;
        case ElementKind::StartTls:
        case ElementKind::Proceed:
        case ElementKind::TlsFailure: rules = "CORE-28, CORE-31"; break;
        case ElementKind::SaslAuth: rules = "SASL-4, CORE-29, CORE-37"; break;
        case ElementKind::SaslSuccess:
        case ElementKind::SaslFailure: rules = "SASL-8, SASL-9, CORE-35"; break;
        case ElementKind::Bidi: {
            using D = model::InitiatingData;
            const D& d = c.i.data();
            if (w == Side::Receiver) rules = "BIDI-2";  // the request goes from the connecting server
            else if (!d.has(D::kTls) && model::has(d.features, model::feature::kStartTls))
                rules = "BIDI-3, CORE-27";  // TLS is offered and will be negotiated first
            else if (!model::has(d.features, model::feature::kBidi)) rules = "BIDI-1, BIDI-2";
            else rules = "BIDI-4";
            break;
        }
        case ElementKind::DbResult: rules = "DB-10, BIDI-12, DB-45"; break;
        case ElementKind::DbVerify: rules = "DB-18, DB-31, DB-45"; break;
        case ElementKind::StreamError:
        case ElementKind::StreamClose: {  // nothing during the TLS handshake; one error, then the close
            const bool tls = w == Side::Initiator ? c.i.state() == model::InitiatingStream::State::AwaitingTlsHandshake
                                                  : c.r.state() == model::ReceivingStream::State::AwaitingTlsHandshake;
            rules = tls ? "CORE-32" : "CORE-23";
            break;
        }
        default: break;
    }
    const std::string state = w == Side::Initiator ? c.i.state_name() : c.r.state_name();
    if (q.empty())
        return Problem{rules, "its machine (in " + state + ") emits no " + model::kind_name(x.kind) +
                                  (x.kind == ElementKind::DbResult ? " answer: it answers no dialback request of this stream"
                                                                   : " here")};
    return Problem{rules, "its machine (in " + state + ") emits " + model::to_xml(q.front(), names_) + " next, not " +
                              model::to_xml(x, names_)};
}

}  // namespace bidilab::validate
