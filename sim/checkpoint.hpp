// sim/checkpoint.hpp — the file a long run is saved to and resumed from.
//
// A checkpoint is a magic line, what the run was (its identity: pairs of
// name and value, e.g. the program's version, the model's hash, every
// option that changes a result), the explorer's whole state, and an XXH3
// checksum of everything before it. It is written to FILE.tmp beside FILE,
// flushed to disk, then renamed over FILE: a run killed while writing leaves
// the previous checkpoint whole. Reading checks the magic and the checksum
// over the whole file before anything else, then reads with every count
// bounded by the bytes left, so a truncated, corrupted or foreign file is a
// CheckpointError (one line, naming the file), never a crash or an
// allocation the file does not justify.
#pragma once

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <sys/stat.h>
#include <type_traits>
#include <unistd.h>
#include <utility>
#include <vector>

#include <xxhash.h>

namespace sim {

// A checkpoint that cannot be written or read: the message names the file.
struct CheckpointError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// What a run was: (name, value) pairs, compared in order on resume.
using CheckpointIdentity = std::vector<std::pair<std::string, std::string>>;

inline constexpr char kCheckpointMagic[] = "explorer checkpoint 1\n";
inline constexpr std::size_t kCheckpointMagicSize = sizeof kCheckpointMagic - 1;

class CheckpointWriter {
public:
    explicit CheckpointWriter(std::string path) : path_(std::move(path)), temp_(path_ + ".tmp") {
        file_ = std::fopen(temp_.c_str(), "wb");
        if (!file_) fail(std::string("cannot write ") + temp_ + ": " + std::strerror(errno));
        std::setvbuf(file_, nullptr, _IOFBF, 1 << 20);
        state_ = XXH3_createState();
        XXH3_64bits_reset(state_);
        bytes(kCheckpointMagic, kCheckpointMagicSize);
    }
    ~CheckpointWriter() {
        if (file_) {
            std::fclose(file_);
            std::remove(temp_.c_str());
        }
        XXH3_freeState(state_);
    }
    CheckpointWriter(const CheckpointWriter&) = delete;
    CheckpointWriter& operator=(const CheckpointWriter&) = delete;

    void bytes(const void* data, std::size_t size) {
        if (size == 0) return;
        XXH3_64bits_update(state_, data, size);
        if (std::fwrite(data, 1, size, file_) != size) fail(std::string("cannot write ") + temp_ + ": " + std::strerror(errno));
        written_ += size;
    }
    template <class T>
    void value(T v) {
        static_assert(std::is_integral_v<T> || std::is_enum_v<T> || std::is_floating_point_v<T>);
        bytes(&v, sizeof v);
    }
    void text(std::string_view s) {
        value(static_cast<std::uint64_t>(s.size()));
        bytes(s.data(), s.size());
    }
    // n elements of a trivially copyable T, after their count.
    template <class T>
    void array(const T* data, std::size_t n) {
        static_assert(std::is_trivially_copyable_v<T>);
        value(static_cast<std::uint64_t>(n));
        bytes(data, n * sizeof(T));
    }
    void identity(const CheckpointIdentity& id) {
        value(static_cast<std::uint64_t>(id.size()));
        for (const auto& [name, v] : id) text(name), text(v);
    }

    // The checksum, then flush, sync and rename over the file; returns the
    // bytes written.
    std::uint64_t commit() {
        const std::uint64_t sum = XXH3_64bits_digest(state_);
        if (std::fwrite(&sum, 1, sizeof sum, file_) != sizeof sum || std::fflush(file_) != 0 || fsync(fileno(file_)) != 0)
            fail(std::string("cannot write ") + temp_ + ": " + std::strerror(errno));
        const int closed = std::fclose(file_);
        file_ = nullptr;
        if (closed != 0 || std::rename(temp_.c_str(), path_.c_str()) != 0) {
            const int e = errno;
            std::remove(temp_.c_str());
            fail(std::string("cannot write ") + path_ + ": " + std::strerror(e));
        }
        return written_ + sizeof sum;
    }

private:
    [[noreturn]] void fail(const std::string& what) { throw CheckpointError(what); }

    std::string path_, temp_;
    std::FILE* file_ = nullptr;
    XXH3_state_t* state_ = nullptr;
    std::uint64_t written_ = 0;
};

// The size of a checkpoint file to read; a CheckpointError naming it when
// it is missing, unreadable or no regular file.
inline std::uint64_t checkpoint_file_size(const std::string& path) {
    struct stat st {};
    if (stat(path.c_str(), &st) != 0) throw CheckpointError(path + ": cannot read: " + std::strerror(errno));
    if (!S_ISREG(st.st_mode)) throw CheckpointError(path + ": not a regular file");
    return static_cast<std::uint64_t>(st.st_size);
}

namespace detail {
struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
};
}  // namespace detail

