#include "web/new_password.h"

#include "web/auth.h"

namespace amiable::web {

Result<std::string> HashNewPassword(std::string_view password, std::string_view user_name) {
  // LEAD: the password policy of `signin` (web/password_policy.h,
  // CheckPasswordPolicy(password, user_name): >= 12 characters, libpwquality)
  // goes here, the single call site for every new password:
  //   if (auto s = CheckPasswordPolicy(password, user_name); !s) return Fail(s.error());
  (void)user_name;
  return HashPassword(password);
}

service::Passwords AccountPasswords() {
  return {&HashNewPassword, [](std::string_view hash, std::string_view password) {
            return VerifyPassword(hash, password);
          }};
}

}  // namespace amiable::web
