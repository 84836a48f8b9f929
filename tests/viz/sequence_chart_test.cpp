// Sequence charts: one arrow per element moved, in the trace's order.
#include <gtest/gtest.h>

#include <expat.h>

#include <regex>

#include "sim/explorer.hpp"
#include "viz/element_labels.hpp"
#include "viz/graphviz.hpp"
#include "viz/sequence_chart.hpp"

#include "support.hpp"

namespace {

using bidilab::model::Action;

struct Witness {
    bidilab::properties::CheckedModel model = viztest::model_of("capulet-montague");
    sim::PropertyResult property;
    std::vector<bidilab::viz::TranscriptStep> steps;
    Witness() {
        auto report = sim::Explorer<bidilab::properties::CheckedModel>(model).run();
        property = *report.find("stanza-over-bidi");
        auto r = sim::replay(model, *property.trace);
        std::vector<std::pair<Action, bidilab::model::World>> s;
        for (auto& step : r.steps) s.emplace_back(step.action, step.state);
        steps = bidilab::viz::transcript_steps(r.initial, s);
    }
};

std::vector<std::string> texts_of_class(const std::string& svg, const std::string& cls) {
    std::vector<std::string> out;
    std::regex text("<text class=\"" + cls + "\"[^>]*>([^<]*)</text>");
    for (auto it = std::sregex_iterator(svg.begin(), svg.end(), text); it != std::sregex_iterator(); ++it)
        out.push_back(viztest::svg_text((*it)[1].str()));
    return out;
}

bool well_formed(const std::string& xml) {
    XML_Parser p = XML_ParserCreate("UTF-8");
    const bool ok = XML_Parse(p, xml.data(), static_cast<int>(xml.size()), 1) == XML_STATUS_OK;
    XML_ParserFree(p);
    return ok;
}

TEST(SequenceChart, WitnessHasEachElementsArrowInOrder) {
    Witness w;
    ASSERT_EQ(w.property.status, sim::Status::Witnessed);
    const std::string svg = bidilab::viz::sequence_chart_svg(w.model, w.steps);
    std::vector<std::string> expected;
    for (const auto& s : w.steps)
        if (auto e = w.model.moved_element(s.before, s.action))
            expected.push_back(bidilab::viz::element_label(*e, w.model.scenario().names));
    ASSERT_GT(expected.size(), 10u);
    EXPECT_EQ(texts_of_class(svg, "arrow-label"), expected);
    bool bidi = false;
    for (const auto& label : expected) bidi = bidi || label == "<bidi/>";
    EXPECT_TRUE(bidi);
    for (const char* lifeline : {">capulet<", ">montague<", ">I1<", ">R1<"})
        EXPECT_NE(svg.find(lifeline), std::string::npos) << lifeline;
}

TEST(SequenceChart, CaptionsAreRuleIdsAndTheFinalStepThePropertys) {
    Witness w;
    bidilab::viz::ChartOptions o;
    o.ending = bidilab::viz::ChartOptions::Ending::Witness;
    o.final_rules = w.property.rules;
    o.title = "stanza-over-bidi";
    const std::string svg = bidilab::viz::sequence_chart_svg(w.model, w.steps, o);
    auto rules = texts_of_class(svg, "rules");
    ASSERT_EQ(rules.size(), w.steps.size());
    std::string joined;
    for (const auto& r : w.property.rules) joined += (joined.empty() ? "" : ", ") + r;
    EXPECT_EQ(rules.back(), joined);
    for (std::size_t i = 0; i + 1 < w.steps.size(); ++i) {
        std::string want;
        for (const auto& r : bidilab::viz::action_rules(w.model, w.steps[i].before, w.steps[i].action))
            want += (want.empty() ? "" : ", ") + r;
        EXPECT_EQ(rules[i], want) << "step " << i + 1;
        if (auto e = w.model.moved_element(w.steps[i].before, w.steps[i].action)) {
            if (e->kind == bidilab::model::ElementKind::Bidi) {
                EXPECT_EQ(rules[i], "BIDI-2, BIDI-3");
            }
            if (e->kind == bidilab::model::ElementKind::StreamFeatures) {
                EXPECT_EQ(rules[i], "CORE-2");
            }
        }
    }
}

TEST(SequenceChart, SameBytesTwiceAndWellFormed) {
    Witness w;
    const std::string dir = viztest::scratch("chart");
    bidilab::viz::write_sequence_chart(w.model, w.steps, dir + "/a.svg");
    bidilab::viz::write_sequence_chart(w.model, w.steps, dir + "/b.svg");
    EXPECT_EQ(viztest::read(dir + "/a.svg"), viztest::read(dir + "/b.svg"));
    EXPECT_TRUE(well_formed(viztest::read(dir + "/a.svg")));
    EXPECT_FALSE(well_formed("<svg><text></svg>"));
    EXPECT_THROW(bidilab::viz::write_sequence_chart(w.model, w.steps, dir + "/no/such/dir/c.svg"),
                 bidilab::viz::OutputError);
}

TEST(SequenceChart, EmptyTraceIsAChartToo) {
    Witness w;
    const std::string svg = bidilab::viz::sequence_chart_svg(w.model, {});
    EXPECT_NE(svg.find("</svg>"), std::string::npos);
}

}  // namespace

