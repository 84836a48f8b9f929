// cli/probe_command.cpp — `bidilab probe TOPOLOGY --server NAME=HOST:PORT`:
// bidilab plays every other server of the topology against a live server
// over TCP and judges what it writes with the model (probe/probe.hpp).
// Exit 0 every scenario conforms, 1 a deviation, 2 bad input, 3 inconclusive.
#include <sstream>
#include <stdexcept>

#include "cli/commands.hpp"
#include "probe/pki.hpp"
#include "probe/probe.hpp"

namespace bidilab::cli {

namespace {
probe::NamedEndpoint endpoint_arg(const std::string& option, const std::string& text, bool allow_remote) {
    probe::NamedEndpoint e;
    try {
        e = probe::parse_named_endpoint(text);
    } catch (const std::invalid_argument& x) {
        throw UsageError("--" + option + " " + x.what());
    }
    // Issue "probe", part 5: only the addresses the user gives, and by default
    // only this machine's.
    if (!allow_remote && !e.at.loopback())
        throw UsageError("--" + option + " " + text + ": " + e.at.host +
                         " is not a loopback address (127.0.0.0/8); the probe refuses it unless --allow-remote is given");
    return e;
}

std::vector<std::string> comma_list(const std::string& text) {
    std::vector<std::string> out;
    std::stringstream in(text);
    std::string item;
    while (std::getline(in, item, ','))
        if (!item.empty()) out.push_back(item);
    return out;
}

probe::ProbeOptions probe_options(const Args& a) {
    probe::ProbeOptions o;
    const bool remote = a.flag("allow-remote");
    const auto server = a.value("server");
    if (!server) throw UsageError("--server NAME=HOST:PORT is required: the live server under test and its address");
    const probe::NamedEndpoint live = endpoint_arg("server", *server, remote);
    o.live = live.name;
    o.live_at = live.at;
    if (const auto l = a.value("listen"))
        for (const auto& item : comma_list(*l)) {
            const probe::NamedEndpoint e = endpoint_arg("listen", item, remote);
            if (o.listen.count(e.name)) throw UsageError("--listen names server '" + e.name + "' twice");
            o.listen[e.name] = e.at;
        }
    if (const auto s = a.value("scenarios")) o.scenarios = comma_list(*s);
    o.quiet = std::chrono::milliseconds(a.count("quiet", 1500, 60000));
    if (o.quiet.count() == 0) throw UsageError("--quiet must be at least 1 (milliseconds)");
    o.limit = std::chrono::milliseconds(1000 * a.count("limit", 20, 3600));
    if (o.limit.count() == 0) throw UsageError("--limit must be at least 1 (seconds)");
    if (const auto d = a.value("wire-dir")) o.wire_dir = *d;
    if (const auto d = a.value("pki")) o.pki_dir = *d;
    o.plan.walks = static_cast<std::uint32_t>(a.count("walks", 3, 64));
    o.plan.seed = a.count("seed", 1);
    o.plan.witnesses = !a.flag("no-witnesses");
    o.plan.rows = !a.flag("no-rows");
    o.stop_at_deviation = !a.flag("read-past-deviation");
    if (const auto c = a.value("send-command")) {
        if (c->empty()) throw UsageError("--send-command needs a command");
        o.send_command = *c;
        o.plan.live_sends = true;
    }
    return o;
}
}  // namespace

Command probe_command() {
    return {"probe", "test a live server over TCP: bidilab plays the topology's other servers and judges its answers",
            "TOPOLOGY --server NAME=HOST:PORT [--listen NAME=HOST:PORT,...] [--pki DIR] [--scenarios LIST]\n"
            "       [--walks N] [--seed S] [--no-witnesses] [--no-rows] [--send-command CMD] [--json FILE]\n"
            "       [--wire-dir DIR] [--explain] [--read-past-deviation] [--list]\n"
            "       TOPOLOGY --make-pki DIR    (certificates only: connects to nothing)",
            "bidilab plays every server of TOPOLOGY except NAME, the live server under test,\n"
            "reached at HOST:PORT. The played servers are the model's own: its router and\n"
            "stream machines decide when they dial, what they send and where db:verify goes;\n"
            "what the live server writes is read from TCP and given to them. Each scenario\n"
            "(a variation of the played servers' policy the specs allow: which stanzas they\n"
            "send, bidi asked or not, db:verify on a connection of its own, reverse dialback,\n"
            "dialback errors), an order of the played servers' own steps taken from the\n"
            "model (the shortest witness of each `sometimes` property; seeded random walks\n"
            "that take new rows of the played machines with the live server; the shortest\n"
            "ordering to each such row no earlier one takes) or an attack\n"
            "(an unsolicited db:result, a stanza before authentication, a forged from, bidi\n"
            "before STARTTLS, a replayed key, a dialback error for an answer; with\n"
            "--send-command, a header naming another domain as its 'from') is recorded as\n"
            "a wire log and judged by `validate` as it comes and once it ends: conforms,\n"
            "deviates (the first element of the live server the model does not allow, with\n"
            "its rule IDs; the scenario stops there) or inconclusive (unreachable, never\n"
            "quiet, or a fault of the probe). STARTTLS (OpenSSL) with\n"
            "the certificates of --pki, SASL EXTERNAL and dialback with XEP-0185 keys.\n"
            "Only loopback addresses unless --allow-remote.",
            {{"server", "NAME=HOST:PORT", "the live server under test: its name in TOPOLOGY and its s2s address"},
             {"listen", "NAME=HOST:PORT,...", "where each played server listens, so that the live server's\n"
                                              "connections to its domains (dialback: DB-22) reach it"},
             {"scenarios", "LIST", "run only these scenarios (comma-separated names; --list shows them)"},
             {"list", "", "print the scenarios for TOPOLOGY and NAME, and connect to nothing"},
             {"walks", "N", "at most N scenarios from random walks of the model (default 3; 0: none)"},
             {"seed", "S", "the walks' seed (default 1): the same seed, the same walks"},
             {"no-witnesses", "", "no scenarios from the witnesses of the `sometimes` properties"},
             {"no-rows", "", "no row-M-N scenarios (the shortest ordering to each row of the played\n"
                             "machines with the live server that no earlier scenario's ordering takes)"},
             {"send-command", "CMD", "how to make the live server send a stanza: run by /bin/sh with BIDILAB_FROM\n"
                                     "(its domain) and BIDILAB_TO (the addressee's) set, at most 15 s; with it,\n"
                                     "attack-header-from is planned (does a forged header 'from' get a route?)"},
             {"json", "FILE", "write {verdict, scenarios[{name, verdict, rules, line, message}], counts}\n"
                              "to FILE ('-': standard output, instead of the table)"},
             {"pki", "DIR", "the played servers' certificates for STARTTLS: DIR/DOMAIN.crt and DIR/DOMAIN.key\n"
                            "by each one's first domain, and DIR/ca.crt (the CA a played server asks\n"
                            "the live server's certificate of); needed when a played server has TLS"},
             {"make-pki", "DIR", "write a private CA (DIR/ca.crt, ca.key) and each server's certificate as the\n"
                                 "topology describes it (DIR/DOMAIN.crt, .key by its first domain; its names as\n"
                                 "subjectAltName; untrusted ones self-signed), for --pki and for the live\n"
                                 "server; connects to nothing (--server is not needed)"},
             {"wire-dir", "DIR", "write each scenario's wire log to DIR/SCENARIO.log and the topology it\n"
                                 "was judged against to DIR/SCENARIO.topology.json (`bidilab validate`\n"
                                 "gives the same verdict on the two)"},
             {"explain", "", "print each scenario's exchange as the model sees it (validate --explain)"},
             {"read-past-deviation", "", "do not stop a scenario at the live server's first element the model\n"
                                         "does not allow: the played servers read it and go on (the verdict\n"
                                         "is the same; the log shows what the live server did next)"},
             {"quiet", "MS", "a scenario ends when the wire has been quiet this long (default 1500)"},
             {"limit", "SECONDS", "a scenario still exchanging after this long is inconclusive (default 20)"},
             {"allow-remote", "", "accept addresses outside 127.0.0.0/8"}},
            "exit: 0 every scenario conforms, 1 a deviation, 2 bad input, 3 inconclusive",
            [](const Args& a, std::ostream& out) {
                if (a.positional().size() != 1) throw UsageError("expected one topology file");
                const topologies::Topology t = load_topology_file(a.positional()[0]);
                if (const auto dir = a.value("make-pki")) {
                    try {
                        for (const auto& f : probe::make_pki(t, *dir)) out << f << "\n";
                    } catch (const std::invalid_argument& e) {
                        throw InputError(a.positional()[0] + ": " + e.what());
                    } catch (const std::runtime_error& e) {
                        throw InputError(std::string("bidilab probe --make-pki: ") + e.what());
                    }
                    return 0;
                }
                const probe::ProbeOptions o = probe_options(a);
                if (a.flag("list")) {
                    try {
                        for (const auto& p : probe::plan_scenarios(t, o.live, true, o.plan))
                            out << p.name << "\t" << p.description << "\n";
                    } catch (const std::invalid_argument& e) {
                        throw InputError(a.positional()[0] + ": " + e.what());
                    }
                    return 0;
                }
                probe::ProbeResult r;
                try {
                    r = probe::run_probe(t, o);
                } catch (const std::invalid_argument& e) {
                    throw InputError(a.positional()[0] + ": " + e.what());
                } catch (const std::runtime_error& e) {
                    throw InputError(std::string("bidilab probe: ") + e.what());
                }
                const auto json_path = a.value("json");
                if (json_path) write_json(probe::probe_json(r), *json_path, out);
                if (!json_path || *json_path != "-") out << probe::probe_text(r, a.flag("explain"));
                const std::string v = r.verdict();
                return v == "conforms" ? 0 : v == "deviates" ? 1 : 3;
            }};
}

}  // namespace bidilab::cli
