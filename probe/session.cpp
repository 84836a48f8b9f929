#include "probe/session.hpp"

#include <poll.h>

#include <algorithm>

#include "capture/capture_error.hpp"
#include "probe/wire_text.hpp"

namespace bidilab::probe {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

namespace {
// A stanza the live server wrote: no scenario stanza (the played servers'
// stanzas are numbered from 0), and not the attacker's (kForgedStanza).
constexpr std::uint16_t kLiveStanza = model::kForgedStanza - 1;
// Model stream ids for real ids the played ends never minted (a db:verify
// naming an unknown stream): far above the World's own counter.
constexpr model::StreamId kForeignIds = 40000;
}  // namespace

Session::Session(const SessionSetup& setup)
    : setup_(setup), sc_(*setup.scenario), router_(sc_, w_), names_(sc_.names), mapper_(names_, corr_) {
    w_.stanzas.assign(sc_.stanzas.size(), model::StanzaRecord{});
    corr_.next_stream_id() = kForeignIds;
}

SessionOutcome Session::run() {
    start_ = Clock::now();
    // The played machines' rows this session takes on connections with the
    // live server (whose own ends are never run).
    rows_.only_with(setup_.live);
    const model::RowCoverage::Scope recording(&rows_);
    // The played servers' stanzas enter their queues in file order (CORE-51):
    // the router dials for them as `check` does; with an order, when it says.
    unsubmitted_.assign(sc_.server_names.size(), 0);
    for (const auto& s : sc_.stanzas) {
        if (setup_.order) ++unsubmitted_.at(s.origin);
        else router_.submit(s.origin);
    }
    if (setup_.order) follow_order(false);
    pump();
    Clock::time_point last = Clock::now();
    while (problem_.empty() && stopped_at_ == 0) {
        const auto now = Clock::now();
        if (now - start_ >= setup_.limit) {
            problem_ = "the exchange was still going after " + std::to_string(setup_.limit.count()) + " ms";
            break;
        }
        const auto quiet_left = setup_.quiet - std::chrono::duration_cast<milliseconds>(now - last);
        if (quiet_left.count() <= 0 && !order_waiting()) break;
        const auto limit_left = setup_.limit - std::chrono::duration_cast<milliseconds>(now - start_);
        const bool forge_due = forge_on_ != 0 && !attacked_;
        const milliseconds settle(200);  // before an attack: what the live server owes so far has come
        milliseconds wait = std::min({quiet_left, limit_left, forge_due ? settle : quiet_left});
        if (order_waiting()) wait = std::min(wait, setup_.gather);
        if (step_network(std::max(wait, milliseconds(1)))) {
            last = Clock::now();
            if (order_waiting()) follow_order(false);
        } else if (order_waiting()) {
            follow_order(true);  // the wire is quiet: take the next step, or skip it
            last = Clock::now();
        } else if (forge_due) {
            if (Link* l = link_of(forge_on_)) forge(*l, Attack::When::AfterFirstStanza);
            attacked_ = true;  // once, written or not (the connection may be gone)
            pump();
            last = Clock::now();
        }
    }
    for (auto& l : links_) l->socket.close();
    if (stopped_at_ != 0)
        log_ += "# the probe stops: the live server's element at line " + std::to_string(stopped_at_) +
                " is one the model does not allow (judged as it came); nothing after it was read\n";
    if (setup_.order)
        log_ += "# order: " + std::to_string(taken_) + " of " + std::to_string(setup_.order->size()) +
                " played steps taken, " + std::to_string(skipped_) + " skipped\n";
    return SessionOutcome{log_, problem_, read_, written_, taken_, skipped_, rows_, stopped_at_};
}

bool Session::step_network(milliseconds wait) {
    std::vector<pollfd> fds;
    std::vector<TcpListener*> listeners;
    for (const auto& [server, l] : setup_.listeners) {
        fds.push_back(pollfd{l->fd(), POLLIN, 0});
        listeners.push_back(l);
    }
    std::vector<Link*> links;
    for (auto& l : links_)
        if (l->socket.open()) {
            fds.push_back(pollfd{l->socket.fd(), POLLIN, 0});
            links.push_back(l.get());
        }
    bool pending = false;  // decrypted bytes poll() cannot see
    for (Link* l : links) pending = pending || l->socket.pending();
    const int n = ::poll(fds.data(), fds.size(), pending ? 0 : static_cast<int>(std::max<long>(1, wait.count())));
    if (n < 0 || (n == 0 && !pending)) return false;
    for (std::size_t i = 0; i < links.size(); ++i)
        if (links[i]->socket.pending()) fds[listeners.size() + i].revents |= POLLIN;
    bool any = false;
    for (std::size_t i = 0; i < fds.size() && problem_.empty() && stopped_at_ == 0; ++i) {
        if (fds[i].revents == 0) continue;
        any = true;
        if (i < listeners.size()) accept_from(*listeners[i]);
        else read_from(*links[i - listeners.size()]);
    }
    return any;
}

void Session::accept_from(TcpListener& l) {
    TcpSocket s = l.accept();
    if (!s.open()) return;
    if (links_.size() >= setup_.max_connections) {
        problem_ = "the live server opened more connections than the limit of " + std::to_string(setup_.max_connections);
        return;
    }
    auto link = std::make_unique<Link>();
    link->socket = std::move(s);
    link->played_initiates = false;
    link->label = "conn" + std::to_string(labels_++);
    link->in = std::make_unique<capture::DirectionStream>("probe", link->label, capture::Direction::InitiatorToReceiver);
    links_.push_back(std::move(link));
}

void Session::read_from(Link& link) {
    std::string data;
    const bool alive = link.socket.read_available(data);
    if (log_.size() + data.size() > setup_.max_log_bytes) {  // a live server that floods: no unbounded read
        problem_ = "the live server wrote more than the limit of " + std::to_string(setup_.max_log_bytes) +
                   " bytes of wire log in one scenario";
        link.socket.close();
        return;
    }
    // One log line per line of what came (a line of the log holds no newline).
    std::size_t at = 0;
    std::vector<capture::WireEvent> events;
    std::vector<std::string> warnings;
    const std::string writer = writer_name(link, !link.played_initiates);
    while (at < data.size()) {
        std::size_t end = data.find('\n', at);
        if (end == std::string::npos) end = data.size();
        std::string piece = data.substr(at, end - at);
        at = end + 1;
        if (!piece.empty() && piece.back() == '\r') piece.pop_back();
        if (piece.empty()) continue;
        record(link, !link.played_initiates, writer, piece);
        try {
            capture::LineOrigin origin;
            origin.line = static_cast<std::size_t>(std::count(log_.begin(), log_.end(), '\n'));
            origin.column = 1;
            origin.writer = writer;
            link.in->feed(piece, origin, events, warnings);
        } catch (const capture::CaptureError&) {
            // Not well-formed: the judge (validate) names the line; nothing
            // more from this connection can be read as XML.
            link.socket.close();
            break;
        }
    }
    // Judged before the played ends read any of it (probe/judge.hpp): at
    // the first element the model does not allow, the session stops.
    if (!events.empty() && setup_.deviation)
        if (const auto line = setup_.deviation(log_)) {
            stopped_at_ = *line;
            return;
        }
    for (const auto& e : events) handle(link, e);
    if (!alive) {
        log_ += "# " + link.label + ": the live server closed the TCP connection\n";
        link.socket.close();
    }
}

void Session::handle(Link& link, const capture::WireEvent& event) {
    if (order_waiting()) held_.push_back(Held{&link, event});  // read when the order says (session_order.cpp)
    else take(link, event);
}

// The played end reads what the live server wrote.
void Session::take(Link& link, const capture::WireEvent& event) {
    validate::Mapped m;
    if (mapper_.map(event, m)) return;  // outside the model: the judge reports it
    model::Element e = m.element;
    ++read_;
    if (link.number == 0) {  // an accepted connection's first header
        if (e.kind != model::ElementKind::StreamOpen || e.to >= sc_.host_of.size() || e.to == model::kNoDomain ||
            sc_.server_of(e.to) == setup_.live)
            return;
        link.number = w_.next_connection;
        router_.forge(setup_.live, link.number, true, e);
        pump();
        return;
    }
    const model::Connection* c = w_.connection(link.number);
    if (!c) return;
    if (e.kind == model::ElementKind::StreamFeatures && link.played_initiates) forge(link, Attack::When::AfterFeatures);
    switch (e.kind) {
        case model::ElementKind::StreamOpen:
            // The live server's response header: its id becomes a model id
            // (CORE-7: fresh), so that what later names it correlates.
            if (link.played_initiates && !m.id_text.empty()) {
                e.id = w_.next_stream_id++;
                corr_.bind_stream(m.id_text, e.id);
            }
            break;
        case model::ElementKind::DbResult:
            if (e.type == model::DbType::None) {
                // Its key, minted by the live server (KEY-3: its secret) for this
                // stream; whether it is valid is the live authority's answer.
                e.key = model::Key{c->r.data().stream_id, static_cast<model::SecretId>(setup_.live + 1), e.from, e.to};
                bind_key(m.key_text, e.key);
            }
            break;
        case model::ElementKind::Stanza: e.seq = kLiveStanza; break;
        case model::ElementKind::Proceed: link.tls_due = link.played_initiates; break;
        default: break;
    }
    router_.forge(setup_.live, link.number, !link.played_initiates, e);
    pump();
}

void Session::pump() {
    for (int round = 0; round < 1000 && problem_.empty(); ++round) {
        bool changed = open_links_for_new_connections();
        for (auto& l : links_) {
            if (l->number == 0) continue;
            model::Connection* c = nullptr;
            for (auto& x : w_.connections)
                if (x.number == l->number) c = &x;
            if (!c) continue;
            model::Fifo& fifo = l->played_initiates ? c->to_receiver : c->to_initiator;
            if (fifo.empty()) continue;
            write_outputs(*l, fifo, l->played_initiates ? c->initiator : c->receiver);
            changed = true;
        }
        for (auto& l : links_)
            if (l->tls_due && problem_.empty()) {
                start_tls(*l);
                changed = true;
            }
        if (!problem_.empty()) return;
        deliver_between_played();
        if (!changed) return;
    }
}

bool Session::open_links_for_new_connections() {
    bool opened = false;
    for (std::size_t k = 0; k < w_.connections.size(); ++k) {
        const model::Connection& c = w_.connections[k];
        if (c.initiator == setup_.live || c.receiver != setup_.live || link_of(c.number)) continue;
        if (links_.size() >= setup_.max_connections) {
            problem_ = "the played servers would open more connections than the limit of " +
                       std::to_string(setup_.max_connections);
            return false;
        }
        auto link = std::make_unique<Link>();
        link->number = c.number;
        link->played_initiates = true;
        link->label = "conn" + std::to_string(labels_++);
        link->in = std::make_unique<capture::DirectionStream>("probe", link->label, capture::Direction::ReceiverToInitiator);
        try {
            link->socket = TcpSocket::connect(setup_.live_at, setup_.connect_timeout);
        } catch (const std::exception& e) {
            problem_ = std::string("cannot reach the live server: ") + e.what();
            return false;
        }
        links_.push_back(std::move(link));
        opened = true;
    }
    return opened;
}

// RFC 6120 §5.4.3.3: after <proceed/> both ends start the TLS handshake at
// once. The played end's role is the one it has on the connection; its
// machine then learns the names the live server's certificate is trusted
// for, from the topology (the model's TlsDone, CORE-32), and writes its new
// stream header (CORE-35).
void Session::start_tls(Link& link) {
    link.tls_due = false;
    const model::Connection* c = w_.connection(link.number);
    if (!c) return;
    const model::ServerIndex played = link.played_initiates ? c->initiator : c->receiver;
    const auto& contexts = link.played_initiates ? setup_.tls_client : setup_.tls_server;
    const auto ctx = contexts.find(played);
    if (ctx == contexts.end()) {
        problem_ = link.label + ": TLS is due, but the probe has no TLS for " + sc_.server_names[played];
        return;
    }
    const std::string sni = link.played_initiates ? names_.domain(c->i.data().to) : "";
    try {
        link.socket.start_tls(*ctx->second, sni, setup_.connect_timeout);
    } catch (const std::exception& e) {
        problem_ = link.label + ": " + e.what();
        return;
    }
    log_ += "# " + link.label + ": TLS handshake done; what follows on it was encrypted\n";
    router_.complete_tls_at(link.number, !link.played_initiates);
}

void Session::deliver_between_played() {
    // Connections between two played servers stay inside the model: their
    // elements are read at once, in FIFO order.
    for (int guard = 0; guard < 10000; ++guard) {
        bool any = false;
        for (const auto& c : w_.connections) {
            if (c.initiator == setup_.live || c.receiver == setup_.live) continue;
            if (!c.to_receiver.empty() || !c.to_initiator.empty()) {
                router_.deliver(c.number, !c.to_receiver.empty());
                any = true;
                break;  // deliver() may have changed the connections
            }
        }
        if (!any) return;
    }
}

Session::Link* Session::link_of(std::uint16_t number) {
    for (auto& l : links_)
        if (l->number == number) return l.get();
    return nullptr;
}

}  // namespace bidilab::probe
