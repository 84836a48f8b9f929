// model/fsm/receiving_stream.cpp — the Boost.MSM machine of the receiving
// (accepting) end of an s2s stream, and the ReceivingStream members that run it.
#include "model/fsm/receiving_rules.hpp"

#include <boost/mpl/vector/vector50.hpp>

#include "model/row_coverage.hpp"

namespace bidilab::model {
namespace fsm::receiving {

// States: waiting conditions, empty.
struct AwaitingStreamOpen : msmf::state<> {};
struct AwaitingNegotiation : msmf::state<> {};  // features sent, peer not yet authenticated
struct AwaitingTlsHandshake : msmf::state<> {};
struct Established : msmf::state<> {};          // peer authenticated (SASL or a valid pair)
struct Closed : msmf::state<> {};

// Events: the elements.
using StreamOpen = Ev<ElementKind::StreamOpen>;
using StartTls = Ev<ElementKind::StartTls>;
using TlsDone = Ev<ElementKind::TlsDone>;
using Bidi = Ev<ElementKind::Bidi>;
using SaslAuth = Ev<ElementKind::SaslAuth>;
using DbResult = Ev<ElementKind::DbResult>;
using DbVerify = Ev<ElementKind::DbVerify>;
using VerifyOutcome = Ev<ElementKind::VerifyOutcome>;
using Stanza = Ev<ElementKind::Stanza>;
using SendStanza = Ev<ElementKind::SendStanza>;
using RequestPair = Ev<ElementKind::RequestPair>;
using SendVerify = Ev<ElementKind::SendVerify>;
using StreamError = Ev<ElementKind::StreamError>;
using StreamClose = Ev<ElementKind::StreamClose>;

using msmf::none;
using msmf::Row;

struct Front : msmf::state_machine_def<Front> {
    typedef int no_message_queue;
    typedef int no_exception_thrown;

    ReceivingData data;      // the whole variable state
    Context* ctx = nullptr;  // not state: policy, fresh ids, outbox

    using initial_state = AwaitingStreamOpen;

