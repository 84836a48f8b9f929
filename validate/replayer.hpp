// validate/replayer.hpp — replays a wire log through the stream machines of
// the servers a topology describes.
//
// Every connection gets an InitiatingStream (from the first header's from/to,
// with the policy of the server hosting 'from') and a ReceivingStream (the
// server hosting 'to'). Each captured element is judged twice:
//   - its WRITER must have been able to write it: it is the next element the
//     writer's machine emitted on this connection (in order, per direction),
//     or the output of a local command the validator infers and the machine
//     accepts: SendStanza before a stanza, RequestPair before a db:result
//     request, SendVerify before a db:verify request (for a key some
//     db:result brought in on another connection: BIDI-6), abort before a
//     stream error or close the machine did not plan;
//   - its READER's machine must accept it (the machine's Outcome).
// Inputs the global model would supply are inferred: TcpConnected before the
// first header, TlsDone for both ends once <proceed/> is read (certificate
// names from the topology), and the VerifyOutcome of a db:verify answer read
// on one connection for the dialback request pending on another.
// The first finding ends the replay: after a violation the machines' states
// no longer say anything about the real servers'.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "capture/log_line.hpp"
#include "capture/wire_log.hpp"
#include "capture/wire_event.hpp"
#include "model/initiating_stream.hpp"
#include "model/receiving_stream.hpp"
#include "model/scenario.hpp"
#include "validate/correlation.hpp"
#include "validate/element_mapper.hpp"
#include "validate/finding.hpp"
#include "validate/transcript.hpp"

namespace bidilab::validate {

enum class Side : std::uint8_t { Initiator, Receiver };

class Replayer {
public:
    // `log` gives the file name, the "# connN: ... (DOMAIN)" comments (to find
    // the receiving server when a first header's 'to' is hosted by no server),
    // the connections opened only for db:verify (verify_only.hpp: their
    // initiating streams have that purpose, DB-16) and each initiator's
    // db:result requests (the pair it asks for first, below); the events are
    // stepped through one by one. `branches`: per server, the branch it takes at
    // each choice its policy leaves open (model::Context::branches; missing:
    // the usual ones).
    explicit Replayer(const model::Scenario& scenario, const capture::WireLog& log,
                      std::vector<model::ChoiceBits> branches = {});

    // Replays one event; false once a finding has stopped the replay. Throws
    // ValidateError when a connection's servers are not in the topology.
    bool step(const capture::WireEvent& event);
    // At the end of the capture: notes for what the machines still had to write.
    void finish();

    const std::vector<Finding>& findings() const { return findings_; }
    const std::vector<std::string>& notes() const { return notes_; }
    const std::vector<TranscriptEntry>& transcript() const { return transcript_; }
    const std::vector<std::string>& connections() const { return connection_lines_; }
    const model::NameTable& names() const { return names_; }
    // Per server, the open choices its machines asked about so far (bit by
    // SpecChoice): only their branches can change what the replay found.
    const std::vector<model::ChoiceBits>& asked() const { return asked_; }

private:
    struct Connection {
        std::string label;  // "conn0"
        int number = 0;     // 1, 2, ... in order of appearance
        model::ServerIndex i_server = 0, r_server = 0;
        model::InitiatingStream i;
        model::ReceivingStream r;
        std::deque<model::Element> i_out, r_out;  // emitted, not yet seen on the wire
        bool i_error = false, r_error = false;    // wrote a stream error (CORE-23: one, then the close)
        // The rules of a forged element the end refused: it owes the stream
        // error for it, and a finding on what it writes instead cites them first.
        std::string i_owes, r_owes;
    };
    // A VerifyNeeded output waiting for the authority's answer.
    struct Need {
        int connection = 0;
        Side side = Side::Receiver;
        std::size_t line = 0;
        model::Element need;
    };

