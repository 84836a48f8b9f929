// bench/handshake_model.hpp — /work/shared/bench/handshake.pml on the sim
// contract, for a side-by-side benchmark against SPIN.
//
// Two endpoints run a symmetric handshake over one bidirectional link: OPEN,
// AUTH(key), RESULT(ok), DATA(seq). link[i] is the FIFO channel of capacity
// CAP towards endpoint i. Every option of the Promela `do` loop is one
// `d_step`, so every action here is one atomic step and the state is exactly
// the abstract state SPIN stores for the two Endpoint processes:
//
//   per endpoint   ost, ist, key, tries, sent, rcvd        (6 bytes)
//   per channel    CAP slots of (mtype, byte), a length    (2 * MaxCap + 1 bytes)
//
// What SPIN's state vector holds beyond that is constant or start-up only,
// which is why it is left out:
//   - `me` and `peer` are fixed per process, and `v` is 0 between steps (each
//     d_step ends with `v = 0`);
//   - both Endpoints sit at the same control state (the `end:` do-loop head)
//     between steps, since every option is one d_step back to the head;
//   - `init` runs `atomic { run Endpoint(0); run Endpoint(1) }` and then stays
//     at its end state forever (pid 0 cannot die before the younger
//     Endpoints, which never terminate).
// SPIN therefore stores one state more than this model with depth-first
// search (its initial state, where only `init` exists; the state inside the
// atomic sequence, after the first `run`, is not stored) and two more with
// breadth-first search (which stores that one too and reports it as "stored-
// atomic"). Its "transitions (= stored+matched)" is one per stored or matched
// state: besides this model's transitions (each one a stored or a matched
// state) it counts its initial state and the start-up step that reaches this
// model's initial state, so SPIN's transitions = this model's + 2, and its
// depth reached = this model's deepest level + 2 (190 and 188 by default).
//
// Channel slots past the length are kept zero (as SPIN clears a slot when a
// message leaves), so equal channel contents are equal bytes.
//
// The Promela assertions become `step` properties, checked on the state
// before the d_step and the action (SPIN evaluates them when the d_step
// executes, on the received value `v`); they hold with the default parameters.
// Every state is a valid end state (the loop head carries `end:`, `init` is
// at its end), so is_final() is true everywhere and SPIN's "invalid end
// state" check can never fire.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/fingerprint.hpp"
#include "sim/property.hpp"

namespace bench {

// mtype values; 0 marks an empty channel slot.
enum : std::uint8_t { M_NONE = 0, M_OPEN = 1, M_AUTH = 2, M_RESULT = 3, M_DATA = 4 };
// Outgoing side (ost) and incoming side (ist) of an endpoint.
enum : std::uint8_t { O_IDLE = 0, O_OPENED = 1, O_AUTHING = 2, O_AUTHED = 3 };
enum : std::uint8_t { I_NONE = 0, I_OPENED = 1, I_AUTHED = 2 };

inline constexpr std::uint8_t kNumKeys = 4;  // NKEYS, fixed by the four AUTH options
inline constexpr std::uint8_t kBadKey = 0;

// The options of the Promela `do`, in source order.
enum class Option : std::uint8_t {
    SendOpen,    // ost == O_IDLE && nfull(link[peer]) -> link[peer]!OPEN,me
    SendAuth0,   // ost == O_OPENED && tries <= MAXRETRY && nfull(link[peer]) -> key = 0; ...
    SendAuth1,   //   ... key = 1
    SendAuth2,   //   ... key = 2
    SendAuth3,   //   ... key = 3
    SendData,    // ost == O_AUTHED && sent < MAXSEQ && nfull(link[peer]) -> link[peer]!DATA,sent
    RecvOpen,    // link[me]?[OPEN,v] -> ...
    RecvAuth,    // link[me]?[AUTH,v] && nfull(link[peer]) -> ... RESULT(v != BADKEY)
    RecvResult,  // link[me]?[RESULT,v] -> ...
    RecvData,    // link[me]?[DATA,v] -> ...
};
inline constexpr std::size_t kNumOptions = 10;

template <std::size_t MaxCap>
struct HandshakeState {
    struct Endpoint {
        std::uint8_t ost, ist, key, tries, sent, rcvd;
    };
    struct Message {
        std::uint8_t type, value;
    };
    struct Channel {
        Message slot[MaxCap];
        std::uint8_t len;
    };

