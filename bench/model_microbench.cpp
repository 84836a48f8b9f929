// A tiny micro-benchmark of the stream machines (not a test: never registered
// with ctest). Reports ns per deliver() on a typical handshake step and per
// snapshot round trip (copy the value out, restore it, compare).
#include <chrono>
#include <cstdio>
#include <vector>

#include "model/initiating_stream.hpp"
#include "model/receiving_stream.hpp"

using namespace bidilab::model;
using Clock = std::chrono::steady_clock;

namespace {

template <class F>
double ns_per(int n, F&& f) {
    const auto t0 = Clock::now();
    for (int i = 0; i < n; ++i) f(i);
    return std::chrono::duration<double, std::nano>(Clock::now() - t0).count() / n;
}

volatile unsigned sink;

}  // namespace

int main() {
    ServerPolicy cap;
    cap.hosted = domain_set({1});
    cap.secret = 1;
    cap.tls = TlsPolicy::None;
    ServerPolicy mon = cap;
    mon.hosted = domain_set({2, 3});
    mon.secret = 2;
    const int n = 2'000'000;

    // The whole dialback handshake of the receiving side: 3 deliveries per round.
    const ReceivingStream r0 = ReceivingStream::initial();
    const Element open = Element::stream_open(1, 2), result = Element::db_result(1, 2, Key{1, 1, 1, 2, 0}),
                  verdict = Element::verify_outcome(1, 2, 1, DbType::Valid);
    const double r_ns = ns_per(n, [&](int) {
        ReceivingStream r = r0;
        Context ctx(mon);
        r.deliver(open, ctx);
        r.deliver(result, ctx);
        r.deliver(verdict, ctx);
        sink = sink + r.current_state();
    }) / 3;

    // One delivery that stays in Established (a stanza accepted), from a stored value.
    ReceivingStream est = r0;
    {
        Context ctx(mon);
        est.deliver(open, ctx);
        est.deliver(result, ctx);
        est.deliver(verdict, ctx);
    }
    const Element stanza = Element::stanza(1, 2, 1);
    const double s_ns = ns_per(n, [&](int) {
        ReceivingStream r = est;
        Context ctx(mon);
        r.deliver(stanza, ctx);
        sink = sink + r.current_state();
    });

    // A delivery that is rejected (no row): the cheap path an explorer hits often.
    const Element bidi = Element::bidi();
    const double v_ns = ns_per(n, [&](int) {
        ReceivingStream r = est;
        Context ctx(mon);
        sink = sink + static_cast<unsigned>(r.deliver(bidi, ctx).verdict);
    });

    // Initiating side: connect, header, features (bidi + dialback).
    const InitiatingStream i0 = InitiatingStream::initial(1, 2);
    const Element tcp = Element::tcp_connected(), head = Element::stream_open(2, 1, 1),
                  feats = Element::stream_features(feature::kDialback | feature::kBidi);
    const double i_ns = ns_per(n, [&](int) {
        InitiatingStream i = i0;
        Context ctx(cap);
        i.deliver(tcp, ctx);
        i.deliver(head, ctx);
        i.deliver(feats, ctx);
        sink = sink + i.current_state();
    }) / 3;

    // Snapshot round trip: the value is the snapshot. Store it among others,
    // take it back, compare (the MSM restore itself is inside every deliver).
    std::vector<ReceivingStream> store(1024);
    const double rt_ns = ns_per(n, [&](int k) {
        store[k & 1023] = est;
        ReceivingStream back = store[(k * 7) & 1023];
        sink = sink + (back == est);
    });
    const double cmp_ns = ns_per(n, [&](int) {
        ReceivingStream back = est;
        sink = sink + (back == est);
    });

    std::printf("sizeof InitiatingStream %zu B, ReceivingStream %zu B, Element %zu B\n", sizeof(InitiatingStream),
                sizeof(ReceivingStream), sizeof(Element));
    std::printf("receiving: %.1f ns per deliver (open, db:result, verdict; value copy included)\n", r_ns);
    std::printf("receiving: %.1f ns per accepted stanza from a stored value\n", s_ns);
    std::printf("receiving: %.1f ns per rejected element (no row)\n", v_ns);
    std::printf("initiating: %.1f ns per deliver (connect, header, features -> bidi + db:result)\n", i_ns);
    std::printf("snapshot round trip (store into a 1024-slot table, load another, compare): %.1f ns\n", rt_ns);
    std::printf("snapshot copy + compare: %.1f ns\n", cmp_ns);
    return 0;
}
