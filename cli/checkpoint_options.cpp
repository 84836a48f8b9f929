// cli/checkpoint_options.cpp — `check --checkpoint FILE [--checkpoint-every
// SECONDS]` and `check --resume FILE`, checked before the run: a path that
// cannot be written, a file that is no checkpoint or one of another run is
// bad usage or input (exit 2) at once, not after hours.
#include <cstdio>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/driver.hpp"

namespace bidilab::cli {
namespace {

// FILE.tmp can be created beside FILE, and FILE is no directory.
void check_writable(const std::string& file, const std::string& option) {
    struct stat st {};
    if (stat(file.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) throw UsageError(option + ": '" + file + "' is a directory");
    const std::string temp = file + ".tmp";
    std::FILE* probe = std::fopen(temp.c_str(), "wb");
    if (!probe) throw UsageError(option + ": cannot write '" + temp + "'");
    std::fclose(probe);
    std::remove(temp.c_str());
}

}  // namespace

void set_checkpoints(const Args& args, const char* not_resumable, sim::CheckpointIdentity identity,
                     sim::ExploreOptions& o) {
    const auto checkpoint = args.value("checkpoint");
    const auto resume = args.value("resume");
    if (!checkpoint && !resume) {
        if (args.value("checkpoint-every")) throw UsageError("--checkpoint-every needs --checkpoint or --resume");
        return;
    }
    if (not_resumable)
        throw UsageError(std::string("--checkpoint and --resume do not work with ") + not_resumable +
                         " (it needs one uninterrupted run)");
    o.checkpoint_file = checkpoint ? *checkpoint : *resume;
    if (o.checkpoint_file == "-") throw UsageError("--checkpoint: a checkpoint is a file, not standard output");
    const std::uint64_t every = args.count("checkpoint-every", 600, 1u << 30);
    if (every == 0) throw UsageError("--checkpoint-every: expected at least 1 (seconds)");
    o.checkpoint_seconds = static_cast<double>(every);
    if (resume) {  // a file to read; the whole of it is read when the run starts
        try {
            sim::checkpoint_file_size(*resume);
        } catch (const sim::CheckpointError& e) {
            throw InputError(e.what());
        }
    }
    check_writable(o.checkpoint_file, checkpoint ? "--checkpoint" : "--resume");
    o.identity = std::move(identity);
    // Read when the run starts, before it explores anything (a CheckpointError: exit 2).
    if (resume) o.resume_file = *resume;
    const bool tell = o.on_progress != nullptr, tty = isatty(STDERR_FILENO) != 0;
    o.on_checkpoint = [tell, tty](const sim::CheckpointNote& c) {
        if (tell)
            std::fprintf(stderr, "%scheckpoint: %llu states saved in %s (%.1f MiB)\n", tty ? "\n" : "",
                         static_cast<unsigned long long>(c.states), sim::printable_line(c.file).c_str(),
                         double(c.bytes) / (1024.0 * 1024.0));
    };
}

}  // namespace bidilab::cli