    Endpoint ep[2];
    Channel link[2];  // link[i]: messages to endpoint i

    friend bool operator==(const HandshakeState& a, const HandshakeState& b) {
        return std::memcmp(&a, &b, sizeof a) == 0;
    }
    friend bool operator!=(const HandshakeState& a, const HandshakeState& b) { return !(a == b); }
};

struct HandshakeAction {
    std::uint8_t endpoint;  // 0 or 1: which Endpoint process moves
    Option option;
    friend bool operator==(HandshakeAction a, HandshakeAction b) {
        return a.endpoint == b.endpoint && a.option == b.option;
    }
};

// MaxCap bounds the runtime capacity `cap` (the state record is MaxCap wide).
template <std::size_t MaxCap>
struct BasicHandshake {
    static_assert(MaxCap >= 1 && MaxCap <= 255, "channel capacity is a byte");
    using State = HandshakeState<MaxCap>;
    using Action = HandshakeAction;
    static_assert(sim::hashed_as_bytes_v<State>, "the state must be a padding-free byte record");
    static_assert(sizeof(State) == 2 * 6 + 2 * (2 * MaxCap + 1), "unexpected padding");

    int cap = 4;       // CAP
    int maxseq = 40;   // MAXSEQ
    int maxretry = 3;  // MAXRETRY

    BasicHandshake() = default;
    BasicHandshake(int cap_, int maxseq_, int maxretry_) : cap(cap_), maxseq(maxseq_), maxretry(maxretry_) {
        validate();
    }

    // Bytes do not overflow: sent reaches MAXSEQ, tries reaches MAXRETRY + 1.
    void validate() const {
        if (cap < 1 || cap > static_cast<int>(MaxCap))
            throw std::invalid_argument("cap must be in 1.." + std::to_string(MaxCap));
        if (maxseq < 0 || maxseq > 255) throw std::invalid_argument("maxseq must be in 0..255");
        if (maxretry < 0 || maxretry > 254) throw std::invalid_argument("maxretry must be in 0..254");
    }

    std::vector<State> initial_states() const {
        State s{};  // everything 0: O_IDLE, I_NONE, empty channels
        return {s};
    }

    void actions(const State&, std::vector<Action>& out) const {
        static constexpr std::array<Action, 2 * kNumOptions> all = [] {
            std::array<Action, 2 * kNumOptions> a{};
            for (std::uint8_t e = 0; e < 2; ++e)
                for (std::uint8_t o = 0; o < kNumOptions; ++o) a[e * kNumOptions + o] = Action{e, Option(o)};
            return a;
        }();
        out.insert(out.end(), all.begin(), all.end());
    }

    std::optional<State> next_state(const State& s, const Action& a) const {
        const int me = a.endpoint, peer = 1 - me;
        const auto& e = s.ep[me];
        const auto& in = s.link[me];
        const bool out_nfull = s.link[peer].len < cap;
        switch (a.option) {
            case Option::SendOpen: {
                if (!(e.ost == O_IDLE && out_nfull)) return std::nullopt;
                State t = s;
                push(t.link[peer], M_OPEN, static_cast<std::uint8_t>(me));
                t.ep[me].ost = O_OPENED;
                return t;
            }
            case Option::SendAuth0:
            case Option::SendAuth1:
            case Option::SendAuth2:
            case Option::SendAuth3: {
                if (!(e.ost == O_OPENED && e.tries <= maxretry && out_nfull)) return std::nullopt;
                State t = s;
                auto& te = t.ep[me];
                te.key = static_cast<std::uint8_t>(static_cast<int>(a.option) - static_cast<int>(Option::SendAuth0));
                push(t.link[peer], M_AUTH, te.key);
                te.ost = O_AUTHING;
                ++te.tries;
                return t;
            }
            case Option::SendData: {
                if (!(e.ost == O_AUTHED && e.sent < maxseq && out_nfull)) return std::nullopt;
                State t = s;
                push(t.link[peer], M_DATA, t.ep[me].sent);
                ++t.ep[me].sent;
                return t;
            }
            case Option::RecvOpen: {
                if (!(in.len > 0 && in.slot[0].type == M_OPEN)) return std::nullopt;
                State t = s;
                pop(t.link[me]);
                t.ep[me].ist = I_OPENED;
                return t;
            }
            case Option::RecvAuth: {
                if (!(in.len > 0 && in.slot[0].type == M_AUTH && out_nfull)) return std::nullopt;
                State t = s;
                const std::uint8_t v = in.slot[0].value;
                pop(t.link[me]);
                if (v != kBadKey) {
                    push(t.link[peer], M_RESULT, 1);
                    t.ep[me].ist = I_AUTHED;
                } else {
                    push(t.link[peer], M_RESULT, 0);
                }
                return t;
            }
            case Option::RecvResult: {
                if (!(in.len > 0 && in.slot[0].type == M_RESULT)) return std::nullopt;
                State t = s;
                const std::uint8_t v = in.slot[0].value;
                pop(t.link[me]);
                t.ep[me].ost = v == 1 ? O_AUTHED : O_OPENED;
                return t;
            }
            case Option::RecvData: {
                if (!(in.len > 0 && in.slot[0].type == M_DATA)) return std::nullopt;
                State t = s;
                pop(t.link[me]);
                ++t.ep[me].rcvd;
                return t;
            }
        }
        return std::nullopt;
    }

