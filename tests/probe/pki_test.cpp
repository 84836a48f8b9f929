// `bidilab probe --make-pki`: a private CA and the topology's certificates,
// checked with OpenSSL's own verification: trusted ones chain to the CA and
// carry exactly their names, an untrusted one does not chain, keys are the
// owner's only, and the probe's TLS contexts load them.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <stdexcept>

#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "probe/pki.hpp"
#include "probe/tls_context.hpp"
#include "topologies/topology.hpp"

namespace bp = bidilab::probe;
namespace fs = std::filesystem;

namespace {

struct FreeX509 { void operator()(X509* x) const { X509_free(x); } };
using X509Ptr = std::unique_ptr<X509, FreeX509>;

X509Ptr read_certificate(const fs::path& file) {
    std::FILE* f = std::fopen(file.c_str(), "rb");
    if (!f) return nullptr;
    X509Ptr x(PEM_read_X509(f, nullptr, nullptr, nullptr));
    std::fclose(f);
    return x;
}

// Does `leaf` chain to `ca` (OpenSSL's verification, for TLS server and client use)?
bool chains(X509* leaf, X509* ca) {
    X509_STORE* store = X509_STORE_new();
    X509_STORE_add_cert(store, ca);
    X509_STORE_CTX* ctx = X509_STORE_CTX_new();
    X509_STORE_CTX_init(ctx, store, leaf, nullptr);
    X509_STORE_CTX_set_purpose(ctx, X509_PURPOSE_SSL_SERVER);
    const bool ok = X509_verify_cert(ctx) == 1;
    X509_STORE_CTX_free(ctx);
    X509_STORE_free(store);
    return ok;
}

bool names(X509* x, const std::string& host) { return X509_check_host(x, host.c_str(), host.size(), 0, nullptr) == 1; }

fs::path fresh_dir(const std::string& name) {
    const fs::path d = fs::temp_directory_path() / ("bidilab-pki-test-" + name + "-" + std::to_string(::getpid()));
    fs::remove_all(d);
    return d;
}

}  // namespace

TEST(Pki, CertificatesAsTheTopologyDescribesThem) {
    const auto t = bidilab::topologies::load_topology(PROBE_TEST_DATA "/pki.topology.json");
    const fs::path dir = fresh_dir("made");
    const std::vector<std::string> files = bp::make_pki(t, dir.string());
    EXPECT_EQ(files.size(), 8u);  // the CA, and three servers with a certificate: each a .crt and a .key
    EXPECT_FALSE(fs::exists(dir / "mercutio.lit.crt"));
    const X509Ptr ca = read_certificate(dir / "ca.crt");
    const X509Ptr capulet = read_certificate(dir / "capulet.lit.crt");
    const X509Ptr montague = read_certificate(dir / "montague.lit.crt");
    const X509Ptr verona = read_certificate(dir / "verona.lit.crt");
    ASSERT_TRUE(ca && capulet && montague && verona);
    EXPECT_TRUE(chains(capulet.get(), ca.get()));
    EXPECT_TRUE(chains(montague.get(), ca.get()));
    EXPECT_FALSE(chains(verona.get(), ca.get()));  // "trusted": false: self-signed
    EXPECT_TRUE(names(capulet.get(), "capulet.lit"));
    EXPECT_FALSE(names(capulet.get(), "montague.lit"));
    EXPECT_TRUE(names(montague.get(), "montague.lit"));
    EXPECT_TRUE(names(montague.get(), "conference.montague.lit"));  // by the wildcard
    EXPECT_FALSE(names(montague.get(), "capulet.lit"));
    EXPECT_TRUE(names(verona.get(), "verona.lit"));
    for (const char* key : {"ca.key", "capulet.lit.key", "montague.lit.key", "verona.lit.key"}) {
        struct stat st {};
        ASSERT_EQ(::stat((dir / key).c_str(), &st), 0) << key;
        EXPECT_EQ(st.st_mode & 0777, 0600u) << key;
    }
    // The probe reads them back as --pki DIR, in both TLS roles.
    for (bool server : {false, true})
        EXPECT_NO_THROW(bp::TlsContext(server, (dir / "montague.lit.crt").string(), (dir / "montague.lit.key").string(),
                                       (dir / "ca.crt").string()));
    // A second CA each run: certificates of one run do not chain to another's.
    const fs::path again = fresh_dir("again");
    bp::make_pki(t, again.string());
    const X509Ptr other_ca = read_certificate(again / "ca.crt");
    ASSERT_TRUE(other_ca);
    EXPECT_FALSE(chains(capulet.get(), other_ca.get()));
    fs::remove_all(dir);
    fs::remove_all(again);
}

TEST(Pki, ANameThatIsNotADnsNameIsRefusedBeforeAnythingIsWritten) {
    auto t = bidilab::topologies::load_topology(PROBE_TEST_DATA "/pki.topology.json");
    t.servers[0].certificate->names = {"capulet.lit,DNS:evil.example"};
    const fs::path dir = fresh_dir("refused");
    EXPECT_THROW(bp::make_pki(t, dir.string()), std::invalid_argument);
    EXPECT_FALSE(fs::exists(dir));
}
