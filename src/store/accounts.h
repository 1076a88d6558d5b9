// Role: user accounts, API tokens and browser sessions.
#ifndef AMIABLE_STORE_ACCOUNTS_H_
#define AMIABLE_STORE_ACCOUNTS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "store/actor.h"

namespace amiable {

struct User {
  int64_t id = 0;
  std::string name;
  std::string display_name;
  std::string password_hash;  // argon2id encoded string (libsodium)
  Role role = Role::kMediator;
  bool all_funds = false;
  std::vector<std::string> organismes;
  int failed_attempts = 0;
  std::string locked_until;  // ISO timestamp, empty when not locked
  bool disabled = false;
  std::string email;        // where the account's owner is told (may be empty)
  std::string sso_subject;  // OpenID Connect `sub` of an SSO account, else empty

  Actor ToActor() const;
};

// A signed-in browser session. The cookie carries a random secret; only its
// SHA-256 (hex) is stored, so a copy of the database cannot be replayed.
struct WebSession {
  std::string id_hash;     // SHA-256 hex of the cookie secret
  std::string user;        // user name
  std::string csrf_token;  // synchronizer token of the session's forms
  std::string created_at;  // ISO 8601 UTC
  std::string expires_at;  // ISO 8601 UTC; the session is gone after it
};

class Accounts {
 public:
  virtual ~Accounts() = default;

  // Users and API tokens (tokens are stored as SHA-256 hex of the secret).
  // CreateUser: kInvalid without a name, kConflict on a taken name.
  virtual Result<int64_t> CreateUser(const User& u) = 0;
  // kNotFound for an unknown name.
  virtual Result<User> GetUser(std::string_view name) = 0;
  virtual Status UpdateUser(const User& u) = 0;
  // kNotFound for an unknown user.
  virtual Status CreateApiToken(std::string_view user, std::string_view token_hash,
                                std::string_view label) = 0;
  // kUnauthorized when no token has this hash or its user is disabled.
  virtual Result<User> UserForTokenHash(std::string_view token_hash) = 0;

  // Every account, by name (password hashes included: callers must not show
  // them). Default: kInternal "not supported" (as the session calls).
  virtual Result<std::vector<User>> ListUsers();

  // Sessions. GetWebSession is kNotFound for an unknown or expired one
  // (`now` is an ISO UTC timestamp compared with expires_at).
  virtual Status CreateWebSession(const WebSession& s);
  virtual Result<WebSession> GetWebSession(std::string_view id_hash, std::string_view now);
  virtual Status DeleteWebSession(std::string_view id_hash);
};

}  // namespace amiable

#endif  // AMIABLE_STORE_ACCOUNTS_H_
