// Small transition systems with known state spaces, for testing the explorer.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/property.hpp"

namespace toy {

// A grid walk: from (0,0), step right or up within [0,w]x[0,h].
// (w+1)(h+1) states; the shortest path to (x,y) has x+y steps.
struct Grid {
    struct State {
        std::uint8_t x, y;
    };
    enum class Action : std::uint8_t { Right, Up, Diagonal };
    int w, h;
    int target_x = -1, target_y = -1;  // `always` is violated there when set
    bool diagonal = false;  // a step right and up at once: paths of unequal length to a state

    std::vector<State> initial_states() const { return {State{0, 0}}; }
    void actions(const State&, std::vector<Action>& out) const {
        out.push_back(Action::Right);
        out.push_back(Action::Up);
        if (diagonal) out.push_back(Action::Diagonal);
    }
    std::optional<State> next_state(const State& s, Action a) const {
        if (a == Action::Diagonal) {
            if (s.x >= w || s.y >= h) return std::nullopt;
            return State{std::uint8_t(s.x + 1), std::uint8_t(s.y + 1)};
        }
        if (a == Action::Right) {
            if (s.x >= w) return std::nullopt;
            return State{std::uint8_t(s.x + 1), s.y};
        }
        if (s.y >= h) return std::nullopt;
        return State{s.x, std::uint8_t(s.y + 1)};
    }
    bool is_final(const State& s) const { return s.x == w && s.y == h; }
    std::vector<sim::Property<Grid>> properties() const {
        return {sim::always<Grid>("avoid-target", {"TOY-1"},
                                  [](const Grid& m, const State& s) { return !(s.x == m.target_x && s.y == m.target_y); }),
                sim::sometimes<Grid>("corner", {"TOY-2"}, [](const Grid& m, const State& s) { return s.x == m.w && s.y == 0; }),
                sim::eventually<Grid>("reach-end", {"TOY-3"}, [](const Grid& m, const State& s) { return s.x == m.w && s.y == m.h; })};
    }
    std::string describe(Action a) const { return a == Action::Right ? "right" : a == Action::Up ? "up" : "diagonal"; }
};

// A counter modulo n, with an optional exit: 0 -> 1 -> ... -> n-1 -> 0, and
// from `exit_at` a step to the done state. `eventually done` fails only on
// the cycle (there is no state without successors but `done`).
struct Ring {
    struct State {
        std::uint8_t value;
        std::uint8_t done;
    };
    enum class Action : std::uint8_t { Tick, Exit };
    int n;
    int exit_at;

    std::vector<State> initial_states() const { return {State{0, 0}}; }
    void actions(const State& s, std::vector<Action>& out) const {
        if (s.done) return;
        out.push_back(Action::Tick);
        if (s.value == exit_at) out.push_back(Action::Exit);
    }
    std::optional<State> next_state(const State& s, Action a) const {
        if (a == Action::Exit) return State{s.value, 1};
        return State{std::uint8_t((s.value + 1) % n), 0};
    }
    bool is_final(const State& s) const { return s.done != 0; }
    std::vector<sim::Property<Ring>> properties() const {
        return {sim::eventually<Ring>("eventually-done", {}, [](const Ring&, const State& s) { return s.done != 0; })};
    }
    std::string describe(Action a) const { return a == Action::Tick ? "tick" : "exit"; }
};

// Two counters that must both reach `limit`; one of them can get stuck at
// `stuck_at` (a deadlock), and a step property forbids jumps of the first.
struct Pair {
    struct State {
        std::uint8_t a, b;
    };
    enum class Action : std::uint8_t { IncA, IncB, JumpA };
    int limit;
    int stuck_at = -1;
    bool allow_jump = false;

