// `bidilab explore`: the page as a file (same bytes twice, nothing loaded
// from elsewhere, its data walkable along the XEP's schedule), the refusals.
// The page in a browser: explore_page_test.js (ExplorePage.Example3InChromium).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>

#include <nlohmann/json.hpp>

#include "../support/run_program.hpp"

namespace {

using test_support::Result;

Result bidilab(const std::string& args, bool want_stderr = false) {
    return test_support::run_program(BIDILAB, args, want_stderr);
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

const std::string example3 = std::string(SOURCE_DIR) + "/topologies/xep0288-example3.json";

std::string page_of(const std::string& topology, const std::string& name) {
    const std::string file = ::testing::TempDir() + name;
    const auto r = bidilab("explore " + topology + " --html " + file);
    EXPECT_EQ(r.code, 0) << r.out;
    return read_file(file);
}

nlohmann::json data_of(const std::string& page) {
    const std::string open = "<script type=\"application/json\" id=\"bidilab-data\">";
    const auto begin = page.find(open);
    const auto end = page.find("</script>", begin);
    if (begin == std::string::npos || end == std::string::npos) return nullptr;
    return nlohmann::json::parse(page.substr(begin + open.size(), end - begin - open.size()));
}

TEST(Explore, TheSameTopologyGivesTheSameBytes) {
    const std::string a = page_of(example3, "explore-a.html");
    const std::string b = page_of(example3, "explore-b.html");
    ASSERT_FALSE(a.empty());
    EXPECT_EQ(a, b);
}

TEST(Explore, ThePageIsSelfContained) {
    const std::string page = page_of(example3, "explore-self.html");
    for (const char* outside : {"<link", " src=", " href=", "@import", "url(", "fetch(", "XMLHttpRequest"})
        EXPECT_EQ(page.find(outside), std::string::npos) << "the page refers outside itself: " << outside;
    EXPECT_EQ(page.find("@DATA@"), std::string::npos);
    EXPECT_EQ(page.find("@SCRIPT@"), std::string::npos);
    // One script element for the data, one for the script: nothing in the data ends either early.
    std::size_t scripts = 0;
    for (auto k = page.find("</script>"); k != std::string::npos; k = page.find("</script>", k + 1)) ++scripts;
    EXPECT_EQ(scripts, 2u);
    EXPECT_LT(page.size(), 400u * 1024) << "example 3's page should stay small";
}

// The data, walked as the page walks it: the XEP's schedule by action
// descriptions, ending in a final state where R1 and I1 are Established.
TEST(Explore, TheScheduleWalksTheDataToAFinalState) {
    const auto data = data_of(page_of(example3, "explore-walk.html"));
    ASSERT_TRUE(data.is_object());
    const auto topology = nlohmann::json::parse(read_file(example3));
    const auto& texts = data.at("texts");
    const auto& states = data.at("states");
    EXPECT_GE(states.size(), 625u) << "at least the states check counts up to symmetry";
    for (const auto& s : states)
        for (const auto& e : s.at("e")) ASSERT_LT(e.at(1).get<std::size_t>(), states.size());
    std::size_t s = data.at("initial").at(0);
    std::vector<std::string> xml;
    for (const auto& entry : topology.at("schedule")) {
        bool found = false;
        for (const auto& e : states.at(s).at("e")) {
            const auto& move = data.at("moves").at(e.at(0).get<std::size_t>());
            if (texts.at(move.at(0).get<std::size_t>()) != entry) continue;
            xml.push_back(texts.at(move.at(3).get<std::size_t>()));
            s = e.at(1);
            found = true;
            break;
        }
        ASSERT_TRUE(found) << "no enabled action '" << entry.get<std::string>() << "' after " << xml.size() << " steps";
    }
    EXPECT_EQ(states.at(s).value("end", ""), "final");
    ASSERT_EQ(xml.size(), 19u);
    EXPECT_EQ(xml[10], "<bidi xmlns='urn:xmpp:bidi'/>");
    EXPECT_NE(xml[14].find("id='id-3'"), std::string::npos) << xml[14];
    const auto& conn = data.at("conns").at(states.at(s).at("c").at(0).get<std::size_t>());
    EXPECT_EQ(data.at("parts").at(conn.at("R").get<std::size_t>()).at("state"), "Established");
    EXPECT_EQ(data.at("parts").at(conn.at("I").get<std::size_t>()).at("state"), "Established");
}

TEST(Explore, ThePropertiesComeWithTheCheckRunsTraces) {
    const auto data = data_of(page_of(example3, "explore-props.html"));
    ASSERT_TRUE(data.is_object());
    EXPECT_EQ(data.at("check").at("verdict"), "pass");
    EXPECT_EQ(data.at("check").at("states"), 336);
    bool witness = false;
    for (const auto& p : data.at("properties")) {
        // Each rule ID comes with its sentence from spec/RULES.md, shown over the ID.
        ASSERT_EQ(p.at("rule_texts").size(), p.at("rules").size()) << p.at("name");
        for (std::size_t k = 0; k < p.at("rules").size(); ++k)
        {
            const std::string text = p.at("rule_texts").at(k);
            EXPECT_EQ(text.rfind(p.at("rules").at(k).get<std::string>() + ": ", 0), 0u) << text;
            EXPECT_NE(text.find("«"), std::string::npos) << text;  // the normative sentence, quoted
        }
        if (p.at("name") != "stanza-over-bidi") continue;
        witness = true;
        EXPECT_EQ(p.at("status"), "witnessed");
        // The path walks the page's edges to a state where the witness holds.
        const auto& path = p.at("path");
        ASSERT_TRUE(path.is_array());
        std::size_t s = data.at("initial").at(path.at(0).get<std::size_t>());
        for (std::size_t k = 1; k < path.size(); ++k) s = data.at("states").at(s).at("e").at(path.at(k).get<std::size_t>()).at(1);
        std::size_t index = 0;
        for (const auto& q : data.at("properties")) {
            if (q.at("name") == "stanza-over-bidi") break;
            ++index;
        }
        const auto here = data.at("states").at(s).value("h", nlohmann::json::array());
        EXPECT_NE(std::find(here.begin(), here.end(), index), here.end());
    }
    EXPECT_TRUE(witness);
}

TEST(Explore, TooManyStatesIsRefused) {
    const auto r = bidilab("explore " + example3 + " --html " + ::testing::TempDir() + "explore-big.html --max-states 100",
                           true);
    EXPECT_EQ(r.code, 3);  // a hit limit, as everywhere
    EXPECT_NE(r.out.find("xep0288-example3.json: more than 100 states"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("--max-states"), std::string::npos) << r.out;
}

TEST(Explore, TheHtmlFileIsRequired) {
    const auto r = bidilab("explore " + example3, true);
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.out.find("--html"), std::string::npos) << r.out;
}

}  // namespace
