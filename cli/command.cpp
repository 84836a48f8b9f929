#include "cli/command.hpp"

#include "topologies/suggest.hpp"

#include <exception>

#include "cli/args.hpp"
#include "sim/printable.hpp"

namespace bidilab::cli {
namespace {
void print_commands(const std::string& program, const std::vector<Command>& commands, std::ostream& out) {
    out << "usage: " << program << " <command> [options]\n\n"
        << "A model checker for XMPP server-to-server streams: XEP-0288 bidirectional\n"
        << "connections over RFC 6120 streams, STARTTLS, SASL EXTERNAL and Server Dialback.\n\n"
        << "commands:\n";
    for (const auto& c : commands) out << "  " << c.name << std::string(c.name.size() < 12 ? 12 - c.name.size() : 1, ' ') << c.summary << "\n";
    out << "\n'" << program << " <command> --help' describes a command; '" << program << " help --all' every one.\n"
        << "\nexit codes: 0 all properties hold, 1 a property is violated, 2 bad input or usage,\n"
        << "            3 incomplete (a limit was hit or the run was interrupted), 4 internal error\n";
}

void print_all(const std::string& program, const std::vector<Command>& commands, std::ostream& out) {
    print_commands(program, commands, out);
    for (const auto& c : commands) out << "\n\n" << program << " " << c.name << "\n\n" << c.usage(program);
}

bool wants_help(const std::vector<std::string>& args) {
    for (const auto& a : args) {
        if (a == "--") return false;  // what follows is positional
        if (a == "--help" || a == "-h") return true;
    }
    return false;
}
}  // namespace

std::string Command::usage(const std::string& program) const {
    std::string text = "usage: " + program + " " + name + (synopsis.empty() ? "" : " ");
    for (const char ch : synopsis) text += ch == '\n' ? "\n       " + program + " " + name + " " : std::string(1, ch);
    text += "\n";
    if (!description.empty()) text += "\n" + description + "\n";
    if (!options.empty()) text += "\n" + options_text(options);
    if (!epilogue.empty()) text += "\n" + epilogue + "\n";
    return text;
}

int dispatch(const std::string& program, const std::vector<Command>& commands, const std::vector<std::string>& argv,
             std::ostream& out, std::ostream& err) {
    if (argv.empty()) {
        print_commands(program, commands, err);
        return 2;
    }
    const std::string& name = argv[0];
    if (name == "--version" || name == "-V") return dispatch(program, commands, {"version"}, out, err);
    if (name == "--help" || name == "-h" || name == "help") {
        if (name == "help" && argv.size() > 1 && argv[1] == "--all") {
            print_all(program, commands, out);
            return 0;
        }
        if (name == "help" && argv.size() > 1) return dispatch(program, commands, {argv[1], "--help"}, out, err);
        print_commands(program, commands, out);
        return 0;
    }
    for (const auto& c : commands) {
        if (c.name != name) continue;
        std::vector<std::string> rest(argv.begin() + 1, argv.end());
        if (wants_help(rest)) {
            out << c.usage(program);
            return 0;
        }
        try {
            return c.run(Args(rest, c.options), out);
        } catch (const UsageError& e) {
            err << program << " " << name << ": " << sim::printable_line(e.what()) << "\n";
            return 2;
        } catch (const InputError& e) {
            err << sim::printable_line(e.what()) << "\n";
            return 2;
        } catch (const LimitError& e) {
            err << program << " " << name << ": " << sim::printable_line(e.what()) << "\n";
            return 3;
        } catch (const std::exception& e) {
            err << program << " " << name << ": internal error: " << sim::printable_line(e.what()) << "\n";
            return 4;
        }
    }
    std::vector<std::string> names;
    for (const auto& c : commands) names.push_back(c.name);
    const std::string near = topologies::nearest(name, names);
    err << program << ": unknown command '" << sim::printable_line(name) << "'" << (near.empty() ? "" : "; did you mean '" + near + "'?")
        << " (see '" << program << " --help')\n";
    return 2;
}

}  // namespace bidilab::cli