    // replayer.cpp: connections, deliveries, outputs, the reader's side.
    Connection* open_connection(const capture::WireEvent& event, std::optional<Problem>& problem);
    model::Outcome deliver(Connection& c, Side side, const model::Element& e, std::vector<model::Element>* wire_sink);
    void route_outputs(Connection& c, Side side, const model::Outcome& o, const std::vector<model::Element>& outs,
                       std::vector<model::Element>* wire_sink);
    void route_verdict(const model::Element& verify_outcome);
    std::optional<Problem> read(Connection& c, Side reader, const model::Element& e, const std::string& note);
    void complete_tls(Connection& c);
    void record(Connection& c, const std::string& who, const model::Element& e, const std::string& note = "");
    // An entry written before its input is delivered (so that the outputs it
    // causes follow it), completed with the states after the delivery.
    std::size_t open_entry(const std::string& who, const model::Element& e, const std::string& note);
    void close_entry(std::size_t entry, const Connection& c, const std::string& note_suffix = "");
    bool stop(Finding f);
    // An element the other end forged (capture "(forged)"): only its reader is judged.
    void read_forged(Connection& c, Side reader, const model::Element& e);

    // replayer_writes.cpp: the writer's side.
    std::optional<Problem> check_write(Connection& c, Side w, const Mapped& m, model::Element& delivered);
    std::optional<Problem> write_queued(Connection& c, Side w, const Mapped& m, model::Element& delivered);
    std::optional<Problem> command(Connection& c, Side w, const model::Element& cmd, const Mapped& m,
                                   model::Element& delivered);
    std::optional<Problem> send_verify(Connection& c, Side w, const Mapped& m, model::Element& delivered);
    std::optional<Problem> close(Connection& c, Side w, const Mapped& m, model::Element& delivered);
    std::optional<Problem> unexpected(Connection& c, Side w, const model::Element& x);
    // An initiating end that ends its bidi stream with a stream error while
    // it verifies the peer's reverse dialback request (BIDI-8, BIDI-10).
    static bool initiator_blames_peer(const Connection& c, Side w, const model::Element& x);
    std::optional<Problem> ends_reverse_dialback(const Connection& c, const model::Element& x) const;
    // An initiating end that ends its stream with a stream error over a
    // dialback error, though it must take the error (DB-14, BIDI-10).
    std::optional<Problem> ends_over_dialback_error(const Connection& c, const model::Element& x) const;
    // Whether a forged element stands for the writer's own next one.
    static bool stands_for(const model::Element& forged, const model::Element& own);

    std::deque<model::Element>& queue(Connection& c, Side s) { return s == Side::Initiator ? c.i_out : c.r_out; }
    model::ServerIndex server(const Connection& c, Side s) const { return s == Side::Initiator ? c.i_server : c.r_server; }
    const model::ServerPolicy& policy(const Connection& c, Side s) const { return sc_.servers[server(c, s)]; }
    // A delivery's context for one end: its server's policy and branches,
    // the fresh ids, and where to note the open choices it asks about.
    model::Context context_for(const Connection& c, Side s);
    std::string end_name(const Connection& c, Side s) const;  // "I1", "R1"
    std::string arrow_to(const Connection& c, Side reader) const;  // "I1 → R1"
    std::string party(const Connection& c, Side s) const;     // "capulet's initiating stream (I1)"
    std::string states(const Connection& c) const;
    Connection* find(const std::string& label);
    Connection* by_number(int number);
    std::optional<model::ServerIndex> host(model::DomainId d) const;

    const model::Scenario& sc_;
    std::string file_;
    std::map<std::string, capture::ConnectionNote> capture_notes_;
    model::NameTable names_;
    Correlation corr_;
    ElementMapper mapper_;
    std::deque<Connection> conns_;  // stable addresses
    std::vector<Need> needs_;
    std::vector<model::ChoiceBits> branches_;  // by server
    std::vector<model::ChoiceBits> asked_;     // by server
    std::set<std::string> verify_only_;   // connection labels
    // Per connection label, the lines of the initiator's db:result requests and
    // their (from, to) as written: the pair an initiator asks for first on a
    // stream is the capture's, not necessarily its header's (XEP-0220 §2.1.1).
    struct Request {
        std::size_t line;
        std::string from, to;
    };
    std::map<std::string, std::vector<Request>> requests_;
    std::size_t line_ = 0;
    bool stopped_ = false;

    std::vector<Finding> findings_;
    std::vector<std::string> notes_;
    std::vector<TranscriptEntry> transcript_;
    std::vector<std::string> connection_lines_;
};

}  // namespace bidilab::validate
