#include "validate/replayer.hpp"

#include "capture/namespaces.hpp"
#include "validate/validate_error.hpp"
#include "validate/verify_only.hpp"

namespace bidilab::validate {

using model::Element;
using model::ElementKind;
using model::Outcome;

Replayer::Replayer(const model::Scenario& scenario, const capture::WireLog& log, std::vector<model::ChoiceBits> branches)
    : sc_(scenario), file_(log.source), capture_notes_(log.notes), names_(scenario.names), mapper_(names_, corr_),
      branches_(std::move(branches)), asked_(scenario.servers.size(), 0), verify_only_(verify_only_connections(log)) {
    branches_.resize(scenario.servers.size(), 0);
    for (const auto& ev : log.events)
        if (ev.kind == capture::WireEventKind::Element && ev.direction == capture::Direction::InitiatorToReceiver &&
            ev.element.is(capture::ns::kDialback, "result") && !ev.element.attr("type"))
            requests_[ev.connection].push_back(
                {ev.first_line, ev.element.attr("from").value_or(""), ev.element.attr("to").value_or("")});
}

model::Context Replayer::context_for(const Connection& c, Side s) {
    const model::ServerIndex at = server(c, s);
    model::Context ctx(sc_.servers[at], corr_.next_stream_id(), branches_[at]);
    ctx.asked = &asked_[at];
    if (s == Side::Initiator) {  // the next db:result request of this initiator in the capture
        auto it = requests_.find(c.label);
        if (it != requests_.end())
            for (const Request& r : it->second)
                if (r.line > line_) {
                    ctx.first_pair = {mapper_.domain(r.from).value_or(model::kNoDomain),
                                      mapper_.domain(r.to).value_or(model::kNoDomain)};
                    break;
                }
    }
    return ctx;
}

std::string Replayer::end_name(const Connection& c, Side s) const {
    return (s == Side::Initiator ? "I" : "R") + std::to_string(c.number);
}

// "I1 → R1": the element goes from the other end to `reader`.
std::string Replayer::arrow_to(const Connection& c, Side reader) const {
    const Side writer = reader == Side::Receiver ? Side::Initiator : Side::Receiver;
    return end_name(c, writer) + " → " + end_name(c, reader);
}

std::string Replayer::party(const Connection& c, Side s) const {
    return sc_.server_names[server(c, s)] + (s == Side::Initiator ? "'s initiating stream (" : "'s receiving stream (") +
           end_name(c, s) + ")";
}

std::string Replayer::states(const Connection& c) const {
    return describe_endpoint(c.number, c.i, names_) + " | " + describe_endpoint(c.number, c.r, names_);
}

Replayer::Connection* Replayer::find(const std::string& label) {
    for (auto& c : conns_)
        if (c.label == label) return &c;
    return nullptr;
}

Replayer::Connection* Replayer::by_number(int number) {
    for (auto& c : conns_)
        if (c.number == number) return &c;
    return nullptr;
}

std::optional<model::ServerIndex> Replayer::host(model::DomainId d) const {
    if (d == model::kNoDomain || d >= sc_.host_of.size()) return std::nullopt;
    return sc_.host_of[d];
}

void Replayer::record(Connection& c, const std::string& who, const Element& e, const std::string& note) {
    transcript_.push_back({line_, who, model::to_xml(e, names_), states(c), note});
}

std::size_t Replayer::open_entry(const std::string& who, const Element& e, const std::string& note) {
    transcript_.push_back({line_, who, model::to_xml(e, names_), "", note});
    return transcript_.size() - 1;
}

void Replayer::close_entry(std::size_t entry, const Connection& c, const std::string& note_suffix) {
    auto& t = transcript_[entry];
    t.states = states(c);
    if (!note_suffix.empty()) t.note += (t.note.empty() ? "" : "; ") + note_suffix;
}

bool Replayer::stop(Finding f) {
    transcript_.push_back({line_, "", "<!-- finding: " + f.describe() + " -->", "", ""});
    findings_.push_back(std::move(f));
    stopped_ = true;
    return false;
}

Replayer::Connection* Replayer::open_connection(const capture::WireEvent& ev, std::optional<Problem>& problem) {
    const auto& h = ev.header;  // the capture reader guarantees a connection opens with a '->' header
    std::string from = h.from().value_or("");
    const std::string to = h.to().value_or("");
    // A forged header (bidilab probe's attack-header-from): the writer's
    // machine opened the stream as WRITER, the domain it announces for itself;
    // the 'from' of the header is the forgery its reader reads.
    if (ev.forged && mapper_.domain(ev.writer)) from = ev.writer;
    if (from.empty()) {
        problem = Problem{"CORE-13", "an initial stream header without 'from': a server MUST name itself"};
        return nullptr;
    }
    auto from_id = mapper_.domain(from), to_id = mapper_.domain(to);
    auto i_server = from_id ? host(*from_id) : std::nullopt;
    if (!i_server)
        throw ValidateError(file_, ev.first_line, ev.connection + ": no server of topology '" + sc_.name +
                                                      "' hosts '" + from + "' (the initiating server)");
    auto r_server = to_id ? host(*to_id) : std::nullopt;
    if (auto n = capture_notes_.find(ev.connection); !r_server && n != capture_notes_.end())
        if (auto d = names_.find_domain(n->second.receiver_domain)) r_server = host(*d);
    if (!r_server)
        throw ValidateError(file_, ev.first_line, ev.connection + ": no server of topology '" + sc_.name +
                                                      "' hosts '" + to + "' (the receiving server)");
    Connection c;
    c.label = ev.connection;
    c.number = static_cast<int>(conns_.size()) + 1;
    c.i_server = *i_server;
    c.r_server = *r_server;
    const bool verify_only = verify_only_.count(c.label) > 0;  // DB-16
    c.i = model::InitiatingStream::initial(*from_id, to_id.value_or(model::kNoDomain),
                                           verify_only ? model::InitiatingStream::Purpose::VerifyOnly
                                                       : model::InitiatingStream::Purpose::Stanzas);
    conns_.push_back(c);
    connection_lines_.push_back(std::to_string(c.number) + " = " + c.label + ": " + from + " (server " +
                                sc_.server_names[c.i_server] + ") dials " + to + " (server " +
                                sc_.server_names[c.r_server] + ")" +
                                (verify_only ? ", only for db:verify (DB-16)" : ""));
    Connection& added = conns_.back();
    const Element up = Element::tcp_connected();
    const std::size_t entry = open_entry(end_name(added, Side::Initiator), up, "inferred");
    deliver(added, Side::Initiator, up, nullptr);
    close_entry(entry, added);
    return &added;
}

Outcome Replayer::deliver(Connection& c, Side side, const Element& e, std::vector<Element>* wire_sink) {
    model::Context ctx = context_for(c, side);
    const Outcome o = side == Side::Initiator ? c.i.deliver(e, ctx) : c.r.deliver(e, ctx);
    corr_.next_stream_id() = ctx.next_stream_id;
    if (o.handled()) route_outputs(c, side, o, std::vector<Element>(ctx.out.begin(), ctx.out.end()), wire_sink);
    return o;
}

void Replayer::route_outputs(Connection& c, Side side, const Outcome&, const std::vector<Element>& outs,
                             std::vector<Element>* wire_sink) {
    for (const Element& out : outs) {
        if (model::is_wire(out.kind)) {
            if (wire_sink) wire_sink->push_back(out);
            else queue(c, side).push_back(out);
        } else if (out.kind == ElementKind::VerifyNeeded) {
            needs_.push_back({c.number, side, line_, out});
            record(c, end_name(c, side), out, "output: ask the authoritative server over another connection");
        } else if (out.kind == ElementKind::VerifyOutcome) {
            record(c, end_name(c, side), out, "output");
            route_verdict(out);
        } else {
            record(c, end_name(c, side), out, "output");
        }
    }
}

void Replayer::route_verdict(const Element& v) {
    for (auto it = needs_.begin(); it != needs_.end(); ++it) {
        if (it->need.from != v.from || it->need.to != v.to || it->need.id != v.id) continue;
        const Need n = *it;
        needs_.erase(it);
        Connection* c = by_number(n.connection);
        if (!c) return;
        const Element in = Element::verify_outcome(v.from, v.to, v.id, v.type);
        const std::size_t entry =
            open_entry(end_name(*c, n.side), in,
                       "inferred: the answer read on another connection, for the request of line " + std::to_string(n.line));
        const Outcome o = deliver(*c, n.side, in, nullptr);
        close_entry(entry, *c,
                    o.verdict == model::Verdict::AfterClose ? "discarded: the stream is closed (DB-19)"
                    : o.violation()                         ? "not taken: " + o.describe()
                                                            : "");
        return;
    }
    notes_.push_back(file_ + ":" + std::to_string(line_) + ": a verification answer (" + model::describe(v, names_) +
                     ") for which no dialback request waits: dropped (DB-19)");
}

std::optional<Problem> Replayer::read(Connection& c, Side reader, const Element& e, const std::string& note) {
    const std::string who = arrow_to(c, reader);
    const std::size_t entry = open_entry(who, e, note);
    const Outcome o = deliver(c, reader, e, nullptr);
    if (o.violation()) {
        close_entry(entry, c, "rejected");
        return Problem{o.rules, party(c, reader) + " rejects it: " + o.describe()};
    }
    close_entry(entry, c, o.verdict == model::Verdict::AfterClose ? "discarded: the reader's stream is closed (CORE-19)" : "");
    if (reader == Side::Initiator && e.kind == ElementKind::Proceed) complete_tls(c);
    return std::nullopt;
}

void Replayer::complete_tls(Connection& c) {
    using IS = model::InitiatingStream::State;
    using RS = model::ReceivingStream::State;
    if (c.i.state() != IS::AwaitingTlsHandshake || c.r.state() != RS::AwaitingTlsHandshake) return;
    // CORE-32: the handshake is one step; each end learns the other's trusted certificate names.
    const Element to_r = policy(c, Side::Initiator).tls_done_for_peer();
    const Element to_i = policy(c, Side::Receiver).tls_done_for_peer();
    std::size_t entry = open_entry(end_name(c, Side::Receiver), to_r, "inferred");
    deliver(c, Side::Receiver, to_r, nullptr);
    close_entry(entry, c);
    entry = open_entry(end_name(c, Side::Initiator), to_i, "inferred");
    deliver(c, Side::Initiator, to_i, nullptr);
    close_entry(entry, c);
}

bool Replayer::step(const capture::WireEvent& ev) {
    if (stopped_) return false;
    line_ = ev.first_line;
    const std::string where = ev.connection + " " + std::string(capture::arrow(ev.direction));
    Connection* c = find(ev.connection);
    if (!c) {
        std::optional<Problem> p;
        c = open_connection(ev, p);
        if (!c) return stop(make_finding(line_, where + " " + ev.header.raw, p, std::nullopt));
    }
    Mapped m;
    if (auto p = mapper_.map(ev, m)) return stop(make_finding(line_, where + " " + m.xml, p, std::nullopt));
    const Side writer = ev.direction == capture::Direction::InitiatorToReceiver ? Side::Initiator : Side::Receiver;
    const Side reader = writer == Side::Initiator ? Side::Receiver : Side::Initiator;
    if (ev.forged) {
        // A forged stream header, or a forged answer to a dialback request,
        // is the writer's own next element written another way (bidilab
        // probe's attack-header-from, dialback-error-answer): its machine
        // wrote that element all the same.
        auto& q = queue(*c, writer);
        if (!q.empty() && stands_for(m.element, q.front())) q.erase(q.begin());
        read_forged(*c, reader, m.element);
        return true;
    }
    Element delivered = m.element;
    std::optional<Problem> wp = check_write(*c, writer, m, delivered);
    if (wp) wp->message = party(*c, writer) + " could not have written it: " + wp->message;
    const std::string& owes = writer == Side::Initiator ? c->i_owes : c->r_owes;
    if (wp && !owes.empty()) {
        wp->rules = owes + ", " + wp->rules;
        wp->message += " (it owes the stream error for the forged element it read, [" + owes + "])";
    }
    const std::string note = delivered.kind == ElementKind::Stanza ? "captured as <" + ev.element.name + "/>" : "";
    std::optional<Problem> rp = read(*c, reader, delivered, note);
    if (wp || rp) {
        std::string what = model::describe(delivered, names_);
        if (what == model::kind_name(delivered.kind)) what = model::to_xml(delivered, names_);
        const std::string subject = where + " (" + end_name(*c, writer) + " → " + end_name(*c, reader) + ") " + what;
        return stop(make_finding(line_, subject, wp, rp));
    }
    return true;
}

// The writer wrote it as an attacker, outside its machine (bidilab probe's
// attacks): it is not judged. The reader must take it as the model's honest
// server does: accept it, or refuse it (CORE-23: with the stream error its
// machine names, then the close), which it then owes the capture; anything
// else it writes after that is judged against the closed stream.
void Replayer::read_forged(Connection& c, Side reader, const Element& e) {
    const std::string who = arrow_to(c, reader);
    const std::size_t entry = open_entry(who, e, "forged: written by an attacker, not by its machine");
    const Outcome o = deliver(c, reader, e, nullptr);
    if (!o.violation()) {
        close_entry(entry, c);
        return;
    }
    model::Context ctx = context_for(c, reader);
    if (reader == Side::Initiator) c.i.abort(o.condition, ctx);
    else c.r.abort(o.condition, ctx);
    queue(c, reader).assign(ctx.out.begin(), ctx.out.end());
    (reader == Side::Initiator ? c.i_owes : c.r_owes) = std::string(o.rules).empty() ? "CORE-23" : o.rules;
    close_entry(entry, c, "refused (" + o.describe() + "): the reader owes a stream error and its close (CORE-23)");
}

void Replayer::finish() {
    line_ = 0;
    if (stopped_) return;
    for (auto& c : conns_)
        for (Side s : {Side::Initiator, Side::Receiver})
            for (const Element& e : queue(c, s))
                notes_.push_back(file_ + ": " + c.label + ": " + party(c, s) + " still had " +
                                 model::to_xml(e, names_) + " to write when the capture ends");
    for (const Need& n : needs_)
        notes_.push_back(file_ + ":" + std::to_string(n.line) + ": no answer in the capture for " +
                         model::describe(n.need, names_));
}

}  // namespace bidilab::validate
