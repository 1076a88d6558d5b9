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

TEST(Session, IsoUtcRoundTrips) {
  EXPECT_EQ(IsoUtc(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(UnixOfIsoUtc("2026-12-02T03:15:00Z"), 1796181300);
  EXPECT_EQ(IsoUtc(1796181300), "2026-12-02T03:15:00Z");
  EXPECT_EQ(UnixOfIsoUtc("nonsense"), 0);
  const std::string pre = PreSessionSetCookie("abc", true);
  EXPECT_NE(pre.find("amiable_presignin=abc"), std::string::npos);
  EXPECT_NE(pre.find("HttpOnly"), std::string::npos);
  EXPECT_NE(pre.find("; Secure"), std::string::npos);
}

TEST(Session, FreshTokensExpire) {
  FormTokens t;
  const std::string tok = t.Issue("code|alice|x");
  EXPECT_TRUE(t.VerifyFresh(tok, "code|alice|x", 300));
  EXPECT_FALSE(t.VerifyFresh(tok, "code|bob|x", 300));
  const std::string old = t.IssueAt("code|alice|x", UnixNow() - 301);
  EXPECT_TRUE(t.Verify(old, "code|alice|x"));
  EXPECT_FALSE(t.VerifyFresh(old, "code|alice|x", 300));
}

TEST(Session, RateLimit) {
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
