// cli/completion.cpp — the bash completion script, written from the command
// table: command names, each command's options, the values an option
// accepts ("on|off"), file and folder names where an option or a positional
// argument names one.
#include <sstream>

#include "cli/command.hpp"

namespace bidilab::cli {
namespace {

std::string words(const std::vector<std::string>& list) {
    std::string out;
    for (const auto& w : list) out += (out.empty() ? "" : " ") + w;
    return out;
}

// The `case "$prev"` arms for one command's options that take a value.
void value_arms(const Options& options, std::ostream& out) {
    std::vector<std::string> files, dirs, other;
    for (const auto& o : options) {
        if (!o.takes_value()) continue;
        if (!o.choices().empty())
            out << "                --" << o.name << ") COMPREPLY=($(compgen -W '" << words(o.choices())
                << "' -- \"$cur\")); return ;;\n";
        else if (o.value == "FILE")
            files.push_back("--" + o.name);
        else if (o.value == "DIR")
            dirs.push_back("--" + o.name);
        else
            other.push_back("--" + o.name);
    }
    auto arm = [&out](const std::vector<std::string>& names, const std::string& body) {
        if (names.empty()) return;
        std::string pattern;
        for (const auto& n : names) pattern += (pattern.empty() ? "" : "|") + n;
        out << "                " << pattern << ") " << body << " ;;\n";
    };
    arm(files, "COMPREPLY=($(compgen -f -- \"$cur\")); return");
    arm(dirs, "COMPREPLY=($(compgen -d -- \"$cur\")); return");
    arm(other, "return");  // a number or a name: nothing to offer
}

}  // namespace

std::string bash_completion(const std::string& program, const std::vector<Command>& commands) {
    std::vector<std::string> names;
    for (const auto& c : commands) names.push_back(c.name);
    names.push_back("help");
    std::ostringstream out;
    const std::string fn = "_" + program;
    out << "# bash completion for " << program << ", written by `" << program << " completion bash`\n"
        << "# from the same option tables as `" << program << " <command> --help`.\n"
        << fn << "() {\n"
        << "    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} cmd= i\n"
        << "    for ((i = 1; i < COMP_CWORD; i++)); do\n"
        << "        case ${COMP_WORDS[i]} in -*) ;; *) cmd=${COMP_WORDS[i]}; break ;; esac\n"
        << "    done\n"
        << "    COMPREPLY=()\n"
        << "    if [ -z \"$cmd\" ]; then\n"
        << "        COMPREPLY=($(compgen -W '" << words(names) << " --help --version' -- \"$cur\"))\n"
        << "        return\n"
        << "    fi\n"
        << "    case $cmd in\n"
        << "        help) COMPREPLY=($(compgen -W '" << words(names) << " --all' -- \"$cur\")) ;;\n";
    for (const auto& c : commands) {
        std::vector<std::string> opts;
        for (const auto& o : c.options) opts.push_back("--" + o.name);
        opts.push_back("--help");
        out << "        " << c.name << ")\n"
            << "            case $prev in\n";
        value_arms(c.options, out);
        out << "            esac\n"
            << "            if [[ $cur == -* ]]; then\n"
            << "                COMPREPLY=($(compgen -W '" << words(opts) << "' -- \"$cur\"))\n";
        if (c.name == "completion")
            out << "            else\n"
                << "                COMPREPLY=($(compgen -W 'bash' -- \"$cur\"))\n";
        else if (c.synopsis.find("TOPOLOGY") != std::string::npos || c.synopsis.find("FILE") != std::string::npos ||
                 c.synopsis.find("CAPTURE") != std::string::npos)
            out << "            else\n"
                << "                COMPREPLY=($(compgen -f -- \"$cur\"))\n";
        out << "            fi ;;\n";
    }
    out << "    esac\n"
        << "}\n"
        << "complete -o filenames -F " << fn << " " << program << "\n";
    return out.str();
}

}  // namespace bidilab::cli
