#include "probe/tcp.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace bidilab::probe {

namespace {
sockaddr_in address_of(const Endpoint& e) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(e.port);
    if (inet_pton(AF_INET, e.host.c_str(), &a.sin_addr) != 1)
        throw std::runtime_error(e.text() + ": not an IPv4 address");
    return a;
}

std::string text_of(const sockaddr_in& a) {
    char host[INET_ADDRSTRLEN] = {0};
    inet_ntop(AF_INET, &a.sin_addr, host, sizeof host);
    return std::string(host) + ":" + std::to_string(ntohs(a.sin_port));
}

void non_blocking(int fd) { fcntl(fd, F_SETFL, fcntl(fd, F_GETFL, 0) | O_NONBLOCK); }
}  // namespace

TcpSocket& TcpSocket::operator=(TcpSocket&& o) noexcept {
    if (this != &o) {
        close();
        fd_ = o.fd_;
        peer_ = std::move(o.peer_);
        ssl_ = o.ssl_;
        o.fd_ = -1;
        o.ssl_ = nullptr;
    }
    return *this;
}

TcpSocket TcpSocket::connect(const Endpoint& to, std::chrono::milliseconds timeout) {
    const sockaddr_in a = address_of(to);
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) throw std::runtime_error(to.text() + ": socket: " + std::strerror(errno));
    TcpSocket s(fd, to.text());
    non_blocking(fd);
    const int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0) {
        if (errno != EINPROGRESS) throw std::runtime_error(to.text() + ": connect: " + std::strerror(errno));
        pollfd p{fd, POLLOUT, 0};
        const int n = ::poll(&p, 1, static_cast<int>(timeout.count()));
        if (n == 0) throw std::runtime_error(to.text() + ": connect: no answer within " + std::to_string(timeout.count()) + " ms");
        int err = 0;
        socklen_t len = sizeof err;
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
        if (n < 0 || err != 0) throw std::runtime_error(to.text() + ": connect: " + std::strerror(n < 0 ? errno : err));
    }
    return s;
}

std::string TcpSocket::local() const {
    sockaddr_in a{};
    socklen_t len = sizeof a;
    if (fd_ < 0 || getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len) != 0) return "?";
    return text_of(a);
}

bool TcpSocket::read_available(std::string& out) {
    out.clear();
    if (fd_ < 0) return false;
    char buf[16384];
    for (;;) {
        ssize_t n;
        if (ssl_) {
            const int r = SSL_read(ssl_, buf, sizeof buf);
            if (r <= 0) {
                const int e = SSL_get_error(ssl_, r);
                if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) return true;
                close();  // close_notify, the peer gone, or a TLS error
                return !out.empty();
            }
            n = r;
        } else {
            n = ::recv(fd_, buf, sizeof buf, 0);
        }
        if (n > 0) {
            out.append(buf, static_cast<std::size_t>(n));
            if (out.size() >= (std::size_t{1} << 20)) return true;  // bounded: the rest at the next call
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;
        if (n < 0 && errno == EINTR) continue;
        close();  // 0: the peer closed; < 0: an error
        return !out.empty();
    }
}

bool TcpSocket::write_all(const std::string& data, std::chrono::milliseconds timeout) {
    std::size_t done = 0;
    while (done < data.size()) {
        if (fd_ < 0) return false;
        short wait_for = POLLOUT;
        if (ssl_) {
            const int r = SSL_write(ssl_, data.data() + done, static_cast<int>(data.size() - done));
            if (r > 0) {
                done += static_cast<std::size_t>(r);
                continue;
            }
            const int e = SSL_get_error(ssl_, r);
            if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) {
                close();
                return false;
            }
            wait_for = e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT;
        } else {
            const ssize_t n = ::send(fd_, data.data() + done, data.size() - done, MSG_NOSIGNAL);
            if (n > 0) {
                done += static_cast<std::size_t>(n);
                continue;
            }
            if (n < 0 && errno == EINTR) continue;
            if (!(n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))) {
                close();
                return false;
            }
        }
        pollfd p{fd_, wait_for, 0};
        if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return false;
    }
    return true;
}

void TcpSocket::start_tls(const TlsContext& ctx, const std::string& sni, std::chrono::milliseconds timeout) {
    if (fd_ < 0) throw std::runtime_error(peer_ + ": TLS: the connection is gone");
    ssl_ = SSL_new(ctx.get());
    if (!ssl_ || SSL_set_fd(ssl_, fd_) != 1) throw std::runtime_error(peer_ + ": TLS: cannot start a session");
    if (ctx.server()) {
        SSL_set_accept_state(ssl_);
    } else {
        SSL_set_connect_state(ssl_);
        if (!sni.empty()) SSL_set_tlsext_host_name(ssl_, sni.c_str());
    }
    const auto end = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        const int r = SSL_do_handshake(ssl_);
        if (r == 1) return;
        const int e = SSL_get_error(ssl_, r);
        if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) {
            char buf[256] = {0};
            ERR_error_string_n(ERR_get_error(), buf, sizeof buf);
            throw std::runtime_error(peer_ + ": TLS handshake failed: " + (buf[0] ? buf : "the peer closed it"));
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now());
        pollfd p{fd_, static_cast<short>(e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT), 0};
        if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0)
            throw std::runtime_error(peer_ + ": TLS handshake: no progress within " + std::to_string(timeout.count()) + " ms");
    }
}

bool TcpSocket::pending() const { return ssl_ && SSL_pending(ssl_) > 0; }

void TcpSocket::close() {
    if (ssl_) {
        SSL_free(ssl_);  // no close_notify: the stream's own close says goodbye (CORE-19)
        ssl_ = nullptr;
    }
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
}

TcpListener::TcpListener(const Endpoint& at) : at_(at) {
    const sockaddr_in a = address_of(at);
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) throw std::runtime_error(at.text() + ": socket: " + std::strerror(errno));
    const int one = 1;
    setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(fd_, reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0 || ::listen(fd_, 16) != 0) {
        const std::string why = std::strerror(errno);
        ::close(fd_);
        fd_ = -1;
        throw std::runtime_error(at.text() + ": cannot listen: " + why);
    }
    non_blocking(fd_);
}

Endpoint TcpListener::bound() const {
    sockaddr_in a{};
    socklen_t len = sizeof a;
    Endpoint e = at_;
    if (getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len) == 0) e.port = ntohs(a.sin_port);
    return e;
}

TcpListener::~TcpListener() {
    if (fd_ >= 0) ::close(fd_);
}

TcpSocket TcpListener::accept() {
    sockaddr_in a{};
    socklen_t len = sizeof a;
    const int fd = ::accept4(fd_, reinterpret_cast<sockaddr*>(&a), &len, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (fd < 0) return TcpSocket();
    const int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return TcpSocket(fd, text_of(a));
}

}  // namespace bidilab::probe
