// probe/session.hpp — one probe scenario on the wire: the played servers
// (every server of the topology but the live one) are the model's own: a
// World with their stream machines and the model's Router (model/router.hpp),
// which decides, as it does in `check`, when to dial, what to send, where a
// db:verify goes (BIDI-6, DB-16) and where a verdict comes back (DB-15). The
// live server's ends of the connections are never run: what it writes is read
// from TCP, mapped as `validate` maps a capture (validate/element_mapper.hpp),
// and given to the played end at once (Router::forge, the same entry the
// attacker's elements take); what a played end writes is taken from its FIFO
// and written to TCP (probe/wire_text.hpp); once <proceed/> has gone by, the
// TLS handshake runs on the socket and the played end learns that it is done
// (Router::complete_tls_at). Everything exchanged (after TLS: decrypted) is recorded
// as a wire log (docs/wire-log.md), which is judged with `validate` as it
// grows (SessionSetup::deviation, probe/judge.hpp) and once complete. The
// session ends when the wire has been quiet for `quiet`, at the live server's
// first element the model does not allow, or at `limit` (then it is
// inconclusive).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "capture/direction_stream.hpp"
#include "model/router.hpp"
#include "model/row_coverage.hpp"
#include "model/scenario.hpp"
#include "model/world.hpp"
#include "probe/address.hpp"
#include "probe/played_order.hpp"
#include "probe/tcp.hpp"
#include "probe/tls_context.hpp"
#include "validate/correlation.hpp"
#include "validate/element_mapper.hpp"

namespace bidilab::probe {

// What a played server forges once in a session (the attacker's menu): XML
// it writes outside its stream machine, marked "(forged)" in the wire log;
// validate then judges only how the live server takes it.
struct Attack {
    enum class When : std::uint8_t {
        AfterFeatures,    // the first <stream:features> the live server sends on a played server's connection
        AfterFirstStanza  // the first stanza a played server sends (its stream is authorized)
    };
    When when = When::AfterFeatures;
    std::string xml;
    // attack-header-from (REAL-WORLD RW-22): the first stream header a played
    // server writes to the live server names this domain as its 'from'
    // (marked forged), and at `when` the live server is asked to send a
    // stanza to `send_to` (SessionSetup::send_command) instead of `xml`.
    std::string header_from;
    std::string send_to;
    // dialback-error-answer (REAL-WORLD RW-19): a played receiving end's
    // answer to the live server's dialback request is written as a dialback
    // error with this condition instead (marked forged).
    model::Condition answer_error = model::Condition::None;
};

struct SessionSetup {
    const model::Scenario* scenario = nullptr;  // the played stanzas only (probe.cpp)
    model::ServerIndex live = 0;                // the server under test
    Endpoint live_at;
    std::map<model::ServerIndex, TcpListener*> listeners;  // where played servers are dialled
    // Per played server, its TLS as the dialling side and as the dialled
    // one (its certificate, when the topology gives it one).
    std::map<model::ServerIndex, const TlsContext*> tls_client, tls_server;
    std::chrono::milliseconds quiet{1500};
    std::chrono::milliseconds limit{20000};
    std::chrono::milliseconds connect_timeout{3000};
    std::size_t max_connections = 16;  // bounds what one scenario may open or accept
    std::size_t max_log_bytes = std::size_t{16} << 20;  // bounds what the wire log (and memory) may hold
    std::string salt;                  // makes this session's stream ids and stanza ids unique
    std::optional<Attack> attack;
    // What makes the live server send a stanza (probe/send_command.hpp), for
    // an attack with `send_to`; its domain (BIDILAB_FROM) is live_domain.
    std::string send_command;
    std::string live_domain;
    // The played servers' dialback keys are computed over a stream id the
    // live server never issued (a key replayed from another stream): their
    // authority then answers `invalid` for them (DB-30, KEY-1).
    bool replay_keys = false;
    // The played servers' own order (probe/played_order.hpp). Without one:
    // every stanza is submitted at the start and each element is read as it
    // comes. With one: its steps are taken in turn (session_order.cpp), each
    // as soon as it can be; what the live server writes waits, per
    // connection in order, until a step reads it; a step that has not become
    // possible once the wire has been quiet for `gather` is skipped (noted in
    // the log); past the last step, the arrival order.
    std::optional<PlayedOrder> order;
    std::chrono::milliseconds gather{60};
    // The online judge (probe/judge.hpp): given the exchange so far each
    // time the live server has written elements, and before the played ends
    // read them, the line of one the model does not allow. Then the session
    // stops there. Empty: not judged online.
    std::function<std::optional<std::size_t>(const std::string& log)> deviation;
};

struct SessionOutcome {
    std::string wire_log;  // the whole exchange, in the format `validate` reads
    std::string problem;   // why the session could not be completed ("": it ended quiet)
    std::size_t elements_read = 0, elements_written = 0;
    std::size_t order_taken = 0, order_skipped = 0;  // the order's steps taken and skipped
    model::RowCoverage rows;  // the rows of the played servers' stream machines this session took
    std::size_t stopped_at = 0;  // the deviation's line (SessionSetup::deviation) it stopped at, 0: none
};

class Session {
public:
    // The model stream id of the stream a replayed key was computed for: no
    // connection of the session has it.
    static constexpr model::StreamId kReplayedStream = 39999;
    explicit Session(const SessionSetup& setup);
    SessionOutcome run();

private:
    // One TCP connection with the live server; the played end is the model
    // connection `number` (0 while an accepted connection has sent no header).
    struct Link {
        std::uint16_t number = 0;
        TcpSocket socket;
        bool played_initiates = true;
        std::string label;  // connN, in order of the first byte on the wire
        std::unique_ptr<capture::DirectionStream> in;
        bool noted = false;  // its "# connN: ..." comment is in the log
        bool tls_due = false;  // <proceed/> went by: the handshake comes next (RFC 6120 §5.4.3.3)
    };

