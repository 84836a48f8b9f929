// model/transition_row.hpp — one row of a machine's transition table as plain
// data (names), for diagrams and documentation. Produced from the MSM table
// types, never written by hand (pair_auth's table is plain data already).
#pragma once

#include <string>

namespace bidilab::model {

struct TransitionRow {
    std::string source, event, target, action, guard;  // "none" where MSM has none
    friend bool operator==(const TransitionRow& a, const TransitionRow& b) {
        return a.source == b.source && a.event == b.event && a.target == b.target &&
               a.action == b.action && a.guard == b.guard;
    }
};

}  // namespace bidilab::model