class CheckpointReader {
public:
    // Opens the file and checks it whole: a regular file, the magic line,
    // the checksum. Throws CheckpointError otherwise.
    explicit CheckpointReader(std::string path) : path_(std::move(path)) {
        const std::uint64_t size = checkpoint_file_size(path_);
        owned_.reset(std::fopen(path_.c_str(), "rb"));
        file_ = owned_.get();
        if (!file_) fail_plain(std::string("cannot read: ") + std::strerror(errno));
        std::setvbuf(file_, nullptr, _IOFBF, 1 << 20);
        char magic[kCheckpointMagicSize];
        if (size < kCheckpointMagicSize + 8 || std::fread(magic, 1, kCheckpointMagicSize, file_) != kCheckpointMagicSize ||
            std::memcmp(magic, kCheckpointMagic, kCheckpointMagicSize) != 0)
            fail_plain("not a checkpoint (it does not begin with the line 'explorer checkpoint 1')");
        end_ = size - 8;
        verify_checksum();
        std::fseek(file_, static_cast<long>(kCheckpointMagicSize), SEEK_SET);
        at_ = kCheckpointMagicSize;
    }
    CheckpointReader(const CheckpointReader&) = delete;
    CheckpointReader& operator=(const CheckpointReader&) = delete;

    const std::string& path() const { return path_; }
    std::uint64_t left() const { return end_ - at_; }

    void bytes(void* data, std::size_t size) {
        if (size > left()) fail("ends early");
        if (size != 0 && std::fread(data, 1, size, file_) != size) fail("cannot be read");
        at_ += size;
    }
    template <class T>
    T value() {
        T v{};
        bytes(&v, sizeof v);
        return v;
    }
    // A value that must be at most max.
    template <class T>
    T value_at_most(T max, const char* what) {
        const T v = value<T>();
        if (v > max) fail(std::string(what) + " out of range");
        return v;
    }
    bool flag() { return value_at_most<std::uint8_t>(1, "flag") != 0; }
    std::string text() {
        const std::uint64_t n = count(1);
        std::string s(n, '\0');
        bytes(s.data(), n);
        return s;
    }
    // A count of elements of elem_size bytes each that the file still holds.
    std::uint64_t count(std::size_t elem_size) {
        const std::uint64_t n = value<std::uint64_t>();
        if (elem_size != 0 && n > left() / elem_size) fail("a count past the end of the file");
        return n;
    }
    template <class T>
    std::vector<T> array() {
        static_assert(std::is_trivially_copyable_v<T>);
        std::vector<T> v(count(sizeof(T)));
        bytes(v.data(), v.size() * sizeof(T));
        return v;
    }
    // The identity the file was written with must be `expected`.
    void identity(const CheckpointIdentity& expected) {
        const std::uint64_t n = count(16);
        CheckpointIdentity got;
        for (std::uint64_t i = 0; i < n; ++i) {
            std::string name = text();
            got.emplace_back(std::move(name), text());
        }
        for (std::size_t i = 0; i < expected.size() || i < got.size(); ++i) {
            if (i < expected.size() && i < got.size() && got[i] == expected[i]) continue;
            std::string what = "was written by another run: ";
            if (i < expected.size() && i < got.size() && got[i].first == expected[i].first)
                what += got[i].first + " was '" + got[i].second + "', this run's is '" + expected[i].second + "'";
            else
                what += "it records " + (i < got.size() ? "'" + got[i].first + "'" : std::string("less")) + " where this run has " +
                        (i < expected.size() ? "'" + expected[i].first + "'" : std::string("nothing"));
            fail_plain(what + " (resume with the same build, topology and options)");
        }
    }
    void expect_end() {
        if (left() != 0) fail("has bytes after its end");
    }
    // A structural error at the current offset.
    [[noreturn]] void fail(const std::string& what) const {
        throw CheckpointError(path_ + ": at byte " + std::to_string(at_) + ": " + what + " (a damaged checkpoint)");
    }

private:
    [[noreturn]] void fail_plain(const std::string& what) const { throw CheckpointError(path_ + ": " + what); }

    void verify_checksum() {
        std::unique_ptr<XXH3_state_t, decltype(&XXH3_freeState)> state(XXH3_createState(), XXH3_freeState);
        XXH3_64bits_reset(state.get());
        XXH3_64bits_update(state.get(), kCheckpointMagic, kCheckpointMagicSize);
        std::vector<unsigned char> buffer(1 << 20);
        for (std::uint64_t at = kCheckpointMagicSize; at < end_;) {
            const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(buffer.size(), end_ - at));
            if (std::fread(buffer.data(), 1, n, file_) != n) fail_plain("cannot be read whole");
            XXH3_64bits_update(state.get(), buffer.data(), n);
            at += n;
        }
        std::uint64_t sum = 0;
        if (std::fread(&sum, 1, sizeof sum, file_) != sizeof sum) fail_plain("cannot be read whole");
        if (sum != XXH3_64bits_digest(state.get()))
            fail_plain("truncated or damaged: its checksum does not match its contents");
    }

    std::string path_;
    std::unique_ptr<std::FILE, detail::FileCloser> owned_;  // closed even when the constructor throws
    std::FILE* file_ = nullptr;
    std::uint64_t end_ = 0, at_ = 0;
};

}  // namespace sim
