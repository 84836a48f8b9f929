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