    // clang-format off
    struct transition_table : boost::mpl::vector45<
    //   Source                Event          Target                Action                  Guard                            Rules
    Row< AwaitingStreamOpen,   StreamOpen,    AwaitingNegotiation,  SendHeaderAndFeatures,  OpensStream                >, // CORE-2, CORE-7, BIDI-1, SASL-4, CORE-17
    Row< AwaitingStreamOpen,   StreamOpen,    Closed,               RejectUnknownHost,      TargetNotHosted            >, // CORE-24, CORE-25
    Row< AwaitingStreamOpen,   StreamOpen,    Closed,               RefuseWeakIdentity,     NoAuthenticationPossible   >, // CORE-34, CORE-40
    Row< AwaitingStreamOpen,   StreamOpen,    Established,          SendHeaderAndFeatures,  RestartsAfterSasl          >, // CORE-42, CORE-8, SASL-8
    Row< AwaitingStreamOpen,   StreamOpen,    AwaitingNegotiation,  SendLegacyHeader,       OpensLegacyStream          >, // CORE-17, DB-33
    Row< AwaitingStreamOpen,   StreamOpen,    Closed,               RefuseUnsupportedVersion,RefusesLegacyPeer         >, // CORE-17, CORE-28, DB-38
    Row< AwaitingStreamOpen,   StreamError,   Closed,               ReplyClose,             none                       >, // CORE-23
    Row< AwaitingStreamOpen,   StreamClose,   Closed,               ReplyClose,             none                       >, // CORE-19
    Row< AwaitingNegotiation,  StartTls,      AwaitingTlsHandshake, SendProceed,            ProceedsWithTls            >, // CORE-28, CORE-32
    Row< AwaitingNegotiation,  StartTls,      Closed,               RefuseTls,              FailsOfferedTls            >, // CORE-31 (cause 3)
    Row< AwaitingNegotiation,  StartTls,      Closed,               RefuseTls,              TlsNotOffered              >, // CORE-31
    Row< AwaitingNegotiation,  StartTls,      Closed,               CloseUnsupportedStanzaType,TlsNotSupported         >, // CORE-26, EXT-1 (RW-28)
    Row< AwaitingNegotiation,  Bidi,          AwaitingNegotiation,  EnableBidi,             OfferedBidi                >, // BIDI-2, BIDI-3, BIDI-4
    Row< AwaitingNegotiation,  SaslAuth,      AwaitingStreamOpen,   SendSaslSuccess,        ExternalAcceptable         >, // SASL-8, CORE-41, CORE-35
    Row< AwaitingNegotiation,  SaslAuth,      AwaitingNegotiation,  SendSaslFailure,        ExternalNotAcceptable      >, // SASL-9, CORE-38
    Row< AwaitingNegotiation,  SaslAuth,      Closed,               ClosePolicyViolation,   SaslRetriesExhausted       >, // CORE-40
    Row< AwaitingNegotiation,  DbResult,      AwaitingNegotiation,  AskAuthority,           AcceptableRequest          >, // DB-22, BIDI-6
    Row< AwaitingNegotiation,  DbResult,      AwaitingNegotiation,  RefuseUnknownTarget,    UnknownTargetDialbackError >, // DB-24
    Row< AwaitingNegotiation,  DbResult,      Closed,               CloseHostUnknown,       UnknownTargetStreamError   >, // RULES 8.5 (Prosody)
    Row< AwaitingNegotiation,  VerifyOutcome, Established,          ReportVerdict,          VerifiedValid              >, // DB-25, DB-2
    Row< AwaitingNegotiation,  VerifyOutcome, Closed,               ReportInvalidAndClose,  VerifiedInvalid            >, // DB-26, DB-27
    Row< AwaitingNegotiation,  VerifyOutcome, AwaitingNegotiation,  ReportForbidden,        AnswersForbidden           >, // DB-20, DB-26
    Row< AwaitingNegotiation,  VerifyOutcome, AwaitingNegotiation,  ReportVerdict,          VerifiedError              >, // DB-36, DB-35
    Row< AwaitingNegotiation,  DbVerify,      AwaitingNegotiation,  AnswerVerify,           IsVerifyRequest            >, // DB-30, DB-31
    Row< AwaitingNegotiation,  DbVerify,      AwaitingNegotiation,  AnswerVerifyError,      VerifyForUnknownDomain     >, // DB-29
    Row< AwaitingNegotiation,  SendStanza,    AwaitingNegotiation,  SendStanzaOut,          MaySendReverse             >, // BIDI-5: fires only with quirk send-before-auth
    Row< AwaitingNegotiation,  SendVerify,    AwaitingNegotiation,  SendDbVerifyBack,       VerifiesOnRequestConnection>, // breaks BIDI-6: quirk verify-on-request-connection
    Row< AwaitingNegotiation,  StreamError,   Closed,               ReplyClose,             none                       >, // CORE-23
    Row< AwaitingNegotiation,  StreamClose,   Closed,               ReplyClose,             none                       >, // CORE-19
    Row< AwaitingTlsHandshake, TlsDone,       AwaitingStreamOpen,   DiscardInsecureState,   none                       >, // CORE-27, CORE-29
    Row< Established,          DbResult,      Established,          AskAuthority,           AcceptableRequest          >, // DB-40, DB-41, DB-23
    Row< Established,          DbResult,      Established,          RefuseUnknownTarget,    UnknownTargetDialbackError >, // DB-24
    Row< Established,          DbResult,      Closed,               CloseHostUnknown,       UnknownTargetStreamError   >, // RULES 8.5 (Prosody)
    Row< Established,          DbResult,      Established,          RecordAnswer,           AnswersReverseRequest      >, // BIDI-12, DB-10
    Row< Established,          DbResult,      Established,          RecordUnsolicitedAnswer,AcceptsUnsolicitedAnswer   >, // breaks BIDI-12, DB-45: quirk accept-unsolicited-dialback
    Row< Established,          VerifyOutcome, Established,          ReportVerdict,          AnswersPendingRequest      >, // DB-25, DB-28, DB-36
    Row< Established,          VerifyOutcome, Established,          ReportForbidden,        AnswersForbidden           >, // DB-20, DB-28
    Row< Established,          DbVerify,      Established,          AnswerVerify,           IsVerifyRequest            >, // DB-30, DB-31
    Row< Established,          DbVerify,      Established,          AnswerVerifyError,      VerifyForUnknownDomain     >, // DB-29
    Row< Established,          Stanza,        Established,          none,                   SenderAuthorized           >, // CORE-45, CORE-46, DB-26
    Row< Established,          SendStanza,    Established,          SendStanzaOut,          MaySendReverse             >, // BIDI-5, BIDI-7
    Row< Established,          SendVerify,    Established,          SendDbVerifyBack,       VerifiesOnRequestConnection>, // breaks BIDI-6: quirk verify-on-request-connection
    Row< Established,          RequestPair,   Established,          RequestReverseDialback, MayRequestReverse          >, // BIDI-8, BIDI-9, DB-44
    Row< Established,          StreamError,   Closed,               ReplyClose,             none                       >, // CORE-23
    Row< Established,          StreamClose,   Closed,               ReplyClose,             none                       >  // CORE-19
    > {};
    // clang-format on

