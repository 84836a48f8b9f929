// model/fsm/initiating_stream.cpp — the Boost.MSM machine of the initiating
// (dialling) end of an s2s stream, and the InitiatingStream members that run it.
#include "model/fsm/initiating_rules.hpp"

#include <boost/mpl/vector/vector50.hpp>

#include "model/row_coverage.hpp"

namespace bidilab::model {
namespace fsm::initiating {

// States: waiting conditions, empty.
struct AwaitingConnection : msmf::state<> {};
struct AwaitingStreamOpen : msmf::state<> {};
struct AwaitingFeatures : msmf::state<> {};
struct AwaitingProceed : msmf::state<> {};
struct AwaitingTlsHandshake : msmf::state<> {};
struct AwaitingSaslResult : msmf::state<> {};
struct Established : msmf::state<> {};
struct Closed : msmf::state<> {};

// Events: the elements.
using TcpConnected = Ev<ElementKind::TcpConnected>;
using StreamOpen = Ev<ElementKind::StreamOpen>;
using StreamFeatures = Ev<ElementKind::StreamFeatures>;
using Proceed = Ev<ElementKind::Proceed>;
using TlsFailure = Ev<ElementKind::TlsFailure>;
using TlsDone = Ev<ElementKind::TlsDone>;
using SaslSuccess = Ev<ElementKind::SaslSuccess>;
using SaslFailure = Ev<ElementKind::SaslFailure>;
using DbResult = Ev<ElementKind::DbResult>;
using DbVerify = Ev<ElementKind::DbVerify>;
using Stanza = Ev<ElementKind::Stanza>;
using StreamError = Ev<ElementKind::StreamError>;
using StreamClose = Ev<ElementKind::StreamClose>;
using RequestPair = Ev<ElementKind::RequestPair>;
using SendVerify = Ev<ElementKind::SendVerify>;
using SendStanza = Ev<ElementKind::SendStanza>;
using VerifyOutcome = Ev<ElementKind::VerifyOutcome>;

using msmf::none;
using msmf::Row;

struct Front : msmf::state_machine_def<Front> {
    typedef int no_message_queue;
    typedef int no_exception_thrown;

    InitiatingData data;     // the whole variable state
    Context* ctx = nullptr;  // not state: policy, fresh ids, outbox

    using initial_state = AwaitingConnection;

