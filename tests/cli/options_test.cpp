// The option tables (cli/options.hpp): the parser, --help and the bash
// completion are written from one table, so they cannot disagree.
#include <gtest/gtest.h>

#include <sstream>

#include "cli/args.hpp"
#include "cli/command.hpp"
#include "cli/options.hpp"

namespace {
using namespace bidilab::cli;

const Options kTable{
    {"max-states", "N", "stop after N states"},
    {"por", "on|off", "partial-order reduction\non by default"},
    {"json", "FILE", "the JSON report"},
    {"progress", "", "print progress", "output"},
    {"a-very-long-option-name", "VALUE", "help on the next line"},
};

TEST(Options, HelpListsEveryOptionWithItsValueAndIndentsContinuations) {
    const std::string text = options_text(kTable);
    EXPECT_NE(text.find("  --max-states N      stop after N states\n"), std::string::npos) << text;
    EXPECT_NE(text.find("  --por on|off        partial-order reduction\n"
                        "                      on by default\n"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("\noutput:\n  --progress          print progress\n"), std::string::npos) << text;
    EXPECT_NE(text.find("  --a-very-long-option-name VALUE\n                      help on the next line\n"),
              std::string::npos)
        << text;
}

TEST(Options, TheParserTakesFlagsAndValuesFromTheTable) {
    const Args a({"topo.json", "--max-states", "5", "--por=off", "--progress"}, kTable);
    EXPECT_EQ(a.count("max-states", 0), 5u);
    EXPECT_EQ(a.value("por"), std::optional<std::string>("off"));
    EXPECT_TRUE(a.flag("progress"));
    ASSERT_EQ(a.positional().size(), 1u);
    EXPECT_THROW(Args({"--progress=yes"}, kTable), UsageError);  // a flag takes no value
    EXPECT_THROW(Args({"--json"}, kTable), UsageError);           // a value is missing
}

TEST(Options, ChoicesAreCheckedWithAOneLineMessage) {
    try {
        Args({"--por", "maybe"}, kTable);
        FAIL() << "accepted --por maybe";
    } catch (const UsageError& e) {
        EXPECT_STREQ(e.what(), "--por: expected 'on' or 'off', not 'maybe'");
    }
    const Options three{{"eventually-by", "auto|graph|levels", "how"}};
    try {
        Args({"--eventually-by", "x"}, three);
        FAIL() << "accepted x";
    } catch (const UsageError& e) {
        EXPECT_STREQ(e.what(), "--eventually-by: expected 'auto', 'graph' or 'levels', not 'x'");
    }
}

TEST(Options, AMisspeltOptionGetsTheNearestOneOfTheTable) {
    try {
        Args({"--max-stats", "3"}, kTable);
        FAIL() << "accepted --max-stats";
    } catch (const UsageError& e) {
        EXPECT_NE(std::string(e.what()).find("did you mean --max-states?"), std::string::npos) << e.what();
    }
}

TEST(Options, UsageAndCompletionComeFromTheSameTable) {
    const Command c{"check", "explore", "[TOPOLOGY] [options]\nID...", "Explores.", kTable, "exit: 0 pass",
                    [](const Args&, std::ostream&) { return 0; }};
    const std::string usage = c.usage("prog");
    EXPECT_EQ(usage.rfind("usage: prog check [TOPOLOGY] [options]\n       prog check ID...\n\nExplores.\n", 0), 0u)
        << usage;
    EXPECT_NE(usage.find("exit: 0 pass"), std::string::npos);
    const std::string script = bash_completion("prog", {c});
    for (const auto& o : kTable) {
        EXPECT_NE(usage.find("--" + o.name), std::string::npos) << o.name;
        EXPECT_NE(script.find("--" + o.name), std::string::npos) << o.name;
    }
    EXPECT_NE(script.find("--por) COMPREPLY=($(compgen -W 'on off'"), std::string::npos) << script;
    EXPECT_NE(script.find("complete -o filenames -F _prog prog"), std::string::npos);
}

TEST(Options, DispatchParsesWithTheCommandsTableAndHelpAllPrintsEveryCommand) {
    int seen = -1;
    const std::vector<Command> commands{
        {"check", "explore", "[TOPOLOGY]", "", kTable, "",
         [&seen](const Args& a, std::ostream&) { return seen = static_cast<int>(a.count("max-states", 0)); }},
        {"other", "something else", "", "Other.", {}, "", [](const Args&, std::ostream&) { return 0; }},
    };
    std::ostringstream out, err;
    EXPECT_EQ(dispatch("prog", commands, {"check", "--max-states", "3"}, out, err), 3);
    EXPECT_EQ(seen, 3);
    EXPECT_EQ(dispatch("prog", commands, {"check", "--por", "x"}, out, err), 2);
    EXPECT_NE(err.str().find("prog check: --por: expected 'on' or 'off', not 'x'"), std::string::npos) << err.str();
    std::ostringstream all;
    EXPECT_EQ(dispatch("prog", commands, {"help", "--all"}, all, err), 0);
    EXPECT_NE(all.str().find("\nprog check\n\nusage: prog check [TOPOLOGY]\n"), std::string::npos) << all.str();
    EXPECT_NE(all.str().find("\nprog other\n\nusage: prog other\n\nOther.\n"), std::string::npos) << all.str();
}

}  // namespace
