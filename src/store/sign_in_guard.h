// Role: the sign-in guard (migration 14): counters of failed sign-ins, the
// idle time of browser sessions, and the second factor (TOTP) of accounts.
//
// Counters (table sign_in_attempts) are fixed windows keyed by a string the
// caller builds ("a|ADDRESS", "u|NAME|ADDRESS", "n|NAME", "c|NAME"); each
// carries the account name it is about (lower case, "" for per-address
// counters) so that `user unlock` clears them. CountAttempt adds one and
// returns the new count in ONE statement (INSERT ... ON CONFLICT DO UPDATE
// ... RETURNING), so that concurrent sign-ins each see a distinct count:
// with a limit of N, at most N of a burst see a count <= N.
//
// Time values are ISO 8601 UTC strings ("2026-12-02T03:00:00Z"), compared as
// strings; the caller gives now and the end of a new window.
//
// Thread safety: as Store (one object per thread).
#ifndef AMIABLE_STORE_SIGN_IN_GUARD_H_
#define AMIABLE_STORE_SIGN_IN_GUARD_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace amiable {

struct AttemptCount {
  int64_t count = 0;       // events in the current window, this one included
  std::string window_end;  // when the window ends (the counter restarts)
  std::string notified_at; // window_end of the window already notified, or ""
};

// What TouchWebSession found.
struct SessionSeen {
  bool alive = false;               // false: unknown, or idle longer than allowed
  bool needs_second_factor = false; // sent to enrolment until done
};

// The TOTP second factor of an account. The secret (base32) is never shown
// again once confirmed.
struct SecondFactor {
  std::string user_name;
  std::string secret_base32;
  bool confirmed = false;
  int64_t last_step = -1;  // the last accepted time step (replay refused)
  std::string created_at;
};

class SignInGuard {
 public:
  virtual ~SignInGuard() = default;

  // ---- Counters ----
  // Adds one to `key`: a missing counter, or one whose window ended at or
  // before `now`, restarts at 1 with window_end `new_window_end`.
  virtual Result<AttemptCount> CountAttempt(std::string_view key, std::string_view user_name,
                                            std::string_view now,
                                            std::string_view new_window_end);
  // The count of `key` in its current window (0 when none or ended).
  virtual Result<AttemptCount> PeekAttempts(std::string_view key, std::string_view now);
  // Takes one back (a reserved attempt that turned out a success), never < 0.
  virtual Status ReleaseAttempt(std::string_view key);
  virtual Status ForgetAttempts(std::string_view key);
  // True once per window of `key`: marks it notified (the owner's mail).
  virtual Result<bool> MarkNotified(std::string_view key);
  // Removes every counter about account `user_name` (case-insensitive);
  // returns how many. `user unlock`.
  virtual Result<int64_t> ClearAttemptsOfUser(std::string_view user_name);
  // Removes the counters whose window ended before `now`.
  virtual Status PruneAttempts(std::string_view now);

  // ---- Session idle time (web_sessions.last_seen) ----
  // alive=false when the session is unknown or was last seen before
  // `idle_cutoff` (then it is deleted). Else writes last_seen = now when it
  // was last seen before `touch_before` (at most one write a minute).
  virtual Result<SessionSeen> TouchWebSession(std::string_view id_hash, std::string_view now,
                                              std::string_view idle_cutoff,
                                              std::string_view touch_before);
  virtual Status SetSessionNeedsSecondFactor(std::string_view id_hash, bool needs);

  // ---- Second factor ----
  virtual Result<std::optional<SecondFactor>> GetSecondFactor(std::string_view user_name);
  // Replaces an unconfirmed secret (kConflict when a confirmed one exists).
  virtual Status SavePendingSecondFactor(std::string_view user_name, std::string_view secret,
                                         std::string_view now);
  // Confirms the pending secret at `step` and replaces the recovery codes
  // by `recovery_hashes` (SHA-256 hex), in one transaction.
  virtual Status ConfirmSecondFactor(std::string_view user_name, int64_t step,
                                     const std::vector<std::string>& recovery_hashes,
                                     std::string_view now);
  // Accepts `step` when it is later than the last accepted one (atomic):
  // false for a replayed or older step.
  virtual Result<bool> UseTotpStep(std::string_view user_name, int64_t step);
  // Marks an unused recovery code used; false when none matches.
  virtual Result<bool> UseRecoveryCode(std::string_view user_name, std::string_view code_hash,
                                       std::string_view now);
  virtual Result<int64_t> RecoveryCodesLeft(std::string_view user_name);
  virtual Status DeleteSecondFactor(std::string_view user_name);
};

}  // namespace amiable

#endif  // AMIABLE_STORE_SIGN_IN_GUARD_H_
