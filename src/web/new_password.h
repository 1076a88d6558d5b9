// The one place where a new account password is checked and hashed (the
// command line, the administration page and /compte all come here through
// service::AccountsService).
#ifndef AMIABLE_WEB_NEW_PASSWORD_H_
#define AMIABLE_WEB_NEW_PASSWORD_H_

#include <string>
#include <string_view>

#include "core/error.h"
#include "service/accounts_service.h"

namespace amiable::web {

// The argon2id hash of `password` for account `user_name` once it passes the
// password rules; kInvalid (field "password") with the reason otherwise.
Result<std::string> HashNewPassword(std::string_view password, std::string_view user_name);

// HashNewPassword and VerifyPassword, for the account service.
service::Passwords AccountPasswords();

}  // namespace amiable::web

#endif  // AMIABLE_WEB_NEW_PASSWORD_H_
