#include "web/oidc.h"

#include <gtest/gtest.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <map>
#include <nlohmann/json.hpp>

namespace amiable::web::oidc {
namespace {

using Json = nlohmann::json;

std::string B64(const std::string& s) {
  const char* a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (unsigned char c : s) {
    acc = (acc << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += a[(acc >> bits) & 63];
    }
  }
  if (bits > 0) out += a[(acc << (6 - bits)) & 63];
  return out;
}

std::string Bn(EVP_PKEY* k, const char* name) {
  BIGNUM* bn = nullptr;
  EVP_PKEY_get_bn_param(k, name, &bn);
  std::string out(BN_num_bytes(bn), '\0');
  BN_bn2bin(bn, reinterpret_cast<unsigned char*>(out.data()));
  BN_free(bn);
  return out;
}

// A provider's key: signs tokens, publishes its JWKS.
class Key {
 public:
  explicit Key(std::string kid) : kid_(std::move(kid)) { key_ = EVP_RSA_gen(2048); }
  ~Key() { EVP_PKEY_free(key_); }
  Json Jwk() const {
    return {{"kty", "RSA"}, {"use", "sig"}, {"alg", "RS256"}, {"kid", kid_},
            {"n", B64(Bn(key_, OSSL_PKEY_PARAM_RSA_N))}, {"e", B64(Bn(key_, OSSL_PKEY_PARAM_RSA_E))}};
  }
  std::string Sign(const Json& header, const Json& payload) const {
    const std::string input = B64(header.dump()) + "." + B64(payload.dump());
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    size_t len = 0;
    EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key_);
    EVP_DigestSign(ctx, nullptr, &len, reinterpret_cast<const unsigned char*>(input.data()),
                   input.size());
    std::string sig(len, '\0');
    EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len,
                   reinterpret_cast<const unsigned char*>(input.data()), input.size());
    EVP_MD_CTX_free(ctx);
    sig.resize(len);
    return input + "." + B64(sig);
  }
  const std::string& kid() const { return kid_; }

 private:
  std::string kid_;
  EVP_PKEY* key_ = nullptr;
};

constexpr int64_t kNow = 1'800'000'000;
const char* kIss = "https://sso.example.fr";

Json Payload() {
  return {{"iss", kIss},        {"aud", "amiable"},  {"sub", "u-42"},
          {"exp", kNow + 300},  {"iat", kNow - 5},   {"nonce", "n-1"},
          {"preferred_username", "Hélène.Dupont"}, {"groups", {"users", "amiable-med"}},
          {"amiable_funds", "631 751"}};
}

class OidcTokenTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    key_ = new Key("k1");
    other_ = new Key("k1");
  }
  static void TearDownTestSuite() {
    delete key_;
    delete other_;
  }
  std::string Jwks() const { return Json{{"keys", {key_->Jwk()}}}.dump(); }
  std::expected<Claims, std::string> Verify(const std::string& token) const {
    return VerifyIdToken(token, Jwks(), kIss, "amiable", "n-1", kNow);
  }
  Json Header() const { return {{"alg", "RS256"}, {"kid", "k1"}, {"typ", "JWT"}}; }
  static Key* key_;
  static Key* other_;
};
Key* OidcTokenTest::key_ = nullptr;
Key* OidcTokenTest::other_ = nullptr;

TEST_F(OidcTokenTest, AGoodTokenGivesItsClaims) {
  auto c = Verify(key_->Sign(Header(), Payload()));
  ASSERT_TRUE(c) << c.error();
  EXPECT_EQ(c->sub, "u-42");
  EXPECT_EQ(c->preferred_username, "Hélène.Dupont");
  EXPECT_NE(c->payload_json.find("amiable-med"), std::string::npos);
}

TEST_F(OidcTokenTest, EachBrokenPropertyIsRefused) {
  struct Case {
    const char* what;
    std::function<void(Json&, Json&)> edit;
    const char* reason;
  };
  const std::vector<Case> cases = {
      {"other issuer", [](Json&, Json& p) { p["iss"] = "https://evil.example"; }, "iss"},
      {"other audience", [](Json&, Json& p) { p["aud"] = "another-app"; }, "aud"},
      {"several audiences, no azp", [](Json&, Json& p) { p["aud"] = {"amiable", "x"}; }, "azp"},
      {"expired", [](Json&, Json& p) { p["exp"] = kNow - 61; }, "expired"},
      {"no exp", [](Json&, Json& p) { p.erase("exp"); }, "expired"},
      {"future iat", [](Json&, Json& p) { p["iat"] = kNow + 3600; }, "future"},
      {"wrong nonce", [](Json&, Json& p) { p["nonce"] = "replayed"; }, "nonce"},
      {"no nonce", [](Json&, Json& p) { p.erase("nonce"); }, "nonce"},
      {"no sub", [](Json&, Json& p) { p.erase("sub"); }, "sub"},
      {"alg none", [](Json& h, Json&) { h["alg"] = "none"; }, "RS256"},
      {"alg HS256", [](Json& h, Json&) { h["alg"] = "HS256"; }, "RS256"},
      {"unknown kid", [](Json& h, Json&) { h["kid"] = "k9"; }, "unknown kid"},
  };
  for (const auto& c : cases) {
    Json h = Header(), p = Payload();
    c.edit(h, p);
    auto r = Verify(key_->Sign(h, p));
    ASSERT_FALSE(r) << c.what;
    EXPECT_NE(r.error().find(c.reason), std::string::npos) << c.what << ": " << r.error();
  }
  // Several audiences with azp = the client: accepted.
  Json p = Payload();
  p["aud"] = {"amiable", "x"};
  p["azp"] = "amiable";
  EXPECT_TRUE(Verify(key_->Sign(Header(), p)));
}

