// probe/tcp.hpp — the TCP the probe speaks: a connected socket (connect
// with a deadline, non-blocking reads and whole writes, and TLS on it once
// STARTTLS says so: RFC 6120 §5.4.3.3) and a listener. File descriptors and
// TLS sessions are owned (closed by the destructor); every failure is a
// std::runtime_error whose message names the address and the reason.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "probe/address.hpp"
#include "probe/tls_context.hpp"

struct ssl_st;

namespace bidilab::probe {

class TcpSocket {
public:
    TcpSocket() = default;
    explicit TcpSocket(int fd, std::string peer) : fd_(fd), peer_(std::move(peer)) {}
    ~TcpSocket() { close(); }
    TcpSocket(TcpSocket&& o) noexcept : fd_(o.fd_), peer_(std::move(o.peer_)), ssl_(o.ssl_) {
        o.fd_ = -1;
        o.ssl_ = nullptr;
    }
    TcpSocket& operator=(TcpSocket&& o) noexcept;
    TcpSocket(const TcpSocket&) = delete;
    TcpSocket& operator=(const TcpSocket&) = delete;

    // Connects to `to` within `timeout`; throws on refusal or timeout.
    static TcpSocket connect(const Endpoint& to, std::chrono::milliseconds timeout);

    int fd() const { return fd_; }
    bool open() const { return fd_ >= 0; }
    const std::string& peer() const { return peer_; }  // "127.0.0.2:5269"
    std::string local() const;                          // this end's address

    // What can be read now (the socket is non-blocking): false at the end of
    // the stream or on an error (the socket is then closed), else true with
    // `out` holding what came (possibly nothing).
    bool read_available(std::string& out);
    // Writes all of `data` (waiting at most `timeout` for room); false when
    // the peer is gone or it did not fit in time.
    bool write_all(const std::string& data, std::chrono::milliseconds timeout);
    void close();

    // The TLS handshake on this connection, as client (with `sni`, the
    // peer's domain) or server as `ctx` says, within `timeout`; throws with
    // OpenSSL's reason. From then on reads and writes are through TLS.
    void start_tls(const TlsContext& ctx, const std::string& sni, std::chrono::milliseconds timeout);
    bool tls() const { return ssl_ != nullptr; }
    // Bytes TLS has decrypted and not handed out yet (poll() cannot see them).
    bool pending() const;

private:
    int fd_ = -1;
    std::string peer_;
    ssl_st* ssl_ = nullptr;
};

class TcpListener {
public:
    // Listens on `at`; throws when the address cannot be bound.
    explicit TcpListener(const Endpoint& at);
    ~TcpListener();
    TcpListener(const TcpListener&) = delete;
    TcpListener& operator=(const TcpListener&) = delete;

    int fd() const { return fd_; }
    const Endpoint& at() const { return at_; }
    // The address it listens on (the port the system chose when `at` gave 0).
    Endpoint bound() const;
    // A connection waiting to be accepted, else an unopened socket.
    TcpSocket accept();

private:
    int fd_ = -1;
    Endpoint at_;
};

}  // namespace bidilab::probe
