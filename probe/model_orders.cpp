#include "probe/model_orders.hpp"

#include <algorithm>
#include <deque>
#include <tuple>
#include <unordered_map>

#include "model/row_coverage.hpp"
#include "properties/catalogue.hpp"
#include "sim/explorer.hpp"
#include "sim/fingerprint.hpp"
#include "sim/simulator.hpp"

namespace bidilab::probe {

namespace {

bool known(const std::vector<ModelOrder>& kept, const PlayedOrder& order) {
    return order.empty() ||
           std::any_of(kept.begin(), kept.end(), [&](const ModelOrder& o) { return o.order == order; });
}

// "3 steps: montague submits its next stanza, then ..." (the first few).
std::string steps_text(const PlayedOrder& order, const model::Scenario& sc) {
    std::string s = std::to_string(order.size()) + " played step" + (order.size() == 1 ? "" : "s") + ": ";
    for (std::size_t i = 0; i < order.size() && i < 4; ++i) s += (i ? ", " : "") + describe(order[i], sc.server_names);
    return s + (order.size() > 4 ? ", ..." : "");
}

// The rows of the played machines on a connection with `live` that `trace` takes.
model::RowCoverage rows_of(const model::XmppModel& m, const sim::Trace& trace, model::ServerIndex live) {
    model::RowCoverage rows;
    rows.only_with(live);
    const model::RowCoverage::Scope recording(&rows);
    (void)sim::replay(m, trace);
    return rows;
}

// Breadth-first over every transition of `sc` (the connection symmetry on,
// as `check`), up to `max_states` states: every row of the played machines
// on a connection with `live` some ordering takes, and for each, in the
// order first taken, the shortest ordering that takes it.
struct RowTraces {
    model::RowCoverage rows;
    bool complete = true;
    std::vector<std::tuple<model::StreamMachine, std::size_t, sim::Trace>> first;
};

RowTraces row_traces(const model::Scenario& sc, model::ServerIndex live, std::uint64_t max_states) {
    const model::XmppModel m(sc);
    RowTraces out;
    out.rows.only_with(live);
    struct Node {
        std::uint32_t parent, action;  // the state it was first reached from, by its action #
    };
    std::vector<Node> nodes;
    std::unordered_map<std::uint64_t, std::uint32_t> seen;
    std::deque<std::pair<std::uint32_t, model::World>> queue;
    const auto trace_to = [&nodes](std::uint32_t node, std::uint32_t action) {
        sim::Trace t;
        t.actions.push_back(action);
        for (; node != 0; node = nodes[node].parent) t.actions.push_back(nodes[node].action);
        std::reverse(t.actions.begin(), t.actions.end());
        return t;
    };
    const model::World initial = m.initial_states().at(0);
    nodes.push_back({0, 0});
    seen.emplace(sim::fingerprint(initial), 0);
    queue.emplace_back(0, initial);
    std::vector<model::Action> enabled;
    while (!queue.empty()) {
        const auto [at, w] = std::move(queue.front());
        queue.pop_front();
        enabled.clear();
        m.actions(w, enabled);
        for (std::uint32_t a = 0; a < enabled.size(); ++a) {
            model::RowCoverage step;
            step.only_with(live);
            model::World next;
            {
                const model::RowCoverage::Scope recording(&step);
                m.next_state(w, enabled[a], next);
            }
            for (const auto machine : model::kStreamMachines)
                for (std::size_t row = 0; row < step.rows(machine); ++row)
                    if (step.taken(machine, row) && !out.rows.taken(machine, row)) {
                        out.rows.take(machine, row);
                        out.first.emplace_back(machine, row, trace_to(at, a));
                    }
            const std::uint64_t fp = sim::fingerprint(next);
            if (seen.count(fp) != 0) continue;
            if (seen.size() >= max_states) {
                out.complete = false;
                continue;
            }
            const auto index = static_cast<std::uint32_t>(nodes.size());
            nodes.push_back({at, a});
            seen.emplace(fp, index);
            queue.emplace_back(index, std::move(next));
        }
    }
    return out;
}

}  // namespace

std::vector<ModelOrder> witness_orders(const model::Scenario& sc, model::ServerIndex live, std::uint64_t max_states,
                                       model::RowCoverage* covered) {
    const properties::CheckedModel m(sc);
    sim::ExploreOptions o;
    o.max_states = max_states;
    o.require_witnesses = false;
    const sim::Report r = sim::Explorer<properties::CheckedModel>(m, o).run();
    std::vector<ModelOrder> out;
    for (const auto& p : r.properties) {
        if (p.kind != sim::Kind::Sometimes || p.status != sim::Status::Witnessed || !p.trace) continue;
        PlayedOrder order = project(m, *p.trace, live);
        if (known(out, order)) continue;
        if (covered) covered->add(rows_of(m, *p.trace, live));
        std::string rules;
        for (const auto& id : p.rules) rules += (rules.empty() ? "" : ", ") + id;
        out.push_back({"witness-" + p.name,
                       "the played servers keep the order of the shortest ordering in which " + p.name + " (" + rules +
                           ") is witnessed; " + steps_text(order, sc),
                       std::move(order)});
    }
    return out;
}

std::vector<ModelOrder> walk_orders(const model::Scenario& sc, model::ServerIndex live, std::uint64_t seed,
                                    std::uint32_t walks, std::uint32_t tries, model::RowCoverage* covered) {
    const properties::CheckedModel m(sc);
    sim::SimulateOptions o;
    o.seed = seed;
    o.depth = 400;
    sim::Simulator<properties::CheckedModel> simulator(m, o);
    model::RowCoverage reached;
    std::vector<ModelOrder> out;
    for (std::uint32_t run = 0; run < tries && out.size() < walks; ++run) {
        const sim::Trace trace = simulator.walk(run);
        const model::RowCoverage rows = rows_of(m, trace, live);
        if (!reached.add(rows)) continue;
        PlayedOrder order = project(m, trace, live);
        if (known(out, order)) continue;
        if (covered) covered->add(rows);
        out.push_back({"walk-" + std::to_string(seed) + "-" + std::to_string(run),
                       "the played servers keep the order of random walk " + std::to_string(run) + " of seed " +
                           std::to_string(seed) + " of the model, which takes rows of the played machines on "
                           "connections with the live server that no earlier walk took; " +
                           steps_text(order, sc),
                       std::move(order)});
    }
    return out;
}

std::vector<ModelOrder> row_orders(const model::Scenario& sc, model::ServerIndex live, std::uint64_t max_states,
                                   model::RowCoverage& covered, const std::vector<ModelOrder>& earlier,
                                   ReachableRows* reachable) {
    const model::XmppModel m(sc);
    std::vector<ModelOrder> out;
    RowTraces found = row_traces(sc, live, max_states);
    for (const auto& [machine, row, trace] : found.first) {
        if (covered.taken(machine, row)) continue;
        PlayedOrder order = project(m, trace, live);
        if (known(out, order) || known(earlier, order)) continue;
        covered.add(rows_of(m, trace, live));
        const model::TransitionRow& r = model::RowCoverage::table(machine).at(row);
        const std::string id = std::string(machine == model::StreamMachine::Initiating ? "I" : "R") + "-" +
                               std::to_string(row);
        out.push_back({"row-" + id,
                       "the played servers keep the order of the shortest ordering of the model in which a played " +
                           std::string(model::RowCoverage::name(machine)) + " on a connection with the live server "
                           "takes row " + std::to_string(row) + " (" + r.source + " --" + r.event + "--> " + r.target +
                           "), which no earlier scenario's ordering takes; " + steps_text(order, sc),
                       std::move(order)});
    }
    if (reachable) *reachable = ReachableRows{std::move(found.rows), found.complete};
    return out;
}

ReachableRows reachable_rows(const model::Scenario& sc, model::ServerIndex live, std::uint64_t max_states) {
    RowTraces found = row_traces(sc, live, max_states);
    return ReachableRows{std::move(found.rows), found.complete};
}

}  // namespace bidilab::probe
