// The wire side of a probe session: what the played ends write, as bytes
// with real ids and keys, and the wire log of everything exchanged.
#include <cstdio>

#include "probe/dialback_key.hpp"
#include "probe/send_command.hpp"
#include "probe/session.hpp"
#include "probe/wire_text.hpp"

namespace bidilab::probe {

void Session::write_outputs(Link& link, model::Fifo& fifo, model::ServerIndex writer) {
    while (!fifo.empty()) {
        const model::Element e = fifo.front();
        fifo.erase(fifo.begin());
        WireValues v;
        switch (e.kind) {
            case model::ElementKind::StreamOpen:
                if (e.id != model::kNoStream) v.id = real_stream_id(e.id);
                break;
            case model::ElementKind::DbResult:
                if (e.type == model::DbType::None) v.key = key_text(e.key);
                break;
            case model::ElementKind::DbVerify:
                v.id = real_stream_id(e.id);
                if (e.type == model::DbType::None) v.key = key_text(e.key);
                break;
            default: break;
        }
        const std::string xml = e.kind == model::ElementKind::Stanza && e.seq < sc_.stanzas.size()
                                    ? wire_stanza(sc_.stanzas[e.seq], setup_.salt)
                                    : wire_xml(e, sc_, v);
        const std::string writer_name = names_.domain(sc_.primary_domain(writer));
        if (e.kind == model::ElementKind::StreamOpen && link.played_initiates && forges_header(writer_name, xml)) {
            // attack-header-from: the header names another domain as 'from'.
            header_forged_ = true;
            send(link, writer_name + " (forged)", with_from(xml, writer_name, setup_.attack->header_from));
        } else if (forges_answer(link, e)) {
            // dialback-error-answer: the answer is a dialback error instead.
            answer_forged_ = true;
            model::Element error = e;
            error.type = model::DbType::Error;
            error.condition = setup_.attack->answer_error;
            send(link, writer_name + " (forged)", wire_xml(error, sc_, v));
        } else {
            send(link, writer_name, xml);
        }
        // After the first stanza, the attack waits for a quiet wire (run()):
        // so that what the live server wrote for what came before it is
        // recorded before it, as the live server read them.
        if (e.kind == model::ElementKind::Stanza && link.played_initiates && forge_on_ == 0) forge_on_ = link.number;
        // The played receiving end said <proceed/>: TLS before anything else.
        if (e.kind == model::ElementKind::Proceed && !link.played_initiates) {
            link.tls_due = true;
            return;
        }
    }
}

// Whether this header is the one attack-header-from forges: the first a
// played server writes, with its own 'from' in it.
bool Session::forges_header(const std::string& writer, const std::string& xml) const {
    return setup_.attack && !setup_.attack->header_from.empty() && !header_forged_ &&
           xml.find(" from='" + writer + "'") != std::string::npos;
}

// Whether this element is the one dialback-error-answer forges: the first
// answer a played receiving end gives to the live server's dialback request.
bool Session::forges_answer(const Link& link, const model::Element& e) const {
    return setup_.attack && setup_.attack->answer_error != model::Condition::None && !answer_forged_ &&
           !link.played_initiates && e.kind == model::ElementKind::DbResult && e.type != model::DbType::None;
}

std::string Session::with_from(std::string xml, const std::string& from, const std::string& forged) {
    const std::string was = " from='" + from + "'";
    const std::size_t at = xml.find(was);
    if (at != std::string::npos) xml.replace(at, was.size(), " from='" + forged + "'");
    return xml;
}

// The scenario's attack, once, at its moment: written as the played server
// but outside its machine (the machine does not know; the log says "(forged)"),
// or, for attack-header-from, the live server asked to send a stanza.
void Session::forge(Link& link, Attack::When when) {
    if (!setup_.attack || attacked_ || setup_.attack->when != when || !link.socket.open()) return;
    if (setup_.attack->xml.empty() && setup_.attack->send_to.empty()) return;  // nothing to write at a moment
    attacked_ = true;
    if (!setup_.attack->send_to.empty()) {
        const std::string result =
            run_send_command(setup_.send_command, setup_.live_domain, setup_.attack->send_to, std::chrono::seconds(15));
        log_ += "# the live server is asked to send a stanza to " + setup_.attack->send_to + " (--send-command): " +
                result + "\n";
        return;
    }
    const model::Connection* c = w_.connection(link.number);
    const std::string writer = c ? names_.domain(sc_.primary_domain(c->initiator)) : "?";
    send(link, writer + " (forged)", setup_.attack->xml);
}

// One write of a played end: recorded, then written.
void Session::send(Link& link, const std::string& writer, const std::string& xml) {
    record(link, link.played_initiates, writer, xml);
    ++written_;
    if (!link.socket.write_all(xml, setup_.connect_timeout))
        log_ += "# " + link.label + ": the line above could not be written: the connection is gone\n";
}

void Session::note(Link& link) {
    link.noted = true;
    const std::string local = link.socket.local(), peer = link.socket.peer();
    const std::string initiator = link.played_initiates ? local : peer;
    const std::string receiver = link.played_initiates ? peer : local;
    std::string domain;
    if (link.played_initiates)
        if (const model::Connection* c = w_.connection(link.number)) domain = " (" + names_.domain(c->i.data().to) + ")";
    log_ += "# " + link.label + ": initiator " + initiator + " -> receiving server " + receiver + domain + "\n";
}

void Session::record(Link& link, bool from_initiator, const std::string& writer, const std::string& xml) {
    if (!link.noted) note(link);
    char head[96];
    std::snprintf(head, sizeof head, "%11.6f %s %s %-22s ", seconds(), link.label.c_str(), from_initiator ? "->" : "<-",
                  writer.c_str());
    log_ += head;
    log_ += xml;
    log_ += '\n';
}

// The writer column: the domain of the server at that end (the live server's
// first domain for what it wrote).
std::string Session::writer_name(const Link& link, bool initiator_side) const {
    const model::Connection* c = link.number ? w_.connection(link.number) : nullptr;
    model::ServerIndex s = setup_.live;
    if (c) s = initiator_side ? c->initiator : c->receiver;
    return names_.domain(sc_.primary_domain(s));
}

std::string Session::real_stream_id(model::StreamId id) {
    std::string real = corr_.real_stream(id);
    if (!real.empty()) return real;
    // A stream id a played receiving end minted (CORE-7: unique, and
    // unpredictable enough: the session's salt).
    real = "bidilab-" + setup_.salt + "-" + std::to_string(id);
    corr_.bind_stream(real, id);
    return real;
}

std::string Session::key_text(const model::Key& key) {
    for (const auto& [k, text] : text_by_key_)
        if (k == key) return text;
    // A key a played server minted: XEP-0185 with its own secret (KEY-2).
    const std::string secret = "bidilab-probe-" + setup_.salt + "-" + std::to_string(key.secret);
    if (setup_.replay_keys) {
        // Computed for another stream: bound to a stream id no connection has,
        // so the played authority's machine finds it invalid (DB-30).
        const std::string text = dialback_key(secret, names_.domain(key.to), names_.domain(key.from),
                                              "bidilab-replayed-" + setup_.salt);
        model::Key stale = key;
        stale.id = kReplayedStream;
        bind_key(text, stale);
        text_by_key_.emplace_back(key, text);  // what this key is written as
        return text;
    }
    const std::string text =
        dialback_key(secret, names_.domain(key.to), names_.domain(key.from), real_stream_id(key.id));
    bind_key(text, key);
    return text;
}

void Session::bind_key(const std::string& text, const model::Key& key) {
    if (corr_.knows_key(text)) return;
    corr_.bind_key(text, key);
    text_by_key_.emplace_back(key, text);
}

double Session::seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

}  // namespace bidilab::probe
