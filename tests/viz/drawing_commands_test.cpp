// The drawing options of `bidilab check` and the `bidilab fsm` command,
// through the program, with Graphviz's dot laying out what they write.
#include <gtest/gtest.h>

#include <regex>

#include <nlohmann/json.hpp>

#include "properties/quirks.hpp"
#include "viz/machine_diagram.hpp"

#include "support.hpp"

namespace {

using viztest::bidilab;
using viztest::read;

const std::string cm = viztest::topologies + "capulet-montague.json";

std::size_t count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

// The texts Graphviz drew in an SVG, unescaped.
std::string svg_texts(const std::string& svg) {
    std::string out;
    std::regex text("<text[^>]*>([^<]*)</text>");
    for (auto it = std::sregex_iterator(svg.begin(), svg.end(), text); it != std::sregex_iterator(); ++it)
        out += viztest::svg_text((*it)[1].str()) + "\n";
    return out;
}

TEST(DrawingCommands, WholeStateGraphDotLaysOut) {
    const std::string dir = viztest::scratch("whole");
    auto r = bidilab("check " + cm + " --dot " + dir + "/g.dot --max-nodes 2000");
    ASSERT_EQ(r.code, 0) << r.out;
    const std::string dot = read(dir + "/g.dot");
    EXPECT_EQ(dot.rfind("digraph G {", 0), 0u);
    EXPECT_NE(dot.find("penwidth=2"), std::string::npos);  // the initial state
    ASSERT_EQ(viztest::run("dot -Tsvg " + dir + "/g.dot -o " + dir + "/g.svg").code, 0);
    const std::string texts = svg_texts(read(dir + "/g.svg"));
    for (const char* label : {"no connection | s0:unsubmitted s1:unsubmitted\n",
                              "I1:AwaitingStreamOpen R1:AwaitingStreamOpen | s0:queued s1:unsubmitted\n",
                              "I1:Established R1:Established | s0:delivered s1:delivered\n",
                              "I1→R1 stream header capulet.lit -> montague.lit\n"})
        EXPECT_NE(texts.find(label), std::string::npos) << label;
}

TEST(DrawingCommands, SvgDirectlyAndTheSameBytesTwice) {
    const std::string dir = viztest::scratch("svg");
    for (const char* name : {"a", "b"}) {
        auto r = bidilab("check " + cm + " --quotient stanzas --highlight stanza-over-bidi --svg " + dir + "/" + name +
                         ".svg --dot " + dir + "/" + name + ".dot");
        ASSERT_EQ(r.code, 0) << r.out;
    }
    EXPECT_EQ(read(dir + "/a.dot"), read(dir + "/b.dot"));
    EXPECT_EQ(read(dir + "/a.svg"), read(dir + "/b.svg"));
    const std::string svg = read(dir + "/a.svg");
    EXPECT_NE(svg.find("<svg"), std::string::npos);
    EXPECT_NE(svg_texts(svg).find("s0:delivered s1:delivered\n"), std::string::npos);
    EXPECT_NE(svg.find("#1f5fbf"), std::string::npos);  // the witness, highlighted
}

TEST(DrawingCommands, QuotientHasFewerVerticesAndEveryKindOfStep) {
    const std::string dir = viztest::scratch("quotient");
    ASSERT_EQ(bidilab("check " + cm + " --dot " + dir + "/whole.dot --max-nodes 2000").code, 0);
    ASSERT_EQ(bidilab("check " + cm + " --dot " + dir + "/q.dot --quotient connection:1").code, 0);
    const std::string whole = read(dir + "/whole.dot"), q = read(dir + "/q.dot");
    const std::regex vertex("\n[0-9]+\\[label=");
    const auto vertices = [&](const std::string& dot) {
        return std::distance(std::sregex_iterator(dot.begin(), dot.end(), vertex), std::sregex_iterator());
    };
    EXPECT_LT(vertices(q), vertices(whole) / 10);
    // Each element kind the whole graph's edges move is named on the quotient's.
    for (const char* kind : {"stream header", "features", "starttls", "proceed", "TLS", "SASL auth", "SASL success",
                             "bidi", "stanza", "submit"}) {
        EXPECT_NE(q.find(kind), std::string::npos) << kind;
    }
    ASSERT_EQ(viztest::run("dot -Tsvg " + dir + "/q.dot -o " + dir + "/q.svg").code, 0);
    EXPECT_NE(svg_texts(read(dir + "/q.svg")).find("I1:Established R1:Established\n"), std::string::npos);
}

TEST(DrawingCommands, TooLargeAGraphIsRefused) {
    const std::string dir = viztest::scratch("refused");
    auto r = bidilab("check " + cm + " --dot " + dir + "/g.dot", true);
    EXPECT_EQ(bidilab("check " + cm + " --dot " + dir + "/g.dot").code, 3);  // a hit limit
    EXPECT_NE(r.out.find("--max-nodes 60"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("--quotient"), std::string::npos) << r.out;
    EXPECT_FALSE(std::filesystem::exists(dir + "/g.dot"));
    EXPECT_EQ(bidilab("check " + cm + " --dot " + dir + "/g.dot --quotient endpoints --max-nodes 10").code, 3);
}

TEST(DrawingCommands, BadDrawingOptionsAreUsageErrors) {
    const std::string dir = viztest::scratch("bad");
    EXPECT_EQ(bidilab("check " + cm + " --quotient states --dot " + dir + "/g.dot").code, 2);
    EXPECT_EQ(bidilab("check " + cm + " --quotient connection:0 --dot " + dir + "/g.dot").code, 2);
    EXPECT_EQ(bidilab("check " + cm + " --quotient stanzas").code, 2);  // draws nothing
    EXPECT_EQ(bidilab("check " + cm + " --highlight stanza-over-bidi").code, 2);
    EXPECT_EQ(bidilab("check " + cm + " --quotient stanzas --dot " + dir + "/g.dot --highlight nonesuch").code, 2);
    EXPECT_EQ(bidilab("check " + cm + " --quotient stanzas --dot " + dir + "/no/such/g.dot").code, 2);
    EXPECT_EQ(bidilab("check " + cm + " --quotient stanzas --dot " + dir + "/g.dot --highlight none").code, 0);
}

TEST(DrawingCommands, AViolationIsHighlightedByDefaultAndCharted) {
    // A quirk (a deliberate bug) on every server: its property is violated.
    const auto& quirk = bidilab::properties::quirks().front();
    auto topology = nlohmann::json::parse(read(cm));
    topology["name"] = "quirky";
    for (auto& server : topology["servers"]) server["quirks"] = {quirk.name};
    const std::string dir = viztest::scratch("violation");
    std::ofstream(dir + "/quirky.json") << topology.dump();
    auto r = bidilab("check " + dir + "/quirky.json --quotient connection:1 --dot " + dir + "/g.dot --chart-dir " + dir +
                     "/charts --json -");
    ASSERT_EQ(r.code, 1) << r.out;
    const auto report = nlohmann::json::parse(r.out);
    const std::string first_violated = [&] {
        for (const auto& p : report["properties"])
            if (p["status"] == "violated") return p["name"].get<std::string>();
        return std::string();
    }();
    ASSERT_FALSE(first_violated.empty());
    const std::string dot = read(dir + "/g.dot");
    EXPECT_NE(dot.find("highlighted: " + first_violated + " (violated)"), std::string::npos) << dot.substr(0, 300);
    EXPECT_NE(dot.find("fillcolor=\"#f6c8c8\""), std::string::npos);  // where the violation ends
    const std::string chart = read(dir + "/charts/" + quirk.property + ".svg");
    ASSERT_FALSE(chart.empty());
    // The last step, in red, captioned with the violated property's rules.
    std::smatch last;
    ASSERT_TRUE(std::regex_search(chart, last, std::regex("<text class=\"rules\"[^>]*fill=\"#c00000\" font-weight=\"bold\">(.*)</text>")));
    const std::string ids = std::regex_replace(last[1].str(), std::regex("<title>[^<]*</title>|<[^>]*>"), "");
    EXPECT_NE(ids.find(quirk.rules.front()), std::string::npos) << last[1];
}

TEST(DrawingCommands, ChartDirHasAChartPerWitnessOrViolation) {
    const std::string dir = viztest::scratch("charts");
    auto r = bidilab("check " + cm + " --chart-dir " + dir + "/charts --json -");
    ASSERT_EQ(r.code, 0);
    const std::string svg = read(dir + "/charts/stanza-over-bidi.svg");
    ASSERT_FALSE(svg.empty());
    EXPECT_NE(svg.find("&lt;bidi/&gt;"), std::string::npos);
    // The property's rules on the last step, each ID with its rule's sentence as a tooltip.
    EXPECT_NE(svg.find("<tspan class=\"rule\"><title>BIDI-5: «"), std::string::npos);
    EXPECT_NE(svg.find("</title>BIDI-5</tspan>, <tspan class=\"rule\"><title>BIDI-7: «"), std::string::npos);
    EXPECT_NE(std::regex_replace(svg, std::regex("<title>[^<]*</title>|<[^>]*>"), "").find("BIDI-5, BIDI-7, BIDI-13"),
              std::string::npos);
    std::size_t charts = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir + "/charts")) {
        ++charts;
        EXPECT_EQ(entry.path().extension(), ".svg");
    }
    EXPECT_EQ(charts, count(r.out, "\"witnessed\"") + count(r.out, "\"violated\""));
    ASSERT_EQ(bidilab("check " + cm + " --chart-dir " + dir + "/again").code, 0);
    EXPECT_EQ(read(dir + "/again/stanza-over-bidi.svg"), svg);
}

