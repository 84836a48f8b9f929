// viz/element_labels.hpp — how the pictures name what a step does: the
// element moved in short form, its kind, and the rule IDs it touches. The
// kinds and their rules are one table (element_labels.cpp), shared by the
// state graphs, their quotients and the sequence charts.
#pragma once

#include <string>
#include <vector>

#include "model/element.hpp"
#include "model/xmpp_model.hpp"

namespace bidilab::viz {

// The element in short form: describe() ("db:result capulet.lit -> montague.lit
// type=valid"), with features listed by name and the bare elements as XML
// ("<bidi/>", "<proceed/>").
std::string element_label(const model::Element& e, const model::NameTable& names);

// The kind of an element, short: "stream header", "features", "db:result", ...
std::string element_kind_label(model::ElementKind kind);

// The rule IDs a step moving an element of this kind touches (RULES.md),
// e.g. db:result: DB-3, DB-25; <bidi/>: BIDI-2, BIDI-3.
const std::vector<std::string>& element_rules(model::ElementKind kind);

// The same for the model's steps that move no element.
const std::vector<std::string>& submit_rules();     // a server submits a stanza
const std::vector<std::string>& tls_rules();        // a TLS handshake completes

// A step of the model (the state before it and the action), for edges:
// "I1→R1 stream header capulet.lit -> montague.lit", "capulet submits s0",
// "TLS on connection 1".
std::string action_label(const model::XmppModel& m, const model::World& before, const model::Action& a);
// Its kind, for quotient edges: "db:result", "submit", "TLS".
std::string action_kind(const model::XmppModel& m, const model::World& before, const model::Action& a);
// The rule IDs the step touches (by the kind of element it moves).
const std::vector<std::string>& action_rules(const model::XmppModel& m, const model::World& before,
                                             const model::Action& a);

// The scenario stanza a Submit action submits (-1 if none is left).
int submitted_stanza(const model::XmppModel& m, const model::World& before, const model::Action& a);

}  // namespace bidilab::viz
