// Browser sessions, CSRF tokens and abuse limits of the workspace pages.
// No HTTP library here: the pages pass header values and get header values.
//
// - A session cookie holds a random secret (RandomToken); the store keeps its
//   SHA-256 (Store::CreateWebSession), its user, its CSRF token (a second
//   random secret, the synchronizer token every form of the session carries)
//   and its expiry (kSessionHours after sign-in). The cookie is HttpOnly,
//   SameSite=Lax, Path=/, and Secure when served behind TLS.
// - Forms shown before signing in (the public request form, the sign-in
//   form) carry a FormTokens token: an HMAC of its purpose and issue time
//   under a key drawn at start, valid kFormTokenHours.
// - Sign-in failures: an account is locked kLockMinutes after
//   kMaxFailedSignIns consecutive failures (User::failed_attempts and
//   locked_until in the store); every failure is answered after a delay
//   that grows with the failures of the address (SignInThrottle).
// - RateLimiter: at most N events per window and key (the public form, per
//   address).
//
// Thread safety: FormTokens, SignInThrottle and RateLimiter are thread-safe;
// the free functions are reentrant.
#ifndef AMIABLE_WEB_SESSION_H_
#define AMIABLE_WEB_SESSION_H_

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "store/store.h"

namespace amiable::web {

inline constexpr std::string_view kSessionCookie = "amiable_session";
inline constexpr int kSessionHours = 10;
inline constexpr int kFormTokenHours = 12;
inline constexpr int kMaxFailedSignIns = 5;
inline constexpr int kLockMinutes = 15;

// 32 random bytes, URL-safe base64 without padding (43 characters).
std::string RandomToken();

// The value of cookie `name` in a Cookie header ("" when absent).
std::string CookieValue(std::string_view cookie_header, std::string_view name);

// The Set-Cookie value of the session cookie; an empty value expires it.
std::string SessionSetCookie(std::string_view value, bool secure);

// "2025-01-07T10:11:12Z" for the UTC time `seconds` after now (may be < 0).
std::string IsoUtcFromNow(int64_t seconds);

// Whether an account is locked at `now_iso` (User::locked_until later).
bool IsLocked(const User& u, std::string_view now_iso);
// Counts a failed sign-in on `u` (to be saved by the caller); locks it for
// kLockMinutes at the kMaxFailedSignIns-th consecutive failure.
void CountFailedSignIn(User& u);
// Clears the failure count after a successful sign-in.
void ClearFailedSignIns(User& u);

class FormTokens {
 public:
  FormTokens();  // draws a random key
  std::string Issue(std::string_view purpose) const;
  bool Verify(std::string_view token, std::string_view purpose) const;
  // For tests: issue as if now were `unix_seconds`.
  std::string IssueAt(std::string_view purpose, int64_t unix_seconds) const;
  bool VerifyAt(std::string_view token, std::string_view purpose, int64_t unix_seconds) const;

 private:
  unsigned char key_[32];
};

// Failures per address in a sliding quarter of an hour: the delay before
// answering a failed sign-in grows with them (0.5 s, 1 s, 2 s... at most 5 s).
class SignInThrottle {
 public:
  // The delay to apply to this failure, after counting it.
  std::chrono::milliseconds Failure(const std::string& address);
  void Success(const std::string& address);

 private:
  std::mutex mu_;
  std::map<std::string, std::deque<std::chrono::steady_clock::time_point>> failures_;
};

class RateLimiter {
 public:
  // max_events <= 0: no limit.
  RateLimiter(int max_events, std::chrono::seconds window)
      : max_(max_events), window_(window) {}
  // Counts an event for `key` when allowed; false when over the limit.
  bool Allow(const std::string& key);
  bool AllowAt(const std::string& key, std::chrono::steady_clock::time_point now);

 private:
  int max_;
  std::chrono::seconds window_;
  std::mutex mu_;
  std::map<std::string, std::deque<std::chrono::steady_clock::time_point>> events_;
};

}  // namespace amiable::web

#endif  // AMIABLE_WEB_SESSION_H_
