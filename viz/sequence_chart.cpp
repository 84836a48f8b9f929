#include "viz/sequence_chart.hpp"

#include <algorithm>
#include <map>
#include <sstream>
#include <tuple>

#include "model/stanza_xml.hpp"
#include "model/step_writes.hpp"
#include "viz/element_labels.hpp"
#include "viz/output.hpp"

namespace bidilab::viz {

using model::Action;

namespace {

// Geometry, in pixels; text is 12px monospace, about 7.3px a character.
constexpr int kCharWidth = 8;  // rounded up: a label never overflows its gap
constexpr int kFontSize = 12;
constexpr int kTitleHeight = 34;
constexpr int kHeaderHeight = 40;
constexpr int kGroupHeight = 18;  // a server's name over the headers of its lifelines
constexpr int kRowHeight = 36;
constexpr int kLeftGutter = 48;  // step numbers
constexpr int kMinGap = 110;

const char* const kInk = "#222222";
const char* const kFaint = "#b0b0b0";
const char* const kViolation = "#c00000";
const char* const kWitness = "#1a7f1a";

// An arrow's label names a domain of three labels or more as XEP-0288's
// examples do (conference.montague.lit: conference.m.l), and past this many
// characters ends in "…" (its tooltip has the whole element): long domain
// names must not widen a slide.
constexpr std::size_t kMaxLabel = 52;

std::string abbreviated(std::string label, const model::NameTable& names) {
    for (std::size_t d = 1; d <= names.domain_count(); ++d) {
        const std::string full = names.domain(static_cast<model::DomainId>(d));
        const std::size_t dot = full.find('.');
        if (dot == std::string::npos || full.find('.', dot + 1) == std::string::npos) continue;
        std::string shortname = full.substr(0, dot);
        for (std::size_t at = dot; at != std::string::npos && at + 1 < full.size(); at = full.find('.', at + 1))
            shortname += std::string(".") + full[at + 1];
        for (std::size_t at = label.find(full); at != std::string::npos; at = label.find(full, at + shortname.size()))
            label.replace(at, full.size(), shortname);
    }
    std::size_t chars = 0, at = 0;
    for (; at < label.size(); ++at)
        if ((static_cast<unsigned char>(label[at]) & 0xC0) != 0x80 && ++chars == kMaxLabel) break;
    return at >= label.size() ? label : label.substr(0, at) + "…";
}

int text_width(const std::string& s) {
    int chars = 0;
    for (unsigned char c : s)
        if ((c & 0xC0) != 0x80) ++chars;  // count UTF-8 code points
    return chars * kCharWidth;
}

std::string join(const std::vector<std::string>& parts) {
    std::string s;
    for (const auto& p : parts) s += (s.empty() ? "" : ", ") + p;
    return s;
}

struct Lifeline {
    std::string name;      // "capulet", "I1"
    std::string subtitle;  // "capulet.lit", "capulet→montague"
    bool endpoint = false;
    int first_row = -1;    // endpoints: the row their connection appears after (-1: from the start)
    int last_row = -1;     // the last row after which it still exists (-1: to the end)
    int x = 0;
    model::ServerIndex server = 0;  // whose lifeline it is, or whose end: its group
};

struct ConnectionSeen {
    model::ServerIndex initiator = 0, receiver = 0;
    int first = -2, last = -2;  // step indices; -1: the state before the first step
};

struct Participants {
    std::vector<Lifeline> lines;
    std::map<std::string, std::size_t> column;  // name → position
};

Participants participants(const model::XmppModel& m, const std::vector<TranscriptStep>& steps) {
    const auto& sc = m.scenario();
    std::map<std::uint16_t, ConnectionSeen> seen;
    auto note = [&seen](const model::World& w, int at) {
        for (const auto& c : w.connections) {
            auto& s = seen[c.number];
            if (s.first == -2) {
                s.first = at;
                s.initiator = c.initiator;
                s.receiver = c.receiver;
            }
            s.last = at;
        }
    };
    if (!steps.empty()) note(steps.front().before, -1);
    for (std::size_t i = 0; i < steps.size(); ++i) note(steps[i].after, static_cast<int>(i));
    const int end = static_cast<int>(steps.size()) - 1;

    Participants p;
    for (model::ServerIndex s = 0; s < sc.server_names.size(); ++s) {
        std::string domains;
        for (std::size_t d = 1; d < sc.host_of.size(); ++d)
            if (sc.host_of[d] == s) {
                domains = sc.names.domain(static_cast<model::DomainId>(d));
                break;
            }
        const Lifeline server{sc.server_names[s], domains, false, -1, -1, 0, s};
        // Under its server, each end on the side of its peer: the ends of a
        // connection between neighbouring servers face each other.
        std::vector<Lifeline> left, right;
        for (const auto& [number, c] : seen) {
            const std::string n = std::to_string(number);
            const std::string between = sc.server_names[c.initiator] + "→" + sc.server_names[c.receiver];
            const int last = c.last == end ? -1 : c.last;
            if (c.initiator == s)
                (c.receiver < s ? left : right).push_back(Lifeline{"I" + n, between, true, c.first, last, 0, s});
            if (c.receiver == s)
                (c.initiator < s ? left : right).push_back(Lifeline{"R" + n, between, true, c.first, last, 0, s});
        }
        for (auto& e : left) p.lines.push_back(e);
        p.lines.push_back(server);
        for (auto& e : right) p.lines.push_back(e);
    }
    for (std::size_t i = 0; i < p.lines.size(); ++i) p.column[p.lines[i].name] = i;
    return p;
}

// What one row shows.
struct Row {
    enum class Kind { Arrow, Note, Band } kind = Kind::Note;
    std::size_t from = 0, to = 0;  // columns (Note: from only)
    std::string label;
    std::string tooltip;
    std::vector<std::string> rules;
};

Row row_of(const model::XmppModel& m, const Participants& p, const TranscriptStep& s) {
    const auto& sc = m.scenario();
    Row r;
    r.rules = action_rules(m, s.before, s.action);
    const std::string n = std::to_string(s.action.connection);
    switch (s.action.kind) {
        case Action::Kind::Submit: {
            r.kind = Row::Kind::Note;
            r.from = p.column.at(sc.server_names.at(s.action.server));
            const int k = submitted_stanza(m, s.before, s.action);
            r.label = "submits " + (k < 0 ? std::string("a stanza")
                                          : "s" + std::to_string(k) + ": " + sc.stanzas[k].from_jid + " → " +
                                                sc.stanzas[k].to_jid);
            r.tooltip = action_label(m, s.before, s.action);
            break;
        }
        case Action::Kind::Deliver: {
            r.kind = Row::Kind::Arrow;
            const std::string i = "I" + n, rr = "R" + n;
            r.from = p.column.at(s.action.to_receiver ? i : rr);
            r.to = p.column.at(s.action.to_receiver ? rr : i);
            auto e = m.moved_element(s.before, s.action);
            r.label = e ? abbreviated(element_label(*e, sc.names), sc.names) : "?";
            r.tooltip = e ? model::to_xml(*e, sc) : "";
            break;
        }
        case Action::Kind::Choose:
            r.kind = Row::Kind::Note;
            r.from = p.column.at(sc.server_names.at(s.action.server));
            r.label = action_label(m, s.before, s.action);
            r.tooltip = m.describe(s.action);
            break;
        case Action::Kind::Tls:
        case Action::Kind::Reset: {  // a band across the connection: both ends at once
            r.kind = Row::Kind::Band;
            r.from = p.column.at("I" + n);
            r.to = p.column.at("R" + n);
            r.label = s.action.kind == Action::Kind::Tls ? "TLS handshake" : "TCP reset";
            r.tooltip = action_label(m, s.before, s.action);
            break;
        }
    }
    // What the step led its servers to do (model/router_step.hpp), as the
    // transcript's "then" lines.
    for (const auto& step : router_steps(m, s)) r.tooltip += "\nthen " + model::caption(step, sc);
    return r;
}

// Where the elements drawn were written: for each row that reads one, the
// row that wrote it (a forgery is written where it is read); and each element
// written and still unread when the trace ends, with the index it has among
// its step's writes (Blame::element).
struct Flows {
    std::vector<std::optional<std::size_t>> origin;  // by row
    struct Unread {
        std::size_t row = 0;
        int index = 0;
        std::size_t from = 0, to = 0;  // columns
        std::string label, tooltip;
    };
    std::vector<Unread> unread;
};

Flows flows(const model::XmppModel& m, const Participants& p, const std::vector<TranscriptStep>& steps) {
    struct Pending {
        std::size_t row;
        int index;
        model::Element element;
    };
    std::map<std::pair<std::uint16_t, bool>, std::vector<Pending>> fifo;  // by connection and direction
    Flows f;
    f.origin.resize(steps.size());
    for (std::size_t i = 0; i < steps.size(); ++i) {
        const Action& a = steps[i].action;
        if (a.kind == Action::Kind::Deliver && !a.forged) {
            auto& q = fifo[{a.connection, a.to_receiver}];
            if (!q.empty()) {
                f.origin[i] = q.front().row;
                q.erase(q.begin());
            }
        }
        if (a.kind == Action::Kind::Reset) fifo[{a.connection, true}].clear(), fifo[{a.connection, false}].clear();
        int k = 0;
        model::for_each_written(m.scenario(), steps[i].before, a, steps[i].after,
                                [&](const model::Connection*, const model::Connection& c, bool to_receiver,
                                    const model::Element& e, bool) {
                                    fifo[{c.number, to_receiver}].push_back(Pending{i, k++, e});
                                });
    }
    for (const auto& [key, q] : fifo)
        for (const auto& w : q) {
            const std::string n = std::to_string(key.first);
            const auto from = p.column.find((key.second ? "I" : "R") + n), to = p.column.find((key.second ? "R" : "I") + n);
            if (from == p.column.end() || to == p.column.end()) continue;
            f.unread.push_back({w.row, w.index, from->second, to->second, element_label(w.element, m.scenario().names),
                                model::to_xml(w.element, m.scenario())});
        }
    std::sort(f.unread.begin(), f.unread.end(),
              [](const Flows::Unread& a, const Flows::Unread& b) { return std::tie(a.row, a.index) < std::tie(b.row, b.index); });
    return f;
}

}  // namespace

std::string sequence_chart_svg(const model::XmppModel& m, const std::vector<TranscriptStep>& steps,
                               const ChartOptions& options) {
    Participants p = participants(m, steps);
    std::vector<Row> rows;
    for (const auto& s : steps) rows.push_back(row_of(m, p, s));
    const bool ending = options.ending != ChartOptions::Ending::Plain && !rows.empty();
    if (ending && !options.final_rules.empty()) rows.back().rules = options.final_rules;
    const Flows flow = flows(m, p, steps);
    // A blamed written element is the one painted red, not the step's read.
    const bool blame_written = options.blame && options.blame->element >= 0;
    auto blamed = [&options](std::size_t row, int index) {
        return options.blame && options.blame->step == row && options.blame->element == index;
    };

    // Column gaps: wide enough for the headers, then for each arrow's label
    // (shortest spans first), a shortfall spread over the gaps it spans.
    const std::size_t columns = p.lines.size();
    std::vector<int> header_width(columns);
    for (std::size_t c = 0; c < columns; ++c)
        header_width[c] = std::max(text_width(p.lines[c].name), text_width(p.lines[c].subtitle)) + 16;
    std::vector<int> gap(columns > 0 ? columns - 1 : 0, kMinGap);
    for (std::size_t c = 0; c + 1 < columns; ++c)
        gap[c] = std::max(gap[c], (header_width[c] + header_width[c + 1]) / 2 + 16);
    std::vector<const Row*> spanning;
    for (const auto& r : rows)
        if (r.kind != Row::Kind::Note && r.from != r.to) spanning.push_back(&r);
    std::stable_sort(spanning.begin(), spanning.end(), [](const Row* a, const Row* b) {
        auto span = [](const Row* r) { return r->from < r->to ? r->to - r->from : r->from - r->to; };
        return span(a) < span(b);
    });
    for (const Row* r : spanning) {
        const std::size_t lo = std::min(r->from, r->to), hi = std::max(r->from, r->to);
        int have = 0;
        for (std::size_t c = lo; c < hi; ++c) have += gap[c];
        const int need = text_width(r->label) + 36;
        if (have >= need) continue;
        const int count = static_cast<int>(hi - lo);
        const int each = (need - have + count - 1) / count;
        for (std::size_t c = lo; c < hi; ++c) gap[c] += each;
    }
    int x = kLeftGutter + (columns ? header_width[0] / 2 : 0) + 8;
    for (std::size_t c = 0; c < columns; ++c) {
        p.lines[c].x = x;
        if (c + 1 < columns) x += gap[c];
    }
    // Notes stick out of their lifeline; keep them inside the picture.
    int left = 0, right = x + (columns ? header_width[columns - 1] / 2 : 0);
    for (const auto& r : rows)
        if (r.kind == Row::Kind::Note) {
            const bool to_left = columns > 1 && r.from == columns - 1;
            const int w = text_width(r.label) + 16;
            if (to_left) left = std::min(left, p.lines[r.from].x - 6 - w - kLeftGutter);
            else right = std::max(right, p.lines[r.from].x + 6 + w);
        }
    if (left < 0)
        for (auto& l : p.lines) l.x -= left;
    if (left < 0) right -= left;
    const int caption_x = right + 24;
    int caption_width = text_width("rules");
    for (const auto& r : rows) caption_width = std::max(caption_width, text_width(join(r.rules)));
    const int width = caption_x + caption_width + 16;

    const int title_h = options.title.empty() ? 12 : kTitleHeight;
    const int header_top = title_h + kGroupHeight;
    const int first_row_y = header_top + kHeaderHeight + 34;
    auto row_y = [&](std::size_t i) { return first_row_y + static_cast<int>(i) * kRowHeight; };
    // Room below for the unread stubs of the last rows (staggered per row).
    std::size_t stubs_below = 0;
    for (std::size_t k = 0; k < flow.unread.size(); ++k) {
        std::size_t same_row = 0;
        for (std::size_t j = 0; j < k; ++j) same_row += flow.unread[j].row == flow.unread[k].row;
        const std::size_t reach = flow.unread[k].row + 1 + (same_row * 14 + 20) / kRowHeight + 1;
        stubs_below = std::max(stubs_below, reach > rows.size() ? reach - rows.size() : 0);
    }
    const std::size_t extra = (options.loop_start ? 1 : 0) + stubs_below;  // room below
    const int bottom = row_y(rows.size() + extra) - kRowHeight / 2;
    const int height = bottom + 16;

    std::ostringstream svg;
    svg << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << height
        << "\" viewBox=\"0 0 " << width << " " << height << "\" font-family=\"monospace\" font-size=\"" << kFontSize
        << "\">\n";
    svg << "<title>" << xml_escape(options.title.empty() ? "sequence chart" : options.title) << "</title>\n";
    svg << "<defs>\n";
    const std::pair<const char*, const char*> markers[] = {
        {"arrow", kInk}, {"arrow-violation", kViolation}, {"arrow-witness", kWitness}};
    for (auto [id, colour] : markers)
        svg << "<marker id=\"" << id << "\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" "
            << "markerHeight=\"8\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"" << colour
            << "\"/></marker>\n";
    svg << "</defs>\n";
    svg << "<rect x=\"0\" y=\"0\" width=\"" << width << "\" height=\"" << height << "\" fill=\"white\"/>\n";
    if (!options.title.empty())
        svg << "<text x=\"" << kLeftGutter / 2 << "\" y=\"22\" font-size=\"14\" font-weight=\"bold\">"
            << xml_escape(options.title) << "</text>\n";

    // Each server's lifelines grouped under its name: a box around their headers.
    for (std::size_t c = 0; c < columns;) {
        std::size_t hi = c;
        while (hi + 1 < columns && p.lines[hi + 1].server == p.lines[c].server) ++hi;
        const int x0 = p.lines[c].x - header_width[c] / 2 - 6, x1 = p.lines[hi].x + header_width[hi] / 2 + 6;
        svg << "<g class=\"server-group\">\n<rect x=\"" << x0 << "\" y=\"" << title_h << "\" width=\"" << x1 - x0
            << "\" height=\"" << kGroupHeight + kHeaderHeight + 2 << "\" rx=\"6\" fill=\"#fafafa\" stroke=\"#bbbbbb\"/>\n"
            << "<text x=\"" << (x0 + x1) / 2 << "\" y=\"" << title_h + 13
            << "\" text-anchor=\"middle\" font-size=\"11\" fill=\"#555555\">"
            << xml_escape(m.scenario().server_names[p.lines[c].server]) << "</text>\n</g>\n";
        c = hi + 1;
    }
    // Lifelines: headers on top; an endpoint's line is solid while its
    // connection exists, faint before, and ends with a cross when it is gone.
    const int line_top = header_top + kHeaderHeight;
    for (std::size_t c = 0; c < columns; ++c) {
        const Lifeline& l = p.lines[c];
        const int w = header_width[c];
        svg << "<g class=\"lifeline\">\n"
            << "<rect x=\"" << l.x - w / 2 << "\" y=\"" << header_top << "\" width=\"" << w << "\" height=\""
            << kHeaderHeight - 4 << "\" rx=\"4\" fill=\"" << (l.endpoint ? "#eef3fb" : "#f4f4f4")
            << "\" stroke=\"" << kInk << "\"/>\n"
            << "<text x=\"" << l.x << "\" y=\"" << header_top + 15 << "\" text-anchor=\"middle\" font-weight=\"bold\">"
            << xml_escape(l.name) << "</text>\n"
            << "<text x=\"" << l.x << "\" y=\"" << header_top + 29 << "\" text-anchor=\"middle\" font-size=\"10\">"
            << xml_escape(l.subtitle) << "</text>\n";
        int solid_from = line_top, solid_to = bottom;
        if (l.endpoint) {
            solid_from = l.first_row < 0 ? line_top : row_y(static_cast<std::size_t>(l.first_row)) + 4;
            if (l.last_row >= 0) solid_to = row_y(static_cast<std::size_t>(l.last_row)) + 8;
            if (solid_from > line_top)
                svg << "<line x1=\"" << l.x << "\" y1=\"" << line_top << "\" x2=\"" << l.x << "\" y2=\"" << solid_from
                    << "\" stroke=\"" << kFaint << "\" stroke-dasharray=\"3,4\"/>\n";
        }
        svg << "<line x1=\"" << l.x << "\" y1=\"" << solid_from << "\" x2=\"" << l.x << "\" y2=\"" << solid_to
            << "\" stroke=\"" << kInk << "\"" << (l.endpoint ? "" : " stroke-dasharray=\"6,4\"") << "/>\n";
        if (l.endpoint && l.last_row >= 0)
            svg << "<path d=\"M" << l.x - 6 << "," << solid_to - 6 << " L" << l.x + 6 << "," << solid_to + 6 << " M"
                << l.x + 6 << "," << solid_to - 6 << " L" << l.x - 6 << "," << solid_to + 6 << "\" stroke=\"" << kInk
                << "\" stroke-width=\"2\"/>\n";
        svg << "</g>\n";
    }
    svg << "<text x=\"" << caption_x << "\" y=\"" << line_top + 20 << "\" font-size=\"10\" fill=\"#666666\">rules</text>\n";

    // Arrow labels go over every line (a later arrow never strikes one through).
    std::ostringstream labels;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const Row& r = rows[i];
        const int y = row_y(i);
        const bool last = ending && i + 1 == rows.size();
        const char* colour = !last ? kInk : options.ending == ChartOptions::Ending::Violation ? kViolation : kWitness;
        const char* marker = !last ? "arrow"
                             : options.ending == ChartOptions::Ending::Violation ? "arrow-violation"
                                                                                 : "arrow-witness";
        const char* arrow_colour = last && blame_written ? kInk : colour;
        const char* arrow_marker = last && blame_written ? "arrow" : marker;
        svg << "<g class=\"step\" id=\"step-" << i + 1 << "\">\n";
        if (!r.tooltip.empty()) svg << "<title>" << xml_escape(r.tooltip) << "</title>\n";
        svg << "<text x=\"" << kLeftGutter - 8 << "\" y=\"" << y + 4
            << "\" text-anchor=\"end\" fill=\"#666666\">" << i + 1 << "</text>\n";
        const int x1 = p.lines[r.from].x;
        const int x2 = p.lines[r.to].x;
        switch (r.kind) {
            case Row::Kind::Arrow: {
                // From the row that wrote it (a little below its row) to this one.
                const int dir = x2 > x1 ? 1 : -1;
                const bool slanted = flow.origin[i] && *flow.origin[i] < i;
                const int y1 = slanted ? row_y(*flow.origin[i]) + 6 : y;
                svg << "<line class=\"" << (slanted ? "flow" : "arrow") << "\" x1=\"" << x1 << "\" y1=\"" << y1
                    << "\" x2=\"" << x2 - dir * 2 << "\" y2=\"" << y << "\" stroke=\"" << arrow_colour
                    << "\" stroke-width=\"" << (last ? 2 : 1.5) << "\" marker-end=\"url(#" << arrow_marker << ")\"/>\n";
                labels << "<text class=\"arrow-label\" data-step=\"" << i + 1
                       << "\" paint-order=\"stroke\" stroke=\"white\" stroke-width=\"4\" x=\"" << (x1 + x2) / 2 << "\" y=\""
                       << y - 6 << "\" text-anchor=\"middle\" fill=\"" << arrow_colour << "\">" << xml_escape(r.label)
                       << "</text>\n";
                break;
            }
            case Row::Kind::Band: {
                const int lo = std::min(x1, x2), hi = std::max(x1, x2);
                svg << "<rect x=\"" << lo << "\" y=\"" << y - 9 << "\" width=\"" << hi - lo
                    << "\" height=\"18\" rx=\"9\" fill=\"#fff4d6\" stroke=\"" << colour << "\"/>\n"
                    << "<text x=\"" << (lo + hi) / 2 << "\" y=\"" << y + 4 << "\" text-anchor=\"middle\" fill=\""
                    << colour << "\">" << xml_escape(r.label) << "</text>\n";
                break;
            }
            case Row::Kind::Note: {
                const bool to_left = columns > 1 && r.from == columns - 1;
                const int w = text_width(r.label) + 16;
                const int nx = to_left ? x1 - 6 - w : x1 + 6;
                svg << "<rect x=\"" << nx << "\" y=\"" << y - 11 << "\" width=\"" << w
                    << "\" height=\"22\" fill=\"#fffbe6\" stroke=\"" << colour << "\"/>\n"
                    << "<text x=\"" << nx + 8 << "\" y=\"" << y + 4 << "\" fill=\"" << colour << "\">"
                    << xml_escape(r.label) << "</text>\n";
                break;
            }
        }
        if (!r.rules.empty()) {
            svg << "<text class=\"rules\" x=\"" << caption_x << "\" y=\"" << y + 4 << "\" fill=\"" << colour << "\""
                << (last ? " font-weight=\"bold\"" : "") << ">";
            for (std::size_t k = 0; k < r.rules.size(); ++k) {
                const std::string text = options.rule_text ? options.rule_text(r.rules[k]) : "";
                svg << (k ? ", " : "");
                if (text.empty()) svg << xml_escape(r.rules[k]);
                else svg << "<tspan class=\"rule\"><title>" << xml_escape(text) << "</title>" << xml_escape(r.rules[k]) << "</tspan>";
            }
            svg << "</text>\n";
        }
        svg << "</g>\n";
    }
    svg << "<g class=\"labels\">\n" << labels.str() << "</g>\n";
    // What was written and not read by the end: a dashed stub from its
    // writer towards its reader, labelled; red when it is what broke the rule.
    for (std::size_t k = 0; k < flow.unread.size(); ++k) {
        const auto& u = flow.unread[k];
        int same_row = 0;  // stubs from one row go one under the other
        for (std::size_t j = 0; j < k; ++j) same_row += flow.unread[j].row == u.row;
        const bool red = blamed(u.row, u.index);
        const char* colour = red ? kViolation : kFaint;
        const int x1 = p.lines[u.from].x, x2 = p.lines[u.to].x;
        const int y1 = row_y(u.row) + 6, y2 = row_y(u.row) + kRowHeight - 8 + same_row * 14;
        const int xm = x1 + (x2 - x1) * 2 / 3;
        svg << "<g class=\"unread" << (red ? " blamed" : "") << "\">\n<title>" << xml_escape(u.tooltip)
            << " (written at step " << u.row + 1 << ", not read)</title>\n"
            << "<line x1=\"" << x1 << "\" y1=\"" << y1 << "\" x2=\"" << xm << "\" y2=\"" << y2 << "\" stroke=\"" << colour
            << "\" stroke-width=\"" << (red ? 2 : 1.5) << "\" stroke-dasharray=\"5,3\"/>\n"
            << "<text x=\"" << xm << "\" y=\"" << y2 + 12 << "\" text-anchor=\"middle\" fill=\"" << colour << "\""
            << (red ? " font-weight=\"bold\"" : "") << ">" << xml_escape(u.label) << (red ? " ✗" : "") << "</text>\n</g>\n";
    }
    if (options.loop_start) {
        svg << "<text x=\"" << kLeftGutter << "\" y=\"" << row_y(rows.size()) << "\" fill=\"" << kViolation
            << "\">and back to the state after step " << *options.loop_start << ": a loop</text>\n";
    }
    svg << "</svg>\n";
    return svg.str();
}

void write_sequence_chart(const model::XmppModel& m, const std::vector<TranscriptStep>& steps, const std::string& file,
                          const ChartOptions& options) {
    write_file(file, sequence_chart_svg(m, steps, options));
}

}  // namespace bidilab::viz
