#include "properties/catalogue.hpp"

namespace bidilab::properties {

std::vector<sim::Property<CheckedModel>> CheckedModel::properties() const {
    auto all = safety_properties();
    for (auto& p : liveness_and_witnesses()) all.push_back(std::move(p));
    return all;
}

}  // namespace bidilab::properties
