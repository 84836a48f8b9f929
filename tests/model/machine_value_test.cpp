// The machines as values: copy, compare, hash, restore; their tables as data.
#include "test_support.hpp"

#include <random>
#include <set>

namespace bidilab::model::test {
namespace {

using IS = InitiatingStream::State;
using RS = ReceivingStream::State;

// Records what encode() feeds a hasher.
struct ByteHasher {
    std::vector<unsigned char> bytes;
    template <class T>
    void value(T v) {
        const auto* p = reinterpret_cast<const unsigned char*>(&v);
        bytes.insert(bytes.end(), p, p + sizeof v);
    }
};
template <class T>
std::vector<unsigned char> encoded(const T& x) {
    ByteHasher h;
    hash_append(h, x);
    return h.bytes;
}

TEST(MachineValue, CopiesAreIndependentSnapshots) {
    const ServerPolicy ip = prosody(plain(domain_set({kCapulet}), 1));
    const ServerPolicy rp = plain(domain_set({kMontague, kConference}), 2);
    Link link(ip, rp, kCapulet, kMontague);
    link.connect();
    const InitiatingStream snapshot = link.i;
    const ReceivingStream rsnap = link.r;
    link.to_initiator(Element::request_pair(kCapulet, kConference));
    EXPECT_NE(link.i, snapshot);
    EXPECT_NE(link.r, rsnap);
    EXPECT_EQ(snapshot.pair(kCapulet, kConference), PairState::Idle);
    // Restoring: assigning the snapshot back gives the old behaviour again.
    link.i = snapshot;
    link.r = rsnap;
    link.to_initiator(Element::request_pair(kCapulet, kConference));
    EXPECT_EQ(link.i.pair(kCapulet, kConference), PairState::Valid);
    EXPECT_TRUE(link.violations.empty());
}

TEST(MachineValue, EncodeAgreesWithEquality) {
    const InitiatingStream a = InitiatingStream::initial(kCapulet, kMontague);
    InitiatingStream b = InitiatingStream::initial(kCapulet, kMontague);
    EXPECT_EQ(encoded(a), encoded(b));
    const ServerPolicy p = capulet();
    Context ctx(p);
    b.deliver(Element::tcp_connected(), ctx);
    EXPECT_NE(encoded(a), encoded(b));
    EXPECT_EQ(encoded(ReceivingStream::initial()), encoded(ReceivingStream::initial()));
    EXPECT_EQ(encoded(Element::bidi()), encoded(Element::bidi()));
    EXPECT_EQ(sizeof(InitiatingStream), 56u);
    EXPECT_EQ(sizeof(ReceivingStream), 44u);
}

TEST(MachineValue, StateNamesFollowTheMsmIds) {
    const char* inames[] = {"AwaitingConnection", "AwaitingStreamOpen", "AwaitingFeatures", "AwaitingProceed",
                            "AwaitingTlsHandshake", "AwaitingSaslResult", "Established", "Closed"};
    for (int s = 0; s < InitiatingStream::kStateCount; ++s)
        EXPECT_STREQ(InitiatingStream::state_name(static_cast<IS>(s)), inames[s]);
    const char* rnames[] = {"AwaitingStreamOpen", "AwaitingNegotiation", "AwaitingTlsHandshake", "Established", "Closed"};
    for (int s = 0; s < ReceivingStream::kStateCount; ++s)
        EXPECT_STREQ(ReceivingStream::state_name(static_cast<RS>(s)), rnames[s]);
}

template <class M>
void check_table(const std::vector<TransitionRow>& rows, int state_count) {
    std::set<std::string> states;
    for (int s = 0; s < state_count; ++s) states.insert(M::state_name(static_cast<typename M::State>(s)));
    for (const auto& r : rows) {
        EXPECT_TRUE(states.count(r.source)) << r.source;
        EXPECT_TRUE(states.count(r.target)) << r.target;
        EXPECT_NE(r.source, "Closed");  // Closed is terminal
        EXPECT_FALSE(r.event.empty());
        EXPECT_FALSE(r.action.empty());
        EXPECT_FALSE(r.guard.empty());
    }
    // No catch-all: a (source, event) pair with several rows needs a guard on each.
    for (const auto& a : rows)
        for (const auto& b : rows)
            if (&a != &b && a.source == b.source && a.event == b.event) {
                EXPECT_NE(a.guard, "none") << a.source << " " << a.event;
                EXPECT_NE(a.guard, b.guard) << a.source << " " << a.event;
            }
    EXPECT_LE(rows.size(), 50u);  // design.md: no machine past ~50 rows
}

TEST(MachineValue, TransitionTablesAreDataFromTheMsmTypes) {
    const auto& i = InitiatingStream::transition_table();
    ASSERT_EQ(i.size(), 43u);
    EXPECT_EQ(i[0], (TransitionRow{"AwaitingConnection", "TcpConnected", "AwaitingStreamOpen", "SendStreamOpen", "none"}));
    EXPECT_EQ(i[1], (TransitionRow{"AwaitingStreamOpen", "StreamOpen", "AwaitingFeatures", "RecordStreamId", "SpeaksVersion1"}));
    EXPECT_EQ(i[2], (TransitionRow{"AwaitingStreamOpen", "StreamOpen", "Established", "StartLegacyDialback",
                                   "LegacyPeerDialback"}));  // CORE-17
    EXPECT_EQ(i[7], (TransitionRow{"AwaitingFeatures", "StreamFeatures", "AwaitingProceed", "SendStartTls", "ChoosesStartTls"}));
    check_table<InitiatingStream>(i, InitiatingStream::kStateCount);
    const auto& r = ReceivingStream::transition_table();
    ASSERT_EQ(r.size(), 45u);
    EXPECT_EQ(r[4], (TransitionRow{"AwaitingStreamOpen", "StreamOpen", "AwaitingNegotiation", "SendLegacyHeader",
                                   "OpensLegacyStream"}));  // CORE-17
    EXPECT_EQ(r[12], (TransitionRow{"AwaitingNegotiation", "Bidi", "AwaitingNegotiation", "EnableBidi", "OfferedBidi"}));
    check_table<ReceivingStream>(r, ReceivingStream::kStateCount);
}

TEST(MachineValue, HasRowMatchesTheTable) {
    EXPECT_TRUE(InitiatingStream::has_row(IS::AwaitingFeatures, ElementKind::StreamFeatures));
    EXPECT_FALSE(InitiatingStream::has_row(IS::AwaitingFeatures, ElementKind::DbResult));
    EXPECT_FALSE(InitiatingStream::has_row(IS::Closed, ElementKind::StreamClose));
    EXPECT_TRUE(ReceivingStream::has_row(RS::AwaitingNegotiation, ElementKind::Bidi));
    EXPECT_FALSE(ReceivingStream::has_row(RS::Established, ElementKind::Bidi));
    int rows = 0;
    for (int s = 0; s < InitiatingStream::kStateCount; ++s)
        for (int k = 0; k < kElementKindCount; ++k)
            rows += InitiatingStream::has_row(static_cast<IS>(s), static_cast<ElementKind>(k));
    EXPECT_EQ(rows, 25);  // distinct (source, event) pairs of the 43 rows
}

}  // namespace
}  // namespace bidilab::model::test

