// model/router_step.hpp — what a server does on its own after a step, one
// explicit step at a time: route a stanza, dial, ask for a pair, carry a
// db:verify to the authority, hand a verdict to the stream that asked,
// bounce, close a verify-only connection, forget a connection that is gone.
// The Router takes them after every action until none is left (settle(),
// model/router.hpp); when asked for a log it records each one with the rule
// that asks for it and its footprint: what it read and what it wrote.
// Transcripts caption them ("then capulet dials connection 2 for stanza #0
// (DB-3)"); a test checks that the footprints account for every change a
// step makes, and that a server's step writes only its own part of the
// world (tests/properties/router_step_test.cpp).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <boost/container/small_vector.hpp>

#include "model/element.hpp"
#include "model/scenario.hpp"

namespace bidilab::model {

// One place of the world a step reads or writes.
struct Cell {
    enum class Kind : std::uint8_t {
        End,          // one end of a connection: index = its number, receiving = which
        Fifo,         // one direction: index = the number, to_receiver = which
        Stanza,       // the record of scenario stanza `index`
        Verifies,     // the db:verify requests server `index` has still to send
        Connections,  // which connections exist (one opened, one gone): index = the number
        StreamIds,    // the counter of fresh stream ids (CORE-7)
        Violations,   // the record of protocol violations
        Keys,         // what attackers have read on the wire, and the forged stanzas accepted
        Budgets,      // the resets and forgeries the environment may still inject
        Choices,      // the branches taken at the choices the topology leaves open
        Routes,       // (read only) what server `index` routes by: its ends' states and
                      // pairs, its stanza records and requests
    };
    Kind kind = Kind::End;
    std::uint16_t index = 0;
    bool flag = false;  // End: the receiving end; Fifo: toward the receiver
    friend bool operator==(const Cell& a, const Cell& b) {
        return a.kind == b.kind && a.index == b.index && a.flag == b.flag;
    }
    static Cell end(std::uint16_t number, bool receiving) { return Cell{Kind::End, number, receiving}; }
    static Cell fifo(std::uint16_t number, bool to_receiver) { return Cell{Kind::Fifo, number, to_receiver}; }
    static Cell stanza(std::size_t k) { return Cell{Kind::Stanza, static_cast<std::uint16_t>(k), false}; }
    static Cell of(Kind kind, std::uint16_t index = 0) { return Cell{kind, index, false}; }
};
std::string cell_name(const Cell& c, const Scenario& sc);  // "I2", "R2 → I2", "stanza #0", ...

struct Footprint {
    boost::container::small_vector<Cell, 2> reads;
    boost::container::small_vector<Cell, 6> writes;
    void read(const Cell& c) { add(reads, c); }
    void write(const Cell& c) { add(writes, c); }

private:
    template <class V>
    static void add(V& cells, const Cell& c) {
        for (const Cell& x : cells)
            if (x == c) return;
        cells.push_back(c);
    }
};

struct RouterStep {
    enum class Kind : std::uint8_t {
        Action,           // the action itself (a read, a TLS handshake, a reset, a forgery)
        Route,            // a stanza written over an authorized stream (CORE-51) or a bidi one (BIDI-7)
        RequestReverse,   // a pair asked for on an incoming bidi stream (BIDI-8)
        Multiplex,        // a pair asked for on an outgoing stream to that server (DB-40)
        Dial,             // a connection opened for a stanza (DB-3)
        Await,            // a stanza waits for its pair on a stream (DB-6)
        Bounce,           // a stanza returned with an error (DB-12, DB-14, CORE-52)
        AskAuthority,     // a key to be checked by its authority (XEP-0220 Step 2)
        DialForVerify,    // a connection opened to carry db:verify (DB-16)
        SendVerify,       // db:verify written to the authority (BIDI-6)
        VerifyOnIncoming, // db:verify written on the connection the request came in on (quirk)
        FailVerify,       // a request whose connection failed, answered as an error (DB-17, DB-36)
        Verdict,          // a verification's answer reaches the stream that asked (DB-15)
        DropVerdict,      // no such stream is left: the answer is dropped (DB-19)
        CloseVerifyOnly,  // a verify-only connection with nothing left to verify (DB-16, EXT-3)
        CloseDuplicate,   // an outgoing stream closed with <conflict/> (quirk, RW-14)
        Forget,           // a connection with both streams closed and nothing unread is gone
        AttackerReads,    // an attacker reads what was written to it (model/attacker.hpp)
        Unattributed,     // a write outside every step: a fault of the router (tests forbid it)
    };
    Kind kind = Kind::Action;
    ServerIndex server = 0;
    std::int16_t stanza = -1;       // the scenario stanza it is about, or -1
    std::uint16_t connection = 0;   // the connection it uses, opens or closes
    bool receiving_end = false;     // which of the connection's ends of `server`
    Condition condition = Condition::None;  // a bounce's stanza error
    Element about;                  // AskAuthority, FailVerify, Verdict: the element
    const char* rules = "";         // the rules that ask for it, cited where the router takes it
    Footprint footprint;
};

const char* router_step_kind_name(RouterStep::Kind k);  // "route", "dial", ...
// "capulet dials connection 2 for stanza #0 (DB-3)"; "" for Kind::Action.
std::string caption(const RouterStep& s, const Scenario& sc);

}  // namespace bidilab::model
