// Which transition-table rows a delivery fired (Outcome::row) and which rows
// a run took (RowCoverage, `bidilab check --coverage`).
#include <gtest/gtest.h>

#include <deque>
#include <set>
#include <string>
#include <tuple>

#include "model/row_coverage.hpp"
#include "model/xmpp_model.hpp"
#include "properties/catalogue.hpp"
#include "properties/quirks.hpp"
#include "sim/explorer.hpp"
#include "test_support.hpp"
#include "topologies/topology.hpp"

namespace bidilab::model {
namespace {

using properties::CheckedModel;

// The index of the row with this source, event and guard (the guard names it
// among the rows of one state and event).
int row_of(StreamMachine m, const std::string& source, const std::string& event, const std::string& guard) {
    const auto& table = RowCoverage::table(m);
    for (std::size_t i = 0; i < table.size(); ++i)
        if (table[i].source == source && table[i].event == event && table[i].guard == guard) return static_cast<int>(i);
    ADD_FAILURE() << RowCoverage::name(m) << " has no row " << source << " --" << event << " [" << guard << "]";
    return -1;
}

RowCoverage explored(const std::string& file) {
    auto topology = topologies::load_topology(topologies::shipped_topologies_dir() / file,
                                              topologies::LoadOptions::with_known_quirks(properties::quirk_names()));
    CheckedModel model(make_scenario(topology));
    RowCoverage coverage;
    RowCoverage::Scope recording(&coverage);
    const auto report = sim::Explorer<CheckedModel>(model).run();
    EXPECT_TRUE(report.complete) << file;
    return coverage;
}

// A fired row is named by its source, event, target and guard (the guard that
// passed records it), or, without a guard, by source, event and target (found
// from the states before and after): neither may repeat in a table.
TEST(RowCoverage, EveryRowOfEachTableCanBeNamed) {
    for (StreamMachine m : kStreamMachines) {
        std::set<std::tuple<std::string, std::string, std::string, std::string>> named;
        std::set<std::tuple<std::string, std::string, std::string>> unguarded;
        for (const auto& r : RowCoverage::table(m)) {
            EXPECT_TRUE(named.insert({r.source, r.event, r.target, r.guard}).second)
                << RowCoverage::name(m) << ": two rows " << r.source << " --" << r.event << " [" << r.guard << "]--> "
                << r.target;
            if (r.guard == "none") {
                EXPECT_TRUE(unguarded.insert({r.source, r.event, r.target}).second)
                    << RowCoverage::name(m) << ": two unguarded rows " << r.source << " --" << r.event << "--> "
                    << r.target;
            }
        }
        EXPECT_GT(named.size(), 30u) << RowCoverage::name(m);
    }
}

// CORE-6: the unguarded row of the TCP connect; CORE-2: the guarded row that
// opens the response stream; CORE-10: a refused element fires no row.
TEST(RowCoverage, AddTakesTheOtherRowsAndSaysWhetherOneWasNew) {
    RowCoverage a, b;
    a.take(StreamMachine::Initiating, 0);
    b.take(StreamMachine::Initiating, 0);
    b.take(StreamMachine::Receiving, 2);
    EXPECT_EQ(a.taken_total(), 1u);
    EXPECT_TRUE(a.add(b));
    EXPECT_TRUE(a.taken(StreamMachine::Receiving, 2));
    EXPECT_EQ(a.taken_total(), 2u);
    EXPECT_FALSE(a.add(b));  // nothing new the second time
    EXPECT_EQ(b.taken_total(), 2u);
}

TEST(RowCoverage, CORE_6_CORE_2_CORE_10_DeliveryNamesTheRowThatFired) {
    const ServerPolicy cap = test::capulet(), mon = test::montague();
    InitiatingStream i = InitiatingStream::initial(test::kCapulet, test::kMontague);
    Context c1(cap);
    Outcome o = i.deliver(Element::tcp_connected(), c1);
    ASSERT_TRUE(o.handled());
    EXPECT_EQ(o.row, row_of(StreamMachine::Initiating, "AwaitingConnection", "TcpConnected", "none"));

    ReceivingStream r = ReceivingStream::initial();
    Context c2(mon);
    o = r.deliver(c1.out[0], c2);
    ASSERT_TRUE(o.handled());
    EXPECT_EQ(o.row, row_of(StreamMachine::Receiving, "AwaitingStreamOpen", "StreamOpen", "OpensStream"));

    // A stanza before authentication is refused (CORE-10): no row fired.
    Context c3(mon);
    o = r.deliver(Element::stanza(test::kCapulet, test::kMontague, 0), c3);
    EXPECT_TRUE(o.violation());
    EXPECT_EQ(o.row, -1);
}

TEST(RowCoverage, OnlyDeliveriesInsideARecordingScopeAreMarked) {
    const ServerPolicy cap = test::capulet();
    const int connect = row_of(StreamMachine::Initiating, "AwaitingConnection", "TcpConnected", "none");
    auto connect_once = [&] {
        InitiatingStream i = InitiatingStream::initial(test::kCapulet, test::kMontague);
        Context c(cap);
        i.deliver(Element::tcp_connected(), c);
    };
    RowCoverage coverage;
    connect_once();  // no scope
    {
        RowCoverage::Scope recording(&coverage);
        {
            RowCoverage::Scope probing(nullptr);  // as the attacker's probes
            connect_once();
        }
        EXPECT_EQ(coverage.taken_count(StreamMachine::Initiating), 0u);
        connect_once();
    }
    connect_once();
    EXPECT_EQ(coverage.taken_count(StreamMachine::Initiating), 1u);
    EXPECT_TRUE(coverage.taken(StreamMachine::Initiating, connect));
    EXPECT_EQ(coverage.taken_count(StreamMachine::Receiving), 0u);
    EXPECT_EQ(coverage.never_taken(StreamMachine::Initiating).size(), coverage.rows(StreamMachine::Initiating) - 1);
}

// BIDI-8: a compliant exploration never takes the quirk's row; the mutant's does.
TEST(RowCoverage, BIDI_8_RejectReverseDialbackRowOnlyInItsMutant) {
    const int connect = row_of(StreamMachine::Initiating, "AwaitingConnection", "TcpConnected", "none");
    const int reject = row_of(StreamMachine::Initiating, "Established", "DbResult", "RejectsReverseRequest");
    const int unsolicited = row_of(StreamMachine::Initiating, "Established", "DbResult", "AcceptsUnsolicitedResult");
    const int open = row_of(StreamMachine::Receiving, "AwaitingStreamOpen", "StreamOpen", "OpensStream");
    const int verify_back =
        row_of(StreamMachine::Receiving, "Established", "SendVerify", "VerifiesOnRequestConnection");

    const RowCoverage clean = explored("capulet-montague.json");
    EXPECT_TRUE(clean.taken(StreamMachine::Initiating, connect));
    EXPECT_TRUE(clean.taken(StreamMachine::Receiving, open));
    EXPECT_FALSE(clean.taken(StreamMachine::Initiating, reject));
    EXPECT_FALSE(clean.taken(StreamMachine::Initiating, unsolicited));
    EXPECT_FALSE(clean.taken(StreamMachine::Receiving, verify_back));
    for (StreamMachine m : kStreamMachines) {
        EXPECT_GT(clean.taken_count(m), 0u);
        EXPECT_EQ(clean.taken_count(m) + clean.never_taken(m).size(), clean.rows(m));
    }

    const RowCoverage mutant = explored("mutants/reject-reverse-dialback.json");
    EXPECT_TRUE(mutant.taken(StreamMachine::Initiating, reject));
}

// The attacker's probes (would the victim refuse this forgery?) run copies of
// the victim's machines; they are no step of the run and mark nothing.
TEST(RowCoverage, BIDI_11_TheAttackersProbesAreNotCounted) {
    auto topology = topologies::load_topology(topologies::shipped_topologies_dir() / "attack-unsolicited-dialback.json");
    const CheckedModel model(make_scenario(topology));
    std::deque<World> frontier;
    for (auto& w : model.initial_states()) frontier.push_back(w);
    RowCoverage coverage;
    std::size_t forged = 0;
    for (int visited = 0; visited < 300 && !frontier.empty(); ++visited) {
        const World w = frontier.front();
        frontier.pop_front();
        std::vector<Action> actions;
        {
            RowCoverage::Scope recording(&coverage);
            model.actions(w, actions);  // enumerating actions runs the probes, and nothing else
        }
        for (const Action& a : actions) {
            if (a.forged && a.element.kind != ElementKind::StreamOpen) ++forged;
            if (auto next = model.next_state(w, a)) frontier.push_back(*next);
        }
    }
    EXPECT_GT(forged, 0u);  // the probes ran, and the victims took some forgeries
    for (StreamMachine m : kStreamMachines) EXPECT_EQ(coverage.taken_count(m), 0u) << RowCoverage::name(m);
}

}  // namespace
}  // namespace bidilab::model

