#include "web/password_policy.h"

#include <pwquality.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <string>

#include "core/messages.h"
#include "web/auth.h"

namespace amiable::web {
namespace {

size_t CodePoints(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

Error Refuse(std::string_view key) { return msg::Invalid(key, "password"); }

struct SettingsDeleter {
  void operator()(pwquality_settings_t* p) const { pwquality_free_settings(p); }
};

}  // namespace

Status CheckPasswordPolicy(std::string_view password, std::string_view user_name) {
  if (CodePoints(password) < kPolicyMinPasswordLength) {
    return Fail(msg::Invalid("password.too_short", "password",
                             {std::to_string(kPolicyMinPasswordLength)}));
  }
  if (password.size() > kMaxPasswordLength) {
    return Fail(
        msg::Invalid("password.too_long", "password", {std::to_string(kMaxPasswordLength)}));
  }
  if (password.find('\0') != std::string_view::npos) return Fail(Refuse("password.weak"));
  if (user_name.size() >= 3 && Lower(password).find(Lower(user_name)) != std::string::npos) {
    return Fail(Refuse("password.user_name"));
  }
  // The library's defaults, not /etc/security/pwquality.conf: the same
  // policy on every machine. Length is ours (code points, no credits).
  std::unique_ptr<pwquality_settings_t, SettingsDeleter> pwq(pwquality_default_settings());
  if (!pwq) return Fail(msg::Make(Error::Code::kInternal, "auth.hash_failed"));
  pwquality_set_int_value(pwq.get(), PWQ_SETTING_MIN_LENGTH, 6);
  pwquality_set_int_value(pwq.get(), PWQ_SETTING_DICT_CHECK, 1);
  pwquality_set_int_value(pwq.get(), PWQ_SETTING_USER_CHECK, 1);
  pwquality_set_int_value(pwq.get(), PWQ_SETTING_MAX_SEQUENCE, 4);
  pwquality_set_int_value(pwq.get(), PWQ_SETTING_MAX_REPEAT, 3);
  const std::string pw(password);
  const std::string user(user_name);
  void* aux = nullptr;
  const int r = pwquality_check(pwq.get(), pw.c_str(), nullptr, user.empty() ? nullptr : user.c_str(),
                                &aux);
  if (r >= 0) {
    // cracklib lets a dictionary word with a few digits or signs around it
    // through ("password1234"): check the word without them too.
    size_t b = 0, e = pw.size();
    while (b < e && !std::isalpha(static_cast<unsigned char>(pw[b]))) ++b;
    while (e > b && !std::isalpha(static_cast<unsigned char>(pw[e - 1]))) --e;
    if (b == 0 && e == pw.size()) return {};
    const std::string core = Lower(std::string_view(pw).substr(b, e - b));
    if (core.size() < 4) return {};
    void* aux2 = nullptr;
    pwquality_set_int_value(pwq.get(), PWQ_SETTING_MIN_LENGTH, 1);
    const int r2 = pwquality_check(pwq.get(), core.c_str(), nullptr, nullptr, &aux2);
    if (r2 == PWQ_ERROR_CRACKLIB_CHECK && aux2 &&
        std::string_view(static_cast<const char*>(aux2)).find("dictionary") !=
            std::string_view::npos) {
      return Fail(Refuse("password.dictionary"));
    }
    return {};
  }
  switch (r) {
    case PWQ_ERROR_CRACKLIB_CHECK: {
      // aux is cracklib's reason (English): a word, or a pattern.
      const std::string why = aux ? static_cast<const char*>(aux) : "";
      return Fail(Refuse(why.find("dictionary") != std::string::npos ? "password.dictionary"
                                                                     : "password.too_simple"));
    }
    case PWQ_ERROR_BAD_WORDS:
      return Fail(Refuse("password.dictionary"));
    case PWQ_ERROR_USER_CHECK:
    case PWQ_ERROR_GECOS_CHECK:
      return Fail(Refuse("password.user_name"));
    case PWQ_ERROR_PALINDROME:
      return Fail(Refuse("password.palindrome"));
    case PWQ_ERROR_MIN_CLASSES:
    case PWQ_ERROR_MAX_CONSECUTIVE:
    case PWQ_ERROR_MAX_SEQUENCE:
    case PWQ_ERROR_MAX_CLASS_REPEAT:
    case PWQ_ERROR_CASE_CHANGES_ONLY:
    case PWQ_ERROR_ROTATED:
    case PWQ_ERROR_TOO_SIMILAR:
      return Fail(Refuse("password.too_simple"));
    case PWQ_ERROR_MIN_LENGTH:
      return Fail(msg::Invalid("password.too_short", "password",
                               {std::to_string(kPolicyMinPasswordLength)}));
    default:
      return Fail(Refuse("password.weak"));
  }
}

}  // namespace amiable::web
