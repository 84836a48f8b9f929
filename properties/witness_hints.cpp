// Why a `sometimes` went unwitnessed, where the topology's policies alone
// rule it out: a hint under the property in the report ("hint: no server
// has reverse_dialback: true"), so a user sees which field to change. Only
// clear-cut causes are named; no hint means the cause lies in the orderings
// (a collision, say, needs no stanzas both ways: a dialback verification
// dials back too). tests/properties/witness_hints_test.cpp checks that no
// hint is given where the library witnesses the property.
#include "properties/catalogue.hpp"

namespace bidilab::properties {

namespace {
using topologies::SpecChoice;

bool some_server(const model::Scenario& sc, bool (*pred)(const model::ServerPolicy&)) {
    for (const auto& s : sc.servers)
        if (!s.attacker && pred(s)) return true;
    return false;
}

// Whether some honest server may take the other branch of c (set to it or "any").
bool may_take_other(const model::Scenario& sc, SpecChoice c) {
    for (const auto& s : sc.servers)
        if (!s.attacker && (s.choices[static_cast<std::size_t>(c)] == topologies::ChoiceSetting::Other || s.open(c)))
            return true;
    return false;
}

std::string needs_choice(SpecChoice c, const char* branch) {
    return std::string("no server sets ") + topologies::info(c).field + " to \"" + branch + "\" or \"any\"";
}
}  // namespace

std::string witness_hint(const model::Scenario& sc, const std::string& property) {
    if (property == "stanza-delivered-after-reset" && sc.resets == 0) return "faults.resets is 0: no reset happens";
    if (property == "reverse-dialback-validates" &&
        !some_server(sc, [](const model::ServerPolicy& s) { return s.reverse_dialback; }))
        return "no server has reverse_dialback: true (BIDI-8)";
    if (property == "piggybacking-used" &&
        !some_server(sc, [](const model::ServerPolicy& s) { return s.multiplexing || s.reverse_dialback; }))
        return "no server has multiplexing: true or reverse_dialback: true (DB-40, BIDI-9)";
    if (property == "stanza-over-bidi") {
        int with_bidi = 0;
        for (const auto& s : sc.servers) with_bidi += !s.attacker && s.bidi;
        if (with_bidi < 2) return "fewer than two servers have bidi (XEP-0288)";
    }
    if (property == "dialback-cross-verification" &&
        !some_server(sc, [](const model::ServerPolicy& s) { return s.dialback; }))
        return "no server does dialback (XEP-0220)";
    if (property == "starttls-offered-alone" && !may_take_other(sc, SpecChoice::StarttlsOnlyBeforeTls))
        return needs_choice(SpecChoice::StarttlsOnlyBeforeTls, "starttls_only");
    if (property == "dialback-without-feature" && !may_take_other(sc, SpecChoice::DialbackFeatureOmitted))
        return needs_choice(SpecChoice::DialbackFeatureOmitted, "omitted");
    if (property == "dialback-after-refused-external" && !may_take_other(sc, SpecChoice::ExternalOfferedAlways))
        return needs_choice(SpecChoice::ExternalOfferedAlways, "always");
    return "";
}

}  // namespace bidilab::properties
