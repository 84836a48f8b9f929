// probe/tls_context.hpp — OpenSSL for the played servers: one context per
// played server and role (client: it dialled and read <proceed/>; server: it
// wrote <proceed/>), with that server's certificate and key when it has one
// (CORE-32, SASL-2: the peer learns its names from it). The peer's
// certificate is requested but never refused here: whether it is trusted,
// and for which names, is the model's to say from the topology (TlsDone),
// as `check` and `validate` take it.
#pragma once

#include <string>

struct ssl_ctx_st;

namespace bidilab::probe {

class TlsContext {
public:
    // Throws std::runtime_error naming the file when the certificate or key
    // cannot be loaded or do not match. Empty paths: no certificate.
    TlsContext(bool server, const std::string& certificate, const std::string& key, const std::string& ca);
    ~TlsContext();
    TlsContext(const TlsContext&) = delete;
    TlsContext& operator=(const TlsContext&) = delete;

    ssl_ctx_st* get() const { return ctx_; }
    bool server() const { return server_; }

private:
    ssl_ctx_st* ctx_ = nullptr;
    bool server_ = false;
};

}  // namespace bidilab::probe
