#include "web/session.h"

#include <sodium.h>

#include <algorithm>
#include <cctype>
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

std::string PreSessionSetCookie(std::string_view value, bool secure) {
  std::string c = std::string(kPreSessionCookie) + "=" + std::string(value) +
                  "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" +
                  std::to_string(kFormTokenHours * 3600);
  if (secure) c += "; Secure";
  return c;
}

int64_t UnixNow() {
  return static_cast<int64_t>(SessionClock().Now().time_since_epoch().count());
}

std::string IsoUtc(int64_t unix_seconds) {
  return IsoTimestamp(Instant(std::chrono::seconds(unix_seconds)));
}

int64_t UnixOfIsoUtc(std::string_view iso) {
  // YYYY-MM-DDTHH:MM:SSZ
  if (iso.size() != 20 || iso[4] != '-' || iso[7] != '-' || iso[10] != 'T' || iso[13] != ':' ||
      iso[16] != ':' || iso[19] != 'Z') {
    return 0;
  }
  auto num = [&](size_t at, size_t n) {
    int v = 0;
    for (size_t i = at; i < at + n; ++i) {
      if (iso[i] < '0' || iso[i] > '9') return -1;
      v = v * 10 + (iso[i] - '0');
    }
    return v;
  };
  const int y = num(0, 4), mo = num(5, 2), d = num(8, 2), h = num(11, 2), mi = num(14, 2),
            se = num(17, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || mi < 0 || se < 0) return 0;
  const std::chrono::sys_days days = std::chrono::year(y) / std::chrono::month(mo) /
                                     std::chrono::day(d);
  return days.time_since_epoch().count() * 86400LL + h * 3600LL + mi * 60LL + se;
}

namespace {
int64_t RetryAfter(const AttemptCount& c, int64_t now) {
  return std::max<int64_t>(1, UnixOfIsoUtc(c.window_end) - now);
}
std::string LowerName(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}
}  // namespace

Result<SignInReservation> ReserveSignIn(SignInGuard& guard, const SignInLimits& limits,
                                        std::string_view name, std::string_view address,
                                        bool account_has_second_factor, int64_t now) {
  SignInReservation r;
  const std::string user = LowerName(name);
  r.address_key = "a|" + std::string(address);
  r.pair_key = "u|" + user + "|" + std::string(address);
  const std::string now_iso = IsoUtc(now), end_iso = IsoUtc(now + limits.window_seconds);
  // Reads first: an address or pair already over its limit is refused
  // without a write (a flood costs reads, not commits). The writes below
  // decide for the attempts that pass, atomically.
  auto seen_a = guard.PeekAttempts(r.address_key, now_iso);
  if (!seen_a) return Fail(seen_a.error());
  if (seen_a->count >= limits.per_address) {
    r.retry_after = RetryAfter(*seen_a, now);
    return r;
  }
  auto a = guard.CountAttempt(r.address_key, "", now_iso, end_iso);
  if (!a) return Fail(a.error());
  if (a->count > limits.per_address) {
    r.retry_after = RetryAfter(*a, now);
    return r;
  }
  int pair_limit = limits.per_account_address;
  if (!account_has_second_factor) {
    auto acct = guard.PeekAttempts("n|" + user, now_iso);
    if (!acct) return Fail(acct.error());
    // Under attack from several addresses: one check per address that has
    // not failed yet (the owner's), none more for those that have.
    if (acct->count >= limits.account_alert) pair_limit = 1;
  }
  auto seen_p = guard.PeekAttempts(r.pair_key, now_iso);
  if (!seen_p) return Fail(seen_p.error());
  if (seen_p->count >= pair_limit) {
    r.retry_after = RetryAfter(*seen_p, now);
    return r;
  }
  auto p = guard.CountAttempt(r.pair_key, user, now_iso, end_iso);
  if (!p) return Fail(p.error());
  if (p->count > pair_limit) {
    r.retry_after = RetryAfter(*p, now);
    return r;
  }
  r.allowed = true;
  return r;
}

Result<bool> RecordSignInFailure(SignInGuard& guard, const SignInLimits& limits,
                                 std::string_view name, int64_t now, int64_t* count) {
  const std::string user = LowerName(name);
  const std::string key = "n|" + user;
  auto n = guard.CountAttempt(key, user, IsoUtc(now), IsoUtc(now + limits.window_seconds));
  if (!n) return Fail(n.error());
  if (count) *count = n->count;
  if (n->count < limits.account_alert) return false;
  return guard.MarkNotified(key);
}

Status RecordSignInSuccess(SignInGuard& guard, const SignInReservation& r) {
  if (auto s = guard.ForgetAttempts(r.pair_key); !s) return s;
  return guard.ReleaseAttempt(r.address_key);
}

Result<SignInReservation> ReserveCodeCheck(SignInGuard& guard, const SignInLimits& limits,
                                           std::string_view name, std::string_view address,
                                           int64_t now) {
  SignInReservation r;
  const std::string user = LowerName(name);
  r.pair_key = "c|" + user + "|" + std::string(address);
  auto p = guard.CountAttempt(r.pair_key, user, IsoUtc(now), IsoUtc(now + limits.window_seconds));
  if (!p) return Fail(p.error());
  if (p->count > limits.codes_per_account_address) {
    r.retry_after = RetryAfter(*p, now);
    return r;
  }
  r.allowed = true;
  return r;
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

bool FormTokens::VerifyFresh(std::string_view token, std::string_view purpose,
                             int64_t max_age_seconds) const {
  const int64_t now = UnixNow();
  if (!VerifyAt(token, purpose, now)) return false;
  int64_t issued = 0;
  for (char c : token.substr(0, token.find('.'))) issued = issued * 10 + (c - '0');
  return now - issued <= max_age_seconds;
}

bool FormTokens::Verify(std::string_view token, std::string_view purpose) const {
  return VerifyAt(token, purpose,
                  static_cast<int64_t>(SessionClock().Now().time_since_epoch().count()));
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
