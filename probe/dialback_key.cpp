#include "probe/dialback_key.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <stdexcept>

namespace bidilab::probe {

namespace {
std::string hex(const unsigned char* p, std::size_t n) {
    static const char* const digits = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < n; ++i) out += {digits[p[i] >> 4], digits[p[i] & 15]};
    return out;
}
}  // namespace

std::string dialback_key(const std::string& secret, const std::string& receiving, const std::string& originating,
                         const std::string& stream_id) {
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(secret.data()), secret.size(), digest);
    // XEP-0185 §2 (and XEP-0220's example): the key of the HMAC is the hex of SHA256(secret).
    const std::string key = hex(digest, sizeof digest);
    const std::string text = receiving + " " + originating + " " + stream_id;
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(text.data()),
              text.size(), mac, &len))
        throw std::runtime_error("HMAC-SHA256 failed");
    return hex(mac, len);
}

}  // namespace bidilab::probe