TEST_F(OidcTokenTest, ASignatureOfAnotherKeyOrAnEditedPayloadIsRefused) {
  auto forged = Verify(other_->Sign(Header(), Payload()));
  ASSERT_FALSE(forged);
  EXPECT_NE(forged.error().find("signature"), std::string::npos);
  // Same signature, payload changed (another sub).
  std::string good = key_->Sign(Header(), Payload());
  Json p = Payload();
  p["sub"] = "admin";
  const size_t d1 = good.find('.'), d2 = good.rfind('.');
  std::string edited = good.substr(0, d1) + "." + B64(p.dump()) + good.substr(d2);
  EXPECT_FALSE(Verify(edited));
  EXPECT_FALSE(Verify("not.a.jwt.at-all"));
  EXPECT_FALSE(Verify("abc"));
}

TEST_F(OidcTokenTest, TheKeyIsChosenByKid) {
  Key second("k2");
  const std::string jwks = Json{{"keys", {key_->Jwk(), second.Jwk()}}}.dump();
  Json h = Header();
  h["kid"] = "k2";
  EXPECT_TRUE(VerifyIdToken(second.Sign(h, Payload()), jwks, kIss, "amiable", "n-1", kNow));
  // No kid and two keys: ambiguous, refused.
  h.erase("kid");
  EXPECT_FALSE(VerifyIdToken(second.Sign(h, Payload()), jwks, kIss, "amiable", "n-1", kNow));
}

Settings MappedSettings() {
  Settings s;
  s.issuer = kIss;
  s.role_claim = "groups";
  s.role_map = *ParseRoleMap("administrator=amiable-admin, manager=amiable-resp,mediator=amiable-med");
  s.funds_claim = "amiable_funds";
  return s;
}

TEST(OidcClaims, TheFirstMappedRoleWinsAndFundsAreSplit) {
  const Settings s = MappedSettings();
  auto m = MapClaims(s, Payload().dump());
  ASSERT_TRUE(m) << m.error();
  EXPECT_EQ(m->role, Role::kMediator);
  EXPECT_EQ(m->funds, (std::vector<std::string>{"631", "751"}));
  EXPECT_FALSE(m->all_funds);
  Json p = Payload();
  p["groups"] = "amiable-med;amiable-admin";  // a string, in any order
  p["amiable_funds"] = {"974", "631", "631"};
  m = MapClaims(s, p.dump());
  ASSERT_TRUE(m);
  EXPECT_EQ(m->role, Role::kAdministrator);
  EXPECT_EQ(m->funds, (std::vector<std::string>{"631", "974"}));
  p["amiable_funds"] = "*";
  EXPECT_TRUE(MapClaims(s, p.dump())->all_funds);
  p["groups"] = {"users"};
  EXPECT_FALSE(MapClaims(s, p.dump()));
  p.erase("groups");
  EXPECT_FALSE(MapClaims(s, p.dump()));
}

TEST(OidcClaims, RoleMapParses) {
  EXPECT_FALSE(ParseRoleMap(""));
  EXPECT_FALSE(ParseRoleMap("boss=x"));
  EXPECT_FALSE(ParseRoleMap("mediator"));
  EXPECT_FALSE(ParseRoleMap("mediator="));
  auto m = ParseRoleMap("partner=ddd, statistics = stats");
  ASSERT_TRUE(m);
  ASSERT_EQ(m->size(), 2u);
  EXPECT_EQ((*m)[0].first, Role::kPartner);
  EXPECT_EQ((*m)[1].second, "stats");
}

