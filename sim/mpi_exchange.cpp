#include "sim/mpi_exchange.hpp"

#include <climits>
#include <cstdlib>
#include <iostream>
#include <stdexcept>

#include <mpi.h>

namespace sim {
namespace {

int as_int(std::size_t n) {
    if (n > static_cast<std::size_t>(INT_MAX)) throw std::length_error("an MPI message over 2 GiB");
    return static_cast<int>(n);
}

}  // namespace

bool MpiExchange::launched() {
    for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK"})
        if (std::getenv(v)) return true;
    return false;
}

unsigned MpiExchange::ranks_on_this_machine() {
    const char* local = std::getenv("OMPI_COMM_WORLD_LOCAL_SIZE");
    const long n = local ? std::strtol(local, nullptr, 10) : 1;
    return n >= 1 && n <= 4096 ? static_cast<unsigned>(n) : 1;
}

MpiExchange::MpiExchange() {
    int initialized = 0;
    MPI_Initialized(&initialized);
    if (!initialized) MPI_Init(nullptr, nullptr);
    int rank = 0, size = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    rank_ = static_cast<unsigned>(rank);
    size_ = static_cast<unsigned>(size);
}

MpiExchange::~MpiExchange() {
    int finalized = 0;
    MPI_Finalized(&finalized);
    if (!finalized) MPI_Finalize();
}

void MpiExchange::all_to_all(const std::vector<std::vector<unsigned char>>& send, std::vector<unsigned char>& received,
                             std::vector<std::size_t>& from) {
    if (send.size() != size_) throw std::logic_error("all_to_all: one buffer per rank");
    std::vector<unsigned long long> out(size_), in(size_);
    for (unsigned r = 0; r < size_; ++r) out[r] = send[r].size();
    MPI_Alltoall(out.data(), 1, MPI_UNSIGNED_LONG_LONG, in.data(), 1, MPI_UNSIGNED_LONG_LONG, MPI_COMM_WORLD);
    std::vector<int> send_counts(size_), send_at(size_), receive_counts(size_), receive_at(size_);
    std::size_t total_out = 0, total_in = 0;
    for (unsigned r = 0; r < size_; ++r) {
        send_counts[r] = as_int(out[r]);
        send_at[r] = as_int(total_out);
        total_out += out[r];
        receive_counts[r] = as_int(in[r]);
        receive_at[r] = as_int(total_in);
        total_in += in[r];
    }
    packed_.clear();
    for (const auto& s : send) packed_.insert(packed_.end(), s.begin(), s.end());
    received.resize(total_in);
    from.assign(in.begin(), in.end());
    MPI_Alltoallv(packed_.data(), send_counts.data(), send_at.data(), MPI_UNSIGNED_CHAR, received.data(),
                  receive_counts.data(), receive_at.data(), MPI_UNSIGNED_CHAR, MPI_COMM_WORLD);
}

void MpiExchange::all_reduce(std::vector<std::uint64_t>& values, Reduce op) {
    static_assert(sizeof(std::uint64_t) == sizeof(unsigned long long));
    const MPI_Op mpi_op = op == Reduce::Sum ? MPI_SUM : op == Reduce::Max ? MPI_MAX : MPI_MIN;
    MPI_Allreduce(MPI_IN_PLACE, values.data(), as_int(values.size()), MPI_UNSIGNED_LONG_LONG, mpi_op, MPI_COMM_WORLD);
}

std::vector<std::vector<unsigned char>> MpiExchange::gather(const std::vector<unsigned char>& mine) {
    unsigned long long size = mine.size();
    std::vector<unsigned long long> sizes(rank_ == 0 ? size_ : 0);
    MPI_Gather(&size, 1, MPI_UNSIGNED_LONG_LONG, sizes.data(), 1, MPI_UNSIGNED_LONG_LONG, 0, MPI_COMM_WORLD);
    std::vector<int> counts(sizes.size()), at(sizes.size());
    std::size_t total = 0;
    for (std::size_t r = 0; r < sizes.size(); ++r) {
        counts[r] = as_int(sizes[r]);
        at[r] = as_int(total);
        total += sizes[r];
    }
    std::vector<unsigned char> all(total);
    MPI_Gatherv(mine.data(), as_int(mine.size()), MPI_UNSIGNED_CHAR, all.data(), counts.data(), at.data(),
                MPI_UNSIGNED_CHAR, 0, MPI_COMM_WORLD);
    std::vector<std::vector<unsigned char>> out;
    for (std::size_t r = 0; r < sizes.size(); ++r)
        out.emplace_back(all.begin() + at[r], all.begin() + at[r] + counts[r]);
    return out;
}

void MpiExchange::abort(const std::string& why, int code) {
    std::cerr << why << std::endl;
    MPI_Abort(MPI_COMM_WORLD, code);
    std::_Exit(code);
}

}  // namespace sim