    // clang-format off
    struct transition_table : boost::mpl::vector43<
    //   Source                Event           Target                Action                      Guard                         Rules
    Row< AwaitingConnection,   TcpConnected,   AwaitingStreamOpen,   SendStreamOpen,             none                    >, // CORE-6, CORE-13, CORE-16, CORE-17
    Row< AwaitingStreamOpen,   StreamOpen,     AwaitingFeatures,     RecordStreamId,             SpeaksVersion1          >, // CORE-7, CORE-14, DB-15, CORE-2
    Row< AwaitingStreamOpen,   StreamOpen,     Established,          StartLegacyDialback,        LegacyPeerDialback      >, // CORE-17, DB-3, DB-33
    Row< AwaitingStreamOpen,   StreamOpen,     Established,          RecordLegacyStream,         LegacyPeerVerifyOnly    >, // CORE-17, DB-16
    Row< AwaitingStreamOpen,   StreamOpen,     Closed,               CloseUnsupportedVersion,    LegacyPeerUnacceptable  >, // CORE-17, EXT-1, CORE-26
    Row< AwaitingStreamOpen,   StreamError,    Closed,               ReplyClose,                 none                    >, // CORE-23, CORE-24
    Row< AwaitingStreamOpen,   StreamClose,    Closed,               ReplyClose,                 none                    >, // CORE-19
    Row< AwaitingFeatures,     StreamFeatures, AwaitingProceed,      SendStartTls,               ChoosesStartTls         >, // CORE-28, SASL-1, BIDI-3
    Row< AwaitingFeatures,     StreamFeatures, AwaitingProceed,      SendStartTls,               TriesUnofferedTls       >, // EXT-1 (RW-28)
    Row< AwaitingFeatures,     StreamFeatures, Closed,               ClosePolicyViolation,       TlsRequiredNotOffered   >, // EXT-1, CORE-55
    Row< AwaitingFeatures,     StreamFeatures, Closed,               CloseUnsupportedFeature,    CannotNegotiate         >, // CORE-26, CORE-40
    Row< AwaitingFeatures,     StreamFeatures, Established,          RecordNegotiated,           NegotiationComplete     >, // CORE-4, CORE-35
    Row< AwaitingFeatures,     StreamFeatures, AwaitingSaslResult,   RequestBidiAndAuthenticate, ChoosesSaslWithBidi     >, // BIDI-3, BIDI-4, SASL-4, SASL-6
    Row< AwaitingFeatures,     StreamFeatures, AwaitingSaslResult,   Authenticate,               ChoosesSasl             >, // SASL-4, CORE-37, CORE-29
    Row< AwaitingFeatures,     StreamFeatures, Established,          RequestBidiAndDialback,     ChoosesDialbackWithBidi >, // BIDI-3, BIDI-4, DB-3
    Row< AwaitingFeatures,     StreamFeatures, Established,          StartDialback,              ChoosesDialback         >, // DB-3, DB-33, SASL-5
    Row< AwaitingFeatures,     StreamFeatures, Established,          RecordNegotiated,           ChoosesVerifyOnly       >, // DB-16
    Row< AwaitingFeatures,     StreamError,    Closed,               ReplyClose,                 none                    >, // CORE-23
    Row< AwaitingFeatures,     StreamClose,    Closed,               ReplyClose,                 none                    >, // CORE-19
    Row< AwaitingProceed,      Proceed,        AwaitingTlsHandshake, none,                       none                    >, // CORE-32
    Row< AwaitingProceed,      TlsFailure,     Closed,               none,                       none                    >, // CORE-31
    Row< AwaitingProceed,      StreamError,    Closed,               ReplyClose,                 none                    >, // CORE-23
    Row< AwaitingProceed,      StreamClose,    Closed,               ReplyClose,                 none                    >, // CORE-19
    Row< AwaitingTlsHandshake, TlsDone,        AwaitingStreamOpen,   RestartAfterTls,            none                    >, // CORE-27, CORE-29, CORE-6
    Row< AwaitingSaslResult,   SaslSuccess,    AwaitingStreamOpen,   RestartAfterSasl,           none                    >, // CORE-35, SASL-8
    Row< AwaitingSaslResult,   SaslFailure,    Established,          StartDialback,              FallsBackToDialback     >, // SASL-9, CORE-43
    Row< AwaitingSaslResult,   SaslFailure,    Closed,               CloseStream,                GivesUpAfterSaslFailure >, // SASL-9
    Row< AwaitingSaslResult,   StreamError,    Closed,               ReplyClose,                 none                    >, // CORE-23
    Row< AwaitingSaslResult,   StreamClose,    Closed,               ReplyClose,                 none                    >, // CORE-19
    Row< Established,          RequestPair,    Established,          RequestDialback,            MayRequestPair          >, // DB-3, DB-41, DB-42
    Row< Established,          DbResult,       Established,          RecordAnswer,               AnswersPendingRequest   >, // DB-10..DB-14, DB-25
    Row< Established,          DbResult,       Closed,               CloseNotAuthorized,         DialbackErrorIsFatal    >, // breaks DB-14, BIDI-10: quirk no-dialback-errors
    Row< Established,          DbResult,       Closed,               CloseNotAuthorized,         EndsOverUnsupportedError>, // DB-35: choice unsupported_dialback_error
    Row< Established,          DbResult,       Established,          RecordUnsolicitedAnswer,    AcceptsUnsolicitedResult>, // breaks DB-10, DB-45: quirk accept-unsolicited-dialback
    Row< Established,          DbResult,       Established,          AskAuthority,               IsReverseRequest        >, // BIDI-6, BIDI-8, BIDI-9
    Row< Established,          DbResult,       Closed,               CloseInvalidId,             RejectsReverseRequest   >, // breaks BIDI-8, BIDI-10: quirk reject-reverse-dialback
    Row< Established,          VerifyOutcome,  Established,          AnswerReverseRequest,       AnswersReverseRequest   >, // BIDI-10, DB-25
    Row< Established,          SendVerify,     Established,          SendDbVerify,               MaySendVerify           >, // DB-15, DB-16
    Row< Established,          DbVerify,       Established,          ReportVerifyAnswer,         AnswersPendingVerify    >, // DB-18, DB-31
    Row< Established,          SendStanza,     Established,          SendStanzaOut,              MaySend                 >, // DB-6, CORE-10
    Row< Established,          Stanza,         Established,          none,                       PeerMaySend             >, // BIDI-13, CORE-46
    Row< Established,          StreamError,    Closed,               ReplyClose,                 none                    >, // CORE-23
    Row< Established,          StreamClose,    Closed,               ReplyClose,                 none                    >  // CORE-19
    > {};
    // clang-format on

