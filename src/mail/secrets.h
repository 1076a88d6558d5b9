// The password of a mailbox or relay, read when a client is built: the
// settings store only where it is (mail_settings.h), never the password.
#ifndef AMIABLE_MAIL_SECRETS_H_
#define AMIABLE_MAIL_SECRETS_H_

#include <string>
#include <string_view>

#include "core/error.h"

namespace amiable::mail {

// From `password_file` when not empty (its first line, without surrounding
// spaces; a file readable by group or others is read, with a warning on
// stderr), else from the environment variable `password_env`. kInvalid with
// a French message (secrets.*) when neither is given, the file cannot be
// read or is empty, or the variable is unset or empty. The messages never
// hold the password.
Result<std::string> ReadSecret(std::string_view password_file, std::string_view password_env);

}  // namespace amiable::mail

#endif  // AMIABLE_MAIL_SECRETS_H_
