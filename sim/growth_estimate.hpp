// sim/growth_estimate.hpp — will a breadth-first search fit in its memory
// limit? An early warning from the levels seen so far.
//
// Breadth-first, the states of each depth (a level) are all found before the
// next level is expanded. While the last three levels each grew by a factor
// of at least kGrowing over the one before, the search is taken to go on
// growing at the smallest of those three factors (the least alarming
// reading of the recent past), and the memory of the next kHorizon levels is
// projected at the bytes each state has cost so far (the memory the run
// added since it began, over its states: what the process held before is
// no cost of the states). Judged from kMinStates states on, when the
// per-state cost has settled. When that passes the limit, the space will
// clearly not fit: the explorer says so once, early,
// and goes on until the limit really stops it (a partial report, exit 3).
// State spaces stop growing eventually, so this can be wrong on a space
// about to turn; a warning, never a stop.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

namespace sim {

struct GrowthWarning {
    std::uint32_t depth = 0;           // the level just completed
    std::uint64_t states = 0;          // states found so far
    double growth = 0;                 // the smallest growth factor of the last three levels
    double bytes_per_state = 0;        // memory added by the run over states so far
    std::uint32_t levels_to_limit = 0;  // levels until the projection passes the limit
    std::uint64_t states_at_limit = 0;  // about how many states the limit holds
};

class GrowthEstimate {
public:
    static constexpr double kGrowing = 1.05;
    static constexpr std::uint32_t kHorizon = 3;
    static constexpr std::uint64_t kMinStates = 50000;

    // The number of states found (so far) at each depth, as the search goes:
    // called with the depth of each new state.
    void found(std::uint32_t depth) {
        if (depth >= levels_.size()) levels_.resize(depth + 1, 0);
        ++levels_[depth];
    }

    // The level `depth` is about to be expanded, so every level up to it is
    // complete; `used`: the bytes the run added so far, `budget`: the bytes
    // it may add in all. Returns a warning the first time the projection
    // passes the budget.
    std::optional<GrowthWarning> level_complete(std::uint32_t depth, std::uint64_t states, std::size_t used,
                                                std::size_t budget) {
        if (warned_ || budget == 0 || depth < 3 || depth >= levels_.size() || states < kMinStates) return std::nullopt;
        double growth = 1e300;
        for (std::uint32_t d = depth - 2; d <= depth; ++d) {
            if (levels_[d - 1] == 0) return std::nullopt;
            growth = std::min(growth, double(levels_[d]) / double(levels_[d - 1]));
        }
        if (growth < kGrowing) return std::nullopt;
        const double per_state = double(used) / double(states);
        double total = double(states), level = double(levels_[depth]);
        for (std::uint32_t k = 1; k <= kHorizon; ++k) {
            level *= growth;
            total += level;
            if (total * per_state > double(budget)) {
                warned_ = true;
                return GrowthWarning{depth, states, growth, per_state, k,
                                     static_cast<std::uint64_t>(double(budget) / per_state)};
            }
        }
        return std::nullopt;
    }

    // To and from a checkpoint (sim/checkpoint.hpp).
    template <class Writer>
    void save(Writer& w) const {
        w.array(levels_.data(), levels_.size());
        w.template value<std::uint8_t>(warned_);
    }
    template <class Reader>
    void load(Reader& r) {
        levels_ = r.template array<std::uint64_t>();
        warned_ = r.flag();
    }

private:
    std::vector<std::uint64_t> levels_;
    bool warned_ = false;
};

}  // namespace sim
