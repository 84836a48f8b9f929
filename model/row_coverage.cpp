#include "model/row_coverage.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "model/initiating_stream.hpp"
#include "model/receiving_stream.hpp"

namespace bidilab::model {

RowCoverage::RowCoverage() {
    for (StreamMachine m : kStreamMachines) taken_[index(m)].assign(table(m).size(), false);
}

const char* RowCoverage::name(StreamMachine m) {
    return m == StreamMachine::Initiating ? "InitiatingStream" : "ReceivingStream";
}

const std::vector<TransitionRow>& RowCoverage::table(StreamMachine m) {
    return m == StreamMachine::Initiating ? InitiatingStream::transition_table() : ReceivingStream::transition_table();
}

void RowCoverage::take(StreamMachine m, std::size_t row) {
    auto& taken = taken_[index(m)];
    if (row >= taken.size())
        throw std::logic_error(std::string(name(m)) + ": no row " + std::to_string(row) + " to mark as taken");
    taken[row] = true;
}

std::size_t RowCoverage::taken_count(StreamMachine m) const {
    const auto& taken = taken_[index(m)];
    return static_cast<std::size_t>(std::count(taken.begin(), taken.end(), true));
}

std::size_t RowCoverage::taken_total() const {
    std::size_t n = 0;
    for (StreamMachine m : kStreamMachines) n += taken_count(m);
    return n;
}

bool RowCoverage::add(const RowCoverage& other) {
    bool added = false;
    for (StreamMachine m : kStreamMachines) {
        auto& taken = taken_[index(m)];
        const auto& theirs = other.taken_[index(m)];
        for (std::size_t i = 0; i < taken.size() && i < theirs.size(); ++i)
            if (theirs[i] && !taken[i]) {
                taken[i] = true;
                added = true;
            }
    }
    return added;
}

std::vector<std::size_t> RowCoverage::never_taken(StreamMachine m) const {
    std::vector<std::size_t> rows;
    const auto& taken = taken_[index(m)];
    for (std::size_t i = 0; i < taken.size(); ++i)
        if (!taken[i]) rows.push_back(i);
    return rows;
}

}  // namespace bidilab::model