namespace bidilab::model::test {
namespace {

// A seeded random walk of arbitrary elements into both machines: every
// rejection leaves the value untouched and emits nothing, has_row agrees with
// what MSM does, and no delivery overflows the outbox.
TEST(MachineValue, RandomElementsKeepTheInvariants) {
    std::mt19937 rng(20240611);
    auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
    auto random_element = [&] {
        Element e;
        e.kind = static_cast<ElementKind>(pick(kElementKindCount));
        e.from = static_cast<DomainId>(pick(5));
        e.to = static_cast<DomainId>(pick(5));
        e.id = static_cast<StreamId>(pick(4));
        e.type = static_cast<DbType>(pick(4));
        e.features = static_cast<Features>(pick(64));
        e.authzid = static_cast<DomainId>(pick(3));
        e.cert_names = static_cast<DomainSet>(pick(32));
        e.key = Key{static_cast<StreamId>(pick(4)), static_cast<SecretId>(pick(3)), static_cast<DomainId>(pick(5)),
                    static_cast<DomainId>(pick(5)), 0};
        return e;
    };
    const ServerPolicy policies[] = {capulet(), montague(), plain(domain_set({kMontague, kConference}), 2)};
    int handled = 0;
    for (int run = 0; run < 400; ++run) {
        const ServerPolicy& p = policies[run % 3];
        InitiatingStream i = InitiatingStream::initial(kCapulet, kMontague);
        ReceivingStream r = ReceivingStream::initial();
        StreamId next = 1;
        for (int step = 0; step < 60; ++step) {
            const Element e = random_element();
            {
                const InitiatingStream before = i;
                Context ctx(p, next);
                const Outcome o = i.deliver(e, ctx);
                next = ctx.next_stream_id;
                EXPECT_FALSE(ctx.out.overflow());
                if (before.state() != InitiatingStream::State::Closed) {
                    EXPECT_EQ(o.handled() || o.verdict == Verdict::GuardsRejected,
                              InitiatingStream::has_row(before.state(), e.kind));
                }
                if (!o.handled()) {
                    EXPECT_EQ(i, before);
                    EXPECT_TRUE(ctx.out.empty());
                } else {
                    ++handled;
                }
            }
            {
                const ReceivingStream before = r;
                Context ctx(p, next);
                const Outcome o = r.deliver(e, ctx);
                next = ctx.next_stream_id;
                EXPECT_FALSE(ctx.out.overflow());
                if (before.state() != ReceivingStream::State::Closed) {
                    EXPECT_EQ(o.handled() || o.verdict == Verdict::GuardsRejected,
                              ReceivingStream::has_row(before.state(), e.kind));
                }
                if (!o.handled()) {
                    EXPECT_EQ(r, before);
                    EXPECT_TRUE(ctx.out.empty());
                } else {
                    ++handled;
                }
            }
            if (::testing::Test::HasFailure()) return;
        }
    }
    EXPECT_GT(handled, 400);
}

}  // namespace
}  // namespace bidilab::model::test
