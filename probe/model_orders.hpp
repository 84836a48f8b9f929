// probe/model_orders.hpp — probe scenarios whose played-side order is one of
// the model's own orderings (issue: "the orderings the checker knows"):
//   witness-NAME  the shortest trace `check` finds for each `sometimes`
//                 property of the catalogue on the probe's topology (the live
//                 server modeled as the topology describes it), projected on
//                 the played servers' steps (probe/played_order.hpp);
//   walk-SEED-R   seeded random walks of the same model (sim/simulator.hpp),
//                 kept when a walk takes a row of the played servers' stream
//                 machines on a connection with the live server that no
//                 earlier kept walk took (a greedy cover of the rows the
//                 live server can make the played side take), at most
//                 `walks` of them.
//   row-M-N       for each such row that some ordering takes and no earlier
//                 scenario's ordering does (row N of machine M: I for the
//                 initiating stream, R for the receiving one), the shortest
//                 ordering that takes it (breadth-first, every transition).
// reachable_rows gives the measure of that cover: every such row the model
// takes in any ordering (the same search).
// Both are computed before the live server is dialled, from the topology
// alone, so the same topology and seed give the same scenarios every run.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/row_coverage.hpp"
#include "model/scenario.hpp"
#include "probe/played_order.hpp"

namespace bidilab::probe {

struct ModelOrder {
    std::string name;
    std::string description;
    PlayedOrder order;
};

// Witnesses of the catalogue's `sometimes` properties in `sc` (the played
// servers' stanzas only), explored breadth-first up to `max_states` states;
// those whose projection has no played step, or the same steps as an
// earlier one, are left out.
// `covered`, when given, gains the rows of the played machines on a
// connection with `live` that the kept orderings take in the model.
std::vector<ModelOrder> witness_orders(const model::Scenario& sc, model::ServerIndex live, std::uint64_t max_states,
                                       model::RowCoverage* covered = nullptr);

// Up to `walks` random walks of `sc` (seed, runs 0 .. tries-1, at most 400
// steps each), each kept when it takes a played machine's row on a
// connection with `live` that no earlier kept walk took, and its
// projection differs from every kept one.
std::vector<ModelOrder> walk_orders(const model::Scenario& sc, model::ServerIndex live, std::uint64_t seed,
                                    std::uint32_t walks, std::uint32_t tries, model::RowCoverage* covered = nullptr);

// What reachable_rows gives (below).
struct ReachableRows {
    model::RowCoverage rows;
    bool complete = false;
};

// For each row of the played machines on a connection with `live` that
// some ordering of `sc` takes (up to `max_states` states) and `covered`
// does not hold, in the order the search first takes them: the shortest
// ordering taking it, unless one kept here or in `earlier` has the same
// played steps. `covered` gains the rows of every ordering kept;
// `reachable`, when given, gets what reachable_rows gives (the same search).
std::vector<ModelOrder> row_orders(const model::Scenario& sc, model::ServerIndex live, std::uint64_t max_states,
                                   model::RowCoverage& covered, const std::vector<ModelOrder>& earlier = {},
                                   ReachableRows* reachable = nullptr);

// The rows of the played servers' machines (every server but `live`) that
// some ordering of `sc` takes on a connection with `live`: `check
// --coverage` restricted to them (every transition, breadth-first, up to
// `max_states` states; complete: the search was).
ReachableRows reachable_rows(const model::Scenario& sc, model::ServerIndex live, std::uint64_t max_states);

}  // namespace bidilab::probe
