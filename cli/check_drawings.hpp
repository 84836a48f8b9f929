// cli/check_drawings.hpp — what `bidilab check` draws besides its report:
// the explored state graph (--dot, --svg; whole, or a quotient), and a
// sequence chart per violation or witness (--chart-dir).
#pragma once

#include <set>
#include <string>

#include "cli/args.hpp"
#include "cli/driver.hpp"
#include "properties/catalogue.hpp"

namespace bidilab::cli {

// The drawing options (a part of check's option table).
extern const Options drawing_options;

// Reads and checks the drawing options (UsageError before anything is
// explored); the result keeps the graph when one is drawn and draws after
// exploring, before the report is printed.
AfterExplore<properties::CheckedModel> check_drawings(const Args& a);

}  // namespace bidilab::cli
