// The lifecycle of accounts (issue 9, part 4): the list the administration
// reads, passwords, disabling and enabling, email addresses, API tokens and
// their revocation. The rules are checked here once; the command line (as a
// system actor: every right), the administration page and the « Mon compte »
// page (/compte) are adapters.
//
// Who may do what:
// - A system actor (Caller::Cli) administers every account.
// - An administrator administers the accounts of the funds it sees: all of
//   them when it sees every fund; else the accounts restricted to funds that
//   are all among its own (never an all-funds account). Other accounts are
//   as unknown to it as accounts that do not exist (kNotFound
//   store.user_unknown / store.token_unknown).
// - Any other caller: kForbidden (role.admin_required) on these, except on
//   her own account: ChangeOwnPassword, her own tokens (list, revoke).
// - Nobody disables her own account (kInvalid accounts.disable_self).
// - An SSO account (User::sso_subject) has no local password: SetPassword
//   and ChangeOwnPassword are kInvalid accounts.sso_password.
//
// Passwords: the adapters give the hashing and checking functions
// (web/new_password.h: the one place where the password rules apply), since
// web/auth.h sits above this layer. A new password ends the account's other
// sessions; disabling ends them all and the account's tokens stop working at
// once (store/account_admin.h). Every change is audited by the store, named
// after the caller.
//
// Thread safety: one object per request (it holds a Store reference).
#ifndef AMIABLE_SERVICE_ACCOUNTS_SERVICE_H_
#define AMIABLE_SERVICE_ACCOUNTS_SERVICE_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "service/caller.h"
#include "store/store.h"

namespace amiable::service {

struct Passwords {
  // The encoded hash of a new password of account `user` once it passes the
  // password rules; kInvalid (field "password") when refused.
  std::function<Result<std::string>(std::string_view password, std::string_view user)> hash_new;
  // True when `password` matches `encoded_hash`.
  std::function<bool(std::string_view encoded_hash, std::string_view password)> verify;
};

// An account as the administration lists it.
struct AccountView {
  User user;                    // password_hash always empty
  std::string last_sign_in_at;  // ISO 8601 UTC, "" when unknown
  bool sso() const { return !user.sso_subject.empty(); }
};

// kInvalid accounts.email_invalid (field "email") unless `email` is empty or
// looks like one address (local@domain, no space, at most 254 bytes).
Status CheckEmail(std::string_view email);

class AccountsService {
 public:
  AccountsService(Store& store, Passwords passwords)
      : store_(store), passwords_(std::move(passwords)) {}

  // The accounts the caller administers, by name.
  Result<std::vector<AccountView>> ListAccounts(const Caller& caller);
  // One account: the caller's own, or one it administers.
  Result<AccountView> GetAccount(const Caller& caller, std::string_view name);

  // An administrator sets a new password (the account's sessions end).
  Status SetPassword(const Caller& caller, std::string_view name, std::string_view password);
  // A signed-in user changes her own password: kInvalid
  // accounts.current_password (field "current_password") when `current` is
  // wrong. Her sessions but `keep_session` (the id hash of the one she uses)
  // end.
  Status ChangeOwnPassword(const Caller& caller, std::string_view current,
                           std::string_view password, std::string_view keep_session);
  Status Disable(const Caller& caller, std::string_view name);
  Status Enable(const Caller& caller, std::string_view name);
  Status SetEmail(const Caller& caller, std::string_view name, std::string_view email);

  // The tokens of `user` (the caller's own, or an account it administers),
  // or, `user` empty, of every account it administers (a non-administrator:
  // her own).
  Result<std::vector<ApiTokenInfo>> ListTokens(const Caller& caller, std::string_view user);
  // Revokes a token of an account the caller administers, or her own.
  Status RevokeToken(const Caller& caller, int64_t id);

  // Whether `caller` administers `target` (the rules above; not oneself as
  // such: an administrator administers her own account when it is of her
  // funds).
  static bool Administers(const Caller& caller, const User& target);

 private:
  // The account `name` when the caller administers it, else kNotFound
  // (or kForbidden for a caller who administers nothing).
  Result<User> Administered(const Caller& caller, std::string_view name);

  Store& store_;
  Passwords passwords_;
};

}  // namespace amiable::service

#endif  // AMIABLE_SERVICE_ACCOUNTS_SERVICE_H_
