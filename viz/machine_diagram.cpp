#include "viz/machine_diagram.hpp"

#include <algorithm>
#include <map>
#include <sstream>

#include "model/initiating_stream.hpp"
#include "model/pair_auth.hpp"
#include "model/receiving_stream.hpp"

namespace bidilab::viz {

std::vector<MachineTable> machine_tables() {
    using model::InitiatingStream;
    using model::ReceivingStream;
    return {
        {"initiating_stream", "InitiatingStream", InitiatingStream::state_name(InitiatingStream::initial(1, 2).state()),
         InitiatingStream::transition_table()},
        {"receiving_stream", "ReceivingStream", ReceivingStream::state_name(ReceivingStream::initial().state()),
         ReceivingStream::transition_table()},
        {"pair_auth", "pair authorization (per domain pair and direction)", model::pair_state_name(model::PairState::Idle),
         model::pair_auth_table()},
    };
}

MachineTable without_error_rows(MachineTable table) {
    const auto closing = [](const model::TransitionRow& r) { return r.target == "Closed"; };
    const std::size_t before = table.rows.size();
    table.rows.erase(std::remove_if(table.rows.begin(), table.rows.end(), closing), table.rows.end());
    table.hidden += before - table.rows.size();
    return table;
}

std::string row_label(const model::TransitionRow& row) {
    std::string s = row.event;
    if (row.guard != "none") s += " [" + row.guard + "]";
    if (row.action != "none") s += " / " + row.action;
    return s;
}

Diagram machine_diagram(const MachineTable& table) {
    std::vector<std::string> states{table.initial};
    auto index = [&states](const std::string& name) {
        auto it = std::find(states.begin(), states.end(), name);
        if (it != states.end()) return static_cast<std::size_t>(it - states.begin());
        states.push_back(name);
        return states.size() - 1;
    };
    std::vector<std::pair<std::size_t, std::size_t>> ends;
    for (const auto& r : table.rows) {
        const std::size_t s = index(r.source);
        ends.emplace_back(s, index(r.target));
    }
    Diagram d(states.size());
    for (std::size_t v = 0; v < states.size(); ++v) {
        d[v].label = states[v];
        d[v].terminal = true;
    }
    d[0].initial = true;
    for (std::size_t i = 0; i < table.rows.size(); ++i) {
        d[ends[i].first].terminal = false;
        if (ends[i].first == ends[i].second) d[ends[i].first].internal.push_back(row_label(table.rows[i]));
        else boost::add_edge(ends[i].first, ends[i].second, DiagramEdge{row_label(table.rows[i]), 1, false}, d);
    }
    return d;
}

std::string machine_dot(const MachineTable& table) {
    DotStyle style;
    style.title = table.title + ": " + std::to_string(table.rows.size()) + " rows, from the code" +
                  (table.hidden ? " (" + std::to_string(table.hidden) + " error rows hidden)" : "");
    style.rankdir = "LR";
    return dot_text(machine_diagram(table), style);
}

std::string machine_table_text(const MachineTable& table) {
    const std::vector<std::string> head{"Source", "Event", "Guard", "Action", "Target"};
    std::vector<std::vector<std::string>> cells{head};
    for (const auto& r : table.rows) cells.push_back({r.source, r.event, r.guard, r.action, r.target});
    std::vector<std::size_t> width(head.size(), 0);
    for (const auto& row : cells)
        for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
    std::ostringstream out;
    out << table.title << " (initial " << table.initial << ", " << table.rows.size() << " rows"
        << (table.hidden ? ", " + std::to_string(table.hidden) + " error rows hidden" : "") << ")\n";
    for (const auto& row : cells) {
        std::string line = " ";
        for (std::size_t c = 0; c < row.size(); ++c)
            line += " " + row[c] + (c + 1 < row.size() ? std::string(width[c] - row[c].size() + 1, ' ') : "");
        out << line << "\n";
    }
    return out.str();
}

}  // namespace bidilab::viz
