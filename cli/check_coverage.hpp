// cli/check_coverage.hpp — `bidilab check --coverage`: the rows of the two
// stream machines' transition tables (model/fsm/) that no explored ordering
// took, after the property lines and as the `coverage` key of the JSON
// report. The exit code is the properties' alone.
#pragma once

#include <ostream>

#include <nlohmann/json.hpp>

#include "cli/args.hpp"
#include "cli/driver.hpp"
#include "model/row_coverage.hpp"
#include "properties/catalogue.hpp"

namespace bidilab::cli {

// The `--coverage` option (a part of check's option table).
extern const Options coverage_options;

// Per machine "coverage: InitiatingStream 10/38 rows taken; never taken:"
// and one line per row never taken, "Source --Event [Guard] / Action--> Target";
// `complete` false says the counts are those of a partial run.
void print_coverage(const model::RowCoverage& coverage, bool complete, std::ostream& out);
// {"complete", "machines": [{"machine", "rows", "taken", "never_taken":
// [{"source", "event", "target", "action", "guard"}]}]}
nlohmann::json coverage_json(const model::RowCoverage& coverage, bool complete);

// With --coverage: records the rows taken while the check explores (and only
// then) and adds them to its report; `after` keeps what it did before.
void add_coverage(const Args& a, AfterExplore<properties::CheckedModel>& after);

}  // namespace bidilab::cli
