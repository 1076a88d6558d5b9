#include "web/session.h"

#include <sodium.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <ctime>

#include "calendar/clock.h"
#include "web/auth.h"

namespace amiable::web {
namespace {

// Sessions and form tokens live in real time, even when `serve --today`
// shifts the server's day: a session of 8 hours lasts 8 hours.
const Clock& SessionClock() { return SystemClock(); }

void EnsureSodium() {
  static const bool ok = [] { return sodium_init() >= 0; }();
  if (!ok) std::abort();
}

std::string Base64Url(const unsigned char* bytes, size_t n) {
  constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_ENCODED_LEN(n, kVariant), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes, n, kVariant);
  out.resize(std::strlen(out.c_str()));
  return out;
}

void Prune(std::deque<std::chrono::steady_clock::time_point>& q,
           std::chrono::steady_clock::time_point limit) {
  while (!q.empty() && q.front() < limit) q.pop_front();
}

}  // namespace

std::string RandomToken() {
  EnsureSodium();
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  return Base64Url(bytes, sizeof bytes);
}

std::string CookieValue(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    size_t semi = header.find(';');
    std::string_view part = header.substr(0, semi);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    size_t eq = part.find('=');
    if (eq != std::string_view::npos && part.substr(0, eq) == name) {
      return std::string(part.substr(eq + 1));
    }
    if (semi == std::string_view::npos) break;
    header.remove_prefix(semi + 1);
  }
  return {};
}

std::string SessionSetCookie(std::string_view value, bool secure) {
  std::string c = std::string(kSessionCookie) + "=" + std::string(value) +
                  "; Path=/; HttpOnly; SameSite=Lax";
  if (value.empty()) {
    c += "; Max-Age=0";
  } else {
    c += "; Max-Age=" + std::to_string(kSessionHours * 3600);
  }
  if (secure) c += "; Secure";
  return c;
}

std::string IsoUtcFromNow(int64_t seconds) {
  return IsoTimestamp(SessionClock().Now() + std::chrono::seconds(seconds));
}

bool IsLocked(const User& u, std::string_view now_iso) {
  return !u.locked_until.empty() && std::string_view(u.locked_until) > now_iso;
}

void CountFailedSignIn(User& u) {
  ++u.failed_attempts;
  if (u.failed_attempts >= kMaxFailedSignIns) {
    u.locked_until = IsoUtcFromNow(kLockMinutes * 60);
    u.failed_attempts = 0;
  }
}

void ClearFailedSignIns(User& u) {
  u.failed_attempts = 0;
  u.locked_until.clear();
}

FormTokens::FormTokens() {
  EnsureSodium();
  randombytes_buf(key_, sizeof key_);
}

std::string FormTokens::IssueAt(std::string_view purpose, int64_t now) const {
  const std::string payload = std::string(purpose) + "|" + std::to_string(now);
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256(mac, reinterpret_cast<const unsigned char*>(payload.data()),
                         payload.size(), key_);
  return std::to_string(now) + "." + Base64Url(mac, sizeof mac);
}

bool FormTokens::VerifyAt(std::string_view token, std::string_view purpose, int64_t now) const {
  const size_t dot = token.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot > 12) return false;
  int64_t issued = 0;
  for (char c : token.substr(0, dot)) {
    if (c < '0' || c > '9') return false;
    issued = issued * 10 + (c - '0');
  }
  if (issued > now + 60 || now - issued > int64_t{kFormTokenHours} * 3600) return false;
  return ConstantTimeEquals(IssueAt(purpose, issued), token);
}

std::string FormTokens::Issue(std::string_view purpose) const {
  return IssueAt(purpose, static_cast<int64_t>(SessionClock().Now().time_since_epoch().count()));
}

bool FormTokens::Verify(std::string_view token, std::string_view purpose) const {
  return VerifyAt(token, purpose,
                  static_cast<int64_t>(SessionClock().Now().time_since_epoch().count()));
}

std::chrono::milliseconds SignInThrottle::Failure(const std::string& address) {
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard<std::mutex> lock(mu_);
  if (failures_.size() > 100000) failures_.clear();  // bounded memory under attack
  auto& q = failures_[address];
  Prune(q, now - std::chrono::minutes(15));
  q.push_back(now);
  const size_t n = q.size();
  int64_t ms = 250;
  for (size_t i = 1; i < n && ms < 5000; ++i) ms *= 2;
  return std::chrono::milliseconds(std::min<int64_t>(ms, 5000));
}

void SignInThrottle::Success(const std::string& address) {
  std::lock_guard<std::mutex> lock(mu_);
  failures_.erase(address);
}

bool RateLimiter::AllowAt(const std::string& key, std::chrono::steady_clock::time_point now) {
  if (max_ <= 0) return true;
  std::lock_guard<std::mutex> lock(mu_);
  if (events_.size() > 100000) events_.clear();
  auto& q = events_[key];
  Prune(q, now - window_);
  if (static_cast<int>(q.size()) >= max_) return false;
  q.push_back(now);
  return true;
}

bool RateLimiter::Allow(const std::string& key) {
  return AllowAt(key, std::chrono::steady_clock::now());
}

}  // namespace amiable::web
