#include "web/auth.h"

#include <gtest/gtest.h>

#include <set>

namespace amiable::web {
namespace {

TEST(AuthTest, TokenHashIsSha256Hex) {
  // SHA-256("abc"), FIPS 180-2 test vector.
  EXPECT_EQ(HashToken("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(HashToken("").size(), 64u);
}

TEST(AuthTest, SecretsAreRandomAndPrefixed) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    std::string s = NewTokenSecret();
    EXPECT_TRUE(s.starts_with(kTokenPrefix)) << s;
    EXPECT_EQ(s.size(), kTokenPrefix.size() + 43) << s;
    EXPECT_EQ(
        s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_", 4),
        std::string::npos);
    seen.insert(s);
  }
  EXPECT_EQ(seen.size(), 100u);
}

TEST(AuthTest, BearerHeader) {
  EXPECT_EQ(BearerToken("Bearer amb_xyz"), "amb_xyz");
  EXPECT_EQ(BearerToken("bearer   amb_xyz  "), "amb_xyz");
  EXPECT_EQ(BearerToken("BEARER amb_xyz"), "amb_xyz");
  EXPECT_EQ(BearerToken("Basic dXNlcjpwYXNz"), "");
  EXPECT_EQ(BearerToken("Bearer"), "");
  EXPECT_EQ(BearerToken("Bearer "), "");
  EXPECT_EQ(BearerToken("Beareramb_xyz"), "");
  EXPECT_EQ(BearerToken("Bearer a b"), "");
  EXPECT_EQ(BearerToken(""), "");
}

TEST(AuthTest, ConstantTimeEquals) {
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
  EXPECT_TRUE(ConstantTimeEquals("", ""));
}

TEST(AuthTest, PasswordRoundTrip) {
  auto hash = HashPassword("correct horse battery");
  ASSERT_TRUE(hash) << hash.error().message;
  EXPECT_TRUE(hash->starts_with("$argon2id$")) << *hash;
  EXPECT_TRUE(VerifyPassword(*hash, "correct horse battery"));
  EXPECT_FALSE(VerifyPassword(*hash, "correct horse batterY"));
  EXPECT_FALSE(VerifyPassword("", "correct horse battery"));
  EXPECT_FALSE(VerifyPassword("$argon2id$garbage", "correct horse battery"));
}

TEST(AuthTest, ShortPasswordRefused) {
  auto hash = HashPassword("short");
  ASSERT_FALSE(hash);
  EXPECT_EQ(hash.error().code, Error::Code::kInvalid);
  EXPECT_EQ(hash.error().field, "password");
  EXPECT_EQ(hash.error().message_id, "auth.password_too_short");
  EXPECT_EQ(hash.error().message, "Mot de passe trop court : 12 caractères au moins.");
}

}  // namespace
}  // namespace amiable::web
