// Unexpected elements are protocol violations: the no-row path and the all-guards-reject path.
#include "test_support.hpp"

namespace bidilab::model::test {
namespace {

using IS = InitiatingStream::State;
using RS = ReceivingStream::State;
namespace f = feature;

TEST(Violation, CORE_10_NoRowIsReportedNotIgnored) {
    const ServerPolicy p = capulet();
    InitiatingStream i = InitiatingStream::initial(kCapulet, kMontague);
    Context ctx(p);
    i.deliver(Element::tcp_connected(), ctx);
    i.deliver(Element::stream_open(kMontague, kCapulet, 1), ctx);
    ASSERT_EQ(i.state(), IS::AwaitingFeatures);
    ASSERT_FALSE(InitiatingStream::has_row(IS::AwaitingFeatures, ElementKind::Stanza));
    const InitiatingStream before = i;
    const Outcome o = i.deliver(Element::stanza(kMontague, kCapulet, 1), ctx);
    EXPECT_EQ(o.verdict, Verdict::NoTransition);
    EXPECT_TRUE(o.violation());
    EXPECT_EQ(o.condition, Condition::NotAuthorized);
    EXPECT_STREQ(o.rules, "CORE-10, CORE-54, BIDI-5");
    EXPECT_STREQ(o.state, "AwaitingFeatures");
    EXPECT_EQ(i, before);        // unchanged
    EXPECT_TRUE(ctx.out.empty());  // nothing emitted
    EXPECT_EQ(o.describe(),
              "violation (no row): Stanza in AwaitingFeatures -> not-authorized [CORE-10, CORE-54, BIDI-5]");
}

TEST(Violation, CORE_10_ReceiverRejectsStanzasBeforeAuthentication) {
    const ServerPolicy p = plain(domain_set({kMontague}), 2);
    ReceivingStream r = ReceivingStream::initial();
    Context ctx(p);
    r.deliver(Element::stream_open(kCapulet, kMontague), ctx);
    const Outcome o = r.deliver(Element::stanza(kCapulet, kMontague, 1), ctx);
    EXPECT_EQ(o.verdict, Verdict::NoTransition);
    EXPECT_EQ(o.condition, Condition::NotAuthorized);
}

TEST(Violation, DB_10_AllGuardsRejectIsReportedToo) {
    const ServerPolicy p = capulet();
    InitiatingStream i = InitiatingStream::initial(kCapulet, kMontague);
    Context ctx(p);
    for (const Element& e : {Element::tcp_connected(), Element::stream_open(kMontague, kCapulet, 1),
                             Element::stream_features(f::kDialback)})
        ASSERT_TRUE(i.deliver(e, ctx).handled());
    ASSERT_EQ(i.state(), IS::Established);
    ASSERT_TRUE(InitiatingStream::has_row(IS::Established, ElementKind::DbResult));
    const InitiatingStream before = i;
    // A typed result for a pair we never asked for: every DbResult guard says no.
    const Outcome o = i.deliver(Element::db_result(kVerona, kCapulet, DbType::Valid), ctx);
    EXPECT_EQ(o.verdict, Verdict::GuardsRejected);
    EXPECT_TRUE(o.violation());
    EXPECT_EQ(o.condition, Condition::NotAuthorized);
    EXPECT_EQ(i, before);
    EXPECT_TRUE(ctx.out.empty());
}

TEST(Violation, RW_3_DB_21_TypedVerifyOnAReceivingStreamIsRejected) {
    const ServerPolicy p = plain(domain_set({kMontague}), 2);
    ReceivingStream r = ReceivingStream::initial();
    Context ctx(p);
    r.deliver(Element::stream_open(kCapulet, kMontague), ctx);
    const Outcome o = r.deliver(Element::db_verify(kCapulet, kMontague, 1, DbType::Valid), ctx);
    EXPECT_EQ(o.verdict, Verdict::GuardsRejected);
    EXPECT_STREQ(o.rules, "DB-21, DB-18");
}

TEST(Violation, CORE_19_ElementsAfterCloseAreDiscardedNotViolations) {
    const ServerPolicy p = capulet();
    InitiatingStream i = InitiatingStream::initial(kCapulet, kMontague);
    Context ctx(p);
    i.deliver(Element::tcp_connected(), ctx);
    i.deliver(Element::stream_close(), ctx);
    ASSERT_EQ(i.state(), IS::Closed);
    const Outcome o = i.deliver(Element::stanza(kMontague, kCapulet, 1), ctx);
    EXPECT_EQ(o.verdict, Verdict::AfterClose);
    EXPECT_FALSE(o.violation());
}

TEST(Violation, CORE_23_AbortSendsTheErrorAndCloses) {
    const ServerPolicy p = plain(domain_set({kMontague}), 2);
    ReceivingStream r = ReceivingStream::initial();
    Context ctx(p);
    r.deliver(Element::stream_open(kCapulet, kMontague), ctx);
    const Outcome o = r.deliver(Element::stanza(kCapulet, kMontague, 1), ctx);
    r.abort(o.condition, ctx);
    EXPECT_EQ(r.state(), RS::Closed);
    EXPECT_EQ(xml_of(outputs(ctx)), xml_of({Element::stream_error(Condition::NotAuthorized), Element::stream_close()}));
}

TEST(Violation, LocalCommandsOutOfOrderAreRefusedWithoutAStreamError) {
    const ServerPolicy p = capulet();
    InitiatingStream i = InitiatingStream::initial(kCapulet, kMontague);
    Context ctx(p);
    const Outcome o = i.deliver(Element::send_stanza(kCapulet, kMontague, 1), ctx);
    EXPECT_EQ(o.verdict, Verdict::NoTransition);
    EXPECT_EQ(o.condition, Condition::None);
    EXPECT_EQ(o.describe().rfind("refused", 0), 0u);
    // Outputs are never inputs.
    EXPECT_EQ(i.deliver(Element::pair_outcome(kCapulet, kMontague, DbType::Valid), ctx).verdict, Verdict::NoTransition);
}

}  // namespace
}  // namespace bidilab::model::test