std::size_t row_label_size(const bidilab::model::TransitionRow& row) { return bidilab::viz::row_label(row).size(); }

TEST(DrawingCommands, FsmPrintsEveryRow) {
    auto r = bidilab("fsm");
    ASSERT_EQ(r.code, 0);
    for (const auto& t : bidilab::viz::machine_tables()) {
        EXPECT_NE(r.out.find(t.title), std::string::npos);
        for (const auto& row : t.rows) EXPECT_NE(r.out.find(row.guard == "none" ? row.event : row.guard), std::string::npos);
    }
}

TEST(DrawingCommands, FsmDiagramsHaveEveryRow) {
    const std::string dir = viztest::scratch("fsm");
    ASSERT_EQ(bidilab("fsm --dot " + dir + "/dot --svg " + dir + "/svg").code, 0);
    ASSERT_EQ(bidilab("fsm --dot " + dir + "/dot2").code, 0);
    for (const auto& t : bidilab::viz::machine_tables()) {
        const std::string dot = read(dir + "/dot/" + t.name + ".dot");
        EXPECT_EQ(dot, read(dir + "/dot2/" + t.name + ".dot"));
        for (const auto& row : t.rows) {
            // An edge's label, or a line of its state's internal transitions.
            const std::string label = bidilab::viz::row_label(row);
            const std::string drawn = row.source == row.target ? "\\n" + bidilab::viz::dot_quote(label).substr(1, label.size())
                                                               : "[label=" + bidilab::viz::dot_quote(label) + "]";
            EXPECT_NE(dot.find(drawn), std::string::npos) << t.name << ": " << label;
        }
        const std::string texts = svg_texts(read(dir + "/svg/" + t.name + ".svg"));
        for (const auto& row : t.rows) {
            EXPECT_NE(texts.find(bidilab::viz::row_label(row) + "\n"), std::string::npos) << bidilab::viz::row_label(row);
            EXPECT_NE(texts.find(row.source + "\n"), std::string::npos) << row.source;
        }
    }
    EXPECT_EQ(bidilab("fsm extra").code, 2);
}

