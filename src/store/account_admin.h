// Role: the lifecycle of accounts and API tokens (issue 9, part 4): the
// administration's reads (tokens, last sign-ins) and writes (password,
// disable/enable, email, token revocation).
//
// Contracts:
// - These calls check no rule: who may change which account is decided once
//   by service/accounts_service.h; `actor` names who acts in the audit log.
// - Every write runs in one transaction with its audit row (audit_log:
//   "user.password", "user.disable", "user.enable", "user.email",
//   "token.revoke"); on any error nothing is written.
// - Disabling ends the account's browser sessions in the same transaction
//   (web_sessions rows deleted); a disabled account's tokens and sessions are
//   refused by UserForTokenHash and GetWebSession from then on. A new
//   password ends every session of the account except `keep_session`.
// - A revoked token is refused by UserForTokenHash at once; revocation is
//   kept (revoked_at), never undone.
// - Unknown user or token: kNotFound (store.user_unknown,
//   store.token_unknown).
// The defaults are kInternal "not supported", so that a fake may skip them.
#ifndef AMIABLE_STORE_ACCOUNT_ADMIN_H_
#define AMIABLE_STORE_ACCOUNT_ADMIN_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "store/actor.h"

namespace amiable {

// An API token as the administration sees it (never its hash).
struct ApiTokenInfo {
  int64_t id = 0;
  std::string user;  // the account's name
  std::string label;
  std::string created_at;    // ISO 8601 UTC
  std::string last_used_at;  // ISO 8601 UTC to the minute; "" when never used (migration 19)
  std::string revoked_at;    // ISO 8601 UTC; "" while in force
};

class AccountAdmin {
 public:
  virtual ~AccountAdmin() = default;

  // The tokens of `user` (every account's when empty), by id.
  virtual Result<std::vector<ApiTokenInfo>> ListApiTokens(std::string_view user);
  // kNotFound (store.token_unknown) for an unknown id.
  virtual Result<ApiTokenInfo> GetApiToken(int64_t id);
  // Marks the token revoked; kConflict (store.token_revoked) when it already is.
  virtual Status RevokeApiToken(const Actor& actor, int64_t id);

  // Stores the (already hashed) password and clears the failure counter and
  // lock; ends the account's sessions except the one hashed `keep_session`.
  virtual Status SetUserPassword(const Actor& actor, std::string_view user,
                                 std::string_view password_hash, std::string_view keep_session);
  // Disables (ending every session) or enables the account.
  virtual Status SetUserDisabled(const Actor& actor, std::string_view user, bool disabled);
  virtual Status SetUserEmail(const Actor& actor, std::string_view user, std::string_view email);

  // The last sign-in of each account that signed in since migration 19
  // (name -> ISO 8601 UTC; recorded when a browser session is created).
  virtual Result<std::map<std::string, std::string>> LastSignIns();
};

}  // namespace amiable

#endif  // AMIABLE_STORE_ACCOUNT_ADMIN_H_
