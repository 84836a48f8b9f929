// RFC 6120 stream rules checked on the global model: every reachable world and
// every transition of every shipped topology (one sweep, rule_sweep.hpp).
// Each test asserts that its rule's check applied somewhere and never failed.
#include "rule_sweep.hpp"

namespace bidilab::model::test {
namespace {

using properties::Written;
using IS = InitiatingStream::State;
using RS = ReceivingStream::State;
namespace f = feature;

// The element written right after `k` by the same end on the same connection, if any.
const Element* next_written(const properties::StepView& v, std::size_t k) {
    if (k + 1 >= v.written.size()) return nullptr;
    const Written& a = v.written[k];
    const Written& b = v.written[k + 1];
    return (a.after == b.after && a.by_initiator == b.by_initiator) ? &b.element : nullptr;
}
const Element* previous_written(const properties::StepView& v, std::size_t k) {
    if (k == 0) return nullptr;
    const Written& a = v.written[k];
    const Written& b = v.written[k - 1];
    return (a.after == b.after && a.by_initiator == b.by_initiator) ? &b.element : nullptr;
}
bool is(const Element* e, ElementKind k) { return e && e->kind == k; }

// Each step check visits the elements the step wrote.
template <class F>
std::function<void(const Transition&, Tally&)> on_written(F f) {
    return [f](const Transition& s, Tally& t) {
        for (std::size_t k = 0; k < s.v.written.size(); ++k) f(s, k, s.v.written[k], t);
    };
}

// A stanza the step delivered (accepted by the end that read it).
bool accepted_stanza(const Transition& s) {
    const auto& r = s.v.read;
    return r && r->kind == ElementKind::Stanza && r->seq < s.after.stanzas.size() &&
           s.after.stanzas[r->seq].deliveries > s.before.stanzas[r->seq].deliveries;
}

// CORE-53: a domain the initiating end itself has verified for the peer: the
// domain it dialled (DNS, and the certificate when TLS is used: the weak
// verification dialback rests on too, DB-47), a name of R's trusted
// certificate, a reverse pair it validated with its own authority (BIDI-8), or
// a target R answered valid for on this stream (DB-43: same server).
bool initiator_verified(const InitiatingData& d, DomainId dom) {
    return dom == d.to || contains(d.peer_cert, dom) || d.rev.valid_sender(dom) || d.fwd.valid_target(dom);
}

std::vector<RuleCheck> core_checks() {
    std::vector<RuleCheck> c;
    c.push_back({"CORE-2", nullptr, on_written([](const Transition& s, std::size_t k, const Written& w, Tally& t) {
        if (w.by_initiator || w.element.kind != ElementKind::StreamOpen) return;
        if (w.element.no_version()) return;  // a 0.9 stream: no features (CORE-17 below)
        const Element* n = next_written(s.v, k);  // features, or the error of CORE-24
        check(t, is(n, ElementKind::StreamFeatures) || is(n, ElementKind::StreamError), s.where(w.element));
    })});
    c.push_back({"CORE-3", nullptr, on_written([](const Transition& s, std::size_t, const Written& w, Tally& t) {
        if (!w.by_initiator || w.element.kind != ElementKind::Stanza) return;
        const InitiatingData& d = w.after->i.data();
        const bool tls_pending = has(d.features, f::kStartTls | f::kTlsRequired) && !d.has(InitiatingData::kTls);
        const bool sasl_pending = has(d.features, f::kSaslExternal) && !d.has(InitiatingData::kSasl) &&
                                  !d.fwd.any(PairState::Valid);  // dialback replaces SASL (§6.4.1)
        check(t, w.after->i.state() == IS::Established && !tls_pending && !sasl_pending, s.where(w.element));
    })});
    c.push_back({"CORE-5", nullptr, [](const Transition& s, Tally& t) {
        for (const auto& b : s.before.connections) {
            const Connection* a = s.after.connection(b.number);
            const bool i_restarts = (b.i.state() == IS::AwaitingTlsHandshake || b.i.state() == IS::AwaitingSaslResult) &&
                                    a && a->i.state() == IS::AwaitingStreamOpen;
            const bool r_restarts = (b.r.state() == RS::AwaitingTlsHandshake || b.r.state() == RS::AwaitingNegotiation) &&
                                    a && a->r.state() == RS::AwaitingStreamOpen;
            if (!i_restarts && !r_restarts) continue;
            bool closed = a->i.state() == IS::Closed || a->r.state() == RS::Closed;
            for (const auto& w : s.v.written)
                if (w.after == a && (w.element.kind == ElementKind::StreamClose || w.element.kind == ElementKind::StreamError))
                    closed = true;
            check(t, !closed, s.topology + ": " + s.m.describe(s.a) + ": restart closed the stream");
        }
    }});
    c.push_back({"CORE-8", nullptr, [](const Transition& s, Tally& t) {
        const auto& r = s.v.read;
        if (!r || r->kind != ElementKind::StreamOpen || !s.v.read_by_receiver) return;
        const ReceivingData& d = s.v.read_on_before->r.data();
        if (!d.has(ReceivingData::kTls) && !d.has(ReceivingData::kSasl)) return;  // not a restart
        bool header = false, features = false;
        for (std::size_t k = 0; k < s.v.written.size(); ++k)
            if (!s.v.written[k].by_initiator && s.v.written[k].after == s.v.read_on_after &&
                s.v.written[k].element.kind == ElementKind::StreamOpen) {
                header = true;
                features = is(next_written(s.v, k), ElementKind::StreamFeatures);
            }
        check(t, header && features, s.where(*r));
    }});
    c.push_back({"CORE-9", nullptr, on_written([](const Transition& s, std::size_t k, const Written& w, Tally& t) {
        if (w.by_initiator || w.element.kind != ElementKind::StreamFeatures) return;
        // Features only answer a new header, never follow completed negotiation
        // on their own; the last ones (post-SASL) offer nothing further.
        const bool answers_header = is(previous_written(s.v, k), ElementKind::StreamOpen) && w.before &&
                                    w.before->r.state() == RS::AwaitingStreamOpen;
        const bool complete = w.after->r.state() == RS::Established;
        const bool nothing_further = !has(w.element.features, f::kStartTls) &&
                                     !has(w.element.features, f::kSaslExternal) && !has(w.element.features, f::kBidi);
        check(t, answers_header && (!complete || nothing_further), s.where(w.element));
    })});
    // The host-unknown header (CORE-24) is not reached in the shipped
    // topologies: tests/model/addressing_rules_test.cpp feeds it by hand.
    c.push_back({"CORE-13", nullptr, on_written([](const Transition& s, std::size_t, const Written& w, Tally& t) {
        if (w.element.kind != ElementKind::StreamOpen) return;
        const DomainId from = w.element.from;
        const bool own = from != kNoDomain && s.sc().server_of(from) == s.writer(w);
        check(t, own && (!w.by_initiator || from == w.after->i.data().from), s.where(w.element));
    })});
    c.push_back({"CORE-14", nullptr, on_written([](const Transition& s, std::size_t, const Written& w, Tally& t) {
        if (w.element.kind != ElementKind::StreamOpen) return;
        if (w.by_initiator) return check(t, w.element.to != kNoDomain && w.element.to == w.after->i.data().to, s.where(w.element));
        // R answers the header it just read: 'to' = that header's 'from'.
        const auto& r = s.v.read;
        check(t, r && r->kind == ElementKind::StreamOpen && s.v.read_by_receiver && w.element.to != kNoDomain &&
                     w.element.to == r->from, s.where(w.element));
    })});
    // A header has no 'version' exactly on a 0.9 stream: its writer is a 0.9
    // server, or it answers a header without one (RFC 6120 §4.7.5). A 1.0
    // response is followed by features or an error, a 0.9 one never by
    // features; a 1.0 initiator that goes on with a 0.9 peer sends its
    // <db:result/> right after reading the response (dialback at once).
    c.push_back({"CORE-17", nullptr, on_written([](const Transition& s, std::size_t k, const Written& w, Tally& t) {
        const auto& r = s.v.read;
        const bool read_legacy_response = r && r->kind == ElementKind::StreamOpen && !s.v.read_by_receiver &&
                                          r->no_version() && k == 0;
        if (read_legacy_response && w.after->i.state() == IS::Established &&
            !w.after->i.data().has(InitiatingData::kVerifyOnly))
            check(t, w.element.kind == ElementKind::DbResult && w.by_initiator, s.where(w.element));
        if (w.element.kind != ElementKind::StreamOpen) return;
        const std::string xml = to_xml(w.element, s.sc().names);
        const bool v1 = xml.find(" version='1.0'") != std::string::npos;
        const bool legacy = s.sc().servers[s.writer(w)].legacy ||
                            (!w.by_initiator && r && r->kind == ElementKind::StreamOpen && r->no_version());
        const Element* n = next_written(s.v, k);
        if (legacy)
            check(t, xml.find(" version=") == std::string::npos && w.element.no_version() &&
                         (w.by_initiator || !is(n, ElementKind::StreamFeatures)), s.where(w.element));
        else
            check(t, v1 && (w.by_initiator || is(n, ElementKind::StreamFeatures) || is(n, ElementKind::StreamError)),
                  s.where(w.element));
    })});
    c.push_back({"CORE-18", nullptr, on_written([](const Transition& s, std::size_t, const Written& w, Tally& t) {
        if (w.element.kind != ElementKind::Stanza) return;
        const std::string xml = to_xml(w.element, s.sc().names);
        check(t, w.element.from != kNoDomain && w.element.to != kNoDomain && xml.find(" from='") != std::string::npos &&
                     xml.find(" to='") != std::string::npos, s.where(w.element));
    })});
    c.push_back({"CORE-29", nullptr, [](const Transition& s, Tally& t) {
        for (const auto& w : s.v.written)
            if (w.by_initiator && w.element.kind == ElementKind::SaslAuth)
                check(t, w.after->i.data().has(InitiatingData::kTls), s.where(w.element));
        if (s.a.kind != Action::Kind::Tls) return;  // after TLS both restart; I opens anew
        const Connection* c = s.after.connection(s.a.connection);
        // The first element written on that connection (the router may write
        // on others in the same step: a db:verify it now sends elsewhere).
        const Written* first = nullptr;
        for (const auto& w : s.v.written)
            if (!first && w.after->number == s.a.connection) first = &w;
        const bool first_is_header = first && first->by_initiator && first->element.kind == ElementKind::StreamOpen;
        check(t, c && c->i.state() == IS::AwaitingStreamOpen && c->r.state() == RS::AwaitingStreamOpen &&
                     c->i.data().has(InitiatingData::kTls) && c->r.data().has(ReceivingData::kTls) && first_is_header,
              s.topology + ": " + s.m.describe(s.a));
    }});
    c.push_back({"CORE-32",
                 [](const std::string& name, const XmppModel&, const World& w, Tally& t) {
                     for (const auto& c : w.connections) {
                         if (c.i.state() == IS::AwaitingTlsHandshake && c.r.state() == RS::AwaitingTlsHandshake)
                             check(t, c.idle(), name + ": data in flight while TLS is negotiated");
                         if (c.r.state() == RS::AwaitingTlsHandshake && !c.to_initiator.empty())
                             check(t, c.to_initiator.back().kind == ElementKind::Proceed, name + ": R wrote after <proceed/>");
                         if (c.i.state() == IS::AwaitingProceed && !c.to_receiver.empty())
                             check(t, c.to_receiver.back().kind == ElementKind::StartTls, name + ": I wrote after <starttls/>");
                     }
                 },
                 on_written([](const Transition& s, std::size_t, const Written& w, Tally& t) {
                     if (s.a.kind == Action::Kind::Tls || !w.before) return;
                     const bool tls_pending = w.by_initiator ? w.before->i.state() == IS::AwaitingTlsHandshake
                                                             : w.before->r.state() == RS::AwaitingTlsHandshake;
                     check(t, !tls_pending, s.where(w.element));
                 })});
    // A strict receiver (no dialback, no acceptable certificate) refuses with
    // policy-violation instead of offering features (CORE-40):
    // tests/model/authentication_limits_test.cpp.
    c.push_back({"CORE-34", nullptr, on_written([](const Transition& s, std::size_t, const Written& w, Tally& t) {
        if (w.by_initiator || w.element.kind != ElementKind::StreamFeatures) return;
        const ReceivingData& d = w.after->r.data();
        if (!d.has(ReceivingData::kTls) || d.has(ReceivingData::kSasl)) return;  // post-TLS, before SASL
        // Dialback is offered by the feature, or by the header's xmlns:db alone
        // (DB-33, dialback_feature = omitted).
        const bool dialback = has(w.element.features, f::kDialback) || s.sc().servers[s.writer(w)].dialback;
        check(t, has(w.element.features, f::kSaslExternal) || dialback, s.where(w.element));
    })});
    c.push_back({"CORE-36", nullptr, on_written([](const Transition& s, std::size_t, const Written& w, Tally& t) {
        if (w.by_initiator || w.element.kind != ElementKind::StreamFeatures) return;
        check(t, !has(w.element.features, f::kSaslExternal) || w.after->r.data().has(ReceivingData::kTls),
              s.where(w.element));
    })});
    c.push_back({"CORE-50", nullptr, [](const Transition& s, Tally& t) {
        if (!accepted_stanza(s)) return;
        const Connection* c = s.v.read_on_before;
        const ServerIndex reader = s.v.read_by_receiver ? c->receiver : c->initiator;
        check(t, s.sc().server_of(s.v.read->to) == reader, s.where(*s.v.read));
    }});
    c.push_back({"CORE-53", nullptr, [](const Transition& s, Tally& t) {
        if (!accepted_stanza(s) || s.v.read_by_receiver) return;  // R→I stanzas, accepted by I
        const Connection* c = s.v.read_on_before;
        const InitiatingData& d = c->i.data();
        check(t, d.has(InitiatingData::kBidi) && s.sc().server_of(s.v.read->from) == c->receiver &&
                     initiator_verified(d, s.v.read->from), s.where(*s.v.read));
    }});
    return c;
}

const std::map<std::string, Tally>& sweep() {
    static const std::map<std::string, Tally> tallies = sweep_all(core_checks());
    return tallies;
}

TEST(CoreRulesEverywhere, CORE_2_FeaturesFollowEveryResponseHeader) { EXPECT_RULE_HOLDS(sweep(), "CORE-2"); }
TEST(CoreRulesEverywhere, CORE_3_NoStanzaWhileAMandatoryFeatureIsPending) { EXPECT_RULE_HOLDS(sweep(), "CORE-3"); }
TEST(CoreRulesEverywhere, CORE_5_RestartKeepsTheConnectionWithoutClosingTheStream) { EXPECT_RULE_HOLDS(sweep(), "CORE-5"); }
TEST(CoreRulesEverywhere, CORE_8_EveryRestartIsAnsweredWithHeaderAndFeatures) { EXPECT_RULE_HOLDS(sweep(), "CORE-8"); }
TEST(CoreRulesEverywhere, CORE_9_FeaturesOnlyAnswerAHeaderAndNothingFollowsCompletion) { EXPECT_RULE_HOLDS(sweep(), "CORE-9"); }
TEST(CoreRulesEverywhere, CORE_13_EveryHeaderCarriesTheWritersOwnFrom) { EXPECT_RULE_HOLDS(sweep(), "CORE-13"); }
TEST(CoreRulesEverywhere, CORE_14_HeadersCarryToAndResponsesEchoTheInitialFrom) { EXPECT_RULE_HOLDS(sweep(), "CORE-14"); }
TEST(CoreRulesEverywhere, CORE_17_HeadersWithoutVersionExactlyOnLegacyStreams) { EXPECT_RULE_HOLDS(sweep(), "CORE-17"); }
TEST(CoreRulesEverywhere, CORE_18_EveryStanzaWrittenCarriesFromAndTo) { EXPECT_RULE_HOLDS(sweep(), "CORE-18"); }
TEST(CoreRulesEverywhere, CORE_29_AuthOnlyAfterTlsAndTlsRestartsBothEnds) { EXPECT_RULE_HOLDS(sweep(), "CORE-29"); }
TEST(CoreRulesEverywhere, CORE_32_NothingWrittenBetweenProceedAndTheHandshake) { EXPECT_RULE_HOLDS(sweep(), "CORE-32"); }
TEST(CoreRulesEverywhere, CORE_34_AfterTlsExternalOrDialbackIsOffered) { EXPECT_RULE_HOLDS(sweep(), "CORE-34"); }
TEST(CoreRulesEverywhere, CORE_36_ExternalNeverOfferedBeforeTls) { EXPECT_RULE_HOLDS(sweep(), "CORE-36"); }
TEST(CoreRulesEverywhere, CORE_50_StanzasAcceptedOnlyForHostedDomains) { EXPECT_RULE_HOLDS(sweep(), "CORE-50"); }
TEST(CoreRulesEverywhere, CORE_53_InitiatorAcceptsOnlyFromDomainsItVerified) { EXPECT_RULE_HOLDS(sweep(), "CORE-53"); }

}  // namespace
}  // namespace bidilab::model::test
