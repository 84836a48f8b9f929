// model/router.hpp — what the servers do around their stream machines, as
// Prosody's s2s manager does: route each stanza over an authorized stream or
// queue it and open a connection (CORE-51, DB-3, DB-6), carry dialback
// verification to the authoritative server over another connection (BIDI-6),
// flush and bounce queues when pairs are decided (DB-11, DB-12, DB-14,
// CORE-52), and feed every element a machine emits into the right FIFO.
#pragma once

#include <cstdint>

#include "model/context.hpp"
#include "model/router_step.hpp"
#include "model/scenario.hpp"
#include "model/world.hpp"

namespace bidilab::model {

class Router {
public:
    Router(const Scenario& scenario, World& world) : sc_(scenario), w_(world) {}

    // The next stanza of `server`, in file order, enters its queue.
    void submit(ServerIndex server);
    // The element at the head of one FIFO of connection `number` is read by
    // the machine at its end.
    void deliver(std::uint16_t number, bool to_receiver);
    // The TLS handshake of connection `number` completes (CORE-32: one step).
    void complete_tls(std::uint16_t number);
    // The same for one end only, the other being a live server outside the
    // model (probe/session.hpp): that end learns the names the other's
    // certificate is trusted for (SASL-2, CORE-53).
    void complete_tls_at(std::uint16_t number, bool receiver);
    // An attacker writes `e` on connection `number` (a new one for a header
    // it dials with), and the honest end reads it at once (model/attacker.hpp).
    void forge(ServerIndex attacker, std::uint16_t number, bool to_receiver, const Element& e);
    // The TCP connection `number` is reset (a fault, `faults.resets`): both
    // ends drop it at once, what was written and not read is lost, and what
    // waited for it is routed again (CORE-19, CORE-23, CORE-20, CORE-56).
    void reset(std::uint16_t number);

    // A connection opened from now on takes its place in the canonical order
    // at once (model/world.hpp: put_in_canonical_order), so that every lookup
    // of the router sees the connections in that order all along; without
    // it, connections are held in order of opening (an attacker's first).
    void keep_canonical_order() { canonical_ = true; }

    // settle() once more: returns whether it changed anything. A settled
    // world held in canonical order changes nothing (tests check it at every
    // reachable state: no fixpoint is left to run after an action).
    bool settle_again() {
        const std::uint32_t before = changes_;
        settle();
        return changes_ != before;
    }

    // Every step from now on is recorded in `log` (model/router_step.hpp):
    // first the action's own, then each the router takes. None by default.
    void log_to(std::vector<RouterStep>* log) { log_ = log; }

    // Index of the next unsubmitted stanza of a server, or -1.
    static int next_stanza(const Scenario& sc, const World& w, ServerIndex server);

private:
    enum class Side { Initiator, Receiver };
    enum class Use { Stanzas, Verify };  // what an outgoing stream is looked up for

    // A step being taken: logged (when there is a log) from its start, and
    // what is written while it lasts is its footprint; steps it leads to
    // (a verdict handed on, a bounce) are logged as steps of their own.
    class Taking {
    public:
        Taking(Router& r, RouterStep::Kind kind, ServerIndex server, const char* rules);
        ~Taking() { r_.current_ = saved_; }
        Taking(const Taking&) = delete;
        Taking& operator=(const Taking&) = delete;
        RouterStep* operator->() { return r_.log_ ? &(*r_.log_)[static_cast<std::size_t>(r_.current_)] : nullptr; }
        void read(const Cell& c) { if (r_.log_) (*this)->footprint.read(c); }
        // Not taken after all (a machine refused the element): it wrote
        // nothing. (Were a step logged inside it, it would stay in the log
        // with what it wrote: nothing taken is ever dropped from it.)
        void cancel();

    private:
        Router& r_;
        int saved_;
    };
    // A write of the step being taken; outside every step (a fault of the
    // router), it is logged as a step of its own, Unattributed, which tests
    // require never to appear.
    void wrote(const Cell& c) {
        if (!log_) return;
        if (current_ < 0) {
            RouterStep lost;
            lost.kind = RouterStep::Kind::Unattributed;
            log_->push_back(lost);
            current_ = static_cast<int>(log_->size()) - 1;
            (*log_)[static_cast<std::size_t>(current_)].footprint.write(c);
            current_ = -1;
            return;
        }
        (*log_)[static_cast<std::size_t>(current_)].footprint.write(c);
    }
    static Cell end_of(std::uint16_t number, Side side) { return Cell::end(number, side == Side::Receiver); }

    Connection* find(std::uint16_t number);
    void add_connection(const Connection& c);
    std::uint16_t open(ServerIndex server, DomainId from, DomainId to,
                       InitiatingStream::Purpose purpose = InitiatingStream::Purpose::Stanzas);
    // The action's own step of forge() and reset(), before settle().
    void forge_once(ServerIndex attacker, std::uint16_t number, bool to_receiver, const Element& e);
    void reset_once(Connection& c);
    // TlsDone to one end of connection `number`, no settle (CORE-32).
    void tls_done_at(std::uint16_t number, Side side);
    // Runs one element through one end of a connection, then what it emitted.
    Outcome run(std::uint16_t number, Side side, const Element& e);
    void handle_output(std::uint16_t number, Side side, const Element& out);
    void settle();
    // What was written to an attacker, it reads at once (model/attacker.hpp);
    // `counts`: as a change settle() must run another round for.
    void attacker_read(bool counts);
    bool route(std::size_t stanza);
    // Each sets the stanza's `via` when it asks (or dials) for it.
    bool request_reverse(std::size_t stanza);
    bool multiplex(std::size_t stanza);  // model/multiplexing.cpp
    void dial(std::size_t stanza);
    bool ask_pair(std::size_t stanza, std::uint16_t number, Side side, RouterStep::Kind kind, const char* rules);
    void request_verifications();
    bool verify_on_incoming(std::size_t v);
    // The request at `v` is done: taken out of the list (a step's write).
    void erase_verify(std::size_t v);
    void close_finished_verify_connections();
    void forget_gone_connections();
    void close_duplicates(ServerIndex server, ServerIndex peer);
    void fail_pending_verifies(std::uint16_t number);
    void deliver_verdict(ServerIndex server, const Element& verdict);
    void bounce(std::size_t stanza, Condition c, std::uint16_t via, const char* rules);
    void bounce_pair(ServerIndex server, DomainId from, DomainId to, Condition c, const char* rules);
    const Connection* live_outgoing(ServerIndex server, DomainId from, DomainId to, Use use) const;
    bool live(std::uint16_t number) const;

    // A delivery's context for a machine of `server`: its policy, the fresh
    // stream ids, and the branches this run took at its open choices.
    Context context_for(ServerIndex server) const {
        return Context(sc_.servers[server], w_.next_stream_id, sc_.branches_of(server, w_.branches));
    }

    // Counts what changed the world (settle() runs rounds until one changes
    // nothing): every write goes through changed().
    void changed() { ++changes_; }

    const Scenario& sc_;
    World& w_;
    std::uint32_t changes_ = 0;
    std::vector<RouterStep>* log_ = nullptr;
    int current_ = -1;  // the step being taken, in *log_
    bool canonical_ = false;
};

}  // namespace bidilab::model
