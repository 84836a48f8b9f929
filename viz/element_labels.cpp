#include "viz/element_labels.hpp"

#include <array>

namespace bidilab::viz {

using model::Action;
using model::ElementKind;

namespace {

struct StepKind {
    const char* label;               // the kind, short
    std::vector<std::string> rules;  // what a step of this kind touches
};
struct KindRow {
    ElementKind kind;
    StepKind step;
};

// The one table: every wire element kind, its short name, its rules.
const std::array<KindRow, 14> kKinds{{
    {ElementKind::StreamOpen, {"stream header", {"CORE-6", "CORE-7"}}},
    {ElementKind::StreamFeatures, {"features", {"CORE-2"}}},
    {ElementKind::StartTls, {"starttls", {"CORE-28"}}},
    {ElementKind::Proceed, {"proceed", {"CORE-32"}}},
    {ElementKind::TlsFailure, {"TLS failure", {"CORE-31"}}},
    {ElementKind::SaslAuth, {"SASL auth", {"SASL-4"}}},
    {ElementKind::SaslSuccess, {"SASL success", {"SASL-8"}}},
    {ElementKind::SaslFailure, {"SASL failure", {"SASL-9"}}},
    {ElementKind::Bidi, {"bidi", {"BIDI-2", "BIDI-3"}}},
    {ElementKind::DbResult, {"db:result", {"DB-3", "DB-25"}}},
    {ElementKind::DbVerify, {"db:verify", {"DB-15", "DB-30"}}},
    {ElementKind::Stanza, {"stanza", {"DB-6", "CORE-46"}}},
    {ElementKind::StreamError, {"stream error", {"CORE-23"}}},
    {ElementKind::StreamClose, {"stream close", {"CORE-19"}}},
}};
// The steps that move no element: a server submits a stanza, TLS completes,
// a connection is reset (lost stanzas, dropped pairs, the reconnect).
const StepKind kSubmit{"submit", {"DB-6"}};
const StepKind kTls{"TLS", {"CORE-27", "CORE-29"}};
const StepKind kReset{"reset", {"CORE-19", "CORE-23", "CORE-56"}};
const std::vector<std::string> kNoRules;

// The RULES.md IDs of a choice (topologies/spec_choice.hpp), as a list.
const std::vector<std::string>& choice_rules(topologies::SpecChoice c) {
    static const auto table = [] {
        std::array<std::vector<std::string>, topologies::kSpecChoiceCount> t;
        for (const auto& i : topologies::spec_choices()) {
            std::string ids = i.rules;
            for (std::size_t at = 0; at < ids.size();) {
                const std::size_t end = std::min(ids.find(", ", at), ids.size());
                t[static_cast<std::size_t>(i.choice)].push_back(ids.substr(at, end - at));
                at = end + 2;
            }
        }
        return t;
    }();
    return table[static_cast<std::size_t>(c)];
}

const KindRow* row_of(ElementKind kind) {
    for (const auto& r : kKinds)
        if (r.kind == kind) return &r;
    return nullptr;
}

std::string features_label(model::Features f) {
    namespace feature = model::feature;
    std::string s;
    auto add = [&s](const char* name) { s += (s.empty() ? "" : ", ") + std::string(name); };
    if (model::has(f, feature::kStartTls)) add(model::has(f, feature::kTlsRequired) ? "starttls (required)" : "starttls");
    if (model::has(f, feature::kSaslExternal)) add("SASL EXTERNAL");
    if (model::has(f, feature::kDialback)) add(model::has(f, feature::kDialbackErrors) ? "dialback (errors)" : "dialback");
    if (model::has(f, feature::kBidi)) add("bidi");
    return "features: " + (s.empty() ? std::string("none") : s);
}

}  // namespace

std::string element_label(const model::Element& e, const model::NameTable& names) {
    switch (e.kind) {
        case ElementKind::StreamFeatures: return features_label(e.features);
        case ElementKind::StartTls: return "<starttls/>";
        case ElementKind::Proceed: return "<proceed/>";
        case ElementKind::TlsFailure: return "TLS <failure/>";
        case ElementKind::SaslSuccess: return "SASL <success/>";
        case ElementKind::Bidi: return "<bidi/>";
        default: return model::describe(e, names);
    }
}

std::string element_kind_label(ElementKind kind) {
    const KindRow* r = row_of(kind);
    return r ? r->step.label : model::kind_name(kind);
}

const std::vector<std::string>& element_rules(ElementKind kind) {
    const KindRow* r = row_of(kind);
    return r ? r->step.rules : kNoRules;
}

const std::vector<std::string>& submit_rules() { return kSubmit.rules; }
const std::vector<std::string>& tls_rules() { return kTls.rules; }

int submitted_stanza(const model::XmppModel& m, const model::World& before, const Action& a) {
    const auto& sc = m.scenario();
    if (a.kind != Action::Kind::Submit) return -1;
    for (std::size_t k = 0; k < before.stanzas.size() && k < sc.stanzas.size(); ++k)
        if (before.stanzas[k].fate == model::Fate::Unsubmitted && sc.stanzas[k].origin == a.server)
            return static_cast<int>(k);
    return -1;
}

std::string action_label(const model::XmppModel& m, const model::World& before, const Action& a) {
    const auto& sc = m.scenario();
    const std::string n = std::to_string(a.connection);
    switch (a.kind) {
        case Action::Kind::Submit: {
            const int k = submitted_stanza(m, before, a);
            return sc.server_names.at(a.server) + " submits " + (k < 0 ? "a stanza" : "s" + std::to_string(k));
        }
        case Action::Kind::Deliver: {
            const std::string arrow = a.to_receiver ? "I" + n + "→R" + n : "R" + n + "→I" + n;
            auto e = m.moved_element(before, a);
            return arrow + " " + (e ? element_label(*e, sc.names) : std::string("?"));
        }
        case Action::Kind::Tls: return "TLS on connection " + n;
        case Action::Kind::Reset: return "TCP reset of connection " + n;
        case Action::Kind::Choose:
            return sc.server_names.at(a.server) + ": " + topologies::describe_branch(a.choice, a.branch != 0);
    }
    return "?";
}

std::string action_kind(const model::XmppModel& m, const model::World& before, const Action& a) {
    switch (a.kind) {
        case Action::Kind::Submit: return kSubmit.label;
        case Action::Kind::Tls: return kTls.label;
        case Action::Kind::Reset: return kReset.label;
        case Action::Kind::Choose: return "choice";
        case Action::Kind::Deliver: {
            auto e = m.moved_element(before, a);
            return e ? element_kind_label(e->kind) : "?";
        }
    }
    return "?";
}

const std::vector<std::string>& action_rules(const model::XmppModel& m, const model::World& before, const Action& a) {
    switch (a.kind) {
        case Action::Kind::Submit: return submit_rules();
        case Action::Kind::Tls: return tls_rules();
        case Action::Kind::Reset: return kReset.rules;
        case Action::Kind::Choose: return choice_rules(a.choice);
        case Action::Kind::Deliver: {
            auto e = m.moved_element(before, a);
            return e ? element_rules(e->kind) : kNoRules;
        }
    }
    return kNoRules;
}

}  // namespace bidilab::viz