namespace {

// The y1 and y2 of every <line class="NAME" ...>.
std::vector<std::pair<int, int>> lines_of_class(const std::string& svg, const std::string& cls) {
    std::vector<std::pair<int, int>> out;
    std::regex line("<line class=\"" + cls + "\" x1=\"-?\\d+\" y1=\"(-?\\d+)\" x2=\"-?\\d+\" y2=\"(-?\\d+)\"");
    for (auto it = std::sregex_iterator(svg.begin(), svg.end(), line); it != std::sregex_iterator(); ++it)
        out.emplace_back(std::stoi((*it)[1].str()), std::stoi((*it)[2].str()));
    return out;
}

}  // namespace

// Each element goes from the step that wrote it to the step that read it:
// an element read later than written slants down, one read at once is flat.
TEST(SequenceChart, ArrowsRunFromTheWriteToTheRead) {
    Witness w;
    const std::string svg = bidilab::viz::sequence_chart_svg(w.model, w.steps);
    const auto flows = lines_of_class(svg, "flow");
    ASSERT_FALSE(flows.empty());
    for (const auto& [y1, y2] : flows) EXPECT_LT(y1, y2);
    // Every element read was written in an earlier step of this trace (none
    // is forged here): all arrows are flows.
    EXPECT_TRUE(lines_of_class(svg, "arrow").empty());
    EXPECT_TRUE(well_formed(svg));
}

// The element a violated step property blames is drawn red where it was
// written, even when nobody read it before the trace ended: montague's
// <bidi/> sent before STARTTLS (the mutant bidi-before-tls).
TEST(SequenceChart, TheBlamedElementIsPaintedRed) {
    namespace fs = std::filesystem;
    const auto m = viztest::model_of("mutants/bidi-before-tls");
    const auto report = sim::Explorer<bidilab::properties::CheckedModel>(m).run();
    const auto* p = report.find("bidi-only-after-tls");
    ASSERT_TRUE(p && p->trace);
    const auto r = sim::replay(m, *p->trace);
    std::vector<std::pair<Action, bidilab::model::World>> s;
    for (const auto& step : r.steps) s.emplace_back(step.action, step.state);
    const auto steps = bidilab::viz::transcript_steps(r.initial, s);
    const auto element = m.blamed(p->name, steps.back().before, steps.back().action, steps.back().after);
    ASSERT_TRUE(element);
    bidilab::viz::ChartOptions o;
    o.ending = bidilab::viz::ChartOptions::Ending::Violation;
    o.blame = bidilab::viz::Blame{steps.size() - 1, *element, p->name};
    const std::string svg = bidilab::viz::sequence_chart_svg(m, steps, o);
    EXPECT_TRUE(well_formed(svg));
    const auto at = svg.find("<g class=\"unread blamed\">");
    ASSERT_NE(at, std::string::npos) << svg;
    const std::string group = svg.substr(at, svg.find("</g>", at) - at);
    EXPECT_NE(group.find("&lt;bidi xmlns=&apos;urn:xmpp:bidi&apos;/&gt;"), std::string::npos) << group;
    EXPECT_NE(group.find("#c00000"), std::string::npos) << group;
    // Without the blame, nothing is drawn as blamed.
    o.blame.reset();
    EXPECT_EQ(bidilab::viz::sequence_chart_svg(m, steps, o).find("blamed"), std::string::npos);
}

namespace {
// Each row's tooltip ends with what the step led its servers to do (the
// transcript's "then" lines): the witness starts with a submission that dials.
TEST(SequenceChart, TooltipsNameTheRoutersSteps) {
    Witness w;
    const std::string svg = bidilab::viz::sequence_chart_svg(w.model, w.steps);
    const std::regex dials("<title>[^<]*\nthen [a-z]+ dials connection [0-9]+ for stanza #[0-9]+ \\(DB-3\\)</title>");
    EXPECT_TRUE(std::regex_search(svg, dials)) << svg.substr(0, 2000);
    EXPECT_NE(svg.find("(CORE-51, DB-11)</title>"), std::string::npos) << "a stanza routed over an outgoing stream";
}
}  // namespace
