// design.md principle 2: Boost.MSM lives only in model/fsm/, behind value types.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace {

std::string read(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

bool is_source(const fs::path& p) {
    const auto ext = p.extension();
    return ext == ".hpp" || ext == ".cpp" || ext == ".h";
}

TEST(Architecture, BoostMsmOnlyInModelFsm) {
    const fs::path root(BIDILAB_SOURCE_DIR);
    int files = 0;
    for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator(); ++it) {
        const std::string name = it->path().filename().string();
        if (it->is_directory() && (name == ".git" || name.rfind("build", 0) == 0)) {
            it.disable_recursion_pending();
            continue;
        }
        if (!it->is_regular_file() || !is_source(it->path())) continue;
        ++files;
        const std::string rel = fs::relative(it->path(), root).generic_string();
        if (rel.rfind("model/fsm/", 0) == 0) continue;
        std::istringstream lines(read(it->path()));
        for (std::string line; std::getline(lines, line);) {
            if (line.rfind("#include", 0) != 0) continue;
            EXPECT_EQ(line.find("boost/msm"), std::string::npos) << rel << ": " << line;
            EXPECT_EQ(line.find("model/fsm/"), std::string::npos) << rel << ": " << line;
        }
    }
    EXPECT_GT(files, 10);
}

TEST(Architecture, EachMachineIsItsOwnTranslationUnit) {
    const fs::path fsm = fs::path(BIDILAB_SOURCE_DIR) / "model" / "fsm";
    for (const char* machine : {"initiating_stream.cpp", "receiving_stream.cpp"}) {
        const std::string text = read(fsm / machine);
        EXPECT_NE(text.find("state_machine_def"), std::string::npos) << machine;
        EXPECT_NE(text.find("no_message_queue"), std::string::npos) << machine;
        EXPECT_NE(text.find("no_exception_thrown"), std::string::npos) << machine;
        EXPECT_EQ(text.find("deferred_events"), std::string::npos) << machine;
        EXPECT_EQ(text.find("history"), std::string::npos) << machine;
    }
}

}  // namespace
