// The password policy (web/password_policy.h): length in characters,
// libpwquality with the cracklib dictionary, the account's name; a French
// message of the catalogue for each refusal.
#include "web/password_policy.h"

#include <gtest/gtest.h>

#include "core/messages.h"

namespace amiable::web {
namespace {

std::string Key(const Status& s) { return s ? "" : s.error().message_id; }

TEST(PasswordPolicy, AcceptsLongUnrelatedPassphrases) {
  EXPECT_TRUE(CheckPasswordPolicy("une phrase de passe assez longue", "marie"));
  EXPECT_TRUE(CheckPasswordPolicy("Vélo-Orange-Tamis-42", "marie"));
}

TEST(PasswordPolicy, RefusesEachReasonWithItsMessage) {
  EXPECT_EQ(Key(CheckPasswordPolicy("Court-1!", "marie")), "password.too_short");
  // 11 characters of which 2 are two bytes: code points, not bytes.
  EXPECT_EQ(Key(CheckPasswordPolicy("éléphant-9x", "marie")), "password.too_short");
  EXPECT_EQ(Key(CheckPasswordPolicy(std::string(2000, 'x'), "marie")), "password.too_long");
  EXPECT_EQ(Key(CheckPasswordPolicy("marie-dupont-2026", "marie")), "password.user_name");
  EXPECT_EQ(Key(CheckPasswordPolicy("abcdefghijklmnop", "marie")), "password.too_simple");
  EXPECT_EQ(Key(CheckPasswordPolicy("aaaaaaaaaaaaaaaa", "marie")), "password.palindrome");
  EXPECT_EQ(Key(CheckPasswordPolicy("ab12ab12ab12ab12x", "marie")), "password.too_simple");
  // A dictionary word, alone or with digits and signs around it.
  EXPECT_EQ(Key(CheckPasswordPolicy("password1234", "marie")), "password.dictionary");
  EXPECT_EQ(Key(CheckPasswordPolicy("2024sunshine!!", "marie")), "password.dictionary");
  EXPECT_EQ(Key(CheckPasswordPolicy("establishments", "marie")), "password.dictionary");
  for (const char* k : {"password.too_short", "password.too_long", "password.dictionary",
                        "password.user_name", "password.too_simple", "password.palindrome",
                        "password.weak"}) {
    EXPECT_NE(msg::Find(k), nullptr) << k;
  }
  const Status s = CheckPasswordPolicy("Court-1!", "marie");
  EXPECT_EQ(s.error().code, Error::Code::kInvalid);
  EXPECT_EQ(s.error().field, "password");
  EXPECT_NE(s.error().message.find("12"), std::string::npos);
}

}  // namespace
}  // namespace amiable::web
