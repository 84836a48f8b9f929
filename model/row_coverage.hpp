// model/row_coverage.hpp — which rows of the two stream machines' transition
// tables a run took (`bidilab check --coverage`): a row never taken is
// behaviour of the machines that no explored ordering exercised.
//
// Deliveries mark rows only while a RowCoverage::Scope names a RowCoverage
// on their thread, so a run without coverage pays one branch per delivery.
// A Scope of nullptr suspends marking: deliveries that only probe a copy of a
// machine (the attacker asking whether a forgery would be refused) are not
// part of the run.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "model/outcome.hpp"
#include "model/transition_row.hpp"

namespace bidilab::model {

enum class StreamMachine : std::uint8_t { Initiating, Receiving };
inline constexpr std::array<StreamMachine, 2> kStreamMachines{StreamMachine::Initiating, StreamMachine::Receiving};

class RowCoverage {
public:
    RowCoverage();  // every row of both tables, none taken

    // "InitiatingStream", "ReceivingStream".
    static const char* name(StreamMachine m);
    // The machine's transition table, in table order (its rows' indices).
    static const std::vector<TransitionRow>& table(StreamMachine m);

    void take(StreamMachine m, std::size_t row);
    bool taken(StreamMachine m, std::size_t row) const { return taken_[index(m)].at(row); }
    std::size_t rows(StreamMachine m) const { return taken_[index(m)].size(); }
    std::size_t taken_count(StreamMachine m) const;
    std::size_t taken_total() const;  // of both machines
    // Takes every row `other` took; true when one of them was not taken here.
    bool add(const RowCoverage& other);
    // The indices of the rows never taken, in table order.
    std::vector<std::size_t> never_taken(StreamMachine m) const;

    // Marks the row a delivery fired, if a RowCoverage is recording on this
    // thread (and wants what runs there: only_with).
    static void note(StreamMachine m, const Outcome& o) {
        if (RowCoverage* c = active()) {
            if (o.handled() && o.row >= 0 && c->wants(ends())) c->take(m, static_cast<std::size_t>(o.row));
        }
    }

    // From here on, only the rows the machines of other servers take on a
    // connection with server `peer` (the peer's own machines left out): what
    // a live server can make the servers the probe plays do (bidilab probe).
    // A delivery outside Router::run (no Ends known) is then left out too.
    void only_with(std::uint8_t peer) { with_ = peer; }

    // While it lives, the deliveries on this thread run a machine of server
    // `self` on a connection whose other end is server `other` (Router::run
    // says so; scopes nest).
    class Ends {
    public:
        Ends(std::uint8_t self, std::uint8_t other) : previous_(ends()) { ends() = Pair{self, other}; }
        ~Ends() { ends() = previous_; }
        Ends(const Ends&) = delete;
        Ends& operator=(const Ends&) = delete;

    private:
        struct Pair {
            std::uint8_t self, other;
        } previous_;
        friend class RowCoverage;
    };

    // While it lives, deliveries on this thread mark `recording` (nullptr:
    // nothing); scopes nest, the previous one is restored at the end.
    class Scope {
    public:
        explicit Scope(RowCoverage* recording) : previous_(active()) { active() = recording; }
        ~Scope() { active() = previous_; }
        Scope(const Scope&) = delete;
        Scope& operator=(const Scope&) = delete;

    private:
        RowCoverage* previous_;
    };

private:
    static constexpr std::uint16_t kEveryone = 0x100;  // with_: no filter
    static constexpr std::uint8_t kUnknown = 0xFF;     // an end no Ends named
    static Ends::Pair& ends() {
        static thread_local Ends::Pair now{kUnknown, kUnknown};
        return now;
    }
    bool wants(const Ends::Pair& e) const {
        return with_ == kEveryone || (e.other == with_ && e.self != with_ && e.self != kUnknown);
    }
    static std::size_t index(StreamMachine m) { return static_cast<std::size_t>(m); }
    // Constant-initialized and defined inline: read without a TLS wrapper call.
    static RowCoverage*& active() {
        static thread_local RowCoverage* recording = nullptr;
        return recording;
    }

    std::array<std::vector<bool>, 2> taken_;
    std::uint16_t with_ = kEveryone;  // only_with's peer
};

}  // namespace bidilab::model
