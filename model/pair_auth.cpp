#include "model/pair_auth.hpp"

namespace bidilab::model {

namespace {
struct PairRow {
    PairState source;
    PairEvent event;
    PairState target;
};
// clang-format off
constexpr PairRow kRows[] = {
//    source                 event                target
    { PairState::Idle,       PairEvent::Request,  PairState::Requested },  // DB-3
    { PairState::Idle,       PairEvent::Receive,  PairState::Verifying },  // DB-22, BIDI-6
    { PairState::Requested,  PairEvent::Valid,    PairState::Valid     },  // DB-10, DB-11
    { PairState::Requested,  PairEvent::Invalid,  PairState::Invalid   },  // DB-12, DB-13
    { PairState::Requested,  PairEvent::Error,    PairState::Error     },  // DB-14
    { PairState::Verifying,  PairEvent::Valid,    PairState::Valid     },  // DB-25
    { PairState::Verifying,  PairEvent::Invalid,  PairState::Invalid   },  // DB-26, DB-27
    { PairState::Verifying,  PairEvent::Error,    PairState::Error     },  // DB-36
};
// clang-format on
}  // namespace

const char* pair_state_name(PairState s) {
    switch (s) {
        case PairState::Idle: return "Idle";
        case PairState::Requested: return "Requested";
        case PairState::Verifying: return "Verifying";
        case PairState::Valid: return "Valid";
        case PairState::Invalid: return "Invalid";
        case PairState::Error: return "Error";
    }
    return "?";
}

const char* pair_event_name(PairEvent e) {
    switch (e) {
        case PairEvent::Request: return "Request";
        case PairEvent::Receive: return "Receive";
        case PairEvent::Valid: return "Valid";
        case PairEvent::Invalid: return "Invalid";
        case PairEvent::Error: return "Error";
    }
    return "?";
}

std::optional<PairState> pair_auth_next(PairState s, PairEvent e) {
    for (const PairRow& r : kRows)
        if (r.source == s && r.event == e) return r.target;
    return std::nullopt;
}

PairEvent pair_event_of(DbType verdict) {
    switch (verdict) {
        case DbType::Valid: return PairEvent::Valid;
        case DbType::Invalid: return PairEvent::Invalid;
        default: return PairEvent::Error;  // CORE-43 spirit: anything else is a failure
    }
}

const std::vector<TransitionRow>& pair_auth_table() {
    static const std::vector<TransitionRow> rows = [] {
        std::vector<TransitionRow> out;
        for (const PairRow& r : kRows)
            out.push_back({pair_state_name(r.source), pair_event_name(r.event), pair_state_name(r.target),
                           "none", "none"});
        return out;
    }();
    return rows;
}

}  // namespace bidilab::model
