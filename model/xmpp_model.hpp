// model/xmpp_model.hpp — the protocol model on the sim contract: a topology's
// servers, their connections and stream machines, and the stanzas they must
// exchange. Actions: a server submits its next stanza; the head of one FIFO
// is read by the machine at its end; a connection's TLS handshake completes;
// with an attacker in the topology, an honest end reads an element the
// attacker forged (model/attacker.hpp); with `faults.resets`, a connection is
// reset (Router::reset). Every interleaving of these is an ordering the
// explorer walks.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/router_step.hpp"
#include "model/scenario.hpp"
#include "model/world.hpp"

namespace bidilab::model {

struct Action {
    // Reset: a fault the environment injects, at most `faults.resets` times a
    // run: the TCP connection is gone under both ends (Router::reset).
    // Choose: a server decides a choice its policy leaves open (the next of
    // Scenario::open_choices; `branch` 1 = the other branch), before any
    // other step of the run.
    enum class Kind : std::uint8_t { Submit, Deliver, Tls, Reset, Choose };
    Kind kind = Kind::Submit;
    ServerIndex server = 0;         // Submit; a forged Deliver: the attacker
    std::uint16_t connection = 0;   // Deliver, Tls, Reset
    bool to_receiver = false;       // Deliver: which end reads
    // A forged Deliver: the attacker writes `element` and the honest end
    // reads it at once (its FIFO is empty then, so nothing overtakes). A
    // forged stream header to a receiving end opens the connection.
    bool forged = false;
    Element element{};
    SpecChoice choice{};            // Choose: which choice
    std::uint8_t branch = 0;        // Choose: 1 = the other branch
    friend bool operator==(const Action& a, const Action& b) {
        return a.kind == b.kind && a.server == b.server && a.connection == b.connection &&
               a.to_receiver == b.to_receiver && a.forged == b.forged && a.element == b.element &&
               a.choice == b.choice && a.branch == b.branch;
    }
};

// Which states are taken as one (model/README.md, "Symmetry"): stream ids and
// connection numbers are opaque labels, always renamed canonically; with
// Connections, the order connections were opened in is forgotten too
// (sort_connections after every action).
enum class Symmetry : std::uint8_t { StreamIds, Connections };

class XmppModel {
public:
    using State = World;
    using Action = model::Action;

    explicit XmppModel(Scenario scenario) : sc_(std::move(scenario)) {}

    const Scenario& scenario() const { return sc_; }
    Symmetry symmetry() const { return symmetry_; }
    void set_symmetry(Symmetry s) { symmetry_ = s; }
    // The reductions a run of this model uses, for reports.
    std::vector<std::string> reductions() const;

    std::vector<World> initial_states() const;
    void actions(const World& w, std::vector<Action>& out) const;
    std::optional<World> next_state(const World& w, const Action& a) const;
    // The same, written into `out` (its buffers reused); always true.
    bool next_state(const World& w, const Action& a, World& out) const;
    // The steps action `a` takes from `w`, its own first, then the router's
    // (model/router_step.hpp), each with its footprint: for transcripts and
    // tests (the explorer keeps no log). `next` is the world after, as
    // next_state() gives it.
    std::vector<RouterStep> steps_of(const World& w, const Action& a, World& next) const;
    std::string describe(const Action& a) const;
    // A final state's outcome: each stanza's fate, by its index in the
    // topology: "#0 delivered; #1 bounced (remote-server-timeout)".
    std::string outcome(const World& w) const;
    // The fate of each stanza in an outcome, by index ("bounced
    // (remote-server-timeout)"): outcome()'s text taken apart.
    static std::vector<std::string> fates_of(const std::string& outcome);
    std::string describe_choice(const Action& a) const;
    // A state without successors is final when every stanza is settled and
    // nothing is left in flight.
    bool is_final(const World& w) const;
    // Every stanza delivered or bounced (CORE-52), or lost in a connection
    // reset: RFC 6120 cannot promise delivery across a TCP reset (CORE-19;
    // XEP-0198 is out of scope), so Lost counts only once a reset happened.
    bool all_settled(const World& w) const;
    std::vector<std::string> deadlock_rules() const { return {"CORE-52", "DB-8"}; }

    // A fingerprint of the world as it is, nothing renamed or reordered
    // (sim/bisimulation.hpp counts with it the merged states that really differ).
    std::uint64_t concrete_fingerprint(const World& w) const;

    // The world as bytes and back (model/world_codec.hpp): the explorer
    // queues states in this form (sim/frontier.hpp).
    void encode(const World& w, std::vector<unsigned char>& out) const;
    void decode(const unsigned char* bytes, std::size_t n, World& w) const;

    // The element an action moves (Deliver, forged or not), for transcripts.
    std::optional<Element> moved_element(const World& before, const Action& a) const;

private:
    void take(const World& w, const Action& a, World& next, std::vector<RouterStep>* log) const;

    Scenario sc_;
    Symmetry symmetry_ = Symmetry::Connections;
};

}  // namespace bidilab::model