    template <class Fsm, class Event>
    void no_transition(const Event&, Fsm&, int) {}  // reported by deliver() from the result
};

using Machine = boost::msm::back::state_machine<Front>;
using S = ReceivingStream::State;
static_assert(state_id<Machine, AwaitingStreamOpen>() == int(S::AwaitingStreamOpen));
static_assert(state_id<Machine, AwaitingNegotiation>() == int(S::AwaitingNegotiation));
static_assert(state_id<Machine, AwaitingTlsHandshake>() == int(S::AwaitingTlsHandshake));
static_assert(state_id<Machine, Established>() == int(S::Established));
static_assert(state_id<Machine, Closed>() == int(S::Closed));

// Has I proven `from` on this stream, for some pair? (DB-2, SASL-8, BIDI-13)
bool sender_proven(const D& d, DomainId from) {
    if (d.fwd.valid_sender(from) || (d.has(D::kSasl) && d.authz == from)) return true;
    return d.has(D::kBidi) && d.rev.valid_target(from);
}

// Which stream error answers a violation, and which rules it breaks.
void classify(Outcome& o, const Element& e, S state, const D& d, const ServerPolicy& p) {
    auto set = [&](Condition c, const char* rules) { o.condition = c; o.rules = rules; };
    const bool typed = e.type != DbType::None;
    switch (e.kind) {
        case ElementKind::Stanza:
            if (state == S::Established && (e.from == kNoDomain || e.to == kNoDomain))
                return set(Condition::ImproperAddressing, "CORE-44, CORE-18");
            // CORE-45, CORE-50: a 'to' we do not serve, or one not validated
            // for a sender that is proven here: host-unknown.
            if (state == S::Established && (!p.hosts(e.to) || sender_proven(d, e.from)))
                return set(Condition::HostUnknown, "CORE-45, CORE-50");
            if (state == S::Established) return set(Condition::InvalidFrom, "CORE-46, DB-26");  // an unproven 'from'
            return set(Condition::NotAuthorized, "CORE-10, CORE-54");
        case ElementKind::Bidi:
            if (e.swapped_bidi_ns()) return set(Condition::UnsupportedStanzaType, "BIDI-2");  // RW-7: what Prosody answers
            return set(Condition::UnsupportedStanzaType, "BIDI-3, BIDI-4");
        case ElementKind::DbResult:
            if (typed) return set(Condition::NotAuthorized, "BIDI-12, DB-21, DB-45");
            if (!d.has(D::kTls) && p.tls == TlsPolicy::Required)
                return set(Condition::PolicyViolation, "DB-38, CORE-28");
            if (!p.dialback) return set(Condition::UnsupportedStanzaType, "DB-33");
            return set(Condition::NotAuthorized, "DB-3, DB-22");
        case ElementKind::DbVerify: return set(Condition::NotAuthorized, "DB-21, DB-18");
        case ElementKind::StreamOpen:
            if (state == S::AwaitingStreamOpen) return set(Condition::ImproperAddressing, "CORE-41, CORE-42");
            return set(Condition::NotAuthorized, "CORE-5, CORE-6");
        case ElementKind::StartTls: return set(Condition::UnsupportedStanzaType, "CORE-33");
        case ElementKind::SaslAuth: return set(Condition::UnsupportedStanzaType, "CORE-29, CORE-9");
        case ElementKind::SendStanza: return set(Condition::None, "BIDI-5, BIDI-7");
        case ElementKind::RequestPair: return set(Condition::None, "BIDI-8, BIDI-9");
        case ElementKind::VerifyOutcome: return set(Condition::None, "DB-19");
        case ElementKind::StreamError:
        case ElementKind::StreamClose: return set(Condition::None, "CORE-32");  // during TLS
        default:
            if (!is_wire(e.kind)) return set(Condition::None, "");  // a global-model bug
            return set(Condition::UnsupportedStanzaType, "CORE-26");
    }
}

}  // namespace fsm::receiving

struct ReceivingEngine {
    static Outcome deliver(ReceivingStream& s, const Element& e, Context& ctx) {
        using namespace fsm::receiving;
        const Outcome outcome = fsm::deliver_to_value<Machine, ReceivingStream::kStateCount>(
            s.state_, s.data_, ReceivingStream::state_name(s.state_), e, ctx,
            [&](Outcome& o) { classify(o, e, s.state_, s.data_, *ctx.policy); });
        RowCoverage::note(StreamMachine::Receiving, outcome);  // bidilab check --coverage
        return outcome;
    }
};

Outcome ReceivingStream::deliver(const Element& e, Context& ctx) { return ReceivingEngine::deliver(*this, e, ctx); }

using ReceivingStreamFacts = fsm::TableFacts<fsm::receiving::Machine, ReceivingStream::kStateCount>;
const char* ReceivingStream::state_name(State s) { return ReceivingStreamFacts::state_name(static_cast<int>(s)); }
const std::vector<TransitionRow>& ReceivingStream::transition_table() { return ReceivingStreamFacts::rows(); }
bool ReceivingStream::has_row(State s, ElementKind k) { return ReceivingStreamFacts::has_row(static_cast<int>(s), k); }

}  // namespace bidilab::model
