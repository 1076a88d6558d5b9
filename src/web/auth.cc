#include "web/auth.h"

#include <sodium.h>

#include <cctype>
#include <cstdlib>
#include <atomic>
#include <semaphore>

#include "core/messages.h"

namespace amiable::web {
namespace {

void EnsureSodium() {
  static const bool ok = [] { return sodium_init() >= 0; }();
  if (!ok) std::abort();  // no secure randomness: refuse to run
}

std::counting_semaphore<kMaxConcurrentPasswordHashes>& HashSlots() {
  static std::counting_semaphore<kMaxConcurrentPasswordHashes> slots(kMaxConcurrentPasswordHashes);
  return slots;
}

// Holds one of the password-hash slots for its lifetime.
class HashSlot {
 public:
  HashSlot() { HashSlots().acquire(); }
  ~HashSlot() { HashSlots().release(); }
  HashSlot(const HashSlot&) = delete;
  HashSlot& operator=(const HashSlot&) = delete;
};

}  // namespace

std::string NewTokenSecret() {
  EnsureSodium();
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  char b64[sodium_base64_ENCODED_LEN(sizeof bytes, kVariant)];
  sodium_bin2base64(b64, sizeof b64, bytes, sizeof bytes, kVariant);
  sodium_memzero(bytes, sizeof bytes);
  return std::string(kTokenPrefix) + b64;
}

std::string HashToken(std::string_view secret) {
  EnsureSodium();
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

std::string BearerToken(std::string_view h) {
  constexpr std::string_view kScheme = "bearer";
  if (h.size() <= kScheme.size()) return {};
  for (size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(h[i])) != kScheme[i]) return {};
  }
  size_t i = kScheme.size();
  if (h[i] != ' ') return {};
  while (i < h.size() && h[i] == ' ') ++i;
  std::string_view token = h.substr(i);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  for (char c : token) {
    if (c <= ' ' || c == 0x7f) return {};
  }
  return std::string(token);
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

Result<std::string> HashPassword(std::string_view password) {
  EnsureSodium();
  if (password.size() < kMinPasswordLength) {
    return Fail(
        msg::Invalid("auth.password_too_short", "password", {std::to_string(kMinPasswordLength)}));
  }
  if (password.size() > kMaxPasswordLength) {
    return Fail(
        msg::Invalid("auth.password_too_long", "password", {std::to_string(kMaxPasswordLength)}));
  }
  char out[crypto_pwhash_STRBYTES];
  HashSlot slot;
  if (crypto_pwhash_str_alg(out, password.data(), password.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Fail(msg::Make(Error::Code::kInternal, "auth.hash_failed"));
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view encoded_hash, std::string_view password) {
  EnsureSodium();
  if (encoded_hash.empty() || encoded_hash.size() >= crypto_pwhash_STRBYTES) return false;
  if (password.size() > kMaxPasswordLength) return false;
  std::string hash(encoded_hash);  // NUL-terminated copy for libsodium
  HashSlot slot;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

}  // namespace amiable::web

namespace amiable::web {

std::optional<bool> TryVerifyPassword(std::string_view encoded_hash, std::string_view password) {
  static std::atomic<int> waiting{0};
  if (waiting.fetch_add(1) >= kMaxConcurrentPasswordHashes + kMaxQueuedPasswordChecks) {
    waiting.fetch_sub(1);
    return std::nullopt;
  }
  const bool ok = VerifyPassword(encoded_hash, password);
  waiting.fetch_sub(1);
  return ok;
}

}  // namespace amiable::web