    std::vector<State> initial_states() const { return {State{0, 0}}; }
    void actions(const State& s, std::vector<Action>& out) const {
        if (s.a == stuck_at && s.b == stuck_at) return;
        out.push_back(Action::IncA);
        out.push_back(Action::IncB);
        if (allow_jump) out.push_back(Action::JumpA);
    }
    std::optional<State> next_state(const State& s, Action act) const {
        switch (act) {
            case Action::IncA: if (s.a >= limit) return std::nullopt; return State{std::uint8_t(s.a + 1), s.b};
            case Action::IncB: if (s.b >= limit) return std::nullopt; return State{s.a, std::uint8_t(s.b + 1)};
            case Action::JumpA: if (s.a + 2 > limit) return std::nullopt; return State{std::uint8_t(s.a + 2), s.b};
        }
        return std::nullopt;
    }
    bool is_final(const State& s) const { return s.a == limit && s.b == limit; }
    std::vector<sim::Property<Pair>> properties() const {
        return {sim::step<Pair>("a-steps-by-one", {"TOY-4"},
                                [](const Pair&, const State& before, Action, const State& after) { return after.a <= before.a + 1; })};
    }
    std::string describe(Action a) const { return a == Action::IncA ? "a++" : a == Action::IncB ? "b++" : "a+=2"; }
};

// A complete binary tree `height` levels deep: 2^(height+1) - 1 states, each
// level twice the one before (a space that will not fit, early).
struct Tree {
    struct State {
        std::uint32_t depth, id;
    };
    enum class Action : std::uint8_t { Left, Right };
    std::uint32_t height;
    std::vector<State> initial_states() const { return {State{0, 0}}; }
    void actions(const State& s, std::vector<Action>& out) const {
        if (s.depth == height) return;
        out.push_back(Action::Left);
        out.push_back(Action::Right);
    }
    std::optional<State> next_state(const State& s, Action a) const {
        return State{s.depth + 1, s.id * 2 + (a == Action::Right ? 1u : 0u)};
    }
    bool is_final(const State& s) const { return s.depth == height; }
    std::vector<sim::Property<Tree>> properties() const { return {}; }
    std::string describe(Action a) const { return a == Action::Left ? "left" : "right"; }
};

// A fan: from the root `width` actions lead to `values` states (most reached
// several times), then `depth` - 1 levels of three steps among them, and
// from value 0 the wide fan again. The threads' search (sim/level_search.hpp)
// cannot number the root's level from its claim table: a one-state level's
// table keeps 768 states, and keys past 4,096 actions do not fit it
// (sim/level_claims.hpp); it replays that level with a table of its own.
struct Fan {
    struct State {
        std::uint16_t value, depth;  // no padding: hashed as its bytes
    };
    using Action = std::uint16_t;
    int width = 4200, values = 1000, depth = 4;

    std::vector<State> initial_states() const { return {State{0, 0}}; }
    void actions(const State& s, std::vector<Action>& out) const {
        if (s.depth >= depth) return;
        const int n = s.depth == 0 || s.value == 0 ? width : 3;
        for (int a = 0; a < n; ++a) out.push_back(static_cast<Action>(a));
    }
    std::optional<State> next_state(const State& s, Action a) const {
        if (s.depth == 0) return State{static_cast<std::uint16_t>(a % values), 1};
        return State{static_cast<std::uint16_t>((s.value * 7 + a) % values), static_cast<std::uint16_t>(s.depth + 1)};
    }
    bool is_final(const State& s) const { return s.depth == depth; }
    std::vector<sim::Property<Fan>> properties() const {
        return {sim::always<Fan>("avoid-299-late", {"TOY-5"},
                                 [](const Fan&, const State& s) { return !(s.value == 299 && s.depth == 3); }),
                sim::sometimes<Fan>("five-at-two", {"TOY-6"},
                                    [](const Fan&, const State& s) { return s.value == 5 && s.depth == 2; }),
                sim::eventually<Fan>("reach-the-end", {"TOY-7"},
                                     [](const Fan& m, const State& s) { return s.depth == m.depth; })};
    }
    std::string describe(Action a) const { return "fan " + std::to_string(a); }
};

// A counter that never stops: its state space is endless.
struct Endless {
    struct State {
        std::uint64_t n;
    };
    enum class Action : std::uint8_t { Inc };
    std::vector<State> initial_states() const { return {State{0}}; }
    void actions(const State&, std::vector<Action>& out) const { out.push_back(Action::Inc); }
    std::optional<State> next_state(const State& s, Action) const { return State{s.n + 1}; }
    std::vector<sim::Property<Endless>> properties() const { return {}; }
    std::string describe(Action) const { return "inc"; }
};

}  // namespace toy
