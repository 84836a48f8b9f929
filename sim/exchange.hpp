// sim/exchange.hpp — what a distributed search needs from its transport:
// the ranks of one run, each sending bytes to every other in one collective
// step, and small collective reductions. sim/mpi_exchange.hpp gives it over
// MPI; SingleExchange is the run of one rank; a test may give it over threads.
// Every call is collective: every rank makes the same calls in the same order.
#pragma once

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

namespace sim {

enum class Reduce { Sum, Max, Min };

class Exchange {
public:
    virtual ~Exchange() = default;
    virtual unsigned rank() const = 0;
    virtual unsigned size() const = 0;
    // send[r]: the bytes for rank r (send.size() == size()). received: what
    // every rank sent to this one, in rank order; from[r]: how many of them
    // came from rank r.
    virtual void all_to_all(const std::vector<std::vector<unsigned char>>& send, std::vector<unsigned char>& received,
                            std::vector<std::size_t>& from) = 0;
    // Element by element over every rank's `values` (the same length on each).
    virtual void all_reduce(std::vector<std::uint64_t>& values, Reduce op) = 0;
    // On rank 0: every rank's bytes, by rank; elsewhere: nothing.
    virtual std::vector<std::vector<unsigned char>> gather(const std::vector<unsigned char>& mine) = 0;

    std::uint64_t sum(std::uint64_t v) { return reduce_one(v, Reduce::Sum); }
    std::uint64_t max(std::uint64_t v) { return reduce_one(v, Reduce::Max); }
    std::uint64_t min(std::uint64_t v) { return reduce_one(v, Reduce::Min); }

private:
    std::uint64_t reduce_one(std::uint64_t v, Reduce op) {
        std::vector<std::uint64_t> one{v};
        all_reduce(one, op);
        return one[0];
    }
};

// A run of one rank: everything stays here.
class SingleExchange final : public Exchange {
public:
    unsigned rank() const override { return 0; }
    unsigned size() const override { return 1; }
    void all_to_all(const std::vector<std::vector<unsigned char>>& send, std::vector<unsigned char>& received,
                    std::vector<std::size_t>& from) override {
        received = send.at(0);
        from.assign(1, received.size());
    }
    void all_reduce(std::vector<std::uint64_t>&, Reduce) override {}
    std::vector<std::vector<unsigned char>> gather(const std::vector<unsigned char>& mine) override { return {mine}; }
};

// Fixed-size values into a byte buffer and back, in this machine's byte
// order (every rank of one run is the same program on the same kind of
// machine). A read past the end throws: a message is never trusted blindly.
class Packer {
public:
    explicit Packer(std::vector<unsigned char>& out) : out_(out) {}
    template <class T>
    void put(T v) {
        const std::size_t at = out_.size();
        out_.resize(at + sizeof v);
        std::memcpy(out_.data() + at, &v, sizeof v);
    }
    void bytes(const unsigned char* p, std::size_t n) { out_.insert(out_.end(), p, p + n); }
    void text(const std::string& s) {
        put(static_cast<std::uint32_t>(s.size()));
        bytes(reinterpret_cast<const unsigned char*>(s.data()), s.size());
    }

private:
    std::vector<unsigned char>& out_;
};

class Unpacker {
public:
    Unpacker(const unsigned char* p, std::size_t n) : p_(p), end_(p + n) {}
    bool done() const { return p_ == end_; }
    template <class T>
    T get() {
        T v;
        std::memcpy(&v, take(sizeof v), sizeof v);
        return v;
    }
    const unsigned char* take(std::size_t n) {
        if (static_cast<std::size_t>(end_ - p_) < n) throw std::runtime_error("a distributed message ends early");
        const unsigned char* at = p_;
        p_ += n;
        return at;
    }
    std::string text() {
        const auto n = get<std::uint32_t>();
        const unsigned char* at = take(n);
        return std::string(reinterpret_cast<const char*>(at), n);
    }

private:
    const unsigned char* p_;
    const unsigned char* end_;
};

}  // namespace sim
