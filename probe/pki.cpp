#include "probe/pki.hpp"

#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <stdexcept>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace bidilab::probe {

namespace {

struct FreeKey { void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); } };
struct FreeCert { void operator()(X509* x) const { X509_free(x); } };
using Key = std::unique_ptr<EVP_PKEY, FreeKey>;
using Cert = std::unique_ptr<X509, FreeCert>;

constexpr long kValidSeconds = 30L * 24 * 3600;

void check(bool ok, const std::string& what) {
    if (!ok) throw std::runtime_error("make-pki: OpenSSL could not " + what);
}

// A DNS name or a wildcard of one: letters, digits, '-', '.', and a leading "*.".
void check_name(const std::string& name) {
    const std::string rest = name.rfind("*.", 0) == 0 ? name.substr(2) : name;
    bool ok = !rest.empty() && rest.size() <= 253;
    for (char c : rest)
        ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.');
    if (!ok) throw std::invalid_argument("certificate name '" + name + "' is not a DNS name or a wildcard (*.domain)");
}

Key new_key() {
    Key k(EVP_EC_gen("P-256"));
    check(k != nullptr, "make a P-256 key");
    return k;
}

void add_extension(X509* x, X509* issuer, int nid, const std::string& value) {
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, issuer, x, nullptr, nullptr, 0);
    X509_EXTENSION* e = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
    check(e != nullptr, "make the extension " + value);
    const int added = X509_add_ext(x, e, -1);
    X509_EXTENSION_free(e);
    check(added == 1, "add the extension " + value);
}

// A certificate for `key` named `common_name`, signed by `issuer_key` under
// `issuer` (nullptr: self-signed).
Cert new_certificate(EVP_PKEY* key, const std::string& common_name, X509* issuer, EVP_PKEY* issuer_key, bool ca,
                     const std::vector<std::string>& names) {
    Cert x(X509_new());
    check(x != nullptr, "make a certificate");
    check(X509_set_version(x.get(), 2) == 1, "set the version");
    BIGNUM* serial = BN_new();
    check(serial && BN_rand(serial, 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) == 1 &&
              BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(x.get())) != nullptr,
          "draw a serial number");
    BN_free(serial);
    check(X509_gmtime_adj(X509_getm_notBefore(x.get()), -3600) && X509_gmtime_adj(X509_getm_notAfter(x.get()), kValidSeconds),
          "set the validity");
    X509_NAME* subject = X509_get_subject_name(x.get());
    check(X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_UTF8,
                                     reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1, 0) == 1,
          "set the subject");
    X509* signer = issuer ? issuer : x.get();
    check(X509_set_issuer_name(x.get(), X509_get_subject_name(signer)) == 1, "set the issuer");
    check(X509_set_pubkey(x.get(), key) == 1, "set the public key");
    add_extension(x.get(), signer, NID_subject_key_identifier, "hash");
    if (ca) {
        add_extension(x.get(), signer, NID_basic_constraints, "critical,CA:TRUE");
        add_extension(x.get(), signer, NID_key_usage, "critical,keyCertSign,cRLSign");
    } else {
        std::string san;
        for (const auto& n : names) san += (san.empty() ? "DNS:" : ",DNS:") + n;
        if (!san.empty()) add_extension(x.get(), signer, NID_subject_alt_name, san);
        add_extension(x.get(), signer, NID_basic_constraints, "critical,CA:FALSE");
        add_extension(x.get(), signer, NID_key_usage, "critical,digitalSignature");
        add_extension(x.get(), signer, NID_ext_key_usage, "serverAuth,clientAuth");
        if (issuer) add_extension(x.get(), signer, NID_authority_key_identifier, "keyid");
    }
    check(X509_sign(x.get(), issuer_key ? issuer_key : key, EVP_sha256()) > 0, "sign the certificate of " + common_name);
    return x;
}

// A certificate, or a private key (readable by its owner only, from its first byte).
void write_pem(const std::filesystem::path& file, X509* cert, EVP_PKEY* key) {
    std::FILE* f = std::fopen(file.c_str(), "wb");
    bool ok = f != nullptr;
    if (ok && key) ok = ::fchmod(fileno(f), 0600) == 0 && PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr) == 1;
    else if (ok) ok = PEM_write_X509(f, cert) == 1;
    if (f && std::fclose(f) != 0) ok = false;
    if (!ok) throw std::runtime_error(file.string() + ": cannot be written");
}

}  // namespace

std::vector<std::string> make_pki(const topologies::Topology& t, const std::string& dir_name) {
    for (const auto& s : t.servers)
        if (s.certificate && !s.domains.empty()) {
            check_name(s.domains.front());  // it names the files
            for (const auto& n : s.certificate->names) check_name(n);
        }
    const std::filesystem::path dir(dir_name);
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) throw std::runtime_error(dir_name + ": cannot be created (" + ec.message() + ")");
    std::vector<std::string> written;
    const auto write = [&](const std::string& name, X509* cert, EVP_PKEY* key) {
        write_pem(dir / name, cert, key);
        written.push_back((dir / name).string());
    };
    const Key ca_key = new_key();
    const Cert ca = new_certificate(ca_key.get(), "bidilab probe CA (" + t.name + ")", nullptr, nullptr, true, {});
    write("ca.crt", ca.get(), nullptr);
    write("ca.key", nullptr, ca_key.get());
    for (const auto& s : t.servers) {
        if (!s.certificate || s.domains.empty()) continue;
        const std::string& first = s.domains.front();
        const Key key = new_key();
        const bool trusted = s.certificate->trusted;
        const Cert cert = new_certificate(key.get(), first, trusted ? ca.get() : nullptr, trusted ? ca_key.get() : nullptr,
                                          false, s.certificate->names);
        write(first + ".crt", cert.get(), nullptr);
        write(first + ".key", nullptr, key.get());
    }
    return written;
}

}  // namespace bidilab::probe
