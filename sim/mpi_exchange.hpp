// sim/mpi_exchange.hpp — sim::Exchange over MPI (Open MPI from Debian): the
// ranks of MPI_COMM_WORLD, all_to_all as MPI_Alltoallv, reductions as
// MPI_Allreduce. One MpiExchange per process: it initializes MPI and
// finalizes it when destroyed. Any MPI error ends every rank (MPI's default
// handler), and so does abort(): a run never waits for a rank that is gone.
#pragma once

#include <string>

#include "sim/exchange.hpp"

namespace sim {

class MpiExchange final : public Exchange {
public:
    // Whether this process was started by mpirun (or another MPI launcher).
    static bool launched();
    // How many ranks of this run share this machine (to share its memory).
    static unsigned ranks_on_this_machine();

    MpiExchange();
    ~MpiExchange() override;
    MpiExchange(const MpiExchange&) = delete;
    MpiExchange& operator=(const MpiExchange&) = delete;

    unsigned rank() const override { return rank_; }
    unsigned size() const override { return size_; }
    void all_to_all(const std::vector<std::vector<unsigned char>>& send, std::vector<unsigned char>& received,
                    std::vector<std::size_t>& from) override;
    void all_reduce(std::vector<std::uint64_t>& values, Reduce op) override;
    std::vector<std::vector<unsigned char>> gather(const std::vector<unsigned char>& mine) override;
    // Ends every rank of the run with `code` (after `why` on this one's stderr).
    [[noreturn]] void abort(const std::string& why, int code);

private:
    unsigned rank_ = 0, size_ = 1;
    std::vector<unsigned char> packed_;  // all_to_all's buffers, one after the other (kept: no page faults per round)
};

}  // namespace sim
