#include "model/router_step.hpp"

namespace bidilab::model {

std::string cell_name(const Cell& c, const Scenario& sc) {
    const std::string n = std::to_string(c.index);
    switch (c.kind) {
        case Cell::Kind::End: return (c.flag ? "R" : "I") + n;
        case Cell::Kind::Fifo: return c.flag ? "I" + n + " → R" + n : "R" + n + " → I" + n;
        case Cell::Kind::Stanza: return "stanza #" + n;
        case Cell::Kind::Verifies:
            return (c.index < sc.server_names.size() ? sc.server_names[c.index] : "server " + n) +
                   "'s db:verify requests";
        case Cell::Kind::Connections: return "connection " + n + " (opened or gone)";
        case Cell::Kind::StreamIds: return "fresh stream ids";
        case Cell::Kind::Violations: return "violations";
        case Cell::Kind::Keys: return "what attackers read and forged";
        case Cell::Kind::Budgets: return "resets and forgeries left";
        case Cell::Kind::Choices: return "choices taken";
        case Cell::Kind::Routes:
            return (c.index < sc.server_names.size() ? sc.server_names[c.index] : "server " + n) + "'s routes";
    }
    return "?";
}

const char* router_step_kind_name(RouterStep::Kind k) {
    switch (k) {
        case RouterStep::Kind::Action: return "action";
        case RouterStep::Kind::Route: return "route";
        case RouterStep::Kind::RequestReverse: return "request-reverse";
        case RouterStep::Kind::Multiplex: return "multiplex";
        case RouterStep::Kind::Dial: return "dial";
        case RouterStep::Kind::Await: return "await";
        case RouterStep::Kind::Bounce: return "bounce";
        case RouterStep::Kind::AskAuthority: return "ask-authority";
        case RouterStep::Kind::DialForVerify: return "dial-for-verify";
        case RouterStep::Kind::SendVerify: return "send-verify";
        case RouterStep::Kind::VerifyOnIncoming: return "verify-on-incoming";
        case RouterStep::Kind::FailVerify: return "fail-verify";
        case RouterStep::Kind::Verdict: return "verdict";
        case RouterStep::Kind::DropVerdict: return "drop-verdict";
        case RouterStep::Kind::CloseVerifyOnly: return "close-verify-only";
        case RouterStep::Kind::CloseDuplicate: return "close-duplicate";
        case RouterStep::Kind::Forget: return "forget";
        case RouterStep::Kind::AttackerReads: return "attacker-reads";
        case RouterStep::Kind::Unattributed: return "unattributed";
    }
    return "?";
}

namespace {
std::string end_name(const RouterStep& s) {
    return (s.receiving_end ? "R" : "I") + std::to_string(s.connection);
}
}  // namespace

std::string caption(const RouterStep& s, const Scenario& sc) {
    const std::string who = s.server < sc.server_names.size() ? sc.server_names[s.server] : "?";
    const std::string stanza = s.stanza >= 0 ? "stanza #" + std::to_string(s.stanza) : "a stanza";
    const std::string pair =
        s.stanza >= 0 && static_cast<std::size_t>(s.stanza) < sc.stanzas.size()
            ? sc.names.domain(sc.stanzas[s.stanza].from) + " → " + sc.names.domain(sc.stanzas[s.stanza].to)
            : std::string("its pair");
    const std::string conn = "connection " + std::to_string(s.connection);
    std::string what;
    switch (s.kind) {
        case RouterStep::Kind::Action: return "";
        case RouterStep::Kind::Route:
            what = who + " routes " + stanza + " over " + end_name(s) + (s.receiving_end ? ", bidi" : "");
            break;
        case RouterStep::Kind::RequestReverse:
            what = who + " asks for " + pair + " on bidi " + end_name(s) + " instead of dialling, for " + stanza;
            break;
        case RouterStep::Kind::Multiplex: what = who + " asks for " + pair + " on " + end_name(s) + ", for " + stanza; break;
        case RouterStep::Kind::Dial: what = who + " dials " + conn + " for " + stanza; break;
        case RouterStep::Kind::Await: what = stanza + " waits for " + pair + " to be authorized on " + end_name(s); break;
        case RouterStep::Kind::Bounce:
            what = who + " bounces " + stanza + " with " + condition_name(s.condition);
            break;
        case RouterStep::Kind::AskAuthority:
            what = who + " has to ask the authority of " + sc.names.domain(s.about.from) + " about a key";
            break;
        case RouterStep::Kind::DialForVerify: what = who + " dials " + conn + " to carry a db:verify"; break;
        case RouterStep::Kind::SendVerify: what = who + " sends a db:verify on " + end_name(s); break;
        case RouterStep::Kind::VerifyOnIncoming:
            what = who + " sends a db:verify on " + end_name(s) + ", where the request came in";
            break;
        case RouterStep::Kind::FailVerify:
            what = who + " fails a db:verify request: its connection to the authority is closed";
            break;
        case RouterStep::Kind::Verdict:
            what = who + " hands the verdict '" + db_type_name(s.about.type) + "' to " + end_name(s);
            break;
        case RouterStep::Kind::DropVerdict: what = who + " drops a verdict: no stream it names is left"; break;
        case RouterStep::Kind::CloseVerifyOnly:
            what = who + " closes verify-only " + end_name(s) + ": nothing left to verify";
            break;
        case RouterStep::Kind::CloseDuplicate: what = who + " closes " + end_name(s) + " with <conflict/>"; break;
        case RouterStep::Kind::Forget: what = conn + " is gone: both streams closed, nothing unread"; break;
        case RouterStep::Kind::AttackerReads: what = who + " reads what was written to it"; break;
        case RouterStep::Kind::Unattributed: what = "a write outside every step"; break;
    }
    return *s.rules ? what + " (" + s.rules + ")" : what;
}

}  // namespace bidilab::model
