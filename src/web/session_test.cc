#include "web/session.h"

#include <gtest/gtest.h>

namespace amiable::web {
namespace {

TEST(Session, CookiesAreParsedAndSetSafely) {
  EXPECT_EQ(CookieValue("a=1; amiable_session=xyz; b=2", "amiable_session"), "xyz");
  EXPECT_EQ(CookieValue("amiable_session_x=1", "amiable_session"), "");
  EXPECT_EQ(CookieValue("", "amiable_session"), "");
  const std::string c = SessionSetCookie("abc", false);
  EXPECT_NE(c.find("HttpOnly"), std::string::npos);
  EXPECT_NE(c.find("SameSite=Lax"), std::string::npos);
  EXPECT_EQ(c.find("Secure"), std::string::npos);
  EXPECT_NE(SessionSetCookie("abc", true).find("; Secure"), std::string::npos);
  EXPECT_NE(SessionSetCookie("", false).find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(RandomToken().size(), 43u);
  EXPECT_NE(RandomToken(), RandomToken());
}

TEST(Session, FormTokensAreBoundToPurposeAndTime) {
  FormTokens t;
  const std::string tok = t.IssueAt("demande", 1000000);
  EXPECT_TRUE(t.VerifyAt(tok, "demande", 1000100));
  EXPECT_FALSE(t.VerifyAt(tok, "connexion", 1000100));
  EXPECT_FALSE(t.VerifyAt(tok, "demande", 1000000 + kFormTokenHours * 3600 + 1));
  EXPECT_FALSE(t.VerifyAt("1000000.AAAA", "demande", 1000100));
  EXPECT_FALSE(t.VerifyAt("", "demande", 1000100));
  FormTokens other;
  EXPECT_FALSE(other.VerifyAt(tok, "demande", 1000100));
}

TEST(Session, AccountsLockAfterRepeatedFailures) {
  User u;
  for (int i = 0; i < kMaxFailedSignIns - 1; ++i) CountFailedSignIn(u);
  EXPECT_FALSE(IsLocked(u, IsoUtcFromNow(0)));
  CountFailedSignIn(u);
  EXPECT_TRUE(IsLocked(u, IsoUtcFromNow(0)));
  EXPECT_FALSE(IsLocked(u, IsoUtcFromNow(kLockMinutes * 60 + 5)));
  ClearFailedSignIns(u);
  EXPECT_FALSE(IsLocked(u, IsoUtcFromNow(0)));
}

TEST(Session, ThrottleAndRateLimit) {
  SignInThrottle th;
  auto d1 = th.Failure("1.2.3.4");
  auto d2 = th.Failure("1.2.3.4");
  EXPECT_LT(d1, d2);
  for (int i = 0; i < 10; ++i) th.Failure("1.2.3.4");
  EXPECT_LE(th.Failure("1.2.3.4"), std::chrono::milliseconds(5000));
  RateLimiter rl(2, std::chrono::seconds(60));
  auto now = std::chrono::steady_clock::now();
  EXPECT_TRUE(rl.AllowAt("a", now));
  EXPECT_TRUE(rl.AllowAt("a", now));
  EXPECT_FALSE(rl.AllowAt("a", now));
  EXPECT_TRUE(rl.AllowAt("b", now));
  EXPECT_TRUE(rl.AllowAt("a", now + std::chrono::seconds(61)));
}

}  // namespace
}  // namespace amiable::web
