// bench/handshake_count_test.cpp — pins the handshake model's state and
// transition counts to SPIN's for small parameters, in both search orders.
//
// The SPIN numbers come from Spin 6.5.2 and gcc 12, for each parameter set:
//   spin -DCAP=c -DMAXSEQ=s -DMAXRETRY=r -a handshake.pml
//   gcc -O2 -DSAFETY -DNOREDUCE -o pan pan.c && ./pan -m100000 -w20   (-w22 for CAP=5)
// with handshake.pml the copy in /work/shared/bench/. SPIN's depth-first
// search stores one state more than the model (its initial state, in which
// only `init` exists) and counts two transitions more (its "transitions" is
// stored + matched: that initial state, and the atomic start-up step that
// reaches the model's initial state); see handshake_model.hpp.
//
//   CAP MAXSEQ MAXRETRY   SPIN stored   SPIN transitions   model states   model transitions
//    1     1      0            362              554              361             552
//    2     3      1           6418            13830             6417           13828
//    3     5      2          41081           102034            41080          102032
//    5     4      1          15418            37470            15417           37468
#include <gtest/gtest.h>

#include <cstdint>

#include "bench/handshake_model.hpp"
#include "sim/explorer.hpp"

namespace {

struct Expected {
    int cap, maxseq, maxretry;
    std::uint64_t spin_stored, spin_transitions;
};

constexpr Expected kSpin[] = {
    {1, 1, 0, 362, 554},
    {2, 3, 1, 6418, 13830},
    {3, 5, 2, 41081, 102034},
};
constexpr Expected kSpinCap5 = {5, 4, 1, 15418, 37470};  // needs the 8-slot record

template <std::size_t MaxCap>
sim::Report explore(const Expected& e, sim::Order order) {
    bench::BasicHandshake<MaxCap> model(e.cap, e.maxseq, e.maxretry);
    sim::Explorer<bench::BasicHandshake<MaxCap>> explorer(model);
    if (order == sim::Order::DepthFirst) explorer.depth_first();
    return explorer.run();
}

template <std::size_t MaxCap>
void check_against_spin(const Expected& e) {
    SCOPED_TRACE("CAP=" + std::to_string(e.cap) + " MAXSEQ=" + std::to_string(e.maxseq) +
                 " MAXRETRY=" + std::to_string(e.maxretry) + " record width " + std::to_string(MaxCap));
    const sim::Report bfs = explore<MaxCap>(e, sim::Order::BreadthFirst);
    const sim::Report dfs = explore<MaxCap>(e, sim::Order::DepthFirst);
    EXPECT_EQ(bfs.states, e.spin_stored - 1);
    EXPECT_EQ(bfs.transitions, e.spin_transitions - 2);
    EXPECT_EQ(dfs.states, bfs.states);
    EXPECT_EQ(dfs.transitions, bfs.transitions);
    // Every Promela assertion holds, and no state is an invalid end state.
    EXPECT_EQ(bfs.verdict(), sim::Verdict::Pass);
    EXPECT_EQ(dfs.verdict(), sim::Verdict::Pass);
    for (const auto& p : bfs.properties) EXPECT_EQ(p.status, sim::Status::Holds) << p.name;
}

TEST(HandshakeCounts, MatchSpinInBothOrders) {
    for (const auto& e : kSpin) check_against_spin<4>(e);
}

// The record's width (MaxCap) must not matter: unused slots stay zero.
TEST(HandshakeCounts, WiderRecordsMatchSpinToo) {
    check_against_spin<8>(kSpin[1]);
    check_against_spin<8>(kSpinCap5);
}

TEST(HandshakeCounts, StateIsARawByteRecord) {
    static_assert(sim::hashed_as_bytes_v<bench::Handshake::State>);
    EXPECT_EQ(sizeof(bench::Handshake::State), 30u);  // 2 x 6 endpoint bytes + 2 x (4 x 2 + 1) channel bytes
}

// The assertions are live: a DATA out of order, or before AUTH, fails them.
TEST(HandshakeCounts, AssertionsRejectBadSteps) {
    const bench::Handshake model;
    bench::Handshake::State s{};
    s.ep[0].ist = bench::I_AUTHED;
    s.ep[0].rcvd = 1;
    s.link[0].slot[0] = {bench::M_DATA, 2};  // expected seq 1
    s.link[0].len = 1;
    const bench::Handshake::Action recv{0, bench::Option::RecvData};
    const auto next = model.next_state(s, recv);
    ASSERT_TRUE(next.has_value());
    EXPECT_EQ(next->link[0].len, 0);
    EXPECT_EQ(next->link[0].slot[0].type, bench::M_NONE);  // the vacated slot is cleared
    int failed = 0;
    for (const auto& p : model.properties()) {
        const bool ok = p.step_holds(model, s, recv, *next);
        if (!ok) {
            EXPECT_EQ(p.name, "data-in-order");
            ++failed;
        }
    }
    EXPECT_EQ(failed, 1);
    s.ep[0].ist = bench::I_OPENED;
    failed = 0;
    for (const auto& p : model.properties()) failed += !p.step_holds(model, s, recv, *next);
    EXPECT_EQ(failed, 2);  // data-after-auth as well
}

TEST(HandshakeCounts, RejectsParametersThatOverflowTheRecord) {
    EXPECT_THROW(bench::Handshake(5, 40, 3), std::invalid_argument);
    EXPECT_THROW(bench::Handshake(0, 40, 3), std::invalid_argument);
    EXPECT_THROW(bench::Handshake(4, 256, 3), std::invalid_argument);
    EXPECT_THROW(bench::Handshake(4, 40, 255), std::invalid_argument);
}

}  // namespace
