// sim/ is generic: nothing in it may speak of the protocol or include Boost.MSM.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

TEST(Architecture, SimKnowsNothingOfXmppNorMsm) {
    const char* forbidden[] = {"xmpp", "dialback", "bidi", "stanza", "sasl", "starttls", "jabber",
                               "boost/msm", "msm::", "model/", "topologies/"};
    int files = 0;
    for (const auto& entry : fs::recursive_directory_iterator(fs::path(BIDILAB_SOURCE_DIR) / "sim")) {
        if (!entry.is_regular_file()) continue;
        ++files;
        std::ifstream in(entry.path());
        std::stringstream text;
        text << in.rdbuf();
        std::string lower = text.str();
        std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
        for (const char* word : forbidden)
            EXPECT_EQ(lower.find(word), std::string::npos) << entry.path() << " mentions " << word;
    }
    EXPECT_GT(files, 5);
}
