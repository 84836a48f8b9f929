#include "validate/transcript.hpp"

#include <sstream>

namespace bidilab::validate {

using model::PairState;
using model::PairTable;

namespace {
void pairs(std::string& s, const PairTable& t, const model::NameTable& names, const char* prefix) {
    for (std::size_t k = 0; k < t.size(); ++k)
        s += std::string("; ") + prefix + names.domain(t[k].sender) + "→" + names.domain(t[k].target) + " " +
             model::pair_state_name(t[k].state);
}

std::string with_details(const std::string& head, const std::string& details) {
    return details.empty() ? head : head + " [" + details + "]";
}

void flag(std::string& s, bool on, const char* name) {
    if (on) s += (s.empty() ? "" : " ") + std::string(name);
}
}  // namespace

std::string describe_endpoint(int number, const model::InitiatingStream& st, const model::NameTable& names) {
    using D = model::InitiatingData;
    const D& d = st.data();
    std::string s = model::NameTable::stream(d.stream_id);
    flag(s, d.has(D::kTls), "tls");
    flag(s, d.has(D::kBidi), "bidi");
    flag(s, d.has(D::kSasl), "sasl");
    flag(s, d.has(D::kVerifyOnly), "verify-only");
    pairs(s, d.fwd, names, "");
    pairs(s, d.rev, names, "rev ");
    if (!s.empty() && s.rfind("; ", 0) == 0) s.erase(0, 2);
    return with_details("I" + std::to_string(number) + " " + st.state_name(), s);
}

std::string describe_endpoint(int number, const model::ReceivingStream& st, const model::NameTable& names) {
    using D = model::ReceivingData;
    const D& d = st.data();
    std::string s = model::NameTable::stream(d.stream_id);
    flag(s, d.has(D::kTls), "tls");
    flag(s, d.has(D::kBidi), "bidi");
    if (d.has(D::kSasl)) s += (s.empty() ? "" : " ") + std::string("sasl as ") + names.domain(d.authz);
    pairs(s, d.fwd, names, "");
    pairs(s, d.rev, names, "rev ");
    if (!s.empty() && s.rfind("; ", 0) == 0) s.erase(0, 2);
    return with_details("R" + std::to_string(number) + " " + st.state_name(), s);
}

std::string transcript_text(const std::vector<std::string>& connections, const std::vector<TranscriptEntry>& entries) {
    std::ostringstream out;
    out << "connections:\n";
    for (const auto& c : connections) out << "  " << c << "\n";
    out << "\n";
    for (const auto& e : entries) {
        std::string line = e.line ? std::to_string(e.line) : "end";
        out << std::string(line.size() < 5 ? 5 - line.size() : 0, ' ') << line << "  ";
        if (!e.who.empty()) out << e.who << ": ";
        out << e.xml;
        if (!e.note.empty()) out << "   <!-- " << e.note << " -->";
        out << "\n";
        if (!e.states.empty()) out << "       " << e.states << "\n";
    }
    return out.str();
}

}  // namespace bidilab::validate
