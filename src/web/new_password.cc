#include "web/new_password.h"

#include "web/auth.h"
#include "web/password_policy.h"

namespace amiable::web {

Result<std::string> HashNewPassword(std::string_view password, std::string_view user_name) {
  // The one call site of the password policy for every new password
  // (>= 12 characters, libpwquality and the cracklib dictionary).
  if (auto s = CheckPasswordPolicy(password, user_name); !s) return Fail(s.error());
  return HashPassword(password);
}

service::Passwords AccountPasswords() {
  return {&HashNewPassword, [](std::string_view hash, std::string_view password) {
            return VerifyPassword(hash, password);
          }};
}

}  // namespace amiable::web
