// cli/distributed_check.hpp — `check --distributed`, run under mpirun: every
// rank explores its share of the states (sim/distributed_explorer.hpp) and
// rank 0 prints the one report; every rank exits with its verdict's code.
// Included by cli/driver.hpp, after run_check.
#pragma once

#include <exception>
#include <string>

#include "cli/driver.hpp"
#include "sim/distributed_explorer.hpp"
#include "sim/mpi_exchange.hpp"

namespace bidilab::cli {

// What a distributed run cannot do, refused before MPI starts (exit 2).
template <class M>
void refuse_for_distributed(const Args& args, const AfterExplore<M>& after) {
    auto refuse = [](const std::string& what, const std::string& why) {
        throw UsageError("--distributed does not work with " + what + " (" + why + ")");
    };
    if (args.flag("dfs")) refuse("--dfs", "the ranks search breadth-first, level by level");
    for (const char* o : {"checkpoint", "checkpoint-every", "resume"})
        if (args.value(o)) refuse(std::string("--") + o, "a checkpoint holds one process's search");
    if (args.value("threads")) refuse("--threads", "each rank runs one thread: start more ranks");
    if (args.value("por") == std::optional<std::string>("on"))
        refuse("--por on", "the cycle proviso of the reduction reads the whole visited set; the run is unreduced");
    if (args.value("eventually-by") == std::optional<std::string>("graph"))
        refuse("--eventually-by graph", "no rank keeps the whole graph");
    if (after.run || after.before || after.keep_graph || after.every_transition)
        refuse("--dot, --svg, --chart-dir or --coverage", "they need the whole graph or the run on one process");
    if (!sim::MpiExchange::launched())
        throw UsageError("--distributed: start it under mpirun, as in: mpirun -np 2 bidilab check TOPOLOGY --distributed");
}

template <class M>
int run_distributed(const M& model, const Args& args, std::ostream& out, bool witnesses_required,
                    const TraceView<M>& view, const AfterExplore<M>& after) {
    if constexpr (!sim::distributable_v<M>) {
        throw UsageError("--distributed: this model's states cannot be sent between ranks");
    } else {
        refuse_for_distributed(args, after);
        check_json_writable(args);
        stdout_taken(args);
        sim::ExploreOptions o;
        o.max_states = args.count("max-states", 0);
        o.max_depth = static_cast<std::uint32_t>(args.count("max-depth", 0, 0xFFFFFFFFu));
        // Per rank: by default the ranks on this machine share three quarters of it.
        o.max_memory = args.bytes("max-memory", sim::physical_memory_bytes() / 4 * 3 / sim::MpiExchange::ranks_on_this_machine());
        o.check_deadlock = !args.flag("no-deadlock");
        o.require_witnesses = witnesses_required || args.flag("require-witnesses");
        o.stop = interrupt_flag();
        sim::MpiExchange net;
        if (net.rank() == 0) o.on_progress = progress_printer(args.flag("progress"));
        sim::Report report;
        try {
            report = sim::DistributedExplorer<M>(model, o, net).run();
        } catch (const std::exception& e) {
            // The other ranks wait in a collective step: end them all.
            net.abort("bidilab: rank " + std::to_string(net.rank()) + ": internal error: " + e.what(), 4);
        }
        if (o.on_progress && report.seconds >= 1) std::cerr << "\n";
        int code = 0;
        std::exception_ptr failed;
        if (net.rank() == 0) {
            report.reductions.push_back("distributed: " + std::to_string(net.size()) +
                                        " ranks, states owned by fingerprint modulo the ranks, successors exchanged "
                                        "in rounds (sim/distributed_explorer.hpp); partial order: off");
            try {
                code = finish(model, report, args, "check", out, view, after.report);
            } catch (...) {
                failed = std::current_exception();
            }
        }
        code = static_cast<int>(net.max(failed ? 2 : static_cast<std::uint64_t>(code)));
        if (failed) std::rethrow_exception(failed);
        return code;
    }
}

}  // namespace bidilab::cli
