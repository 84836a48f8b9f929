#include "properties/catalogue.hpp"

namespace bidilab::properties {

std::vector<sim::Property<CheckedModel>> CheckedModel::properties() const {
    auto all = safety_properties();
    for (auto& p : liveness_and_witnesses()) all.push_back(std::move(p));
    for (auto& p : choice_witnesses()) all.push_back(std::move(p));
    for (auto& p : expectations(scenario())) all.push_back(std::move(p));
    return all;
}

void CheckedModel::begin_step(const model::World& before, const model::Action& a, const model::World& after) const {
    step_.before = &before;
    step_.action = &a;
    step_.after = &after;
    step_.ready = false;
}

void CheckedModel::end_step() const {
    step_.before = step_.after = nullptr;
    step_.action = nullptr;
    step_.ready = false;
}

std::optional<int> CheckedModel::blamed(const std::string& name, const model::World& before, const model::Action& a,
                                        const model::World& after) const {
    for (const auto& p : properties()) {
        if (p.kind != sim::Kind::Step || p.name != name) continue;
        begin_step(before, a, after);
        const bool holds = p.step_holds(*this, before, a, after);
        const std::optional<int> element = holds ? std::nullopt : step_view(before, a, after).blamed;
        end_step();
        return element;
    }
    return std::nullopt;
}

const StepView& CheckedModel::step_view(const model::World& before, const model::Action& a,
                                        const model::World& after) const {
    if (&before != step_.before || &a != step_.action || &after != step_.after) {
        view_step(*this, before, a, after, step_.scratch);
        return step_.scratch;
    }
    if (!step_.ready) {
        view_step(*this, before, a, after, step_.view);
        step_.ready = true;
    }
    return step_.view;
}

}  // namespace bidilab::properties
