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
// - Sign-in limits (SignInLimits, ReserveSignIn): failed attempts are
//   counted in the database (store/sign_in_guard.h), atomically, in fixed
//   windows of 15 minutes, per (account name, address) and per address,
//   unknown names included. The attempt is reserved BEFORE the password is
//   checked: of a burst, at most the limit is checked, the rest is refused
//   at once with a retry delay (no sleep in a worker thread). Past
//   account_alert failures on one account (across addresses) the owner is
//   told by mail once per window, and for an account without a second
//   factor, an address that already failed on it gets no further check in
//   the window; an address without failures (the owner's) still signs in.
//   Nothing locks an account as such (`user unlock` clears the counters).
// - Sessions last kSessionHours at most, and end after the idle time of
//   `serve --session-idle-minutes` (default kDefaultIdleMinutes; last_seen
//   written at most once a minute).
// - Sign-in is protected from login CSRF: GET /connexion sets a pre-session
//   cookie (kPreSessionCookie, random); the form's token is a FormTokens
//   token for the purpose "connexion|<that cookie>".
// - RateLimiter: at most N events per window and key (the public form, per
//   address).
//
// Thread safety: FormTokens and RateLimiter are thread-safe;
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
inline constexpr std::string_view kPreSessionCookie = "amiable_presignin";
inline constexpr int kSessionHours = 8;
inline constexpr int kDefaultIdleMinutes = 30;
inline constexpr int kFormTokenHours = 12;

// 32 random bytes, URL-safe base64 without padding (43 characters).
std::string RandomToken();

// The value of cookie `name` in a Cookie header ("" when absent).
std::string CookieValue(std::string_view cookie_header, std::string_view name);

// The Set-Cookie value of the session cookie; an empty value expires it.
std::string SessionSetCookie(std::string_view value, bool secure);

// "2025-01-07T10:11:12Z" for the UTC time `seconds` after now (may be < 0).
std::string IsoUtcFromNow(int64_t seconds);

// The Set-Cookie value of the pre-session cookie (login CSRF), 12 hours.
std::string PreSessionSetCookie(std::string_view value, bool secure);

// Whether an account is locked at `now_iso` (User::locked_until later). The
// sign-in no longer sets locked_until (see ReserveSignIn): kept for the
// accounts that a former version locked.
bool IsLocked(const User& u, std::string_view now_iso);
// "2026-12-02T03:00:00Z" of a Unix time, and the Unix time of one (0 when
// it is not of that form).
std::string IsoUtc(int64_t unix_seconds);
int64_t UnixOfIsoUtc(std::string_view iso);
int64_t UnixNow();

// ---- Sign-in limits (see above) ----

struct SignInLimits {
  int per_account_address = 5;  // checks per (account, address) and window
  int per_address = 20;         // checks per address and window, any names
  int account_alert = 10;       // failures per account, all addresses: mail + strict
  int codes_per_account_address = 5;  // second-factor codes per (account, address)
  int window_seconds = 900;
};

struct SignInReservation {
  bool allowed = false;
  int64_t retry_after = 0;  // seconds, when refused
  std::string address_key;  // "a|ADDRESS"
  std::string pair_key;     // "u|name|ADDRESS"
};

// Reserves one check of `name`'s password from `address` (before it is
// verified). `account_has_second_factor`: the stricter rule past
// account_alert does not apply (the code is asked anyway).
Result<SignInReservation> ReserveSignIn(SignInGuard& guard, const SignInLimits& limits,
                                        std::string_view name, std::string_view address,
                                        bool account_has_second_factor, int64_t now);
// After a wrong password (or unknown name): counts the failure on the
// account; true when its owner is to be told now (once per window, from
// account_alert failures on). *count receives the account's failures.
Result<bool> RecordSignInFailure(SignInGuard& guard, const SignInLimits& limits,
                                 std::string_view name, int64_t now, int64_t* count);
// After the right password: the reservation was no failure.
Status RecordSignInSuccess(SignInGuard& guard, const SignInReservation& r);
// Reserves one second-factor code check ("c|name|ADDRESS").
Result<SignInReservation> ReserveCodeCheck(SignInGuard& guard, const SignInLimits& limits,
                                           std::string_view name, std::string_view address,
                                           int64_t now);

class FormTokens {
 public:
  FormTokens();  // draws a random key
  std::string Issue(std::string_view purpose) const;
  bool Verify(std::string_view token, std::string_view purpose) const;
  // Verify, and issued at most `max_age_seconds` ago.
  bool VerifyFresh(std::string_view token, std::string_view purpose, int64_t max_age_seconds) const;
  // For tests: issue as if now were `unix_seconds`.
  std::string IssueAt(std::string_view purpose, int64_t unix_seconds) const;
  bool VerifyAt(std::string_view token, std::string_view purpose, int64_t unix_seconds) const;

 private:
  unsigned char key_[32];
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
