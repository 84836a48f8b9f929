// model/pair_auth.hpp — the authorization of one (sender, target) domain pair
// on one stream, one direction (XEP-0220 §2.6 multiplexing: each pair has its
// own). A plain table, not an MSM machine: a pair's state is one byte in a
// stream's PairTable, and its rows are few enough to keep as data.
//
//   Idle --Request--> Requested     initiating side sent db:result     (DB-3)
//   Idle --Receive--> Verifying     receiving side asked the authority (DB-22, BIDI-6)
//   Requested|Verifying --Valid--> Valid      (DB-11, DB-25)
//   Requested|Verifying --Invalid--> Invalid  (DB-12, DB-26)
//   Requested|Verifying --Error--> Error      (DB-14, DB-36)
// Valid, Invalid and Error are final on this stream (DB-39: retry on a new one).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "model/element.hpp"
#include "model/transition_row.hpp"

namespace bidilab::model {

enum class PairState : std::uint8_t { Idle, Requested, Verifying, Valid, Invalid, Error };
enum class PairEvent : std::uint8_t { Request, Receive, Valid, Invalid, Error };

const char* pair_state_name(PairState s);
const char* pair_event_name(PairEvent e);

// The next state, or nullopt when the event is not allowed in `s`.
std::optional<PairState> pair_auth_next(PairState s, PairEvent e);

// The verdict of a typed db:result / VerifyOutcome as a pair event.
PairEvent pair_event_of(DbType verdict);

// The rows above as data (guard and action "none").
const std::vector<TransitionRow>& pair_auth_table();

}  // namespace bidilab::model
