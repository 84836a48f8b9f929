// probe/session_order.cpp — a session that keeps the played servers' own
// order (SessionSetup::order, probe/played_order.hpp): the steps whose moment
// is the played servers' to choose are taken in the order of an ordering of
// the model, as far as the live server lets them.
#include "probe/session.hpp"

#include <algorithm>

namespace bidilab::probe {

// The played server that reads `h`: the played end of its connection, or,
// for the first header on a connection the live server opened, the server
// of the domain it is addressed to.
std::optional<model::ServerIndex> Session::reader_of(const Held& h) const {
    if (h.link->number != 0) {
        const model::Connection* c = w_.connection(h.link->number);
        if (!c) return std::nullopt;
        return h.link->played_initiates ? c->initiator : c->receiver;
    }
    if (h.event.kind != capture::WireEventKind::StreamOpen) return std::nullopt;
    const auto name = h.event.header.to();
    const auto to = name ? names_.find_domain(*name) : std::nullopt;
    if (!to || *to == model::kNoDomain || *to >= sc_.host_of.size()) return std::nullopt;
    return sc_.server_of(*to);
}

// A step can be taken when its played server has a stanza left to submit,
// or when the first element waiting on one of its connections (each
// connection's elements are read in order, RFC 6120 §10.1's TCP order) is
// the one it reads, on the side it reads it.
bool Session::take_step(const PlayedStep& step) {
    if (step.kind == PlayedStep::Kind::Submit) {
        if (step.server >= unsubmitted_.size() || unsubmitted_[step.server] == 0) return false;
        --unsubmitted_[step.server];
        router_.submit(step.server);
        pump();
        return true;
    }
    std::vector<const Link*> seen;  // links whose first waiting element came before
    for (std::size_t k = 0; k < held_.size(); ++k) {
        const Held& h = held_[k];
        if (std::find(seen.begin(), seen.end(), h.link) != seen.end()) continue;
        seen.push_back(h.link);
        const auto reader = reader_of(h);
        if (!reader || *reader != step.server || h.link->played_initiates != step.initiator ||
            wire_name(h.event) != step.element)
            continue;
        const Held taken = h;
        held_.erase(held_.begin() + static_cast<std::ptrdiff_t>(k));
        take(*taken.link, taken.event);
        return true;
    }
    return false;
}

// Takes every step that can be taken now; once the wire has been quiet
// (`quiet`), skips a step that cannot. Past the last step, what waits is read
// in arrival order and the stanzas left are submitted.
void Session::follow_order(bool quiet) {
    if (stopped_at_ != 0) return;  // at a deviation: nothing more is read
    const PlayedOrder& order = *setup_.order;
    while (problem_.empty() && next_step_ < order.size()) {
        if (take_step(order[next_step_])) {
            ++taken_;
        } else if (quiet) {
            log_ += "# order: step " + std::to_string(next_step_ + 1) + " (" +
                    describe(order[next_step_], sc_.server_names) + ") cannot be taken; skipped\n";
            ++skipped_;
        } else {
            return;
        }
        ++next_step_;
        quiet = false;  // the step taken or skipped may make the next one possible at once
    }
    finish_order();
}

void Session::finish_order() {
    while (problem_.empty() && !held_.empty()) {
        const Held h = held_.front();
        held_.erase(held_.begin());
        take(*h.link, h.event);
    }
    for (model::ServerIndex s = 0; s < unsubmitted_.size() && problem_.empty(); ++s)
        for (; unsubmitted_[s] > 0; --unsubmitted_[s]) router_.submit(s);
    pump();
}

}  // namespace bidilab::probe
