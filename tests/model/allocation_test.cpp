// A step that allocates nothing in the steady state: once its buffers have
// grown (a first pass over the same states), computing every successor of a
// state into kept Worlds, fingerprinting it and putting its connections in
// canonical order calls operator new not once. Its own program, since it
// replaces the global operator new to count.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <vector>

#include "model/world_codec.hpp"
#include "model/xmpp_model.hpp"
#include "sim/fingerprint.hpp"
#include "support/reachable_worlds.hpp"
#include "topologies/topology.hpp"

namespace {
std::atomic<std::size_t> allocations{0};
}

void* operator new(std::size_t n) {
    allocations.fetch_add(1, std::memory_order_relaxed);
    if (void* p = std::malloc(n ? n : 1)) return p;
    throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return operator new(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

namespace bidilab::model {
namespace {

// The first `n` reachable worlds of a topology, breadth-first.
std::vector<World> first_worlds(const XmppModel& m, std::size_t n) {
    std::vector<World> out;
    test_support::each_reachable_state(m, n, [&](const World& w, std::size_t) { out.push_back(w); });
    return out;
}

TEST(Allocation, NoneInTheSteadyStateOfAStep) {
    for (const char* name : {"xep0288-example5.json", "three-servers-muc.json", "multiplexing.json"}) {
        const XmppModel m(make_scenario(topologies::load_topology(topologies::shipped_topologies_dir() / name)));
        const auto worlds = first_worlds(m, 3000);
        std::vector<World> slots(16);
        std::vector<Action> enabled;
        std::vector<unsigned char> bytes;
        World decoded;
        std::size_t steps = 0;
        std::uint64_t sum = 0;
        auto pass = [&] {
            for (const World& w : worlds) {
                enabled.clear();
                m.actions(w, enabled);
                for (std::size_t a = 0; a < enabled.size() && a < slots.size(); ++a) {
                    m.next_state(w, enabled[a], slots[a]);
                    sum += sim::fingerprint(slots[a]);
                    bytes.clear();
                    m.encode(slots[a], bytes);
                    m.decode(bytes.data(), bytes.size(), decoded);
                    ++steps;
                }
            }
        };
        pass();  // buffers grow
        const std::size_t before = allocations.load();
        steps = 0;
        pass();
        const std::size_t during = allocations.load() - before;
        EXPECT_GT(steps, 5000u) << name;
        EXPECT_EQ(during, 0u) << name << ": " << during << " allocations in " << steps << " steps";
        EXPECT_NE(sum, 0u);
    }
}

}  // namespace
}  // namespace bidilab::model
