#include "properties/catalogue.hpp"

namespace bidilab::properties {

// One bracket per thread: the explorer checks step properties on several
// threads at once (sim/explorer.hpp, `threads`), each for its own transition.
CheckedModel::StepCache& CheckedModel::step_cache() const {
    thread_local StepCache cache;
    return cache;
}

CheckedModel::CheckedModel(model::Scenario scenario) : model::XmppModel(std::move(scenario)) {
    std::vector<sim::Property<CheckedModel>> state;
    for (auto& p : properties())
        if (p.kind != sim::Kind::Step) state.push_back(std::move(p));
    state_properties_ = std::make_shared<const std::vector<sim::Property<CheckedModel>>>(std::move(state));
}

std::vector<sim::Property<CheckedModel>> CheckedModel::properties() const {
    auto all = safety_properties();
    for (auto& p : liveness_and_witnesses()) all.push_back(std::move(p));
    for (auto& p : choice_witnesses()) all.push_back(std::move(p));
    for (auto& p : expectations(scenario())) all.push_back(std::move(p));
    return all;
}

void CheckedModel::begin_step(const model::World& before, const model::Action& a, const model::World& after) const {
    StepCache& step_ = step_cache();
    step_.model = this;
    step_.before = &before;
    step_.action = &a;
    step_.after = &after;
    step_.ready = false;
}

void CheckedModel::end_step() const {
    StepCache& step_ = step_cache();
    step_.model = nullptr;
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
    StepCache& step_ = step_cache();
    if (this != step_.model || &before != step_.before || &a != step_.action || &after != step_.after) {
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