    template <class Fsm, class Event>
    void no_transition(const Event&, Fsm&, int) {}  // reported by deliver() from the result
};

using Machine = boost::msm::back::state_machine<Front>;
using S = InitiatingStream::State;
static_assert(state_id<Machine, AwaitingConnection>() == int(S::AwaitingConnection));
static_assert(state_id<Machine, AwaitingStreamOpen>() == int(S::AwaitingStreamOpen));
static_assert(state_id<Machine, AwaitingFeatures>() == int(S::AwaitingFeatures));
static_assert(state_id<Machine, AwaitingProceed>() == int(S::AwaitingProceed));
static_assert(state_id<Machine, AwaitingTlsHandshake>() == int(S::AwaitingTlsHandshake));
static_assert(state_id<Machine, AwaitingSaslResult>() == int(S::AwaitingSaslResult));
static_assert(state_id<Machine, Established>() == int(S::Established));
static_assert(state_id<Machine, Closed>() == int(S::Closed));

// Which stream error answers a violation, and which rules it breaks.
void classify(Outcome& o, const Element& e, S state, const D& d, const ServerPolicy& p) {
    auto set = [&](Condition c, const char* rules) { o.condition = c; o.rules = rules; };
    const bool typed = e.type != DbType::None;
    switch (e.kind) {
        case ElementKind::Stanza:
            if (state == S::Established && (e.from == kNoDomain || e.to == kNoDomain))
                return set(Condition::ImproperAddressing, "CORE-44, CORE-18");
            // CORE-45, CORE-50: over bidi too, a 'to' we do not serve is host-unknown.
            if (state == S::Established && !p.hosts(e.to)) return set(Condition::HostUnknown, "CORE-45, CORE-50");
            if (state == S::Established) return set(Condition::InvalidFrom, "CORE-46, BIDI-13, DB-46");
            return set(Condition::NotAuthorized, "CORE-10, CORE-54, BIDI-5");
        case ElementKind::DbResult:
            if (typed) return set(Condition::NotAuthorized, "DB-10, DB-45, BIDI-11");
            return set(Condition::UnsupportedStanzaType, d.has(D::kBidi) ? "BIDI-8, BIDI-9" : "DB-21, DB-32");
        case ElementKind::DbVerify:
            if (typed) return set(Condition::NotAuthorized, "DB-18, DB-45");
            return set(Condition::UnsupportedStanzaType, "DB-16");
        case ElementKind::StreamOpen: return set(Condition::NotAuthorized, "CORE-5, CORE-6");
        case ElementKind::StreamFeatures: return set(Condition::UndefinedCondition, "CORE-9");
        case ElementKind::Proceed:
        case ElementKind::TlsFailure: return set(Condition::UndefinedCondition, "CORE-31");
        case ElementKind::SaslSuccess:
        case ElementKind::SaslFailure: return set(Condition::UndefinedCondition, "CORE-35");
        case ElementKind::StartTls:
        case ElementKind::SaslAuth:
        case ElementKind::Bidi: return set(Condition::UnsupportedStanzaType, "CORE-26, BIDI-2");
        case ElementKind::RequestPair: return set(Condition::None, "DB-3, DB-13, DB-42");
        case ElementKind::SendStanza: return set(Condition::None, "DB-6, CORE-10");
        case ElementKind::SendVerify: return set(Condition::None, "DB-15, DB-18");
        case ElementKind::StreamError:
        case ElementKind::StreamClose: return set(Condition::None, "CORE-32");  // during TLS
        default: return set(Condition::None, "");  // a non-wire input out of order: a global-model bug
    }
}

}  // namespace fsm::initiating

// The engine type is named in InitiatingStream (friend) to reach the value.
struct InitiatingEngine {
    static Outcome deliver(InitiatingStream& s, const Element& e, Context& ctx) {
        using namespace fsm::initiating;
        const Outcome outcome = fsm::deliver_to_value<Machine, InitiatingStream::kStateCount>(
            s.state_, s.data_, InitiatingStream::state_name(s.state_), e, ctx,
            [&](Outcome& o) { classify(o, e, s.state_, s.data_, *ctx.policy); });
        RowCoverage::note(StreamMachine::Initiating, outcome);  // bidilab check --coverage
        return outcome;
    }
};

Outcome InitiatingStream::deliver(const Element& e, Context& ctx) { return InitiatingEngine::deliver(*this, e, ctx); }

using InitiatingStreamFacts = fsm::TableFacts<fsm::initiating::Machine, InitiatingStream::kStateCount>;
const char* InitiatingStream::state_name(State s) { return InitiatingStreamFacts::state_name(static_cast<int>(s)); }
const std::vector<TransitionRow>& InitiatingStream::transition_table() { return InitiatingStreamFacts::rows(); }
bool InitiatingStream::has_row(State s, ElementKind k) { return InitiatingStreamFacts::has_row(static_cast<int>(s), k); }

}  // namespace bidilab::model
