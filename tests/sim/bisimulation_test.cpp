// sim/bisimulation.hpp: a merge of bisimilar states passes, an unsound merge
// is caught (by a property value or by the successors), and the counts say
// how many merged states really differed.
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/bisimulation.hpp"
#include "sim/explorer.hpp"

namespace {

// Two counters walked up to `n` in any interleaving. The fingerprint sees
// only what `merge` leaves: kSwap merges (a, b) with (b, a) (sound while
// nothing tells a from b), kMax merges by max(a, b) (never sound: (3, 0) can
// still step, (3, 3) cannot).
struct Counters {
    enum Merge : std::uint8_t { kNone, kMax, kSwap };
    struct State {
        std::uint8_t a = 0, b = 0;
        Merge merge = kNone;
        std::uint16_t pad = 0;  // padding before it: hashed through hash_append, not as bytes
        bool operator==(const State& o) const { return a == o.a && b == o.b; }
    };
    using Action = std::uint8_t;  // 0: a + 1, 1: b + 1
    int n = 3;
    Merge merge = kNone;
    bool property_tells_a_from_b = false;

    std::vector<State> initial_states() const { return {State{0, 0, merge, 0}}; }
    void actions(const State&, std::vector<Action>& out) const { out.push_back(0), out.push_back(1); }
    std::optional<State> next_state(const State& s, Action x) const {
        State t = s;
        if (x == 0 && s.a < n) ++t.a;
        else if (x == 1 && s.b < n) ++t.b;
        else return std::nullopt;
        return t;
    }
    bool is_final(const State& s) const { return s.a == n && s.b == n; }
    std::uint64_t concrete_fingerprint(const State& s) const { return 1u + s.a * 256u + s.b; }
    std::vector<sim::Property<Counters>> properties() const {
        if (!property_tells_a_from_b)
            return {sim::always<Counters>("bounded", {"TOY-1"}, [](const Counters& m, const State& s) { return s.a + s.b <= 2 * m.n; })};
        return {sim::always<Counters>("a-leads", {"TOY-1"}, [](const Counters&, const State& s) { return s.a >= s.b; })};
    }
    std::string describe(Action x) const { return x == 0 ? "a" : "b"; }
};

template <class H>
void hash_append(H& h, const Counters::State& s) {
    switch (s.merge) {
        case Counters::kNone: h.value(s.a), h.value(s.b); break;
        case Counters::kMax: h.value(s.a < s.b ? s.b : s.a); break;
        case Counters::kSwap:  // {a, b} as a set: sound while nothing tells them apart
            h.value(s.a < s.b ? s.a : s.b), h.value(s.a < s.b ? s.b : s.a);
            break;
    }
}

TEST(Bisimulation, WithoutMergingEveryMemberIsItsClass) {
    Counters m;
    auto r = sim::check_bisimulation(m);
    EXPECT_FALSE(r.mismatch) << *r.mismatch;
    EXPECT_TRUE(r.complete);
    EXPECT_EQ(r.classes, 16u);
    EXPECT_EQ(r.differing, 0u);
    EXPECT_GT(r.members, 0u);
}

TEST(Bisimulation, ASoundSymmetryPassesAndMergesRealDifferences) {
    Counters m;
    m.merge = Counters::kSwap;
    auto r = sim::check_bisimulation(m);
    EXPECT_FALSE(r.mismatch) << *r.mismatch;
    EXPECT_EQ(r.classes, 10u);  // unordered pairs over 0..3
    EXPECT_GT(r.differing, 0u);
    // The explorer agrees on the count.
    EXPECT_EQ(sim::Explorer<Counters>(m).run().states, r.classes);
}

TEST(Bisimulation, AMergeThatAPropertyTellsApartIsCaught) {
    Counters m;
    m.merge = Counters::kSwap;
    m.property_tells_a_from_b = true;
    auto r = sim::check_bisimulation(m);
    ASSERT_TRUE(r.mismatch);
    EXPECT_NE(r.mismatch->find("state properties"), std::string::npos) << *r.mismatch;
}

TEST(Bisimulation, AMergeWhoseSuccessorsDifferIsCaught) {
    Counters m;
    m.merge = Counters::kMax;
    auto r = sim::check_bisimulation(m);
    ASSERT_TRUE(r.mismatch);
}

TEST(Bisimulation, AClassLimitEndsTheWalkIncomplete) {
    Counters m;
    auto r = sim::check_bisimulation(m, 5);
    EXPECT_FALSE(r.complete);
    EXPECT_EQ(r.classes, 5u);
}

}  // namespace