TEST(OidcSettings, ReadFromTheEnvironment) {
  std::map<std::string, std::string> env;
  auto get = [&env](const char* k) -> const char* {
    auto it = env.find(k);
    return it == env.end() ? nullptr : it->second.c_str();
  };
  auto off = SettingsFromEnv(get);
  ASSERT_TRUE(off);
  EXPECT_FALSE(off->enabled());
  env["AMIABLE_OIDC_ISSUER"] = kIss;
  EXPECT_FALSE(SettingsFromEnv(get));  // incomplete
  env["AMIABLE_OIDC_CLIENT_ID"] = "amiable";
  env["AMIABLE_OIDC_CLIENT_SECRET"] = "s3cret";
  env["AMIABLE_OIDC_REDIRECT_URI"] = "https://amiable.example.fr/connexion/oidc/retour";
  EXPECT_FALSE(SettingsFromEnv(get));  // no role map
  env["AMIABLE_OIDC_ROLE_MAP"] = "mediator=med";
  env["AMIABLE_OIDC_SECRET_FILE"] = "/nonexistent/secret";
  EXPECT_FALSE(SettingsFromEnv(get));  // the file wins, and is missing
  env.erase("AMIABLE_OIDC_SECRET_FILE");
  env["AMIABLE_OIDC_SCOPES"] = "profile";
  auto s = SettingsFromEnv(get);
  ASSERT_TRUE(s) << s.error();
  EXPECT_TRUE(s->enabled());
  EXPECT_EQ(s->client_secret, "s3cret");
  EXPECT_EQ(s->scopes, "openid profile");
  EXPECT_EQ(s->display_name, "SSO");
}

TEST(OidcUrls, DiscoveryAuthorizationAndTokenRequest) {
  EXPECT_EQ(DiscoveryUrl("https://a.fr/"), "https://a.fr/.well-known/openid-configuration");
  const std::string doc =
      R"({"issuer":"https://a.fr","authorization_endpoint":"https://a.fr/oauth2/authorize",)"
      R"("token_endpoint":"https://a.fr/oauth2/token","jwks_uri":"https://a.fr/oauth2/jwks"})";
  auto p = ParseDiscovery(doc, "https://a.fr");
  ASSERT_TRUE(p) << p.error();
  EXPECT_FALSE(ParseDiscovery(doc, "https://b.fr"));
  EXPECT_FALSE(ParseDiscovery("{", "https://a.fr"));
  EXPECT_FALSE(ParseDiscovery(R"({"issuer":"https://a.fr"})", "https://a.fr"));
  Settings s;
  s.client_id = "amiable";
  s.client_secret = "a&b";
  s.redirect_uri = "https://m.fr/connexion/oidc/retour";
  const std::string u = AuthorizationUrl(*p, s, "st", "no", "ch");
  EXPECT_EQ(u,
            "https://a.fr/oauth2/authorize?response_type=code&client_id=amiable&redirect_uri="
            "https%3A%2F%2Fm.fr%2Fconnexion%2Foidc%2Fretour&scope=openid%20profile%20email&state=st"
            "&nonce=no&code_challenge=ch&code_challenge_method=S256");
  EXPECT_NE(TokenRequestBody(s, "c=1", "v").find("code=c%3D1"), std::string::npos);
  EXPECT_NE(TokenRequestBody(s, "c", "v").find("client_secret=a%26b"), std::string::npos);
  // RFC 7636 appendix B.
  EXPECT_EQ(CodeChallengeS256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  EXPECT_EQ(*IdTokenOf(R"({"id_token":"x.y.z","access_token":"a"})"), "x.y.z");
  EXPECT_FALSE(IdTokenOf(R"({"error":"invalid_grant"})"));
  EXPECT_FALSE(IdTokenOf(R"({"access_token":"a"})"));
}

TEST(OidcAccount, NamesFromPreferredUsernameWithSuffixOnCollision) {
  Claims c;
  c.sub = "u-42";
  c.preferred_username = "Hélène.Dupont";
  auto none = [](const std::string&) { return false; };
  EXPECT_EQ(*AccountName(c, none), "helene.dupont");
  auto taken = [](const std::string& n) { return n == "helene.dupont" || n == "helene.dupont-2"; };
  EXPECT_EQ(*AccountName(c, taken), "helene.dupont-3");
  EXPECT_FALSE(AccountName(c, [](const std::string&) { return true; }));
  c.preferred_username = "";
  const std::string n = *AccountName(c, none);
  EXPECT_EQ(n.rfind("sso-", 0), 0u);
  EXPECT_EQ(n.size(), 16u);
}

TEST(OidcClaims, UserInfoMergesWithoutOverriding) {
  Claims c;
  c.sub = "u-42";
  c.payload_json = R"({"sub":"u-42","groups":["a"]})";
  ASSERT_TRUE(MergeUserInfo(c, R"({"sub":"u-42","groups":["b"],"preferred_username":"x"})"));
  EXPECT_EQ(c.preferred_username, "x");
  EXPECT_NE(c.payload_json.find("\"a\""), std::string::npos);
  EXPECT_EQ(c.payload_json.find("\"b\""), std::string::npos);
  EXPECT_FALSE(MergeUserInfo(c, R"({"sub":"other"})"));
}

}  // namespace
}  // namespace amiable::web::oidc