namespace bidilab::model {
namespace {

// only_with (bidilab probe): a delivery counts only at a machine of another
// server on a connection with the peer; one outside Router::run (no Ends) not.
TEST(RowCoverage, OnlyWithAPeerCountsTheOthersMachinesOnItsConnections) {
    Outcome fired{Verdict::Handled, ElementKind::StreamClose, Condition::None, "", ""};
    RowCoverage everyone, with_1;
    with_1.only_with(1);
    auto deliver = [&](std::size_t row) {
        fired.row = static_cast<std::int16_t>(row);
        for (RowCoverage* c : {&everyone, &with_1}) {
            const RowCoverage::Scope recording(c);
            RowCoverage::note(StreamMachine::Receiving, fired);
        }
    };
    {
        const RowCoverage::Ends ends(0, 1);  // server 0's machine, the peer at the other end
        deliver(3);
    }
    {
        const RowCoverage::Ends ends(1, 0);  // the peer's own machine
        deliver(4);
    }
    {
        const RowCoverage::Ends ends(0, 2);  // a connection without the peer
        deliver(5);
        const RowCoverage::Ends nested(2, 1);  // scopes nest: the inner one counts
        deliver(6);
    }
    deliver(7);  // no Ends
    for (std::size_t row : {3u, 4u, 5u, 6u, 7u}) EXPECT_TRUE(everyone.taken(StreamMachine::Receiving, row)) << row;
    EXPECT_TRUE(with_1.taken(StreamMachine::Receiving, 3));
    EXPECT_TRUE(with_1.taken(StreamMachine::Receiving, 6));
    EXPECT_EQ(with_1.taken_total(), 2u);
}

// On a whole search: what the machines of the others take with one server is
// part of what they take at all, and less than it (they also talk among
// themselves, and that server's own machines run too).
TEST(RowCoverage, OnlyWithAPeerIsASubsetOfTheWholeSearch) {
    auto topology = topologies::load_topology(topologies::shipped_topologies_dir() / "three-servers-muc.json",
                                              topologies::LoadOptions::with_known_quirks(properties::quirk_names()));
    CheckedModel model(make_scenario(topology));
    RowCoverage all, with_0;
    with_0.only_with(0);
    for (RowCoverage* c : {&all, &with_0}) {
        const RowCoverage::Scope recording(c);
        EXPECT_TRUE(sim::Explorer<CheckedModel>(model).run().complete);
    }
    EXPECT_GT(with_0.taken_total(), 0u);
    EXPECT_LT(with_0.taken_total(), all.taken_total());
    for (StreamMachine m : kStreamMachines)
        for (std::size_t row = 0; row < all.rows(m); ++row)
            if (with_0.taken(m, row)) {
                EXPECT_TRUE(all.taken(m, row)) << RowCoverage::name(m) << " row " << row;
            }
}

}  // namespace
}  // namespace bidilab::model