    // session.cpp: the loop.
    bool step_network(std::chrono::milliseconds wait);
    void accept_from(TcpListener& l);
    void read_from(Link& link);
    void handle(Link& link, const capture::WireEvent& event);
    void take(Link& link, const capture::WireEvent& event);
    void pump();
    bool open_links_for_new_connections();
    void write_outputs(Link& link, model::Fifo& fifo, model::ServerIndex writer);
    void deliver_between_played();
    void start_tls(Link& link);
    void forge(Link& link, Attack::When when);
    bool forges_header(const std::string& writer, const std::string& xml) const;
    bool forges_answer(const Link& link, const model::Element& e) const;
    static std::string with_from(std::string xml, const std::string& from, const std::string& forged);
    Link* link_of(std::uint16_t number);

    // session_order.cpp: the played servers' own order.
    struct Held {
        Link* link;
        capture::WireEvent event;
    };
    bool ordered() const { return setup_.order && next_step_ < setup_.order->size(); }
    bool order_waiting() const { return ordered() || !held_.empty(); }
    void follow_order(bool quiet);
    bool take_step(const PlayedStep& step);
    std::optional<model::ServerIndex> reader_of(const Held& h) const;
    void finish_order();

    // session_io.cpp: the wire log, ids and keys.
    void note(Link& link);
    void record(Link& link, bool from_initiator, const std::string& writer, const std::string& xml);
    void send(Link& link, const std::string& writer, const std::string& xml);
    std::string writer_name(const Link& link, bool initiator_side) const;
    std::string real_stream_id(model::StreamId id);
    std::string key_text(const model::Key& key);
    void bind_key(const std::string& text, const model::Key& key);
    double seconds() const;

    SessionSetup setup_;
    const model::Scenario& sc_;
    model::World w_;
    model::Router router_;
    model::NameTable names_;
    validate::Correlation corr_;
    validate::ElementMapper mapper_;
    std::vector<std::unique_ptr<Link>> links_;
    std::vector<std::pair<model::Key, std::string>> text_by_key_;
    std::string log_;
    std::string problem_;
    std::size_t read_ = 0, written_ = 0, labels_ = 0;
    bool attacked_ = false;
    bool header_forged_ = false;  // attack-header-from: the forged header went
    bool answer_forged_ = false;  // dialback-error-answer: the forged answer went
    std::uint16_t forge_on_ = 0;  // AfterFirstStanza: the connection, once its first stanza went
    std::vector<Held> held_;           // what the live server wrote, not yet read (in arrival order)
    std::vector<std::size_t> unsubmitted_;  // per server: stanzas the order has not submitted yet
    std::size_t next_step_ = 0, taken_ = 0, skipped_ = 0;
    std::size_t stopped_at_ = 0;  // SessionSetup::deviation's line: the session stops
    model::RowCoverage rows_;
    std::chrono::steady_clock::time_point start_;
};

}  // namespace bidilab::probe
