#include "cli/args.hpp"

#include <cctype>
#include <vector>

#include "topologies/suggest.hpp"

namespace bidilab::cli {

Args::Args(const std::vector<std::string>& argv, const std::set<std::string>& flags,
           const std::set<std::string>& valued) {
    bool options_ended = false;  // after "--", everything is positional (a file named "--x")
    for (std::size_t i = 0; i < argv.size(); ++i) {
        const std::string& a = argv[i];
        if (options_ended || a.size() < 2 || a[0] != '-' || a == "-") {
            positional_.push_back(a);
            continue;
        }
        if (a == "--") {
            options_ended = true;
            continue;
        }
        if (a.rfind("--", 0) != 0) throw UsageError("unknown option '" + a + "' (options are spelled --name)");
        std::string name = a.substr(2), val;
        bool has_value = false;
        if (auto eq = name.find('='); eq != std::string::npos) {
            val = name.substr(eq + 1);
            name = name.substr(0, eq);
            has_value = true;
        }
        if (flags.count(name)) {
            if (has_value) throw UsageError("option --" + name + " takes no value");
            flags_.insert(name);
        } else if (valued.count(name)) {
            if (!has_value) {
                if (i + 1 >= argv.size()) throw UsageError("option --" + name + " needs a value");
                val = argv[++i];
            }
            if (values_.count(name)) throw UsageError("option --" + name + " given twice");
            values_[name] = val;
        } else {
            std::vector<std::string> known(flags.begin(), flags.end());
            known.insert(known.end(), valued.begin(), valued.end());
            const std::string near = topologies::nearest(name, known);
            throw UsageError("unknown option --" + name + (near.empty() ? "" : "; did you mean --" + near + "?"));
        }
    }
}

namespace {
std::set<std::string> names_of(const Options& options, bool valued) {
    std::set<std::string> out;
    for (const auto& o : options)
        if (o.takes_value() == valued) out.insert(o.name);
    return out;
}
}  // namespace

Args::Args(const std::vector<std::string>& argv, const Options& options)
    : Args(argv, names_of(options, false), names_of(options, true)) {
    for (const auto& o : options) {
        const auto choices = o.choices();
        const auto v = value(o.name);
        if (choices.empty() || !v) continue;
        bool known = false;
        for (const auto& c : choices) known = known || c == *v;
        if (known) continue;
        std::string list;
        for (std::size_t i = 0; i < choices.size(); ++i)
            list += (i == 0 ? "" : i + 1 == choices.size() ? " or " : ", ") + ("'" + choices[i] + "'");
        throw UsageError("--" + o.name + ": expected " + list + ", not '" + *v + "'");
    }
}

std::optional<std::string> Args::value(const std::string& name) const {
    auto it = values_.find(name);
    if (it == values_.end()) return std::nullopt;
    return it->second;
}

std::uint64_t Args::count(const std::string& name, std::uint64_t fallback, std::uint64_t max) const {
    auto v = value(name);
    if (!v) return fallback;
    if (v->empty() || v->size() > 18) throw UsageError("--" + name + ": expected a non-negative integer, got '" + *v + "'");
    for (char c : *v)
        if (!std::isdigit(static_cast<unsigned char>(c)))
            throw UsageError("--" + name + ": expected a non-negative integer, got '" + *v + "'");
    const std::uint64_t n = std::stoull(*v);
    if (n > max) throw UsageError("--" + name + ": at most " + std::to_string(max) + ", got '" + *v + "'");
    return n;
}

std::size_t Args::bytes(const std::string& name, std::size_t fallback) const {
    auto v = value(name);
    if (!v) return fallback;
    std::string digits = *v;
    std::size_t unit = 1;
    if (!digits.empty()) {
        switch (std::toupper(static_cast<unsigned char>(digits.back()))) {
            case 'K': unit = std::size_t{1} << 10; break;
            case 'M': unit = std::size_t{1} << 20; break;
            case 'G': unit = std::size_t{1} << 30; break;
            default: break;
        }
        if (unit != 1) digits.pop_back();
    }
    bool ok = !digits.empty() && digits.size() <= 12;
    for (char c : digits) ok = ok && std::isdigit(static_cast<unsigned char>(c));
    if (!ok) throw UsageError("--" + name + ": expected a size such as 512M or 4G, got '" + *v + "'");
    const std::uint64_t n = std::stoull(digits);
    constexpr std::uint64_t kMax = std::uint64_t{1} << 50;  // 1 PiB: beyond any machine, far from overflow
    if (n > kMax / unit) throw UsageError("--" + name + ": at most 1048576G, got '" + *v + "'");
    return n * unit;
}

}  // namespace bidilab::cli
