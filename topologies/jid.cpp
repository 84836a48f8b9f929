#include "topologies/jid.hpp"

#include <cstddef>

namespace bidilab::topologies {

namespace {

constexpr std::size_t kMaxDomainBytes = 253;
constexpr std::size_t kMaxLabelBytes = 63;
constexpr std::size_t kMaxPartBytes = 1023;

std::string quoted_char(char c) {
  const auto byte = static_cast<unsigned char>(c);
  static const char* const kHex = "0123456789ABCDEF";
  if (byte < 0x20 || byte == 0x7F) {
    return std::string("control character 0x") + kHex[byte >> 4] + kHex[byte & 0xF];
  }
  if (byte >= 0x80) {
    return std::string("non-ASCII byte 0x") + kHex[byte >> 4] + kHex[byte & 0xF];
  }
  if (c == ' ') return "space";
  return std::string("character '") + c + "'";
}

bool is_control(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return byte < 0x20 || byte == 0x7F;
}

std::optional<std::string> why_invalid_label(const std::string& label) {
  if (label.empty()) return "empty label (two dots in a row, or a leading or trailing dot)";
  if (label.size() > kMaxLabelBytes) {
    return "label '" + label + "' is longer than 63 bytes";
  }
  for (char c : label) {
    if (c >= 'A' && c <= 'Z') {
      return std::string("uppercase letter '") + c + "' (write domains in lowercase)";
    }
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    if (static_cast<unsigned char>(c) >= 0x80) {
      return quoted_char(c) + " (write internationalized labels as A-labels, xn--...)";
    }
    if (!ok) return quoted_char(c) + " (allowed: a-z, 0-9, '-', '.')";
  }
  if (label.front() == '-' || label.back() == '-') {
    return "label '" + label + "' starts or ends with '-'";
  }
  return std::nullopt;
}

std::optional<std::string> why_invalid_local(const std::string& local) {
  if (local.empty()) return "empty local part before '@'";
  if (local.size() > kMaxPartBytes) return "local part is longer than 1023 bytes";
  for (char c : local) {
    if (is_control(c) || c == ' ') return quoted_char(c) + " in local part";
    switch (c) {
      case '"': case '&': case '\'': case '/': case ':': case '<': case '>': case '@':
        return quoted_char(c) + " in local part (forbidden: \" & ' / : < > @)";
      default:
        break;
    }
  }
  return std::nullopt;
}

std::optional<std::string> why_invalid_resource(const std::string& resource) {
  if (resource.empty()) return "empty resource after '/'";
  if (resource.size() > kMaxPartBytes) return "resource is longer than 1023 bytes";
  for (char c : resource) {
    if (is_control(c)) return quoted_char(c) + " in resource";
  }
  return std::nullopt;
}

// The RFC 7622 split. `has_local`/`has_resource` tell an empty part from an
// absent one.
struct Split {
  Jid jid;
  bool has_local = false;
  bool has_resource = false;
};

Split split_jid(const std::string& text) {
  Split out;
  std::string rest = text;
  const auto slash = rest.find('/');
  if (slash != std::string::npos) {
    out.has_resource = true;
    out.jid.resource = rest.substr(slash + 1);
    rest.resize(slash);
  }
  const auto at = rest.find('@');
  if (at != std::string::npos) {
    out.has_local = true;
    out.jid.local = rest.substr(0, at);
    rest.erase(0, at + 1);
  }
  out.jid.domain = rest;
  return out;
}

}  // namespace

std::string Jid::to_string() const {
  std::string out;
  if (!local.empty()) out += local + "@";
  out += domain;
  if (!resource.empty()) out += "/" + resource;
  return out;
}

bool operator==(const Jid& a, const Jid& b) {
  return a.local == b.local && a.domain == b.domain && a.resource == b.resource;
}

bool operator!=(const Jid& a, const Jid& b) { return !(a == b); }

std::optional<std::string> why_invalid_domain(const std::string& domain) {
  if (domain.empty()) return std::string("empty domain");
  if (domain.size() > kMaxDomainBytes) return std::string("domain is longer than 253 bytes");
  std::size_t start = 0;
  while (true) {
    const auto dot = domain.find('.', start);
    const auto end = dot == std::string::npos ? domain.size() : dot;
    if (auto why = why_invalid_label(domain.substr(start, end - start))) return why;
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return std::nullopt;
}

bool is_valid_domain(const std::string& domain) { return !why_invalid_domain(domain); }

std::optional<std::string> why_invalid_certificate_name(const std::string& name) {
  if (name.rfind("*.", 0) == 0) return why_invalid_domain(name.substr(2));
  if (name.find('*') != std::string::npos) {
    return std::string("a wildcard is only allowed as the whole leftmost label ('*.domain')");
  }
  return why_invalid_domain(name);
}

std::optional<std::string> why_invalid_jid(const std::string& text) {
  if (text.empty()) return std::string("empty JID");
  const Split split = split_jid(text);
  if (split.has_local) {
    if (auto why = why_invalid_local(split.jid.local)) return why;
  }
  if (auto why = why_invalid_domain(split.jid.domain)) return "domain part: " + *why;
  if (split.has_resource) {
    if (auto why = why_invalid_resource(split.jid.resource)) return why;
  }
  return std::nullopt;
}

std::optional<Jid> parse_jid(const std::string& text) {
  if (why_invalid_jid(text)) return std::nullopt;
  return split_jid(text).jid;
}

std::string jid_domain(const std::string& text) { return split_jid(text).jid.domain; }

bool certificate_name_matches(const std::string& name, const std::string& domain) {
  if (name == domain) return true;
  if (name.rfind("*.", 0) != 0) return false;
  const auto dot = domain.find('.');
  if (dot == std::string::npos || dot == 0) return false;
  return domain.compare(dot, std::string::npos, name, 1, std::string::npos) == 0;
}

}  // namespace bidilab::topologies
