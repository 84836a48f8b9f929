#include "probe/model_orders.hpp"

#include <algorithm>

#include "model/row_coverage.hpp"
#include "properties/catalogue.hpp"
#include "sim/explorer.hpp"
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

}  // namespace

std::vector<ModelOrder> witness_orders(const model::Scenario& sc, model::ServerIndex live, std::uint64_t max_states) {
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
                                    std::uint32_t walks, std::uint32_t tries) {
    const properties::CheckedModel m(sc);
    sim::SimulateOptions o;
    o.seed = seed;
    o.depth = 400;
    sim::Simulator<properties::CheckedModel> simulator(m, o);
    model::RowCoverage reached;
    std::vector<ModelOrder> out;
    for (std::uint32_t run = 0; run < tries && out.size() < walks; ++run) {
        const sim::Trace trace = simulator.walk(run);
        model::RowCoverage rows;
        rows.only_with(live);
        {
            const model::RowCoverage::Scope recording(&rows);
            (void)sim::replay(m, trace);
        }
        if (!reached.add(rows)) continue;
        PlayedOrder order = project(m, trace, live);
        if (known(out, order)) continue;
        out.push_back({"walk-" + std::to_string(seed) + "-" + std::to_string(run),
                       "the played servers keep the order of random walk " + std::to_string(run) + " of seed " +
                           std::to_string(seed) + " of the model, which takes rows of the played machines on "
                           "connections with the live server that no earlier walk took; " +
                           steps_text(order, sc),
                       std::move(order)});
    }
    return out;
}

ReachableRows reachable_rows(const model::Scenario& sc, model::ServerIndex live, std::uint64_t max_states) {
    const properties::CheckedModel m(sc);
    sim::ExploreOptions o;  // one thread, every transition: the coverage records on this one
    o.max_states = max_states;
    o.require_witnesses = false;
    ReachableRows out;
    out.rows.only_with(live);
    const model::RowCoverage::Scope recording(&out.rows);
    out.complete = sim::Explorer<properties::CheckedModel>(m, o).run().complete;
    return out;
}

}  // namespace bidilab::probe
