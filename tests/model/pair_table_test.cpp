// pair_auth and the per-stream pair tables (XEP-0220 §2.6 multiplexing).
#include "model/pair_table.hpp"

#include <gtest/gtest.h>

namespace bidilab::model {
namespace {

TEST(PairAuth, DB_3_DB_10_RowsAndFinalStates) {
    EXPECT_EQ(pair_auth_next(PairState::Idle, PairEvent::Request), PairState::Requested);
    EXPECT_EQ(pair_auth_next(PairState::Idle, PairEvent::Receive), PairState::Verifying);
    EXPECT_EQ(pair_auth_next(PairState::Requested, PairEvent::Valid), PairState::Valid);
    EXPECT_EQ(pair_auth_next(PairState::Verifying, PairEvent::Error), PairState::Error);
    EXPECT_FALSE(pair_auth_next(PairState::Idle, PairEvent::Valid));     // DB-10: unsolicited
    EXPECT_FALSE(pair_auth_next(PairState::Valid, PairEvent::Request));  // DB-3: already valid
    EXPECT_FALSE(pair_auth_next(PairState::Invalid, PairEvent::Request));  // DB-39: new connection
    EXPECT_EQ(pair_auth_table().size(), 8u);
    EXPECT_EQ(pair_auth_table()[0].source, "Idle");
}

TEST(PairTable, DB_40_MultiplexedPairsStaySortedAndCanonical) {
    PairTable a, b;
    EXPECT_TRUE(a.apply(3, 2, PairEvent::Request));
    EXPECT_TRUE(a.apply(1, 2, PairEvent::Request));
    EXPECT_TRUE(b.apply(1, 2, PairEvent::Request));
    EXPECT_TRUE(b.apply(3, 2, PairEvent::Request));
    EXPECT_EQ(a, b);  // insertion order does not matter
    EXPECT_EQ(a[0].sender, 1);
    EXPECT_TRUE(a.apply(1, 2, PairEvent::Valid));
    EXPECT_EQ(a.get(1, 2), PairState::Valid);
    EXPECT_EQ(a.get(3, 2), PairState::Requested);
    EXPECT_EQ(a.get(4, 2), PairState::Idle);
    EXPECT_TRUE(a.valid_sender(1));
    EXPECT_FALSE(a.valid_sender(3));
    EXPECT_TRUE(a.valid_target(2));
    EXPECT_FALSE(a.apply(4, 2, PairEvent::Valid));  // DB-10
}

TEST(PairTable, CapacityIsEnforced) {
    PairTable t;
    for (DomainId s = 1; s <= PairTable::kCapacity; ++s) EXPECT_TRUE(t.apply(s, 9, PairEvent::Request));
    EXPECT_FALSE(t.can_apply(7, 9, PairEvent::Request));
    EXPECT_FALSE(t.apply(7, 9, PairEvent::Request));
    EXPECT_TRUE(t.apply(1, 9, PairEvent::Valid));  // existing pairs still move
}

TEST(PendingVerifies, DB_18_AddRemoveCanonical) {
    PendingVerifies a, b;
    EXPECT_TRUE(a.add(2, 1, 7));
    EXPECT_TRUE(a.add(2, 1, 3));
    EXPECT_FALSE(a.add(2, 1, 3));
    EXPECT_TRUE(b.add(2, 1, 3));
    EXPECT_TRUE(b.add(2, 1, 7));
    EXPECT_EQ(a, b);
    EXPECT_TRUE(a.contains(2, 1, 7));
    EXPECT_FALSE(a.contains(1, 2, 7));
    EXPECT_TRUE(a.remove(2, 1, 7));
    EXPECT_FALSE(a.remove(2, 1, 7));
    EXPECT_TRUE(b.remove(2, 1, 7));
    EXPECT_EQ(a, b);  // removed slots are zeroed again
}

}  // namespace
}  // namespace bidilab::model
