// properties/catalogue.hpp — the properties checked on the protocol model,
// each citing the rules of spec/RULES.md it encodes.
#pragma once

#include <vector>

#include "model/xmpp_model.hpp"
#include "sim/property.hpp"

namespace bidilab::properties {

// The protocol model with its property catalogue: what `bidilab check` explores.
class CheckedModel : public model::XmppModel {
public:
    using model::XmppModel::XmppModel;
    std::vector<sim::Property<CheckedModel>> properties() const;
};

// The parts of the catalogue (safety_properties.cpp, witness_properties.cpp).
std::vector<sim::Property<CheckedModel>> safety_properties();
std::vector<sim::Property<CheckedModel>> liveness_and_witnesses();

}  // namespace bidilab::properties
