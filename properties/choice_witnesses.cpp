// The `sometimes` properties of the choices the specs leave open
// (topologies/spec_choice.hpp): each shows that the other branch of a choice
// is reached and leads somewhere, in the shipped topology open-choices.json.
#include "properties/catalogue.hpp"

namespace bidilab::properties {

using model::World;
using model::has;
using M = CheckedModel;
namespace feature = model::feature;

std::vector<sim::Property<M>> choice_witnesses() {
    using IS = model::InitiatingStream::State;
    using RS = model::ReceivingStream::State;
    using ID = model::InitiatingData;
    using RD = model::ReceivingData;
    return {
        // CORE-30 (RFC 6120 §5.3.1, features_before_tls = starttls_only): a
        // receiving stream offered <starttls><required/> and nothing else.
        sim::sometimes<M>("starttls-offered-alone", {"CORE-30", "CORE-28"},
                          [](const M&, const World& w) {
                              for (const auto& c : w.connections)
                                  if (c.r.state() == RS::AwaitingNegotiation && !c.r.data().has(RD::kTls) &&
                                      c.r.data().offered == (feature::kStartTls | feature::kTlsRequired))
                                      return true;
                              return false;
                          }),
        // EXT-1 (RFC 7590 §3.1, starttls_unoffered = try): an initiating
        // stream waits for <proceed/> after features that offered no STARTTLS.
        sim::sometimes<M>("starttls-tried-unoffered", {"EXT-1", "CORE-31"},
                          [](const M&, const World& w) {
                              for (const auto& c : w.connections)
                                  if (c.i.state() == IS::AwaitingProceed && !has(c.i.data().features, feature::kStartTls))
                                      return true;
                              return false;
                          }),
        // DB-33 (XEP-0220 §2.4.1, dialback_feature = omitted): a pair valid on
        // a 1.0 stream whose features had no <dialback/>: the header's
        // xmlns:db was enough.
        sim::sometimes<M>("dialback-without-feature", {"DB-33", "DB-34"},
                          [](const M&, const World& w) {
                              for (const auto& c : w.connections) {
                                  const ID& d = c.i.data();
                                  if (!d.has(ID::kLegacy) && !has(d.features, feature::kDialback) &&
                                      d.fwd.any(model::PairState::Valid))
                                      return true;
                              }
                              return false;
                          }),
        // SASL-9, CORE-43 (XEP-0178 §3 step 11b; sasl_external_offer =
        // always, after_sasl_failure = dialback): EXTERNAL was refused on a
        // stream that then validated a pair by dialback.
        sim::sometimes<M>("dialback-after-refused-external", {"SASL-9", "CORE-43", "CORE-37"},
                          [](const M&, const World& w) {
                              for (const auto& c : w.connections)
                                  if (c.r.data().sasl_failures > 0 && c.r.data().fwd.any(model::PairState::Valid))
                                      return true;
                              return false;
                          }),
    };
}

}  // namespace bidilab::properties
