// Dialback (XEP-0220) and key (XEP-0185) rules checked on the global model:
// every element written in every transition of every shipped topology and of
// one inline topology below (one sweep, rule_sweep.hpp). Machine-level tests are in dialback_rules_test.cpp.
#include <regex>

#include "rule_sweep.hpp"

namespace bidilab::model::test {
namespace {

using properties::Written;
using IS = InitiatingStream::State;
using RS = ReceivingStream::State;
namespace f = feature;

bool is_db(const Element& e) { return e.kind == ElementKind::DbResult || e.kind == ElementKind::DbVerify; }

template <class F>
std::function<void(const Transition&, Tally&)> on_written(F f) {
    return [f](const Transition& s, Tally& t) {
        for (const auto& w : s.v.written) f(s, w, t);
    };
}

// The writer has sent its stream header in the current epoch (the header
// whose namespace declarations the element's prefix refers to).
bool header_sent(const Written& w) {
    if (w.by_initiator) {
        const IS st = w.after->i.state();
        return st != IS::AwaitingConnection && st != IS::AwaitingTlsHandshake && st != IS::Closed;
    }
    const RS st = w.after->r.state();
    return st == RS::AwaitingNegotiation || st == RS::Established;
}

std::vector<RuleCheck> dialback_checks() {
    std::vector<RuleCheck> c;
    c.push_back({"DB-1", nullptr, on_written([](const Transition& s, const Written& w, Tally& t) {
        const std::string xml = to_xml(w.element, s.sc().names);
        // DB-33: a header declares xmlns:db exactly when its writer does dialback.
        if (w.element.kind == ElementKind::StreamOpen)
            return check(t, (xml.find(" xmlns:db='jabber:server:dialback'") != std::string::npos) ==
                                s.sc().servers[s.writer(w)].dialback,
                         s.where(w.element));
        if (!is_db(w.element)) return;
        const std::string open = w.element.kind == ElementKind::DbResult ? "<db:result " : "<db:verify ";
        check(t, xml.rfind(open, 0) == 0 && xml.find("xmlns:db=") == std::string::npos && header_sent(w),
              s.where(w.element));
    })});
    c.push_back({"DB-4", nullptr, on_written([](const Transition& s, const Written& w, Tally& t) {
        const Element& e = w.element;
        if (e.kind != ElementKind::DbResult || e.type != DbType::None) return;
        check(t, e.from != kNoDomain && e.to != kNoDomain && s.sc().server_of(e.from) == s.writer(w) &&
                     s.sc().server_of(e.to) == s.peer(w) && e.key.from == e.from && e.key.to == e.to,
              s.where(e));
    })});
    c.push_back({"DB-34", nullptr, on_written([](const Transition& s, const Written& w, Tally& t) {
        if (w.by_initiator || w.element.kind != ElementKind::StreamFeatures) return;
        const ServerPolicy& p = s.sc().servers[s.writer(w)];
        const Features fs = w.element.features;
        const bool errors = has(fs, f::kDialbackErrors);
        const bool xml = to_xml(w.element, s.sc().names).find("<dialback xmlns='urn:xmpp:features:dialback'><errors/></dialback>") !=
                         std::string::npos;
        // A server that leaves the dialback feature out (dialback_feature =
        // omitted, DB-33) advertises no error support either.
        const bool feature = has(fs, f::kDialback);
        check(t, errors == (feature && p.dialback_errors) && errors == xml && (!feature || p.dialback),
              s.where(w.element));
    })});
    c.push_back({"DB-37", nullptr, on_written([](const Transition& s, const Written& w, Tally& t) {
        if (!is_db(w.element) || w.element.type != DbType::Error) return;
        const std::string xml = to_xml(w.element, s.sc().names);
        check(t, w.element.condition != Condition::None && xml.find("<error type='") != std::string::npos &&
                     xml.find(" xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error>") != std::string::npos,
              s.where(w.element));
    })});
    c.push_back({"KEY-3", nullptr, on_written([](const Transition& s, const Written& w, Tally& t) {
        const Element& e = w.element;
        if (!is_db(e) || e.type != DbType::None) return;
        // Minted with the one secret of the server hosting the key's sender domain.
        check(t, e.key.secret != kNoSecret && e.key.secret == s.sc().servers[s.sc().server_of(e.key.from)].secret,
              s.where(e));
    })});
    // Out of the model: the hex digits of HMAC-SHA256. Keys are the symbolic
    // token model/element.hpp documents: key(sender, target, id; secret of owner).
    c.push_back({"KEY-4", nullptr, on_written([](const Transition& s, const Written& w, Tally& t) {
        const Element& e = w.element;
        if (!is_db(e) || e.type != DbType::None) return;
        static const std::regex token(R"(>key\(([a-z0-9.-]+), ([a-z0-9.-]+), id-([0-9]+); secret of ([a-z0-9.-]+)\)</db:)");
        std::smatch m;
        const std::string xml = to_xml(e, s.sc().names);
        const auto& n = s.sc().names;
        check(t, std::regex_search(xml, m, token) && m[1] == n.domain(e.key.from) && m[2] == n.domain(e.key.to) &&
                     m[3] == std::to_string(e.key.id) && m[4] == n.secret(e.key.secret),
              s.where(e));
    })});
    return c;
}

// Reaches dialback errors (DB-17, DB-36): capulet has no certificate, so it
// cannot offer TLS, and montague requires TLS: montague's stream to capulet,
// the authority it must ask, fails, and the pending request is answered
// with a typed error.
const char* const kAuthorityUnreachable = R"({"name": "authority-unreachable", "servers": [
    {"name": "capulet", "domains": ["capulet.lit"], "tls": "offered"},
    {"name": "montague", "domains": ["montague.lit"], "certificate": {"names": ["montague.lit"]}, "tls": "required"}],
    "stanzas": [{"from": "capulet.lit", "to": "montague.lit"}]})";

const std::map<std::string, Tally>& sweep() {
    static const std::map<std::string, Tally> tallies = sweep_all(dialback_checks(), {kAuthorityUnreachable});
    return tallies;
}

TEST(DialbackRulesEverywhere, DB_1_DbPrefixOnlyAfterAHeaderDeclaringIt) { EXPECT_RULE_HOLDS(sweep(), "DB-1"); }
TEST(DialbackRulesEverywhere, DB_4_RequestsGoFromTheSenderDomainToTheTargetDomain) { EXPECT_RULE_HOLDS(sweep(), "DB-4"); }
TEST(DialbackRulesEverywhere, DB_34_DialbackErrorsAdvertisedIffSupported) { EXPECT_RULE_HOLDS(sweep(), "DB-34"); }
TEST(DialbackRulesEverywhere, DB_37_EveryTypedErrorCarriesItsErrorChild) { EXPECT_RULE_HOLDS(sweep(), "DB-37"); }
TEST(DialbackRulesEverywhere, KEY_3_EveryKeyIsMintedWithTheSendersServerSecret) { EXPECT_RULE_HOLDS(sweep(), "KEY-3"); }
TEST(DialbackRulesEverywhere, KEY_4_EveryKeyRendersAsTheDocumentedToken) { EXPECT_RULE_HOLDS(sweep(), "KEY-4"); }

}  // namespace
}  // namespace bidilab::model::test