    // Every state is a valid end state (`end:` on the loop head).
    bool is_final(const State&) const { return true; }

    // The Promela assertions, one property per assert, each checked when its
    // d_step executes: on the state before it and the received value `v`
    // (the head of link[me]).
    std::vector<sim::Property<BasicHandshake>> properties() const {
        using M = BasicHandshake;
        auto on = [](Option o, auto check) {
            return [o, check](const M&, const State& before, const Action& a, const State&) {
                if (a.option != o) return true;
                const auto& e = before.ep[a.endpoint];
                const std::uint8_t v = before.link[a.endpoint].slot[0].value;
                return check(e, v, a.endpoint);
            };
        };
        using E = typename State::Endpoint;
        return {
            sim::step<M>("open-from-peer-once", {"handshake.pml: assert(v == peer && ist == I_NONE)"},
                         on(Option::RecvOpen, [](const E& e, std::uint8_t v, int me) { return v == 1 - me && e.ist == I_NONE; })),
            sim::step<M>("auth-after-open", {"handshake.pml: assert(ist != I_NONE)"},
                         on(Option::RecvAuth, [](const E& e, std::uint8_t, int) { return e.ist != I_NONE; })),
            sim::step<M>("result-while-authing", {"handshake.pml: assert(ost == O_AUTHING)"},
                         on(Option::RecvResult, [](const E& e, std::uint8_t, int) { return e.ost == O_AUTHING; })),
            sim::step<M>("data-after-auth", {"handshake.pml: assert(ist == I_AUTHED)"},
                         on(Option::RecvData, [](const E& e, std::uint8_t, int) { return e.ist == I_AUTHED; })),
            sim::step<M>("data-in-order", {"handshake.pml: assert(v == rcvd)"},
                         on(Option::RecvData, [](const E& e, std::uint8_t v, int) { return v == e.rcvd; })),
        };
    }

    std::string describe(const Action& a) const {
        static const char* const names[kNumOptions] = {
            "send OPEN",  "send AUTH(key=0)", "send AUTH(key=1)", "send AUTH(key=2)", "send AUTH(key=3)",
            "send DATA",  "recv OPEN",        "recv AUTH",        "recv RESULT",      "recv DATA"};
        return "endpoint " + std::to_string(a.endpoint) + ": " + names[static_cast<int>(a.option)];
    }

private:
    static void push(typename State::Channel& c, std::uint8_t type, std::uint8_t value) {
        c.slot[c.len] = {type, value};
        ++c.len;
    }
    // Removes the head; the vacated last slot is cleared.
    static void pop(typename State::Channel& c) {
        for (std::size_t i = 1; i < c.len; ++i) c.slot[i - 1] = c.slot[i];
        --c.len;
        c.slot[c.len] = {M_NONE, 0};
    }
};

// The Promela defaults: CAP=4 fits the 4-slot record exactly.
using Handshake = BasicHandshake<4>;

}  // namespace bench
