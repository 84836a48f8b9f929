// GCC 12 sees a false -Wmaybe-uninitialized in Boost.Graph's edge iterator
// (a boost::optional) once write_graphviz is inlined here; the location is in
// the Boost header, so the pragma must come before the first include of it.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include "viz/state_graph.hpp"

#include <algorithm>

#include <sstream>

#include <boost/graph/graphviz.hpp>

namespace bidilab::viz {

std::string dot_quote(const std::string& text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out + "\"";
}

namespace {

const char* const kPath = "#1f5fbf";
const char* const kDeadlock = "#c00000";
constexpr std::size_t kLargeGraphEdges = 300;

std::string join(const std::vector<std::string>& parts, const char* sep) {
    std::string s;
    for (const auto& p : parts) s += (s.empty() ? "" : sep) + p;
    return s;
}

struct VertexWriter {
    const Diagram& d;
    const DotStyle& style;
    void operator()(std::ostream& out, Diagram::vertex_descriptor v) const {
        const DiagramVertex& x = d[v];
        std::string label = x.label;
        const bool merged = x.members > 1;
        if (x.deadlock) label += merged ? "\nholds a deadlock" : "\ndeadlock";
        if (x.unexpanded) label += merged ? "\nnot all expanded" : "\nnot expanded";
        if (!x.internal.empty()) {
            std::size_t width = label.size();
            for (const auto& t : x.internal) width = std::max(width, t.size());
            label += "\n" + std::string(width, '-');
            for (const auto& t : x.internal) label += "\n" + t;
        }
        std::vector<std::string> styles{"rounded"};
        std::vector<std::string> attrs;
        if (x.unexpanded) styles.push_back("dashed");
        if (x.path_end) {
            styles.push_back("filled");
            attrs.push_back(std::string("fillcolor=") + (style.path_is_violation ? "\"#f6c8c8\"" : "\"#c8ecc8\""));
        }
        if (x.deadlock) attrs.push_back(std::string("color=\"") + kDeadlock + "\", fontcolor=\"" + kDeadlock + "\"");
        else if (x.on_path) attrs.push_back(std::string("color=\"") + kPath + "\"");
        if (x.initial || x.on_path || x.deadlock) attrs.push_back("penwidth=2");
        if (x.terminal) attrs.push_back("peripheries=2");
        out << "[label=" << dot_quote(label) << ", style=" << dot_quote(join(styles, ","));
        for (const auto& a : attrs) out << ", " << a;
        out << "]";
    }
};

struct EdgeWriter {
    const Diagram& d;
    void operator()(std::ostream& out, Diagram::edge_descriptor e) const {
        const DiagramEdge& x = d[e];
        out << "[label=" << dot_quote(x.label);
        if (x.on_path) out << ", color=\"" << kPath << "\", fontcolor=\"" << kPath << "\", penwidth=2.5";
        out << "]";
    }
};

struct GraphWriter {
    const Diagram& d;
    const DotStyle& style;
    void operator()(std::ostream& out) const {
        out << "graph [rankdir=" << style.rankdir << ", fontname=\"Helvetica\", fontsize=12";
        if (!style.title.empty()) out << ", labelloc=t, label=" << dot_quote(style.title);
        // Large graphs: bound dot's network simplex and crossing passes, which
        // otherwise take most of a minute on a few hundred labelled edges.
        if (boost::num_edges(d) > kLargeGraphEdges) out << ", nslimit=1, nslimit1=1, mclimit=0.5";
        out << "];\n"
            << "node [shape=box, style=rounded, fontname=\"Helvetica\", fontsize=10];\n"
            << "edge [fontname=\"Helvetica\", fontsize=9];\n";
        // The initial vertices, each pointed at from a dot (as state charts draw them).
        for (std::size_t v = 0; v < boost::num_vertices(d); ++v) {
            if (!d[v].initial) continue;
            out << "start" << v << " [shape=point, width=0.12, label=\"\"];\n"
                << "start" << v << "->" << v << ";\n";
        }
    }
};

}  // namespace

void write_dot(std::ostream& out, const Diagram& d, const DotStyle& style) {
    boost::write_graphviz(out, d, VertexWriter{d, style}, EdgeWriter{d}, GraphWriter{d, style});
}

std::string dot_text(const Diagram& d, const DotStyle& style) {
    std::ostringstream out;
    write_dot(out, d, style);
    return out.str();
}

}  // namespace bidilab::viz
