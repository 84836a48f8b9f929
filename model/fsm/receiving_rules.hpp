// model/fsm/receiving_rules.hpp — guards (predicates) and actions (verbs) of
// the receiving stream, each with the rule IDs of spec/RULES.md it encodes.
// Included only by model/fsm/receiving_stream.cpp.
#pragma once

#include "model/fsm/msm_support.hpp"
#include "model/receiving_stream.hpp"

namespace bidilab::model::fsm::receiving {

using D = ReceivingData;

// ------------------------------------------------------------ guards
// CORE-34, CORE-40: could the peer authenticate on the stream this header
// opens? STARTTLS first (then we ask again), SASL EXTERNAL for its 'from', or
// dialback (DB-33: our header declares it, advertised or not). A strict
// server (no dialback) facing an unacceptable certificate has nothing to offer.
inline bool can_authenticate(const Element& header, const D& d, const Context& c) {
    D probe = d;
    probe.hdr_from = header.from;
    const Features f = receiver_offer(probe, c);
    return has(f, feature::kStartTls) || has(f, feature::kSaslExternal) || c.policy->dialback;
}
// CORE-2, CORE-25, CORE-34: a new stream (not a SASL restart) to a domain we
// host, on which the peer can authenticate.
struct OpensStream : Guard<OpensStream, D> {
    static bool test(const Element& e, const D& d, const Context& c) {
        return !d.has(D::kSasl) && c.policy->hosts(e.to) && !c.policy->legacy_stream(e) &&
               can_authenticate(e, d, c);
    }
};
// CORE-17, DB-33: a 0.9 stream (the header has no version, or we are 0.9)
// to a domain we host: answer in 0.9, no features, and take dialback, if we
// may go on in the clear (accepts_legacy_peer).
struct OpensLegacyStream : Guard<OpensLegacyStream, D> {
    static bool test(const Element& e, const D& d, const Context& c) {
        return !d.has(D::kSasl) && c.policy->hosts(e.to) && c.policy->legacy_stream(e) &&
               c.policy->accepts_legacy_peer();
    }
};
// CORE-17, CORE-28, DB-38: a 0.9 peer cannot do the TLS we require (nor
// anything but the dialback we do not do).
struct RefusesLegacyPeer : Guard<RefusesLegacyPeer, D> {
    static bool test(const Element& e, const D& d, const Context& c) {
        return !d.has(D::kSasl) && c.policy->hosts(e.to) && c.policy->legacy_stream(e) &&
               !c.policy->accepts_legacy_peer();
    }
};
// CORE-34, CORE-40: SASL is mandatory-to-negotiate and weak verification is
// against our policy (or the certificate does not cover 'from'): refuse with
// policy-violation rather than offer empty features.
struct NoAuthenticationPossible : Guard<NoAuthenticationPossible, D> {
    static bool test(const Element& e, const D& d, const Context& c) {
        return !d.has(D::kSasl) && c.policy->hosts(e.to) && !c.policy->legacy_stream(e) &&
               !can_authenticate(e, d, c);
    }
};
// CORE-24, CORE-25: host-unknown for a header 'to' we do not serve.
struct TargetNotHosted : Guard<TargetNotHosted, D> {
    static bool test(const Element& e, const D& d, const Context& c) {
        return !d.has(D::kSasl) && !c.policy->hosts(e.to);
    }
};
// CORE-42, SASL-8, CORE-41: the restart after SASL keeps the identities
// (Prosody closes with improper-addressing otherwise, REAL-WORLD RW-24).
struct RestartsAfterSasl : Guard<RestartsAfterSasl, D> {
    static bool test(const Element& e, const D& d, const Context&) {
        return d.has(D::kSasl) && e.from == d.authz && e.to == d.hdr_to;
    }
};
// CORE-28, CORE-31: STARTTLS only when we offered it.
struct OfferedTls : Guard<OfferedTls, D> {
    static bool test(const Element&, const D& d, const Context&) { return has(d.offered, feature::kStartTls); }
};
// CORE-28: <proceed/>; or CORE-31 (RFC 6120 §5.4.2.2, cause 3): "cannot
// complete STARTTLS negotiation because of an internal error", <failure/>
// after all (choice offered_starttls_answer).
struct ProceedsWithTls : Guard<ProceedsWithTls, D> {
    static bool test(const Element& e, const D& d, const Context& c) {
        return OfferedTls::test(e, d, c) && !c.takes(SpecChoice::TlsFailureAfterOffer);
    }
};
struct FailsOfferedTls : Guard<FailsOfferedTls, D> {
    static bool test(const Element& e, const D& d, const Context& c) {
        return OfferedTls::test(e, d, c) && c.takes(SpecChoice::TlsFailureAfterOffer);
    }
};
// CORE-31: STARTTLS not offered (also after TLS, CORE-33): <failure/> and
// close; a server without TLS at all may instead not know the element
// (CORE-26 unsupported-stanza-type: Prosody without mod_tls, REAL-WORLD RW-28),
// its usual answer (choice unoffered_starttls_answer).
inline bool tls_unknown_here(const Context& c) {
    return c.policy->tls == TlsPolicy::None && !c.takes(SpecChoice::TlsFailureForUnofferedStarttls);
}
struct TlsNotOffered : Guard<TlsNotOffered, D> {
    static bool test(const Element& e, const D& d, const Context& c) {
        return !OfferedTls::test(e, d, c) && !tls_unknown_here(c);
    }
};
struct TlsNotSupported : Guard<TlsNotSupported, D> {
    static bool test(const Element& e, const D& d, const Context& c) {
        return !OfferedTls::test(e, d, c) && tls_unknown_here(c);
    }
};
// BIDI-2, BIDI-3, BIDI-4: accept <bidi/> when we offered the feature in this
// epoch (so before authentication, and after TLS when TLS is required).
// BIDI-2: the request counts only in the namespace we read it in (quirk
// swapped-bidi-namespaces: urn:xmpp:features:bidi, as ejabberd 24.10 did).
struct OfferedBidi : Guard<OfferedBidi, D> {
    static bool test(const Element& e, const D& d, const Context& c) {
        return has(d.offered, feature::kBidi) && e.swapped_bidi_ns() == c.policy->has_quirk("swapped-bidi-namespaces");
    }
};
// CORE-40: RFC 6120 §6.4.5 allows "a configurable but reasonable number of
// retries (at least 2 and no more than 5)"; we allow 2, as Prosody's default.
constexpr std::uint8_t kSaslRetries = 2;
inline bool sasl_retries_left(const D& d) { return d.sasl_failures <= kSaslRetries; }
// SASL-4, SASL-6, SASL-7, SASL-8, CORE-38, CORE-41: EXTERNAL offered, I's
// certificate covers the header 'from', authzid empty or that same domain.
inline bool external_acceptable(const Element& e, const D& d) {
    return has(d.offered, feature::kSaslExternal) && contains(d.peer_cert, d.hdr_from) &&
           (e.authzid == kNoDomain || e.authzid == d.hdr_from);
}
struct ExternalAcceptable : Guard<ExternalAcceptable, D> {
    static bool test(const Element& e, const D& d, const Context&) { return sasl_retries_left(d) && external_acceptable(e, d); }
};
// SASL-9, CORE-38: anything else fails; the stream stays for dialback.
struct ExternalNotAcceptable : Guard<ExternalNotAcceptable, D> {
    static bool test(const Element& e, const D& d, const Context&) { return sasl_retries_left(d) && !external_acceptable(e, d); }
};
// CORE-40: one <auth/> more than the retries allow.
struct SaslRetriesExhausted : Guard<SaslRetriesExhausted, D> {
    static bool test(const Element&, const D& d, const Context&) { return !sasl_retries_left(d); }
};

// DB-33, DB-38 (policy-violation): an untyped db:result we are willing to
// handle at all: dialback offered, and TLS done where we require it.
// DB-33: our header declared dialback whenever we do it (the feature is optional).
inline bool dialback_request_allowed(const Element& e, const D& d, const ServerPolicy& p) {
    return e.type == DbType::None && p.dialback &&
           (d.has(D::kTls) || p.tls != TlsPolicy::Required) && e.from != kNoDomain;
}
// DB-22, DB-3, DB-40, DB-41: a request for a target we host, from a domain
// that is not ours, for a pair not yet seen on this stream.
struct AcceptableRequest : Guard<AcceptableRequest, D> {
    static bool test(const Element& e, const D& d, const Context& c) {
        const ServerPolicy& p = *c.policy;
        return dialback_request_allowed(e, d, p) && p.hosts(e.to) && !p.hosts(e.from) &&
               d.fwd.can_apply(e.from, e.to, PairEvent::Receive);
    }
};
// DB-24 / RULES §8.5: a target we do not host. XEP-0220 answers with an
// item-not-found dialback error; Prosody closes with host-unknown.
struct UnknownTargetDialbackError : Guard<UnknownTargetDialbackError, D> {
    static bool test(const Element& e, const D& d, const Context& c) {
        const ServerPolicy& p = *c.policy;
        return dialback_request_allowed(e, d, p) && !p.hosts(e.to) && !p.unknown_target_stream_error;
    }
};
// RULES §8.5, Prosody: host-unknown stream error.
struct UnknownTargetStreamError : Guard<UnknownTargetStreamError, D> {
    static bool test(const Element& e, const D& d, const Context& c) {
        const ServerPolicy& p = *c.policy;
        return dialback_request_allowed(e, d, p) && !p.hosts(e.to) && p.unknown_target_stream_error;
    }
};

// DB-19, RULES §8.8: a verification outcome counts only for a pair pending
// on this stream in this epoch.
inline bool correlates(const Element& e, const D& d) {
    return e.type != DbType::None && e.id == d.stream_id && d.fwd.get(e.from, e.to) == PairState::Verifying;
}
template <DbType T>
struct Verified {
    static bool test(const Element& e, const D& d, const Context&) { return e.type == T && correlates(e, d); }
};
// DB-25, DB-27, DB-36: the verdict, correlated.
struct VerifiedValid : Guard<VerifiedValid, D>, Verified<DbType::Valid> {};
// DB-20, DB-28: an invalid key may be answered with a <forbidden/> dialback
// error that keeps the stream, instead of type='invalid' (choice
// invalid_dialback_answer; Prosody answers invalid).
inline bool answers_forbidden(const Element& e, const D& d, const Context& c) {
    return e.type == DbType::Invalid && correlates(e, d) && c.takes(SpecChoice::ForbiddenForInvalidKey);
}
struct AnswersForbidden : Guard<AnswersForbidden, D> {
    static bool test(const Element& e, const D& d, const Context& c) { return answers_forbidden(e, d, c); }
};
struct VerifiedInvalid : Guard<VerifiedInvalid, D> {  // DB-27
    static bool test(const Element& e, const D& d, const Context& c) {
        return e.type == DbType::Invalid && correlates(e, d) && !answers_forbidden(e, d, c);
    }
};
struct VerifiedError : Guard<VerifiedError, D>, Verified<DbType::Error> {};        // DB-36
struct AnswersPendingRequest : Guard<AnswersPendingRequest, D> {
    static bool test(const Element& e, const D& d, const Context& c) { return correlates(e, d) && !answers_forbidden(e, d, c); }
};

// BIDI-12, DB-10, DB-21: a typed db:result on this inbound stream only as the
// answer to a reverse request we sent on it.
struct AnswersReverseRequest : Guard<AnswersReverseRequest, D> {
    static bool test(const Element& e, const D& d, const Context&) {
        return e.type != DbType::None && d.has(D::kBidi) && d.rev.get(e.to, e.from) == PairState::Requested;
    }
};
// Quirk accept-unsolicited-dialback: a type='valid' db:result for a pair we
// never asked for authorizes it on this inbound stream all the same
// (jabberd2 before CVE-2012-3525, REAL-WORLD RW-2): breaks BIDI-12, DB-45.
struct AcceptsUnsolicitedAnswer : Guard<AcceptsUnsolicitedAnswer, D> {
    static bool test(const Element& e, const D& d, const Context& c) {
        return c.policy->has_quirk("accept-unsolicited-dialback") && e.type == DbType::Valid &&
               d.rev.get(e.to, e.from) == PairState::Idle && d.rev.can_apply(e.to, e.from, PairEvent::Request);
    }
};
// Quirk verify-on-request-connection: the db:verify goes through the routing
// table, which maps the authority to its incoming bidi stream, the very one
// the request came in on (RULES BIDI-6 MUT): breaks BIDI-6.
struct VerifiesOnRequestConnection : Guard<VerifiesOnRequestConnection, D> {
    static bool test(const Element& e, const D& d, const Context& c) {
        return c.policy->has_quirk("verify-on-request-connection") && d.has(D::kBidi) && e.id != kNoStream;
    }
};
// DB-29, DB-30: an untyped db:verify asks us as the authority of 'to'.
struct IsVerifyRequest : Guard<IsVerifyRequest, D> {
    static bool test(const Element& e, const D&, const Context& c) {
        return e.type == DbType::None && c.policy->hosts(e.to);
    }
};
// DB-29: a db:verify for a domain we are not the authority of.
struct VerifyForUnknownDomain : Guard<VerifyForUnknownDomain, D> {
    static bool test(const Element& e, const D&, const Context& c) {
        return e.type == DbType::None && !c.policy->hosts(e.to);
    }
};
// CORE-45, CORE-46, DB-26, CORE-10: only authorized pairs.
// Quirk skip-pair-check: any stanza to a domain we host, once the peer is
// authenticated for some pair (Prosody's 'to' check of REAL-WORLD RW-23,
// applied to 'from' too): breaks CORE-46, DB-6.
struct SenderAuthorized : Guard<SenderAuthorized, D> {
    static bool test(const Element& e, const D& d, const Context& c) {
        if (c.policy->has_quirk("skip-pair-check") && d.authenticated() && c.policy->hosts(e.to)) return true;
        return receiver_accepts(d, e.from, e.to);
    }
};
// BIDI-5, BIDI-7: stanzas R→I only with bidi, after authentication, for pairs it covers.
struct MaySendReverse : Guard<MaySendReverse, D> {
    static bool test(const Element& e, const D& d, const Context& c) { return receiver_may_send(d, e.from, e.to, *c.policy); }
};
// BIDI-8, BIDI-9, DB-44: reverse dialback for our domain 'from' towards a
// domain I has proven on this stream.
struct MayRequestReverse : Guard<MayRequestReverse, D> {
    static bool test(const Element& e, const D& d, const Context& c) {
        const ServerPolicy& p = *c.policy;
        if (!d.has(D::kBidi) || !p.dialback || !p.hosts(e.from)) return false;
        const bool proven = d.fwd.valid_sender(e.to) || (d.has(D::kSasl) && e.to == d.authz);
        return proven && d.rev.can_apply(e.from, e.to, PairEvent::Request);
    }
};

// ------------------------------------------------------------ actions
// CORE-2, CORE-7, CORE-8, CORE-14, CORE-15: response header with a fresh id, then features.
struct SendHeaderAndFeatures : Action<SendHeaderAndFeatures, D> {
    static void run(const Element& e, D& d, Context& c) {
        d.hdr_from = e.from;
        d.hdr_to = e.to;
        // CORE-7: a fresh id on every (re)start. Quirk reuse-stream-id keeps
        // the previous epoch's id, as the XEP-0288 SASL example shows.
        if (!(c.policy->has_quirk("reuse-stream-id") && d.stream_id != kNoStream)) d.stream_id = c.take_stream_id();
        d.offered = receiver_offer(d, c);
        c.out.push(declared(Element::stream_open(e.to, e.from, d.stream_id), *c.policy));
        Element features = Element::stream_features(d.offered);
        // BIDI-2: quirk swapped-bidi-namespaces offers bidi in urn:xmpp:bidi (ejabberd 24.10, RW-7).
        if (c.policy->has_quirk("swapped-bidi-namespaces") && has(d.offered, feature::kBidi))
            features.flags |= Element::kSwappedBidiNs;
        c.out.push(features);
    }
};
inline void close_with(Condition cond, Context& c) {
    c.out.push(Element::stream_error(cond));
    c.out.push(Element::stream_close());
}
// CORE-17: the response header, without version on a 0.9 stream (RFC 6120
// §4.7.5: the lower of the two versions; SHOULD NOT include one).
inline Element response_header(const Element& initial, DomainId from, StreamId id, const ServerPolicy& p) {
    const Element header = declared(Element::stream_open(from, initial.from, id), p);
    return p.legacy_stream(initial) ? without_version(header) : header;
}
// CORE-17, CORE-7, CORE-14: the 0.9 response: a fresh id, no features (CORE-2
// asks for them only after a 1.0 header); dialback is what xmlns:db announces
// (DB-33), without dialback errors (DB-34: only a feature advertises them).
struct SendLegacyHeader : Action<SendLegacyHeader, D> {
    static void run(const Element& e, D& d, Context& c) {
        d.hdr_from = e.from;
        d.hdr_to = e.to;
        d.stream_id = c.take_stream_id();
        d.flags |= D::kLegacy;
        d.offered = feature::kDialback;
        c.out.push(response_header(e, e.to, d.stream_id, *c.policy));
    }
};
// CORE-17, CORE-24: our 0.9 header, then <unsupported-version/> (RFC 6120
// §4.9.3.25: the version the header gives is not one we support) and close.
struct RefuseUnsupportedVersion : Action<RefuseUnsupportedVersion, D> {
    static void run(const Element& e, D&, Context& c) {
        c.out.push(response_header(e, e.to, c.take_stream_id(), *c.policy));
        close_with(Condition::UnsupportedVersion, c);
    }
};
// CORE-24: header (without a 'from' of ours for the unknown domain), error, close.
// CORE-13: the header still says who we are: our first hosted domain.
struct RejectUnknownHost : Action<RejectUnknownHost, D> {
    static void run(const Element& e, D&, Context& c) {
        DomainId own = kNoDomain;
        for (DomainId d = 1; d <= kMaxDomainId && own == kNoDomain; ++d)
            if (c.policy->hosts(d)) own = d;
        c.out.push(response_header(e, own, c.take_stream_id(), *c.policy));
        close_with(Condition::HostUnknown, c);
    }
};
// CORE-34, CORE-40: our header (CORE-8: a response header comes first), then
// policy-violation and close.
struct RefuseWeakIdentity : Action<RefuseWeakIdentity, D> {
    static void run(const Element& e, D&, Context& c) {
        c.out.push(declared(Element::stream_open(e.to, e.from, c.take_stream_id()), *c.policy));
        close_with(Condition::PolicyViolation, c);
    }
};
// CORE-40: the retries are used up.
struct ClosePolicyViolation : Action<ClosePolicyViolation, D> {
    static void run(const Element&, D&, Context& c) { close_with(Condition::PolicyViolation, c); }
};
// CORE-28, CORE-32: <proceed/>, then nothing until TLS is done.
struct SendProceed : Action<SendProceed, D> {
    static void run(const Element&, D&, Context& c) { c.out.push(Element::proceed()); }
};
// CORE-26: a server without TLS does not know <starttls/> (RW-28).
struct CloseUnsupportedStanzaType : Action<CloseUnsupportedStanzaType, D> {
    static void run(const Element&, D&, Context& c) { close_with(Condition::UnsupportedStanzaType, c); }
};
// CORE-31: <failure/>, close.
struct RefuseTls : Action<RefuseTls, D> {
    static void run(const Element&, D&, Context& c) {
        c.out.push(Element::tls_failure());
        c.out.push(Element::stream_close());
    }
};
// CORE-27, CORE-29: everything learnt in the clear is void (the header, <bidi/>, pairs).
struct DiscardInsecureState : Action<DiscardInsecureState, D> {
    static void run(const Element& e, D& d, Context& c) {
        const StreamId previous = d.stream_id;
        d = D();
        d.flags = static_cast<std::uint8_t>(D::kTls | (e.peer_certificate() ? D::kPeerCertificate : 0));
        d.peer_cert = e.cert_names;
        if (c.policy->has_quirk("reuse-stream-id")) d.stream_id = previous;  // breaks CORE-7
    }
};
// BIDI-2: the peer may now receive stanzas on this stream once authenticated (BIDI-5).
struct EnableBidi : Action<EnableBidi, D> {
    static void run(const Element&, D& d, Context&) { d.flags |= D::kBidi; }
};
// SASL-8, CORE-11: authz = the header 'from'; I restarts next (CORE-35).
struct SendSaslSuccess : Action<SendSaslSuccess, D> {
    static void run(const Element&, D& d, Context& c) {
        d.flags |= D::kSasl;
        d.authz = d.hdr_from;
        c.out.push(Element::sasl_success());
    }
};
// SASL-9, CORE-38: invalid-authzid for a foreign authzid, else not-authorized;
// the stream stays open for dialback.
struct SendSaslFailure : Action<SendSaslFailure, D> {
    static void run(const Element& e, D& d, Context& c) {
        const bool bad_authzid = e.authzid != kNoDomain && e.authzid != d.hdr_from;
        ++d.sasl_failures;  // CORE-40
        c.out.push(Element::sasl_failure(bad_authzid ? Condition::InvalidAuthzid : Condition::NotAuthorized));
    }
};
// DB-22, BIDI-6: ask the authority of 'from' over another connection; the
// global model does that and comes back with a VerifyOutcome.
struct AskAuthority : Action<AskAuthority, D> {
    static void run(const Element& e, D& d, Context& c) {
        d.fwd.apply(e.from, e.to, PairEvent::Receive);
        c.out.push(Element::verify_needed(e.from, e.to, d.stream_id, e.key));
    }
};
// DB-24: item-not-found, the stream stays open.
struct RefuseUnknownTarget : Action<RefuseUnknownTarget, D> {
    static void run(const Element& e, D&, Context& c) {
        c.out.push(Element::db_result(e.to, e.from, DbType::Error, Condition::ItemNotFound));
    }
};
// RULES §8.5 (Prosody), CORE-25.
struct CloseHostUnknown : Action<CloseHostUnknown, D> {
    static void run(const Element&, D&, Context& c) { close_with(Condition::HostUnknown, c); }
};
// DB-25 (from/to swapped), DB-36 (remote-server-not-found for an error).
struct ReportVerdict : Action<ReportVerdict, D> {
    static void run(const Element& e, D& d, Context& c) {
        d.fwd.apply(e.from, e.to, pair_event_of(e.type));
        const Condition why = e.type == DbType::Error ? Condition::RemoteServerNotFound : Condition::None;
        c.out.push(Element::db_result(e.to, e.from, e.type, why));
        c.out.push(Element::pair_outcome(e.from, e.to, e.type));
    }
};
// DB-20, DB-28: a <forbidden/> dialback error for the pair; the stream stays.
struct ReportForbidden : Action<ReportForbidden, D> {
    static void run(const Element& e, D& d, Context& c) {
        d.fwd.apply(e.from, e.to, PairEvent::Invalid);
        c.out.push(Element::db_result(e.to, e.from, DbType::Error, Condition::Forbidden));
        c.out.push(Element::pair_outcome(e.from, e.to, DbType::Invalid));
    }
};
// DB-27: invalid on the first attempt: send the result, close the stream.
struct ReportInvalidAndClose : Action<ReportInvalidAndClose, D> {
    static void run(const Element& e, D& d, Context& c) {
        ReportVerdict::run(e, d, c);
        c.out.push(Element::stream_close());
    }
};
// BIDI-12: the answer to our reverse request.
struct RecordAnswer : Action<RecordAnswer, D> {
    static void run(const Element& e, D& d, Context& c) {
        d.rev.apply(e.to, e.from, pair_event_of(e.type));
        c.out.push(Element::pair_outcome(e.to, e.from, e.type));
    }
};
// DB-30, DB-31: compare the key, answer with from/to swapped and the same id.
struct AnswerVerify : Action<AnswerVerify, D> {
    static void run(const Element& e, D&, Context& c) {
        const DbType t = key_is_valid(e, *c.policy) ? DbType::Valid : DbType::Invalid;
        c.out.push(Element::db_verify(e.to, e.from, e.id, t));
    }
};
// DB-29: item-not-found, the stream stays open.
struct AnswerVerifyError : Action<AnswerVerifyError, D> {
    static void run(const Element& e, D&, Context& c) {
        c.out.push(Element::db_verify(e.to, e.from, e.id, DbType::Error, Condition::ItemNotFound));
    }
};
// BIDI-5, BIDI-7: a stanza R→I (the guard decides).
struct SendStanzaOut : Action<SendStanzaOut, D> {
    static void run(const Element& e, D&, Context& c) { c.out.push(Element::stanza(e.from, e.to, e.seq)); }
};
// Quirk accept-unsolicited-dialback (breaks BIDI-12, DB-45): the reverse
// pair is authorized as if we had asked for it.
struct RecordUnsolicitedAnswer : Action<RecordUnsolicitedAnswer, D> {
    static void run(const Element& e, D& d, Context& c) {
        d.rev.apply(e.to, e.from, PairEvent::Request);
        d.rev.apply(e.to, e.from, PairEvent::Valid);
        c.out.push(Element::pair_outcome(e.to, e.from, DbType::Valid));
    }
};
// Quirk verify-on-request-connection (breaks BIDI-6): the db:verify on this
// incoming stream, towards its initiator.
struct SendDbVerifyBack : Action<SendDbVerifyBack, D> {
    static void run(const Element& e, D&, Context& c) { c.out.push(Element::db_verify(e.from, e.to, e.id, e.key)); }
};
// BIDI-8, KEY-1: a reverse db:result with a key for this stream's id.
struct RequestReverseDialback : Action<RequestReverseDialback, D> {
    static void run(const Element& e, D& d, Context& c) {
        d.rev.apply(e.from, e.to, PairEvent::Request);
        c.out.push(Element::db_result(e.from, e.to, Key{d.stream_id, c.policy->secret, e.from, e.to, 0}));
    }
};
// RFC 6120 §4.4 (CORE-19, CORE-23).
struct ReplyClose : Action<ReplyClose, D> {
    static void run(const Element&, D&, Context& c) { c.out.push(Element::stream_close()); }
};

}  // namespace bidilab::model::fsm::receiving
