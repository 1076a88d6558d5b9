// The one password policy of every path that sets a password: the command
// line (`user add`, `user passwd`), the administration page, a user's own
// password change. HashPassword (web/auth.h) does not check it: callers call
// CheckPasswordPolicy first, then HashPassword.
//
// A password is accepted when it has at least kMinPasswordLength (12)
// characters (UTF-8 code points), at most kMaxPasswordLength bytes, and
// libpwquality (with the cracklib dictionary of Debian's cracklib-runtime)
// finds nothing against it: not a dictionary word, not the user name, not a
// simple pattern (palindrome, sequence, too few distinct characters).
//
// Refusals are kInvalid on field "password" with a French message of the
// catalogue (keys "password.*", one per reason).
//
// Thread safety: thread-safe (a libpwquality settings object per call).
#ifndef AMIABLE_WEB_PASSWORD_POLICY_H_
#define AMIABLE_WEB_PASSWORD_POLICY_H_

#include <cstddef>
#include <string_view>

#include "core/error.h"

namespace amiable::web {

inline constexpr size_t kPolicyMinPasswordLength = 12;

// OK, or kInvalid (field "password") with the reason's French message.
Status CheckPasswordPolicy(std::string_view password, std::string_view user_name);

}  // namespace amiable::web

#endif  // AMIABLE_WEB_PASSWORD_POLICY_H_
