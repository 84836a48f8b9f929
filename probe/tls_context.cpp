#include "probe/tls_context.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <stdexcept>

namespace bidilab::probe {

namespace {
std::string openssl_error() {
    const unsigned long e = ERR_get_error();
    char buf[256] = {0};
    if (e != 0) ERR_error_string_n(e, buf, sizeof buf);
    return e != 0 ? buf : "unknown OpenSSL error";
}

int accept_any(int, X509_STORE_CTX*) { return 1; }  // the model judges trust, not the handshake
}  // namespace

TlsContext::TlsContext(bool server, const std::string& certificate, const std::string& key, const std::string& ca)
    : server_(server) {
    ctx_ = SSL_CTX_new(server ? TLS_server_method() : TLS_client_method());
    if (!ctx_) throw std::runtime_error("TLS: " + openssl_error());
    SSL_CTX_set_min_proto_version(ctx_, TLS1_2_VERSION);  // RFC 7590 (TLS-1)
    SSL_CTX_set_mode(ctx_, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    if (!certificate.empty()) {
        if (SSL_CTX_use_certificate_chain_file(ctx_, certificate.c_str()) != 1) {
            const std::string why = openssl_error();
            SSL_CTX_free(ctx_);
            throw std::runtime_error(certificate + ": cannot load the certificate: " + why);
        }
        if (SSL_CTX_use_PrivateKey_file(ctx_, key.c_str(), SSL_FILETYPE_PEM) != 1 || SSL_CTX_check_private_key(ctx_) != 1) {
            const std::string why = openssl_error();
            SSL_CTX_free(ctx_);
            throw std::runtime_error(key + ": cannot load the key, or it does not match " + certificate + ": " + why);
        }
    }
    if (!ca.empty() && server) {
        if (STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(ca.c_str())) SSL_CTX_set_client_CA_list(ctx_, names);
    }
    // Ask for the peer's certificate (SASL EXTERNAL rests on it), refuse none.
    SSL_CTX_set_verify(ctx_, server ? SSL_VERIFY_PEER : SSL_VERIFY_NONE, server ? accept_any : nullptr);
}

TlsContext::~TlsContext() { SSL_CTX_free(ctx_); }

}  // namespace bidilab::probe
