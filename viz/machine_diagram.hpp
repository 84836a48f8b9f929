// viz/machine_diagram.hpp — each protocol machine drawn from its transition
// table as the code has it (InitiatingStream::transition_table() and
// ReceivingStream::transition_table() are read from the Boost.MSM table
// types; pair_auth_table() is the pair rows' data), so a diagram cannot
// drift from the code: states as vertices, one edge per row labelled
// "Event [Guard] / Action".
#pragma once

#include <string>
#include <vector>

#include "model/transition_row.hpp"
#include "viz/state_graph.hpp"

namespace bidilab::viz {

struct MachineTable {
    std::string name;     // file stem: "initiating_stream"
    std::string title;    // "InitiatingStream"
    std::string initial;  // the initial state's name, from the code
    std::vector<model::TransitionRow> rows;
    std::size_t hidden = 0;  // rows left out (without_error_rows)
};

// InitiatingStream, ReceivingStream, the pair authorization, in that order.
std::vector<MachineTable> machine_tables();

// The table without its error rows: those that end the stream (target
// Closed: stream errors, closes, refusals), for a picture of the negotiation
// itself. `hidden` counts them; a table without a Closed state is unchanged.
MachineTable without_error_rows(MachineTable table);

// The table without its error rows: those that end the stream (target
// Closed: stream errors, closes, refusals), for a picture of the negotiation
// itself. `hidden` counts them; a table without a Closed state is unchanged.
MachineTable without_error_rows(MachineTable table);

// "Event [Guard] / Action", leaving out the guard and action where MSM has none.
std::string row_label(const model::TransitionRow& row);

// States in order of first appearance in the table (the initial one first),
// one edge per row in table order; states without outgoing rows are terminal.
Diagram machine_diagram(const MachineTable& table);
std::string machine_dot(const MachineTable& table);

// The table as aligned text: a title line, then Source Event Guard Action Target.
std::string machine_table_text(const MachineTable& table);

}  // namespace bidilab::viz