TEST(DrawingCommands, FsmHideErrorsLeavesOutExactlyTheRowsThatCloseTheStream) {
    const std::string dir = viztest::scratch("fsm-hide");
    ASSERT_EQ(bidilab("fsm --hide-errors --dot " + dir).code, 0);
    const auto text = bidilab("fsm --hide-errors");
    ASSERT_EQ(text.code, 0);
    std::size_t hidden = 0;
    for (const auto& t : bidilab::viz::machine_tables()) {
        const std::string dot = read(dir + "/" + t.name + ".dot");
        std::size_t closing = 0;
        for (const auto& row : t.rows) {
            const bool drawn = dot.find(bidilab::viz::dot_quote(bidilab::viz::row_label(row)).substr(1, row_label_size(row))) !=
                               std::string::npos;
            if (row.target == "Closed") {
                ++closing;
            } else {
                EXPECT_TRUE(drawn) << t.name << ": " << bidilab::viz::row_label(row);
            }
        }
        EXPECT_EQ(dot.find("Closed"), std::string::npos) << t.name;
        EXPECT_EQ(bidilab::viz::without_error_rows(t).hidden, closing);
        EXPECT_EQ(bidilab::viz::without_error_rows(t).rows.size() + closing, t.rows.size());
        if (closing) {
            EXPECT_NE(text.out.find(t.title + " (initial " + t.initial + ", " + std::to_string(t.rows.size() - closing) +
                                    " rows, " + std::to_string(closing) + " error rows hidden)"),
                      std::string::npos)
                << text.out;
            EXPECT_NE(dot.find(std::to_string(closing) + " error rows hidden"), std::string::npos);
        }
        hidden += closing;
    }
    EXPECT_GT(hidden, 20u);  // stream errors, closes and refusals in both stream machines
}

}  // namespace

namespace {
// Issue "show the finding": charts kept for slides. Long domains as the XEP
// writes them (conference.m.l), no arrow label past 52 characters (the
// element's XML stays whole in its tooltip).
TEST(DrawingCommands, ChartLabelsAbbreviateLongDomainsAndStayShort) {
    const std::string dir = viztest::scratch("charts-muc");
    ASSERT_EQ(bidilab("check " + std::string(SOURCE_DIR) + "/topologies/three-servers-muc.json --chart-dir " + dir).code, 0);
    const std::string svg = read(dir + "/collision-resolves.svg");
    ASSERT_FALSE(svg.empty());
    std::regex label("<text class=\"arrow-label\"[^>]*>([^<]*)</text>");
    std::size_t labels = 0, abbreviated = 0;
    for (auto it = std::sregex_iterator(svg.begin(), svg.end(), label); it != std::sregex_iterator(); ++it) {
        const std::string text = viztest::svg_text((*it)[1].str());
        std::size_t chars = 0;
        for (unsigned char c : text) chars += (c & 0xC0) != 0x80;
        EXPECT_LE(chars, 53u) << text;  // 52 and the ellipsis
        EXPECT_EQ(text.find("conference.montague.lit"), std::string::npos) << text;
        abbreviated += text.find("conference.m.l") != std::string::npos;
        ++labels;
    }
    EXPECT_GT(labels, 20u);
    EXPECT_GT(abbreviated, 0u);
    // The tooltips keep the domain whole.
    EXPECT_NE(svg.find("to=&apos;conference.montague.lit&apos;"), std::string::npos);
}
}  // namespace
