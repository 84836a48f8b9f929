// tests/model/test_support.hpp — the test world (domains, policies) and two
// harnesses: a step runner for one machine fed by hand, and a Link that wires
// an initiating and a receiving stream over two FIFOs, does the TLS handshake
// and answers verification requests from the authorities' policies.
#pragma once

#include <gtest/gtest.h>

#include <deque>
#include <map>
#include <string>
#include <vector>

#include "model/initiating_stream.hpp"
#include "model/receiving_stream.hpp"

namespace bidilab::model::test {

constexpr DomainId kCapulet = 1, kMontague = 2, kConference = 3, kVerona = 4;

inline NameTable world_names() {
    NameTable n({"capulet.lit", "montague.lit", "conference.montague.lit", "verona.lit"});
    n.name_secret(1, "capulet");
    n.name_secret(2, "montague");
    n.name_secret(3, "verona");
    return n;
}

// capulet.lit: TLS offered, trusted certificate for capulet.lit.
inline ServerPolicy capulet() {
    ServerPolicy p;
    p.hosted = domain_set({kCapulet});
    p.secret = 1;
    p.tls = TlsPolicy::Offered;
    p.has_certificate = p.certificate_trusted = true;
    p.certificate_names = domain_set({kCapulet});
    return p;
}
// montague.lit + conference.montague.lit: TLS required, certificate for montague.lit.
inline ServerPolicy montague() {
    ServerPolicy p;
    p.hosted = domain_set({kMontague, kConference});
    p.secret = 2;
    p.tls = TlsPolicy::Required;
    p.has_certificate = p.certificate_trusted = true;
    p.certificate_names = domain_set({kMontague});
    return p;
}
// A server without TLS (the dialback capture): no certificate.
inline ServerPolicy plain(DomainSet hosted, SecretId secret) {
    ServerPolicy p;
    p.hosted = hosted;
    p.secret = secret;
    p.tls = TlsPolicy::None;
    return p;
}
// Prosody 0.12 as in the captures: no dialback error support (RW-19).
inline ServerPolicy prosody(ServerPolicy p) {
    p.dialback_errors = false;
    return p;
}

// The two servers of the dialback capture, without TLS: capulet.lit as
// Prosody 0.12 (no dialback errors), montague.lit with its conference domain.
inline const ServerPolicy kCapuletPlain = prosody(plain(domain_set({kCapulet}), 1));
inline const ServerPolicy kMontaguePlain = plain(domain_set({kMontague, kConference}), 2);

inline std::vector<Element> outputs(const Context& c) { return {c.out.begin(), c.out.end()}; }
// DB-33: a header as a server without dialback writes it (no xmlns:db).
inline Element without_dialback_ns(Element header) {
    header.flags |= Element::kNoDialbackNs;
    return header;
}

// Does some line of a transcript contain `text`?
inline bool contains_text(const std::vector<std::string>& lines, const std::string& text) {
    for (const auto& l : lines)
        if (l.find(text) != std::string::npos) return true;
    return false;
}

// Feeds `in` to a fresh initiating stream capulet.lit → montague.lit; each must fire a row.
inline InitiatingStream initiator_after(const ServerPolicy& p, const std::vector<Element>& in) {
    InitiatingStream i = InitiatingStream::initial(kCapulet, kMontague);
    Context ctx(p);
    for (const Element& e : in) EXPECT_TRUE(i.deliver(e, ctx).handled()) << kind_name(e.kind);
    return i;
}

inline std::string xml_of(const std::vector<Element>& es) {
    static const NameTable n = world_names();
    std::string s;
    for (const auto& e : es) s += to_xml(e, n) + "\n";
    return s;
}

// One step of a hand-fed machine: the input, the elements it must emit, the state after.
struct Step {
    Element in;
    std::vector<Element> out;
    const char* state;
};

template <class Machine>
void run_steps(Machine& m, const ServerPolicy& p, const std::vector<Step>& steps, StreamId first_id = 1) {
    StreamId next = first_id;
    for (std::size_t i = 0; i < steps.size(); ++i) {
        Context ctx(p, next);
        const Outcome o = m.deliver(steps[i].in, ctx);
        next = ctx.next_stream_id;
        EXPECT_TRUE(o.handled()) << "step " << i << ": " << o.describe();
        EXPECT_EQ(xml_of(outputs(ctx)), xml_of(steps[i].out)) << "step " << i << " (" << kind_name(steps[i].in.kind) << ")";
        EXPECT_STREQ(m.state_name(), steps[i].state) << "step " << i;
        EXPECT_FALSE(ctx.out.overflow());
    }
}

// Two ends of one TCP connection, with the world's authorities.
class Link {
public:
    Link(const ServerPolicy& ip, const ServerPolicy& rp, DomainId from, DomainId to,
         std::vector<const ServerPolicy*> authorities = {})
        : ip_(ip), rp_(rp), i(InitiatingStream::initial(from, to)), authorities_(std::move(authorities)) {
        authorities_.push_back(&ip);
        authorities_.push_back(&rp);
    }

