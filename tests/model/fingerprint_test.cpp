// model/world.hpp hash_append: the bytes a world's fingerprint hashes are
// written in place (copied whole, then renamed in the hasher's buffer) for
// speed; they must be the bytes of the definition, a renamed copy of each
// machine and element appended one after another. Compared on every
// reachable world of every shipped topology and mutant (up to a bound each),
// and on worlds whose db:verify requests are still unanswered, the one place
// where renaming reorders.
#include <gtest/gtest.h>

#include "model/world.hpp"
#include "model/xmpp_model.hpp"
#include "sim/fingerprint.hpp"
#include "support/library.hpp"
#include "support/reachable_worlds.hpp"

namespace bidilab::model {
namespace {

// The definition: each machine and element renamed as a copy, appended
// whole; the records as hash_append appends them.
std::uint64_t fingerprint_by_definition(const World& w) {
    sim::Hasher h;
    const CanonicalLabels L(w);
    auto rename = [&L](StreamId id) { return L.stream(id); };
    h.value(static_cast<std::uint8_t>(w.connections.size()));
    for (const auto& c : w.connections) {
        h.value(c.initiator);
        h.value(c.receiver);
        append_object(h, c.i.with_streams_renamed(rename));
        append_object(h, c.r.with_streams_renamed(rename));
        h.value(static_cast<std::uint8_t>(c.to_receiver.size()));
        for (const auto& e : c.to_receiver) append_object(h, L.element(e));
        h.value(static_cast<std::uint8_t>(c.to_initiator.size()));
        for (const auto& e : c.to_initiator) append_object(h, L.element(e));
    }
    hash_append_records(h, w, L);
    return h.digest();
}

TEST(Fingerprint, HashesTheBytesOfTheDefinitionOnEveryReachableWorld) {
    std::size_t worlds = 0, with_pending_verifies = 0;
    for (const auto& file : test_support::library_files()) {
        const auto t = test_support::load_library_topology(file);
        const XmppModel m(make_scenario(t));
        test_support::each_reachable_state(m, 40000, [&](const World& w, std::size_t) {
            ASSERT_EQ(sim::fingerprint(w), fingerprint_by_definition(w)) << t.name;
            ++worlds;
            for (const auto& c : w.connections)
                if (c.i.data().verifies.size() != 0) {
                    ++with_pending_verifies;
                    break;
                }
        });
    }
    EXPECT_GT(worlds, 100000u);
    EXPECT_GT(with_pending_verifies, 1000u);  // the renamed, re-sorted requests were compared too
}

}  // namespace
}  // namespace bidilab::model
