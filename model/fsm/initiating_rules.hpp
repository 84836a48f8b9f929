// model/fsm/initiating_rules.hpp — guards (predicates) and actions (verbs) of
// the initiating stream, each with the rule IDs of spec/RULES.md it encodes.
// Included only by model/fsm/initiating_stream.cpp.
#pragma once

#include "model/fsm/msm_support.hpp"
#include "model/initiating_stream.hpp"

namespace bidilab::model::fsm::initiating {

using D = InitiatingData;

// ------------------------------------------------------------ decisions
// What to do with the features R sent. One function decides, so the guards
// of the StreamFeatures rows exclude each other by construction.
enum class Decision {
    StartTls, TryUnofferedTls, TlsRequiredNotOffered, CannotNegotiate, Complete,
    SaslWithBidi, Sasl, DialbackWithBidi, Dialback, VerifyOnly,
};

inline Decision decide(const Element& f, const D& d, const Context& c) {
    const ServerPolicy& p = *c.policy;
    const Features fs = f.features;
    if (!d.has(D::kTls)) {
        if (has(fs, feature::kStartTls)) {
            // CORE-28, SASL-1: TLS first whenever we can (Prosody: mod_tls runs first).
            if (p.tls != TlsPolicy::None) return Decision::StartTls;
            // CORE-26 unsupported-feature: mandatory TLS we cannot do.
            if (has(fs, feature::kTlsRequired)) return Decision::CannotNegotiate;
        } else if (p.tls == TlsPolicy::Required) {
            // EXT-1 (RFC 7590 §3.1): "MUST NOT be deterred from attempting TLS
            // negotiation even if the receiving entity does not advertise
            // support": Prosody sends <starttls/> anyway (RW-28); or close
            // (choice starttls_unoffered; CORE-55).
            if (c.takes(SpecChoice::CloseWhenTlsNotOffered)) return Decision::TlsRequiredNotOffered;
            return Decision::TryUnofferedTls;
        }
    }
    if (d.has(D::kSasl)) return Decision::Complete;  // CORE-4, CORE-35: post-SASL features
    const bool verify_only = d.has(D::kVerifyOnly);
    // BIDI-1, BIDI-2; BIDI-3 holds here: TLS is done, or it never will be on this connection.
    // BIDI-2: the feature counts only in urn:xmpp:features:bidi; quirk
    // swapped-bidi-namespaces takes it in either (ejabberd 24.10 read the
    // compliant feature, then asked in the wrong namespace: RW-7).
    // BIDI-2 (XEP-0288 §2.2): a server that supports bidi may still not ask
    // for it on a stream (choice bidi_request; Prosody asks whenever offered).
    const bool bidi = !verify_only && p.bidi && has(fs, feature::kBidi) &&
                      (!f.swapped_bidi_ns() || p.has_quirk("swapped-bidi-namespaces")) &&
                      !c.takes(SpecChoice::BidiNotRequested);
    // SASL-4, CORE-37: EXTERNAL first when offered and we have a certificate
    // (whether R accepts it is R's call: SASL-9, XEP-0178 §3 step 11b).
    if (!verify_only && p.sasl_external && has(fs, feature::kSaslExternal) && p.has_certificate)
        return bidi ? Decision::SaslWithBidi : Decision::Sasl;
    // DB-33, SASL-5, CORE-34: dialback otherwise, when R's header declared it
    // (advertised as a feature or not: XEP-0220 §2.4.1).
    if (p.dialback && (has(fs, feature::kDialback) || d.has(D::kPeerDeclaresDialback)))
        return verify_only ? Decision::VerifyOnly : bidi ? Decision::DialbackWithBidi : Decision::Dialback;
    return Decision::CannotNegotiate;  // CORE-40: no usable authentication
}

template <Decision C>
struct Chooses {
    static bool test(const Element& e, const D& d, const Context& c) { return decide(e, d, c) == C; }
};
// The names shown in the table; each is one outcome of decide() above.
struct ChoosesStartTls : Guard<ChoosesStartTls, D>, Chooses<Decision::StartTls> {};
// EXT-1: we require TLS and try it although R did not offer it.
struct TriesUnofferedTls : Guard<TriesUnofferedTls, D>, Chooses<Decision::TryUnofferedTls> {};
// EXT-1, CORE-55: we require TLS, R did not offer it.
struct TlsRequiredNotOffered : Guard<TlsRequiredNotOffered, D>, Chooses<Decision::TlsRequiredNotOffered> {};
// CORE-26, CORE-40: mandatory TLS we cannot do, or no usable authentication.
struct CannotNegotiate : Guard<CannotNegotiate, D>, Chooses<Decision::CannotNegotiate> {};
// CORE-4, CORE-35: the features after the SASL restart.
struct NegotiationComplete : Guard<NegotiationComplete, D>, Chooses<Decision::Complete> {};
// SASL-4, CORE-37 with BIDI-1, BIDI-3, BIDI-4: <bidi/> first, then <auth/>.
struct ChoosesSaslWithBidi : Guard<ChoosesSaslWithBidi, D>, Chooses<Decision::SaslWithBidi> {};
// SASL-4, CORE-37: EXTERNAL, no bidi offered or wanted.
struct ChoosesSasl : Guard<ChoosesSasl, D>, Chooses<Decision::Sasl> {};
// DB-33, SASL-5 with BIDI-1, BIDI-3, BIDI-4: <bidi/> first, then <db:result/>.
struct ChoosesDialbackWithBidi : Guard<ChoosesDialbackWithBidi, D>, Chooses<Decision::DialbackWithBidi> {};
// DB-3, DB-33, SASL-5: dialback for the stream's pair.
struct ChoosesDialback : Guard<ChoosesDialback, D>, Chooses<Decision::Dialback> {};
// DB-16: a verify-only connection sends no db:result of its own.
struct ChoosesVerifyOnly : Guard<ChoosesVerifyOnly, D>, Chooses<Decision::VerifyOnly> {};

// ------------------------------------------------------------ guards
// CORE-2, CORE-17: a response header with version 1.0 (and ours has one):
// features follow.
struct SpeaksVersion1 : Guard<SpeaksVersion1, D> {
    static bool test(const Element& e, const D&, const Context& c) { return !c.policy->legacy_stream(e); }
};
// CORE-17, DB-33: a 0.9 stream (either header without version): no features
// will come, dialback starts at once (Prosody "s2sout-authenticate-legacy")
// if we may go on in the clear (accepts_legacy_peer).
inline bool legacy_peer_accepted(const Element& e, const Context& c) {
    return c.policy->legacy_stream(e) && c.policy->accepts_legacy_peer();
}
struct LegacyPeerDialback : Guard<LegacyPeerDialback, D> {
    static bool test(const Element& e, const D& d, const Context& c) {
        return legacy_peer_accepted(e, c) && !d.has(D::kVerifyOnly);
    }
};
// CORE-17, DB-16: a verify-only connection to a 0.9 peer is ready at once
// (Prosody marks a dialback_verifying session connected).
struct LegacyPeerVerifyOnly : Guard<LegacyPeerVerifyOnly, D> {
    static bool test(const Element& e, const D& d, const Context& c) {
        return legacy_peer_accepted(e, c) && d.has(D::kVerifyOnly);
    }
};
// CORE-17, EXT-1: a 0.9 peer, but we require TLS or do no dialback.
struct LegacyPeerUnacceptable : Guard<LegacyPeerUnacceptable, D> {
    static bool test(const Element& e, const D&, const Context& c) {
        return c.policy->legacy_stream(e) && !c.policy->accepts_legacy_peer();
    }
};

// DB-33: R does dialback on this stream: its header declared xmlns:db
// (XEP-0220 §2.4.1), or it advertised the feature.
inline bool peer_does_dialback(const D& d) {
    return has(d.features, feature::kDialback) || d.has(D::kPeerDeclaresDialback);
}
// SASL-9, CORE-43: after a SASL failure fall back to dialback on this
// stream if R does it (Prosody, RW-27), or give up (choice after_sasl_failure).
inline bool falls_back_to_dialback(const D& d, const Context& c) {
    return c.policy->dialback && peer_does_dialback(d) && !c.takes(SpecChoice::CloseAfterSaslFailure);
}
struct FallsBackToDialback : Guard<FallsBackToDialback, D> {
    static bool test(const Element&, const D& d, const Context& c) { return falls_back_to_dialback(d, c); }
};
// SASL-9: no dialback to fall back to, or we close.
struct GivesUpAfterSaslFailure : Guard<GivesUpAfterSaslFailure, D> {
    static bool test(const Element&, const D& d, const Context& c) { return !falls_back_to_dialback(d, c); }
};

// DB-10, DB-25: a typed db:result counts only as the answer to a request we
// sent on this stream: from/to swapped, pair still Requested.
inline bool answers_request(const Element& e, const D& d) {
    return e.type != DbType::None && d.fwd.get(e.to, e.from) == PairState::Requested;
}
// Quirk no-dialback-errors: a type='error' answer closes the stream (Prosody
// 0.12 closes with not-authorized, REAL-WORLD RW-19): breaks DB-14, BIDI-10.
struct DialbackErrorIsFatal : Guard<DialbackErrorIsFatal, D> {
    static bool test(const Element& e, const D& d, const Context& c) {
        return c.policy->has_quirk("no-dialback-errors") && e.type == DbType::Error && answers_request(e, d);
    }
};
// DB-35, choice unsupported_dialback_error: a server without dialback error
// support (no <errors/>, DB-34) on a stream without bidi (where BIDI-10 would
// demand the support) may end the stream over an error it does not
// understand (XEP-0220 §2.5: «the worst thing that can happen is that the
// remote server terminates the stream»); Prosody 0.12 does, with
// not-authorized (REAL-WORLD RW-19, probe lab p2). The other branch takes it
// as DB-14 does.
inline bool ends_over_unsupported_error(const Element& e, const D& d, const Context& c) {
    return e.type == DbType::Error && answers_request(e, d) && may_end_over_dialback_error(*c.policy, d) &&
           !c.policy->has_quirk("no-dialback-errors") && !c.takes(SpecChoice::BounceUnsupportedDialbackError);
}
struct EndsOverUnsupportedError : Guard<EndsOverUnsupportedError, D> {
    static bool test(const Element& e, const D& d, const Context& c) { return ends_over_unsupported_error(e, d, c); }
};
// DB-10, DB-14, DB-25: the answer, kept apart from the quirk and the choice above.
struct AnswersPendingRequest : Guard<AnswersPendingRequest, D> {
    static bool test(const Element& e, const D& d, const Context& c) {
        return answers_request(e, d) && !DialbackErrorIsFatal::test(e, d, c) && !ends_over_unsupported_error(e, d, c);
    }
};
// Quirk accept-unsolicited-dialback: a type='valid' db:result for a pair we
// never asked for on this stream authorizes it all the same (jabberd2 before
// CVE-2012-3525, REAL-WORLD RW-2): breaks DB-10, DB-45.
struct AcceptsUnsolicitedResult : Guard<AcceptsUnsolicitedResult, D> {
    static bool test(const Element& e, const D& d, const Context& c) {
        return c.policy->has_quirk("accept-unsolicited-dialback") && e.type == DbType::Valid &&
               d.fwd.get(e.to, e.from) == PairState::Idle && d.fwd.can_apply(e.to, e.from, PairEvent::Request);
    }
};
// Quirk reject-reverse-dialback: an untyped db:result on our outgoing stream
// is taken as a malformed answer and the stream closed (Prosody 0.12,
// REAL-WORLD RW-21): breaks BIDI-8, BIDI-10.
struct RejectsReverseRequest : Guard<RejectsReverseRequest, D> {
    static bool test(const Element& e, const D&, const Context& c) {
        return c.policy->has_quirk("reject-reverse-dialback") && e.type == DbType::None;
    }
};

// BIDI-8, BIDI-9, DB-44: with bidi, R may ask us to validate its domain `from`
// for a `to` of ours that it already knows (a validated sender or our authz).
struct IsReverseRequest : Guard<IsReverseRequest, D> {
    static bool test(const Element& e, const D& d, const Context& c) {
        const ServerPolicy& p = *c.policy;
        if (e.type != DbType::None || !d.has(D::kBidi) || !p.dialback) return false;
        if (RejectsReverseRequest::test(e, d, c)) return false;
        if (!p.hosts(e.to) || p.hosts(e.from) || e.from == kNoDomain) return false;
        const bool known_target = d.fwd.valid_sender(e.to) || (d.has(D::kSasl) && e.to == d.from);
        return known_target && d.rev.can_apply(e.from, e.to, PairEvent::Receive);
    }
};

// DB-19 analogue for the reverse direction: the outcome must match a pending
// reverse request of this stream and epoch.
struct AnswersReverseRequest : Guard<AnswersReverseRequest, D> {
    static bool test(const Element& e, const D& d, const Context&) {
        return e.type != DbType::None && e.id == d.stream_id &&
               d.rev.get(e.from, e.to) == PairState::Verifying;
    }
};

// DB-3, DB-41, DB-42, DB-13, DBTLS-4: a new pair only for a domain we host,
// not already asked, target multiplexing only with dialback errors, never
// after an invalid result.
struct MayRequestPair : Guard<MayRequestPair, D> {
    static bool test(const Element& e, const D& d, const Context& c) {
        const ServerPolicy& p = *c.policy;
        if (d.has(D::kVerifyOnly) || !p.dialback || !peer_does_dialback(d)) return false;
        if (!p.hosts(e.from) || e.to == kNoDomain || d.fwd.any(PairState::Invalid)) return false;
        if (e.to != d.to && !has(d.features, feature::kDialbackErrors)) return false;  // DB-42
        return d.fwd.can_apply(e.from, e.to, PairEvent::Request);
    }
};

// DB-15, DB-16: a db:verify needs an id and a free slot to correlate its answer.
struct MaySendVerify : Guard<MaySendVerify, D> {
    static bool test(const Element& e, const D& d, const Context&) {
        return e.id != kNoStream && !d.verifies.full() && !d.verifies.contains(e.from, e.to, e.id);
    }
};

// DB-18, DB-31: a typed db:verify answers one we sent: from/to swapped, same id.
struct AnswersPendingVerify : Guard<AnswersPendingVerify, D> {
    static bool test(const Element& e, const D& d, const Context&) {
        return e.type != DbType::None && d.verifies.contains(e.to, e.from, e.id);
    }
};

// DB-6, CORE-10, SASL-8: only authorized pairs.
struct MaySend : Guard<MaySend, D> {
    static bool test(const Element& e, const D& d, const Context& c) { return initiator_may_send(d, e.from, e.to, *c.policy); }
};

// BIDI-13, CORE-46, CORE-54, DB-32: R's stanzas only with bidi and for proven pairs.
struct PeerMaySend : Guard<PeerMaySend, D> {
    static bool test(const Element& e, const D& d, const Context&) { return initiator_accepts(d, e.from, e.to); }
};

// ------------------------------------------------------------ actions
inline Key mint_key(const ServerPolicy& p, DomainId from, DomainId to, StreamId id) {
    return Key{id, p.secret, from, to, 0};  // KEY-1: sender, target, stream id, secret
}

// CORE-6, CORE-13, CORE-16: a new initial header with from and to, no id;
// CORE-17: a 0.9 server's without version.
struct SendStreamOpen : Action<SendStreamOpen, D> {
    static void run(const Element&, D& d, Context& c) {
        const Element header = declared(Element::stream_open(d.from, d.to), *c.policy);
        c.out.push(c.policy->legacy ? without_version(header) : header);
    }
};
// DB-15, RULES §8.8: keys bind to the id of the current epoch.
// DB-33: and whether R's header declared dialback.
struct RecordStreamId : Action<RecordStreamId, D> {
    static void run(const Element& e, D& d, Context&) {
        d.stream_id = e.id;
        if (e.declares_dialback()) d.flags |= D::kPeerDeclaresDialback;
        else d.flags &= static_cast<std::uint8_t>(~D::kPeerDeclaresDialback);
    }
};
struct RecordFeatures {
    static void run(const Element& e, D& d) { d.features = e.features; }
};
// BIDI-2: <bidi xmlns='urn:xmpp:bidi'/>; quirk swapped-bidi-namespaces puts
// it in urn:xmpp:features:bidi (ejabberd 24.10, REAL-WORLD RW-7).
inline Element bidi_request(const ServerPolicy& p) {
    Element e = Element::bidi();
    if (p.has_quirk("swapped-bidi-namespaces")) e.flags |= Element::kSwappedBidiNs;
    return e;
}
// CORE-28, CORE-30.
struct SendStartTls : Action<SendStartTls, D> {
    static void run(const Element& e, D& d, Context& c) {
        RecordFeatures::run(e, d);
        // Quirk bidi-before-tls: <bidi/> on the pre-TLS features, then STARTTLS
        // (ejabberd's xmpp_stream_out runs the features hook first): breaks BIDI-3.
        if (c.policy->has_quirk("bidi-before-tls") && c.policy->bidi && has(e.features, feature::kBidi))
            c.out.push(bidi_request(*c.policy));
        c.out.push(Element::start_tls());
    }
};
inline void close_with(Condition cond, Context& c) {
    c.out.push(Element::stream_error(cond));
    c.out.push(Element::stream_close());
}
// Prosody: "Encrypted server-to-server communication is required but was not offered".
struct ClosePolicyViolation : Action<ClosePolicyViolation, D> {
    static void run(const Element&, D&, Context& c) { close_with(Condition::PolicyViolation, c); }
};
// Quirk no-dialback-errors and choice unsupported_dialback_error (RW-19):
// Prosody's "dialback authentication failed".
struct CloseNotAuthorized : Action<CloseNotAuthorized, D> {
    static void run(const Element&, D&, Context& c) { close_with(Condition::NotAuthorized, c); }
};
// Quirk reject-reverse-dialback (RW-21): Prosody's s2sout answers with invalid-id.
struct CloseInvalidId : Action<CloseInvalidId, D> {
    static void run(const Element&, D&, Context& c) { close_with(Condition::InvalidId, c); }
};
// CORE-26: a mandatory feature we cannot do, or no authentication method at all.
struct CloseUnsupportedFeature : Action<CloseUnsupportedFeature, D> {
    static void run(const Element&, D&, Context& c) { close_with(Condition::UnsupportedFeature, c); }
};
// SASL-9: give up on this stream (RFC 6120 §4.4 close).
struct CloseStream : Action<CloseStream, D> {
    static void run(const Element&, D&, Context& c) { c.out.push(Element::stream_close()); }
};
// RFC 6120 §4.4 (CORE-19, CORE-23): answer the peer's close or stream error with ours.
struct ReplyClose : Action<ReplyClose, D> {
    static void run(const Element&, D&, Context& c) { c.out.push(Element::stream_close()); }
};
// CORE-4: empty or voluntary features after SASL: negotiation is complete.
struct RecordNegotiated : Action<RecordNegotiated, D> {
    static void run(const Element& e, D& d, Context&) { RecordFeatures::run(e, d); }
};
// BIDI-2, BIDI-4: <bidi xmlns='urn:xmpp:bidi'/> before authentication.
inline void request_bidi(D& d, Context& c) {
    d.flags |= D::kBidi;
    c.out.push(bidi_request(*c.policy));
}
// SASL-6, SASL-7, CORE-38 (RULES §8.3): authzid = from (Prosody) or '='.
inline void authenticate(D& d, Context& c) {
    c.out.push(Element::sasl_auth(c.policy->sasl_authzid ? d.from : kNoDomain));
}
// DB-3, DB-4, KEY-1: db:result from sender to target with a fresh key.
inline void request_pair(D& d, Context& c, DomainId from, DomainId to) {
    d.fwd.apply(from, to, PairEvent::Request);
    c.out.push(Element::db_result(from, to, mint_key(*c.policy, from, to, d.stream_id)));
}
// DB-3, DB-4 (XEP-0220 §2.1.1): the first pair: the header's (the router
// opens a connection per pair), or another of our domains towards a target,
// as a real server may ask first (Context::first_pair, set by validate).
inline void request_first_pair(D& d, Context& c) {
    const bool other = c.first_pair.from != kNoDomain && c.first_pair.to != kNoDomain && c.policy->hosts(c.first_pair.from);
    request_pair(d, c, other ? c.first_pair.from : d.from, other ? c.first_pair.to : d.to);
}
// BIDI-4, SASL-6: <bidi/> before <auth/> (Prosody: bidi handler before SASL).
struct RequestBidiAndAuthenticate : Action<RequestBidiAndAuthenticate, D> {
    static void run(const Element& e, D& d, Context& c) {
        RecordFeatures::run(e, d);
        request_bidi(d, c);
        authenticate(d, c);
    }
};
// SASL-6, CORE-29: <auth mechanism='EXTERNAL'/> after TLS.
struct Authenticate : Action<Authenticate, D> {
    static void run(const Element& e, D& d, Context& c) {
        RecordFeatures::run(e, d);
        authenticate(d, c);
    }
};
// BIDI-4, DB-3: <bidi/> before the first <db:result/> (the Prosody capture).
struct RequestBidiAndDialback : Action<RequestBidiAndDialback, D> {
    static void run(const Element& e, D& d, Context& c) {
        RecordFeatures::run(e, d);
        request_bidi(d, c);
        request_first_pair(d, c);
    }
};
// DB-3, SASL-9: <db:result/> for the stream's own pair.
struct StartDialback : Action<StartDialback, D> {
    static void run(const Element& e, D& d, Context& c) {
        if (e.kind == ElementKind::StreamFeatures) RecordFeatures::run(e, d);
        request_first_pair(d, c);
    }
};
// CORE-17, DB-33: a 0.9 stream: R's id (DB-15) and, in place of features,
// dialback as its header's xmlns:db announces it, without dialback errors
// (DB-34: only a feature advertises them).
inline void record_legacy_stream(const Element& e, D& d) {
    d.stream_id = e.id;
    d.flags |= D::kLegacy;
    d.features = feature::kDialback;
}
// CORE-17, DB-3: no features to wait for: <db:result/> right after the header.
struct StartLegacyDialback : Action<StartLegacyDialback, D> {
    static void run(const Element& e, D& d, Context& c) {
        record_legacy_stream(e, d);
        request_first_pair(d, c);
    }
};
// CORE-17, DB-16: a verify-only connection sends no db:result of its own.
struct RecordLegacyStream : Action<RecordLegacyStream, D> {
    static void run(const Element& e, D& d, Context&) { record_legacy_stream(e, d); }
};
// CORE-17, RFC 6120 §4.7.5: "the initiating entity SHOULD close the stream
// with an <unsupported-version/> stream error" when it cannot interoperate.
struct CloseUnsupportedVersion : Action<CloseUnsupportedVersion, D> {
    static void run(const Element&, D&, Context& c) { close_with(Condition::UnsupportedVersion, c); }
};
// CORE-27, CORE-29, CORE-6: discard what we learnt in the clear, restart.
struct RestartAfterTls : Action<RestartAfterTls, D> {
    static void run(const Element& e, D& d, Context& c) {
        D fresh;
        fresh.from = d.from;
        fresh.to = d.to;
        fresh.flags = static_cast<std::uint8_t>((d.flags & D::kVerifyOnly) | D::kTls);
        fresh.peer_cert = e.cert_names;
        d = fresh;
        c.out.push(declared(Element::stream_open(d.from, d.to), *c.policy));
    }
};
// CORE-35, CORE-42, SASL-8: authenticated as `from`; restart for a new stream id.
struct RestartAfterSasl : Action<RestartAfterSasl, D> {
    static void run(const Element&, D& d, Context& c) {
        d.flags |= D::kSasl;
        d.features = 0;
        d.stream_id = kNoStream;
        c.out.push(declared(Element::stream_open(d.from, d.to), *c.policy));
    }
};
// DB-3, DB-40, DB-41: one more pair on this stream (multiplexing).
struct RequestDialback : Action<RequestDialback, D> {
    static void run(const Element& e, D& d, Context& c) { request_pair(d, c, e.from, e.to); }
};
// DB-11, DB-12, DB-14: record the verdict; the global model bounces or flushes.
struct RecordAnswer : Action<RecordAnswer, D> {
    static void run(const Element& e, D& d, Context& c) {
        d.fwd.apply(e.to, e.from, pair_event_of(e.type));
        c.out.push(Element::pair_outcome(e.to, e.from, e.type));
    }
};
// Quirk accept-unsolicited-dialback (breaks DB-10, DB-45): the pair is
// authorized as if we had asked for it; the global model flushes its queue.
struct RecordUnsolicitedAnswer : Action<RecordUnsolicitedAnswer, D> {
    static void run(const Element& e, D& d, Context& c) {
        d.fwd.apply(e.to, e.from, PairEvent::Request);
        d.fwd.apply(e.to, e.from, PairEvent::Valid);
        c.out.push(Element::pair_outcome(e.to, e.from, DbType::Valid));
    }
};
// BIDI-6, DB-22: ask the authority of `from` over another connection.
struct AskAuthority : Action<AskAuthority, D> {
    static void run(const Element& e, D& d, Context& c) {
        d.rev.apply(e.from, e.to, PairEvent::Receive);
        c.out.push(Element::verify_needed(e.from, e.to, d.stream_id, e.key));
    }
};
// DB-25, DB-36: the typed answer for R's reverse request.
struct AnswerReverseRequest : Action<AnswerReverseRequest, D> {
    static void run(const Element& e, D& d, Context& c) {
        d.rev.apply(e.from, e.to, pair_event_of(e.type));
        const Condition why = e.type == DbType::Error ? Condition::RemoteServerNotFound : Condition::None;
        c.out.push(Element::db_result(e.to, e.from, e.type, why));
        c.out.push(Element::pair_outcome(e.from, e.to, e.type));
    }
};
// DB-15, DB-16: the db:verify, remembered for correlating its answer (DB-18).
struct SendDbVerify : Action<SendDbVerify, D> {
    static void run(const Element& e, D& d, Context& c) {
        d.verifies.add(e.from, e.to, e.id);
        c.out.push(Element::db_verify(e.from, e.to, e.id, e.key));
    }
};
// DB-18: hand the authority's verdict to the global model as a VerifyOutcome.
struct ReportVerifyAnswer : Action<ReportVerifyAnswer, D> {
    static void run(const Element& e, D& d, Context& c) {
        d.verifies.remove(e.to, e.from, e.id);
        c.out.push(Element::verify_outcome(e.from, e.to, e.id, e.type));
    }
};
// DB-6, DB-11: an authorized stanza (the guard decides).
struct SendStanzaOut : Action<SendStanzaOut, D> {
    static void run(const Element& e, D&, Context& c) { c.out.push(Element::stanza(e.from, e.to, e.seq)); }
};

}  // namespace bidilab::model::fsm::initiating
