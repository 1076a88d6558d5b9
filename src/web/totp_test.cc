// TOTP against the test vectors of RFC 6238 (appendix B, SHA-1, 8 digits),
// the ±1 step window, the QR code and the recovery codes.
#include "web/totp.h"

#include <gtest/gtest.h>

#include <set>

namespace amiable::web {
namespace {

TEST(Totp, Rfc6238Vectors) {
  const std::string key = "12345678901234567890";
  EXPECT_EQ(TotpCodeRaw(key, 59, 8), "94287082");
  EXPECT_EQ(TotpCodeRaw(key, 1111111109, 8), "07081804");
  EXPECT_EQ(TotpCodeRaw(key, 1111111111, 8), "14050471");
  EXPECT_EQ(TotpCodeRaw(key, 1234567890, 8), "89005924");
  EXPECT_EQ(TotpCodeRaw(key, 2000000000, 8), "69279037");
  EXPECT_EQ(TotpCodeRaw(key, 20000000000, 8), "65353130");
  // The same key in base32 (what an app reads), 6 digits at step 1.
  EXPECT_EQ(TotpCode("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", 1, 8), "94287082");
  EXPECT_EQ(TotpCode("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", 1), "287082");
}

TEST(Totp, AcceptsOneStepEitherSideAndNothingElse) {
  const std::string secret = NewTotpSecret();
  EXPECT_EQ(secret.size(), 32u);
  const int64_t now = 1796181300;
  const int64_t step = now / kTotpStepSeconds;
  EXPECT_EQ(MatchTotp(secret, TotpCode(secret, step), now), step);
  EXPECT_EQ(MatchTotp(secret, TotpCode(secret, step - 1), now), step - 1);
  EXPECT_EQ(MatchTotp(secret, TotpCode(secret, step + 1), now), step + 1);
  const std::string two_back = TotpCode(secret, step - 2);
  if (two_back != TotpCode(secret, step - 1) && two_back != TotpCode(secret, step) &&
      two_back != TotpCode(secret, step + 1)) {
    EXPECT_FALSE(MatchTotp(secret, two_back, now));
  }
  EXPECT_FALSE(MatchTotp(secret, "12345", now));
  EXPECT_FALSE(MatchTotp(secret, "abcdef", now));
  EXPECT_FALSE(MatchTotp("not base32!", "123456", now));
}

TEST(Totp, QrCodeAndUri) {
  const std::string uri = OtpauthUri("amiable", "marie dupont", "JBSWY3DPEHPK3PXP");
  EXPECT_EQ(uri.rfind("otpauth://totp/amiable:marie%20dupont?secret=JBSWY3DPEHPK3PXP", 0), 0u);
  const std::string svg = QrSvg(uri);
  EXPECT_EQ(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0u);
  EXPECT_NE(svg.find("h1v1h-1z"), std::string::npos);
  EXPECT_EQ(svg.find("<script"), std::string::npos);
}

TEST(Totp, RecoveryCodesAreDistinctAndNormalised) {
  const auto codes = NewRecoveryCodes();
  ASSERT_EQ(codes.size(), size_t{kRecoveryCodes});
  std::set<std::string> hashes;
  for (const std::string& c : codes) {
    EXPECT_EQ(c.size(), 11u);
    EXPECT_EQ(c[5], '-');
    hashes.insert(HashRecoveryCode(c));
  }
  EXPECT_EQ(hashes.size(), codes.size());
  std::string shouted = codes[0];
  for (char& ch : shouted) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  EXPECT_EQ(HashRecoveryCode(shouted), HashRecoveryCode(codes[0]));
  EXPECT_EQ(HashRecoveryCode(codes[0].substr(0, 5) + " " + codes[0].substr(6)),
            HashRecoveryCode(codes[0]));
  EXPECT_EQ(HashRecoveryCode("short"), "");
}

}  // namespace
}  // namespace amiable::web
