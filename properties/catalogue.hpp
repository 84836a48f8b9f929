// properties/catalogue.hpp — the properties checked on the protocol model,
// each citing the rules of spec/RULES.md it encodes.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/xmpp_model.hpp"
#include "properties/step_view.hpp"
#include "sim/por.hpp"
#include "sim/property.hpp"

namespace bidilab::properties {

// The protocol model with its property catalogue: what `bidilab check` explores.
class CheckedModel : public model::XmppModel {
public:
    explicit CheckedModel(model::Scenario scenario);
    std::vector<sim::Property<CheckedModel>> properties() const;

    // What one step did (properties/step_view.hpp), for the step properties.
    // Between begin_step and end_step (sim::StepScope: the explorer and the
    // simulator bracket each transition's step properties with them), the
    // view of that transition is computed on first use and shared by all of
    // them; any other call computes it afresh. A bracket is per thread.
    const StepView& step_view(const model::World& before, const model::Action& a, const model::World& after) const;
    void begin_step(const model::World& before, const model::Action& a, const model::World& after) const;
    void end_step() const;

    // The element the step property `name` blames when it fails on this
    // transition (StepView::blamed: an index into what the step wrote, or
    // StepView::kBlameRead); nullopt when it holds there or blames none.
    std::optional<int> blamed(const std::string& name, const model::World& before, const model::Action& a,
                              const model::World& after) const;

    // Partial-order reduction (sim/por.hpp; properties/footprint.cpp): the
    // component of a step (its connection, or a server's or the attacker's
    // own), whether it is local (model/locality.hpp) and whether it may
    // change what a property of this catalogue reads.
    sim::Footprint footprint(const model::World& w, const model::Action& a) const;
    // The same, given the step's result (next = next_state(w, a)).
    sim::Footprint footprint(const model::World& w, const model::Action& a, const model::World& next) const;
    std::uint32_t component(const model::World& w, const model::Action& a) const;

private:
    // The catalogue's state properties, for footprint(): built with the model,
    // then only read (footprint() runs on several threads at once; a
    // shared_ptr read with std::atomic_load took a lock and wrote its count
    // on every call, a cache line both threads kept taking from each other).
    std::shared_ptr<const std::vector<sim::Property<CheckedModel>>> state_properties_;
    // The bracketed transition of this thread (step_cache(): one per thread).
    struct StepCache {
        const CheckedModel* model = nullptr;   // whose bracket it is
        const model::World* before = nullptr;  // the bracketed transition, alive until end_step
        const model::Action* action = nullptr;
        const model::World* after = nullptr;
        bool ready = false;  // `view` is the bracketed transition's
        StepView view;
        StepView scratch;    // a call for any other transition
    };
    StepCache& step_cache() const;
};

// The parts of the catalogue (safety_properties.cpp, witness_properties.cpp).
std::vector<sim::Property<CheckedModel>> safety_properties();
std::vector<sim::Property<CheckedModel>> liveness_and_witnesses();
// Witnesses of the other branch of the choices the specs leave open (choice_witnesses.cpp).
std::vector<sim::Property<CheckedModel>> choice_witnesses();
// Why the `sometimes` property `name` cannot be witnessed in this scenario,
// when its policies alone rule it out ("" when they do not: witness_hints.cpp).
std::string witness_hint(const model::Scenario& sc, const std::string& name);
// The topology's `expect` entries (expectations.cpp).
std::vector<sim::Property<CheckedModel>> expectations(const model::Scenario& sc);

}  // namespace bidilab::properties
