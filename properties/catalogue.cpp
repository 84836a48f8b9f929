#include "properties/catalogue.hpp"

namespace bidilab::properties {

using model::Fate;
using model::World;
using M = CheckedModel;

std::vector<sim::Property<M>> CheckedModel::properties() const {
    return {
        // Every element a peer sends has a transition where it arrives: MSM's
        // no_transition (and all guards rejecting) is a violation, never ignored.
        sim::always<M>("every-element-expected", {"CORE-23", "CORE-10", "DB-21"},
                       [](const M&, const World& w) { return w.violations.empty(); }),
        // Each stanza is accepted by its target at most once, and never both
        // accepted and bounced (CORE-52; CORE-47: no bounce of a bounce).
        sim::always<M>("stanza-at-most-once", {"CORE-52", "CORE-47"},
                       [](const M&, const World& w) {
                           for (const auto& s : w.stanzas)
                               if (s.deliveries + s.bounces > 1) return false;
                           return true;
                       }),
        // Every submitted stanza is eventually delivered or bounced (DB-6, DB-9, CORE-52).
        sim::eventually<M>("every-stanza-settled", {"CORE-52", "DB-6", "DB-9", "DB-11"},
                           [](const M&, const World& w) {
                               for (const auto& s : w.stanzas)
                                   if (s.fate != Fate::Delivered && s.fate != Fate::Bounced) return false;
                               return true;
                           }),
        // Witness: a stanza travels back over an incoming connection (XEP-0288).
        sim::sometimes<M>("stanza-over-bidi", {"BIDI-5", "BIDI-7", "BIDI-13"},
                          [](const M&, const World& w) {
                              for (const auto& s : w.stanzas)
                                  if (s.fate == Fate::Delivered && s.reverse) return true;
                              return false;
                          }),
    };
}

}  // namespace bidilab::properties
