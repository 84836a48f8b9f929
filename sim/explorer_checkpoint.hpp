// sim/explorer_checkpoint.hpp — how Explorer saves its whole state to a
// checkpoint and continues from one (sim/checkpoint.hpp for the file).
// Included by explorer.hpp.
//
// A checkpoint is taken between two expansions. What is saved is everything
// the rest of the run reads: the report so far (counts, statuses, traces),
// the parent log and kept edges, the visited set, the goal bits or the two
// levels' bits of `eventually`, the roots, the outcome counts, the frontier
// as its blocks, and the states breadth-first search took from it already
// and has not expanded (their successors are not saved: the resumed run
// computes them again; what an ample set postpones is counted when its
// state is expanded, so the file counts none of theirs). So a resumed run visits the same states in the same order and
// ends with the same states, transitions, verdicts and traces as one that
// was never stopped (tests/sim/checkpoint_test.cpp).
#pragma once

#include <string>

#include "sim/checkpoint.hpp"
#include "sim/explorer.hpp"

namespace sim {

// What a checkpoint must match to be resumed: the caller's identity (the
// build, the model), then every option of this explorer that changes a
// result. The limits on states and memory may differ: they only stop a run.
template <class M>
CheckpointIdentity Explorer<M>::checkpoint_identity() const {
    CheckpointIdentity id = options_.identity;
    auto on = [](bool b) { return std::string(b ? "on" : "off"); };
    std::string names, reductions;
    for (const auto& p : properties_) names += (names.empty() ? "" : ",") + p.name;
    for (const auto& r : model_reductions(model_)) reductions += (reductions.empty() ? "" : "; ") + r;
    id.emplace_back("order", options_.order == Order::BreadthFirst ? "breadth-first" : "depth-first");
    id.emplace_back("max-depth", std::to_string(options_.max_depth));
    id.emplace_back("deadlock check", on(options_.check_deadlock));
    id.emplace_back("partial order", on(reducing()));
    id.emplace_back("graph kept", on(options_.keep_graph));
    id.emplace_back("eventually graph states", std::to_string(options_.eventually_graph_states));
    id.emplace_back("witnesses required", on(options_.require_witnesses));
    id.emplace_back("properties", names);
    id.emplace_back("model reductions", reductions);
    return id;
}

template <class M>
void Explorer<M>::save_checkpoint(const Frontier<M>& frontier) {
    if constexpr (!Frontier<M>::savable) {
        throw CheckpointError("this model's states cannot be saved to a checkpoint (no codec)");
    } else {
        CheckpointWriter w(options_.checkpoint_file);
        w.identity(checkpoint_identity());
        w.value<std::uint64_t>(report_.transitions);
        w.value<std::uint32_t>(report_.depth);
        w.value<std::uint32_t>(level_end_);
        w.value<std::uint64_t>(report_.transitions_postponed);
        w.value<std::uint64_t>(report_.expanded_in_full);
        w.value<std::uint8_t>(report_.memory.edges_dropped);
        w.value<double>(seconds_before_ + std::chrono::duration<double>(Clock::now() - start_).count());
        w.value<std::uint64_t>(report_.properties.size());
        for (const auto& p : report_.properties) {
            w.value<std::uint8_t>(static_cast<std::uint8_t>(p.status));
            w.value<std::uint8_t>(p.trace.has_value());
            if (!p.trace) continue;
            w.value<std::uint32_t>(p.trace->initial);
            w.array(p.trace->actions.data(), p.trace->actions.size());
            w.value<std::uint8_t>(p.trace->loop_start.has_value());
            w.value<std::uint64_t>(p.trace->loop_start.value_or(0));
        }
        w.value<std::uint64_t>(expansions_);
        w.value<std::uint64_t>(steps_open_);
        w.value<std::uint64_t>(dead_free_);
        w.value<std::uint8_t>(graph_for_eventually_);
        w.array(roots_.data(), roots_.size());
        w.value<std::uint64_t>(outcomes_.size());
        for (const auto& [outcome, n] : outcomes_) w.text(outcome), w.value<std::uint64_t>(n);
        graph_->save(w);
        visited_->save(w);
        goals_.save(w);
        levels_.save(w);
        growth_.save(w);
        frontier.save(w);
        // Taken and not yet expanded, in the order they were taken.
        w.value<std::uint64_t>(taken());
        for (std::size_t i = batch_next_; i < batch_end_; ++i) frontier.save_entry(w, batch_[i].entry);
        const std::uint64_t bytes = w.commit();
        report_.checkpoint = CheckpointNote{options_.checkpoint_file, graph_->size(), bytes};
        if (options_.on_checkpoint) options_.on_checkpoint(*report_.checkpoint);
    }
    last_checkpoint_ = Clock::now();
    expansions_at_checkpoint_ = expansions_;
    checkpoint_wanted_ = false;
}

template <class M>
void Explorer<M>::load_checkpoint(Frontier<M>& frontier) {
    if constexpr (!Frontier<M>::savable) {
        (void)frontier;
        throw CheckpointError("this model's states cannot be resumed from a checkpoint (no codec)");
    } else {
        CheckpointReader r(options_.resume_file);
        r.identity(checkpoint_identity());
        report_.transitions = r.value<std::uint64_t>();
        report_.depth = r.value<std::uint32_t>();
        level_end_ = r.value<std::uint32_t>();
        report_.transitions_postponed = r.value<std::uint64_t>();
        report_.expanded_in_full = r.value<std::uint64_t>();
        report_.memory.edges_dropped = r.flag();
        seconds_before_ = r.value<double>();
        if (r.value<std::uint64_t>() != report_.properties.size()) r.fail("another number of properties");
        for (auto& p : report_.properties) {
            p.status = static_cast<Status>(r.value_at_most<std::uint8_t>(static_cast<std::uint8_t>(Status::Unknown), "a status"));
            if (!r.flag()) continue;
            Trace t;
            t.initial = r.value<std::uint32_t>();
            t.actions = r.array<std::uint32_t>();
            const bool loop = r.flag();
            const std::uint64_t loop_start = r.value<std::uint64_t>();
            if (loop) t.loop_start = static_cast<std::size_t>(loop_start);
            p.trace = std::move(t);
        }
        expansions_ = r.value<std::uint64_t>();
        steps_open_ = r.value_at_most<std::uint64_t>(properties_.size(), "a count of step properties");
        dead_free_ = r.value<std::uint64_t>();
        graph_for_eventually_ = r.flag();
        roots_ = r.array<std::uint32_t>();
        outcomes_.clear();
        for (std::uint64_t n = r.count(16); n != 0; --n) {
            std::string outcome = r.text();
            outcomes_[outcome] = r.value<std::uint64_t>();
        }
        graph_->load(r);
        if (level_end_ > graph_->size()) r.fail("a level that ends past the states");
        visited_->load(r);
        goals_.load(r);
        levels_.load(r);
        growth_.load(r);
        frontier.load(r);
        const std::uint64_t taken = r.count(16);
        if (batch_.size() < taken) batch_.resize(taken);
        for (std::uint64_t i = 0; i < taken; ++i) {
            frontier.load_entry(r, batch_[i].entry);
            batch_[i].ready = false;
        }
        batch_next_ = 0;
        batch_end_ = taken;
        r.expect_end();
        const std::uint64_t states = graph_->size();
        if (visited_->size() != states || (graph_for_eventually_ && goals_.size() != states))
            r.fail("parts that count different numbers of states");
        for (std::uint32_t root : roots_)
            if (root >= states) r.fail("a root that is no state");
        frontier.for_each_entry([&](std::uint32_t index, std::uint32_t) {
            if (index >= states) r.fail("a queued state that is no state");
        });
        for (std::size_t i = 0; i < batch_end_; ++i)
            if (batch_[i].entry.index >= states) r.fail("a queued state that is no state");
        report_.resumed = CheckpointNote{options_.resume_file, states, 0};
    }
    last_checkpoint_ = Clock::now();
    expansions_at_checkpoint_ = expansions_;
}

}  // namespace sim