    // Delivers to I (TcpConnected, local commands) and runs until quiet.
    void to_initiator(const Element& e) { deliver_i(e); run(); }
    void to_receiver(const Element& e) { deliver_r(e); run(); }
    void connect() { to_initiator(Element::tcp_connected()); }

    void run() {
        for (int guard = 0; guard < 1000; ++guard) {
            if (!to_r_.empty()) {
                Element e = to_r_.front(); to_r_.pop_front(); deliver_r(e);
            } else if (!to_i_.empty()) {
                Element e = to_i_.front(); to_i_.pop_front(); deliver_i(e);
            } else if (i.state() == InitiatingStream::State::AwaitingTlsHandshake &&
                       r.state() == ReceivingStream::State::AwaitingTlsHandshake) {
                transcript.push_back("-- TLS handshake");
                deliver_r(Element::tls_done(ip_.trusted_names()));
                deliver_i(Element::tls_done(rp_.trusted_names()));
            } else if (!pending_verify_.empty()) {
                Element n = pending_verify_.front(); pending_verify_.pop_front();
                deliver_r(Element::verify_outcome(n.from, n.to, n.id, authority_verdict(n)));
            } else {
                return;
            }
        }
        ADD_FAILURE() << "Link did not settle";
    }

    // The verdict the authority of n.from gives for n.key (DB-30).
    DbType authority_verdict(const Element& n) const {
        for (const ServerPolicy* a : authorities_)
            if (a->hosts(n.from)) return key_is_valid(Element::send_verify_for(n), *a) ? DbType::Valid : DbType::Invalid;
        return DbType::Error;
    }

    bool hold_verifications = false;  // keep VerifyNeeded in `verify_requests` instead of answering
    const ServerPolicy& ip_;
    const ServerPolicy& rp_;
    InitiatingStream i;
    ReceivingStream r = ReceivingStream::initial();
    StreamId next_id = 1;
    std::vector<std::string> transcript;         // "I: <xml>", "R: <xml>"
    std::vector<Element> i_events, r_events;     // non-wire outputs
    std::vector<Element> verify_requests;        // held VerifyNeeded
    std::vector<Outcome> violations;

private:
    void deliver_i(const Element& e) {
        Context c(ip_, next_id);
        Outcome o = i.deliver(e, c);
        next_id = c.next_stream_id;
        if (o.violation()) violations.push_back(o);
        EXPECT_FALSE(c.out.overflow());
        for (const Element& x : c.out) route(x, true);
    }
    void deliver_r(const Element& e) {
        Context c(rp_, next_id);
        Outcome o = r.deliver(e, c);
        next_id = c.next_stream_id;
        if (o.violation()) violations.push_back(o);
        EXPECT_FALSE(c.out.overflow());
        for (const Element& x : c.out) route(x, false);
    }
    void route(const Element& x, bool from_i) {
        static const NameTable n = world_names();
        if (is_wire(x.kind)) {
            transcript.push_back(std::string(from_i ? "I: " : "R: ") + to_xml(x, n));
            (from_i ? to_r_ : to_i_).push_back(x);
        } else if (x.kind == ElementKind::VerifyNeeded && !from_i && !hold_verifications) {
            r_events.push_back(x);
            pending_verify_.push_back(x);
        } else if (x.kind == ElementKind::VerifyNeeded) {
            (from_i ? i_events : r_events).push_back(x);
            verify_requests.push_back(x);
        } else {
            (from_i ? i_events : r_events).push_back(x);
        }
    }

    std::vector<const ServerPolicy*> authorities_;
    std::deque<Element> to_r_, to_i_, pending_verify_;
};

}  // namespace bidilab::model::test
