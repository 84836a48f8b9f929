#include <string>

#include <gtest/gtest.h>

#include "topologies/jid.hpp"

namespace bidilab::topologies {
namespace {

TEST(Domain, AcceptsSimpleDnsNames) {
  for (const char* domain : {"capulet.lit", "conference.montague.lit", "localhost", "a-b.c9.lit",
                             "0.example", "x", "xn--caf-dma.lit"}) {
    EXPECT_TRUE(is_valid_domain(domain)) << domain;
  }
  EXPECT_TRUE(is_valid_domain(std::string(63, 'a') + ".lit"));
}

TEST(Domain, RejectsWithAReason) {
  struct Case {
    std::string domain;
    const char* reason;
  };
  const Case cases[] = {
      {"", "empty domain"},
      {"capulet lit", "space"},
      {"Capulet.lit", "uppercase letter 'C' (write domains in lowercase)"},
      {"capulet..lit", "empty label"},
      {".capulet.lit", "empty label"},
      {"capulet.lit.", "empty label"},
      {"-capulet.lit", "starts or ends with '-'"},
      {"capulet-.lit", "starts or ends with '-'"},
      {"capulet_lit", "character '_'"},
      {"capulet.lit:5269", "character ':'"},
      {"caf\xC3\xA9.lit", "non-ASCII byte 0xC3 (write internationalized labels as A-labels"},
      {"tab\t.lit", "control character 0x09"},
      {std::string(64, 'a') + ".lit", "longer than 63 bytes"},
      {std::string(250, 'a').replace(60, 1, ".").replace(120, 1, ".").replace(180, 1, ".") +
           ".lit",
       "longer than 253 bytes"},
  };
  for (const Case& c : cases) {
    const auto why = why_invalid_domain(c.domain);
    ASSERT_TRUE(why.has_value()) << c.domain;
    EXPECT_NE(why->find(c.reason), std::string::npos) << c.domain << ": " << *why;
  }
}

TEST(CertificateName, AcceptsDomainsAndLeftmostWildcards) {
  EXPECT_FALSE(why_invalid_certificate_name("montague.lit"));
  EXPECT_FALSE(why_invalid_certificate_name("*.montague.lit"));
  EXPECT_TRUE(why_invalid_certificate_name("*"));
  EXPECT_TRUE(why_invalid_certificate_name("mon*.lit"));
  EXPECT_TRUE(why_invalid_certificate_name("*.*.lit"));
  EXPECT_TRUE(why_invalid_certificate_name(""));
}

TEST(CertificateName, WildcardMatchesExactlyOneLabel) {
  EXPECT_TRUE(certificate_name_matches("montague.lit", "montague.lit"));
  EXPECT_FALSE(certificate_name_matches("montague.lit", "conference.montague.lit"));
  EXPECT_TRUE(certificate_name_matches("*.montague.lit", "conference.montague.lit"));
  EXPECT_FALSE(certificate_name_matches("*.montague.lit", "montague.lit"));
  EXPECT_FALSE(certificate_name_matches("*.montague.lit", "a.conference.montague.lit"));
  EXPECT_FALSE(certificate_name_matches("*.montague.lit", "xmontague.lit"));
}

TEST(Jid, ParsesTheThreeParts) {
  struct Case {
    const char* text;
    Jid jid;
  };
  const Case cases[] = {
      {"capulet.lit", {"", "capulet.lit", ""}},
      {"juliet@capulet.lit", {"juliet", "capulet.lit", ""}},
      {"juliet@capulet.lit/balcony", {"juliet", "capulet.lit", "balcony"}},
      {"capulet.lit/admin", {"", "capulet.lit", "admin"}},
      {"room@conference.montague.lit/Juliet Capulet", {"room", "conference.montague.lit",
                                                       "Juliet Capulet"}},
      {"juliet@capulet.lit/a/b@c", {"juliet", "capulet.lit", "a/b@c"}},
  };
  for (const Case& c : cases) {
    const auto jid = parse_jid(c.text);
    ASSERT_TRUE(jid.has_value()) << c.text << ": " << why_invalid_jid(c.text).value_or("");
    EXPECT_EQ(*jid, c.jid) << c.text;
    EXPECT_EQ(jid->to_string(), c.text);
    EXPECT_EQ(jid_domain(c.text), c.jid.domain);
  }
}

TEST(Jid, RejectsWithAReason) {
  struct Case {
    const char* text;
    const char* reason;
  };
  const Case cases[] = {
      {"", "empty JID"},
      {"@capulet.lit", "empty local part"},
      {"juliet@", "domain part: empty domain"},
      {"juliet@capulet.lit/", "empty resource"},
      {"juliet@@capulet.lit", "domain part: character '@'"},
      {"jul iet@capulet.lit", "space in local part"},
      {"jul:iet@capulet.lit", "character ':' in local part"},
      {"juliet@Capulet.lit", "domain part: uppercase letter 'C'"},
      {"juliet@capulet.lit/bal\ncony", "control character 0x0A in resource"},
      {"/balcony", "domain part: empty domain"},
  };
  for (const Case& c : cases) {
    const auto why = why_invalid_jid(c.text);
    ASSERT_TRUE(why.has_value()) << c.text;
    EXPECT_NE(why->find(c.reason), std::string::npos) << c.text << ": " << *why;
    EXPECT_FALSE(parse_jid(c.text).has_value());
  }
}

}  // namespace
}  // namespace bidilab::topologies
