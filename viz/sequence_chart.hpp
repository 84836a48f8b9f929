// viz/sequence_chart.hpp — a trace as a message sequence chart in SVG: one
// lifeline per server and per connection endpoint (I1, R1, ...), one
// horizontal arrow per element moved, from the sending endpoint to the
// receiving one, labelled with the element in short form (element_label);
// a server's submitted stanza as a note on its lifeline, a TLS handshake as
// a band between the two ends; each arrow starts at the step that wrote the
// element and ends at the step that read it (slanted when they differ, as
// in SPIN's charts: a collision shows as two crossing arrows), and an
// element still unread when the trace ends is a dashed stub from its writer; beside each step the rule IDs it touches
// (element_labels.hpp), for the final step of a violation or witness the
// property's. Drawn directly (a chart is columns and rows, not a graph
// layout), deterministic: the same trace gives the same bytes.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "model/xmpp_model.hpp"
#include "viz/output.hpp"
#include "viz/transcript.hpp"

namespace bidilab::viz {

struct ChartOptions {
    enum class Ending { Plain, Violation, Witness };
    std::string title;                       // drawn on top ("" for none)
    Ending ending = Ending::Plain;            // colours the final step red (violation) or green (witness)
    std::vector<std::string> final_rules;    // the final step's rule IDs (a property's); empty: by element kind
    std::optional<std::size_t> loop_start;   // a lasso: the final state is the state after this step
    std::optional<Blame> blame;              // the element a violated step property blames: drawn red
    // A rule ID's text ("CORE-7: «...» §4.3.3"), shown when the pointer rests
    // on the ID in the rules column; none: the IDs alone.
    std::function<std::string(const std::string&)> rule_text;
};

std::string sequence_chart_svg(const model::XmppModel& m, const std::vector<TranscriptStep>& steps,
                               const ChartOptions& options = {});

// Writes the chart to `file`; throws OutputError (viz/output.hpp) if it cannot.
void write_sequence_chart(const model::XmppModel& m, const std::vector<TranscriptStep>& steps,
                          const std::string& file, const ChartOptions& options = {});

}  // namespace bidilab::viz
