// model/verification.cpp — the Router's part of Server Dialback's step 2 and
// 3 (XEP-0220 §2.1.2, §2.1.3): each db:verify request a receiving stream
// raised is carried to the authoritative server over another connection
// (BIDI-6), over a connection opened for it (DB-16) when there is none; the
// verdict goes back to the stream that asked (DB-15), or is dropped when
// that stream is gone (DB-19); requests whose connection failed are failed
// too (DB-17, DB-36); a verify-only connection is closed when it has nothing
// left to do (DB-16, EXT-3). Every one is a step of its own
// (model/router_step.hpp).
#include "model/router.hpp"

namespace bidilab::model {

// DB-17: the db:verify an initiating stream sent and got no answer for are
// failed once it is closed, and answered like an error (DB-36) to the
// streams that asked; they are not left waiting forever (DB-8).
void Router::fail_pending_verifies(std::uint16_t number) {
    const Connection* c = find(number);
    if (!c || c->i.state() != InitiatingStream::State::Closed) return;
    const ServerIndex server = c->initiator;
    const PendingVerifies pending = c->i.data().verifies;  // a copy: verdicts run other machines
    for (std::size_t k = 0; k < pending.size(); ++k) {
        const Element failed = Element::verify_outcome(pending[k].to, pending[k].from, pending[k].id, DbType::Error);
        Taking t(*this, RouterStep::Kind::FailVerify, server, "DB-17, DB-36");
        if (log_) t->about = failed, t->connection = number;
        deliver_verdict(server, failed);
    }
}

// Step 3 answered: the verdict goes to the stream that asked, the one whose
// stream id the key was bound to (DB-15): a receiving stream, or an initiating
// one that took a reverse request over bidi (BIDI-8). None left: the verdict
// is dropped silently (DB-19).
void Router::deliver_verdict(ServerIndex server, const Element& verdict) {
    for (const auto& other : w_.connections) {
        const bool receiving = other.receiver == server && other.r.data().stream_id == verdict.id &&
                               other.r.state() != ReceivingStream::State::Closed;
        const bool initiating = !receiving && other.initiator == server && other.i.data().stream_id == verdict.id &&
                                other.i.state() != InitiatingStream::State::Closed;
        if (!receiving && !initiating) continue;
        Taking t(*this, RouterStep::Kind::Verdict, server, receiving ? "DB-15" : "DB-15, BIDI-8");
        if (log_) {
            t->about = verdict, t->connection = other.number, t->receiving_end = receiving;
            t.read(Cell::of(Cell::Kind::Routes, server));
        }
        run(other.number, receiving ? Side::Receiver : Side::Initiator, verdict);
        return;
    }
    Taking t(*this, RouterStep::Kind::DropVerdict, server, "DB-19");
    if (log_) t->about = verdict, t.read(Cell::of(Cell::Kind::Routes, server));
}

void Router::erase_verify(std::size_t v) {
    wrote(Cell::of(Cell::Kind::Verifies, w_.verifies[v].at));
    w_.verifies.erase(w_.verifies.begin() + static_cast<std::ptrdiff_t>(v));
    changed();
}

void Router::request_verifications() {
    for (std::size_t v = 0; v < w_.verifies.size();) {
        // A copy: running machines may grow w_.verifies.
        const PendingVerifyRequest req = w_.verifies[v];
        // db:verify from = the asking domain (target), to = the sender's domain (DB-15).
        const DomainId asker = req.need.to, authority_domain = req.need.from;
        if (verify_on_incoming(v)) continue;  // quirk verify-on-request-connection: breaks BIDI-6
        const Connection* c = live_outgoing(req.at, asker, authority_domain, Use::Verify);
        if (!c && req.via != 0) {
            // The connection to the authority failed: the request is failed
            // too, and answered like an error (DB-17, DB-36).
            const Element failed = Element::verify_outcome(req.need.from, req.need.to, req.need.id, DbType::Error);
            const ServerIndex at = req.at;
            Taking t(*this, RouterStep::Kind::FailVerify, at, "DB-17, DB-36");
            if (log_) t->about = failed, t->connection = req.via;
            erase_verify(v);
            deliver_verdict(at, failed);
            continue;
        }
        if (!c) {
            // DB-16: a connection only for db:verify (ejabberd), or our ordinary
            // outgoing stream to the authority (Prosody 0.12).
            const bool only = sc_.servers[req.at].verify_only_connections;
            Taking t(*this, RouterStep::Kind::DialForVerify, req.at, "DB-16");
            if (log_) t.read(Cell::of(Cell::Kind::Routes, req.at));
            const std::uint16_t number = open(req.at, asker, authority_domain,
                                              only ? InitiatingStream::Purpose::VerifyOnly
                                                   : InitiatingStream::Purpose::Stanzas);
            if (log_) t->connection = number;
            w_.verifies[v].via = number;  // open() may have grown the list: index again
            wrote(Cell::of(Cell::Kind::Verifies, w_.verifies[v].at));
            ++v;
            continue;
        }
        if (c->i.state() == InitiatingStream::State::Established) {
            const std::uint16_t number = c->number;
            const Element send = Element::send_verify_for(req.need);
            Taking t(*this, RouterStep::Kind::SendVerify, req.at, "BIDI-6, DB-15");
            if (log_) t->about = req.need, t->connection = number, t.read(Cell::of(Cell::Kind::Routes, req.at));
            erase_verify(v);
            run(number, Side::Initiator, send);
            continue;
        }
        ++v;
    }
}

// Quirk verify-on-request-connection (RULES BIDI-6 MUT): the db:verify is
// routed through the routing table, which already maps the authority's
// domain to its incoming bidi stream, the connection the request came in on.
// The receiving stream's guard VerifiesOnRequestConnection decides. When it
// takes it, the request at `v` is done.
bool Router::verify_on_incoming(std::size_t v) {
    const PendingVerifyRequest req = w_.verifies[v];  // a copy: running machines may grow w_.verifies
    if (sc_.servers[req.at].quirks.empty() || !sc_.servers[req.at].has_quirk("verify-on-request-connection")) return false;
    const ServerIndex authority = sc_.server_of(req.need.from);
    for (const auto& c : w_.connections) {
        if (c.receiver != req.at || c.initiator != authority || c.r.state() == ReceivingStream::State::Closed) continue;
        Taking t(*this, RouterStep::Kind::VerifyOnIncoming, req.at,
                 "quirk verify-on-request-connection, breaks BIDI-6");
        if (log_) t->about = req.need, t->connection = c.number, t->receiving_end = true;
        if (run(c.number, Side::Receiver, Element::send_verify_for(req.need)).handled()) {
            erase_verify(v);
            return true;
        }
        t.cancel();
    }
    return false;
}

// DB-16, EXT-3: a verify-only connection is closed as soon as it has no
// db:verify waiting for an answer and none waiting to be sent on it.
void Router::close_finished_verify_connections() {
    for (auto& c : w_.connections) {
        const InitiatingData& d = c.i.data();
        if (!d.has(InitiatingData::kVerifyOnly) || c.i.state() != InitiatingStream::State::Established ||
            d.verifies.size() != 0)
            continue;
        bool wanted = false;
        for (const auto& req : w_.verifies)
            wanted = wanted || live_outgoing(req.at, req.need.to, req.need.from, Use::Verify) == &c;
        if (wanted) continue;
        Taking t(*this, RouterStep::Kind::CloseVerifyOnly, c.initiator, "DB-16, EXT-3");
        if (log_) t->connection = c.number, t.read(Cell::of(Cell::Kind::Routes, c.initiator));
        Context ctx = context_for(c.initiator);
        c.i.abort(Condition::None, ctx);  // </stream:stream>
        changed();
        wrote(Cell::end(c.number, false));
        for (const Element& x : ctx.out) c.to_receiver.push_back(x);
        if (!ctx.out.empty()) wrote(Cell::fifo(c.number, true));
    }
}

}  // namespace bidilab::model
