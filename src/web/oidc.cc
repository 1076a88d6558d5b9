#include "web/oidc.h"

#include <sodium.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <cctype>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "core/text.h"

namespace amiable::web::oidc {
namespace {

using Json = nlohmann::json;

std::string Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

// base64url (RFC 4648 §5) with libsodium; padding and the standard alphabet
// are tolerated on input, as some providers emit them.
std::optional<std::string> Base64UrlDecode(std::string_view in) {
  while (!in.empty() && in.back() == '=') in.remove_suffix(1);
  std::string out(in.size() * 3 / 4 + 3, '\0');
  for (int variant :
       {sodium_base64_VARIANT_URLSAFE_NO_PADDING, sodium_base64_VARIANT_ORIGINAL_NO_PADDING}) {
    size_t n = 0;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), in.data(),
                          in.size(), nullptr, &n, nullptr, variant) == 0) {
      out.resize(n);
      return out;
    }
  }
  return std::nullopt;
}

std::string Base64UrlEncode(const unsigned char* p, size_t n) {
  constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_ENCODED_LEN(n, kVariant), '\0');
  sodium_bin2base64(out.data(), out.size(), p, n, kVariant);
  out.resize(std::strlen(out.c_str()));
  return out;
}

std::string Sha256(std::string_view s) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(s.data(), s.size(), md, &len, EVP_sha256(), nullptr);
  return std::string(reinterpret_cast<char*>(md), len);
}

struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

// An RSA public key from the JWK's n and e (base64url big-endian).
std::expected<Pkey, std::string> RsaKey(const std::string& n64, const std::string& e64) {
  auto n = Base64UrlDecode(n64);
  auto e = Base64UrlDecode(e64);
  if (!n || !e || n->empty() || e->empty()) return std::unexpected("bad JWK n or e");
  if (n->size() < 256) return std::unexpected("RSA key shorter than 2048 bits");
  BIGNUM* bn = BN_bin2bn(reinterpret_cast<const unsigned char*>(n->data()), n->size(), nullptr);
  BIGNUM* be = BN_bin2bn(reinterpret_cast<const unsigned char*>(e->data()), e->size(), nullptr);
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  OSSL_PARAM* params = nullptr;
  EVP_PKEY_CTX* ctx = nullptr;
  EVP_PKEY* key = nullptr;
  if (bn && be && bld && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn) &&
      OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, be) &&
      (params = OSSL_PARAM_BLD_to_param(bld)) != nullptr &&
      (ctx = EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr)) != nullptr &&
      EVP_PKEY_fromdata_init(ctx) > 0) {
    EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params);
  }
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_free(params);
  OSSL_PARAM_BLD_free(bld);
  BN_free(bn);
  BN_free(be);
  if (!key) return std::unexpected("cannot build the RSA key");
  return Pkey(key);
}

bool VerifyRs256(EVP_PKEY* key, std::string_view signed_part, const std::string& sig) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (!ctx) return false;
  bool ok = EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
            EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                             reinterpret_cast<const unsigned char*>(signed_part.data()),
                             signed_part.size()) == 1;
  EVP_MD_CTX_free(ctx);
  return ok;
}

std::string StringClaim(const Json& j, const char* name) {
  auto it = j.find(name);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The values of a claim: an array of strings, or one string split on
// spaces, commas and semicolons.
std::vector<std::string> Values(const Json& j, const std::string& name) {
  std::vector<std::string> out;
  auto it = j.find(name);
  if (it == j.end()) return out;
  auto split = [&out](const std::string& s) {
    std::string cur;
    for (char c : s) {
      if (c == ' ' || c == ',' || c == ';' || c == '\t') {
        if (!cur.empty()) out.push_back(cur);
        cur.clear();
      } else {
        cur += c;
      }
    }
    if (!cur.empty()) out.push_back(cur);
  };
  if (it->is_string()) split(it->get<std::string>());
  if (it->is_array()) {
    for (const auto& v : *it) {
      if (v.is_string()) split(v.get<std::string>());
    }
  }
  return out;
}

}  // namespace

std::expected<std::vector<std::pair<Role, std::string>>, std::string> ParseRoleMap(
    std::string_view text) {
  std::vector<std::pair<Role, std::string>> out;
  std::string item;
  std::istringstream in{std::string(text)};
  while (std::getline(in, item, ',')) {
    item = Trim(item);
    if (item.empty()) continue;
    const auto eq = item.find('=');
    if (eq == std::string::npos) return std::unexpected("role map item without '=': " + item);
    auto role = RoleFromCode(Trim(item.substr(0, eq)));
    std::string value = Trim(item.substr(eq + 1));
    if (!role) return std::unexpected("unknown role in the role map: " + item.substr(0, eq));
    if (value.empty()) return std::unexpected("empty value in the role map: " + item);
    out.emplace_back(*role, value);
  }
  if (out.empty()) return std::unexpected("empty role map");
  return out;
}

std::expected<Settings, std::string> SettingsFromEnv(const GetEnv& getenv) {
  auto get = [&](const char* k) -> std::string {
    const char* v = getenv(k);
    return v ? Trim(v) : std::string();
  };
  Settings s;
  s.issuer = get("AMIABLE_OIDC_ISSUER");
  if (s.issuer.empty()) return s;
  s.client_id = get("AMIABLE_OIDC_CLIENT_ID");
  s.redirect_uri = get("AMIABLE_OIDC_REDIRECT_URI");
  if (std::string n = get("AMIABLE_OIDC_NAME"); !n.empty()) s.display_name = n;
  if (std::string sc = get("AMIABLE_OIDC_SCOPES"); !sc.empty()) s.scopes = sc;
  if (std::string rc = get("AMIABLE_OIDC_ROLE_CLAIM"); !rc.empty()) s.role_claim = rc;
  s.funds_claim = get("AMIABLE_OIDC_FUNDS_CLAIM");
  if (std::string file = get("AMIABLE_OIDC_SECRET_FILE"); !file.empty()) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return std::unexpected("cannot read AMIABLE_OIDC_SECRET_FILE " + file);
    std::ostringstream ss;
    ss << in.rdbuf();
    s.client_secret = Trim(ss.str());
  } else {
    s.client_secret = get("AMIABLE_OIDC_CLIENT_SECRET");
  }
  if (s.client_id.empty()) return std::unexpected("AMIABLE_OIDC_CLIENT_ID is missing");
  if (s.client_secret.empty()) return std::unexpected("the OIDC client secret is missing");
  if (s.redirect_uri.empty()) return std::unexpected("AMIABLE_OIDC_REDIRECT_URI is missing");
  if (s.scopes.find("openid") == std::string::npos) s.scopes = "openid " + s.scopes;
  auto map = ParseRoleMap(get("AMIABLE_OIDC_ROLE_MAP"));
  if (!map) return std::unexpected("AMIABLE_OIDC_ROLE_MAP: " + map.error());
  s.role_map = std::move(*map);
  return s;
}

std::string DiscoveryUrl(std::string_view issuer) {
  std::string u(issuer);
  while (!u.empty() && u.back() == '/') u.pop_back();
  return u + "/.well-known/openid-configuration";
}

std::expected<Provider, std::string> ParseDiscovery(std::string_view json,
                                                    std::string_view expected_issuer) {
  Json j = Json::parse(json, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::unexpected("discovery is not a JSON object");
  Provider p;
  p.issuer = StringClaim(j, "issuer");
  p.authorization_endpoint = StringClaim(j, "authorization_endpoint");
  p.token_endpoint = StringClaim(j, "token_endpoint");
  p.jwks_uri = StringClaim(j, "jwks_uri");
  p.userinfo_endpoint = StringClaim(j, "userinfo_endpoint");
  if (p.issuer != expected_issuer) {
    return std::unexpected("discovery names issuer '" + p.issuer + "', expected '" +
                           std::string(expected_issuer) + "'");
  }
  if (p.authorization_endpoint.empty() || p.token_endpoint.empty() || p.jwks_uri.empty()) {
    return std::unexpected("discovery lacks an endpoint");
  }
  return p;
}

std::string CodeChallengeS256(std::string_view verifier) {
  const std::string d = Sha256(verifier);
  return Base64UrlEncode(reinterpret_cast<const unsigned char*>(d.data()), d.size());
}

std::string AuthorizationUrl(const Provider& p, const Settings& s, std::string_view state,
                             std::string_view nonce, std::string_view code_challenge) {
  std::string u = p.authorization_endpoint;
  u += u.find('?') == std::string::npos ? '?' : '&';
  u += "response_type=code&client_id=" + PercentEncode(s.client_id) +
       "&redirect_uri=" + PercentEncode(s.redirect_uri) + "&scope=" + PercentEncode(s.scopes) +
       "&state=" + PercentEncode(state) + "&nonce=" + PercentEncode(nonce) +
       "&code_challenge=" + PercentEncode(code_challenge) + "&code_challenge_method=S256";
  return u;
}

std::string TokenRequestBody(const Settings& s, std::string_view code,
                             std::string_view code_verifier) {
  return "grant_type=authorization_code&code=" + PercentEncode(code) +
         "&redirect_uri=" + PercentEncode(s.redirect_uri) + "&client_id=" + PercentEncode(s.client_id) +
         "&client_secret=" + PercentEncode(s.client_secret) +
         "&code_verifier=" + PercentEncode(code_verifier);
}

std::expected<std::string, std::string> IdTokenOf(std::string_view token_response_json) {
  Json j = Json::parse(token_response_json, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::unexpected("token response is not JSON");
  if (j.contains("error")) {
    return std::unexpected("token error: " + StringClaim(j, "error") + " " +
                           StringClaim(j, "error_description"));
  }
  std::string t = StringClaim(j, "id_token");
  if (t.empty()) return std::unexpected("token response without id_token");
  return t;
}

std::expected<Claims, std::string> VerifyIdToken(std::string_view id_token,
                                                 std::string_view jwks_json,
                                                 std::string_view issuer,
                                                 std::string_view client_id,
                                                 std::string_view nonce, int64_t now,
                                                 int64_t leeway_seconds) {
  const size_t d1 = id_token.find('.');
  const size_t d2 = d1 == std::string_view::npos ? d1 : id_token.find('.', d1 + 1);
  if (d2 == std::string_view::npos || id_token.find('.', d2 + 1) != std::string_view::npos) {
    return std::unexpected("ID token is not a compact JWS");
  }
  auto header_raw = Base64UrlDecode(id_token.substr(0, d1));
  auto payload_raw = Base64UrlDecode(id_token.substr(d1 + 1, d2 - d1 - 1));
  auto sig = Base64UrlDecode(id_token.substr(d2 + 1));
  if (!header_raw || !payload_raw || !sig) return std::unexpected("ID token: bad base64url");
  Json header = Json::parse(*header_raw, nullptr, false);
  Json payload = Json::parse(*payload_raw, nullptr, false);
  if (!header.is_object() || !payload.is_object()) return std::unexpected("ID token: bad JSON");
  // Only RS256: "none", HS256 with the public key as secret and the like
  // are refused before any key is looked at.
  if (StringClaim(header, "alg") != "RS256") {
    return std::unexpected("ID token alg is not RS256: " + StringClaim(header, "alg"));
  }
  Json jwks = Json::parse(jwks_json, nullptr, false);
  if (!jwks.is_object() || !jwks.contains("keys") || !jwks["keys"].is_array()) {
    return std::unexpected("JWKS is not a key set");
  }
  const std::string kid = StringClaim(header, "kid");
  std::vector<const Json*> candidates;
  for (const auto& k : jwks["keys"]) {
    if (!k.is_object() || StringClaim(k, "kty") != "RSA") continue;
    const std::string use = StringClaim(k, "use");
    if (!use.empty() && use != "sig") continue;
    const std::string alg = StringClaim(k, "alg");
    if (!alg.empty() && alg != "RS256") continue;
    if (!kid.empty() && StringClaim(k, "kid") != kid) continue;
    candidates.push_back(&k);
  }
  if (candidates.empty() || (kid.empty() && candidates.size() != 1)) {
    return std::unexpected("unknown kid");
  }
  auto key = RsaKey(StringClaim(*candidates[0], "n"), StringClaim(*candidates[0], "e"));
  if (!key) return std::unexpected(key.error());
  if (!VerifyRs256(key->get(), id_token.substr(0, d2), *sig)) {
    return std::unexpected("ID token signature does not verify");
  }
  if (StringClaim(payload, "iss") != issuer) return std::unexpected("ID token iss mismatch");
  bool aud_ok = false;
  size_t audiences = 0;
  if (auto a = payload.find("aud"); a != payload.end()) {
    if (a->is_string()) {
      audiences = 1;
      aud_ok = a->get<std::string>() == client_id;
    } else if (a->is_array()) {
      for (const auto& v : *a) {
        ++audiences;
        if (v.is_string() && v.get<std::string>() == client_id) aud_ok = true;
      }
    }
  }
  if (!aud_ok) return std::unexpected("ID token aud does not hold the client id");
  if (audiences > 1 && StringClaim(payload, "azp") != client_id) {
    return std::unexpected("ID token azp is not the client id");
  }
  auto num = [&](const char* n) -> std::optional<int64_t> {
    auto it = payload.find(n);
    if (it == payload.end() || !it->is_number()) return std::nullopt;
    return it->get<int64_t>();
  };
  const auto exp = num("exp");
  if (!exp || *exp + leeway_seconds <= now) return std::unexpected("ID token expired");
  if (auto iat = num("iat"); iat && *iat > now + leeway_seconds) {
    return std::unexpected("ID token issued in the future");
  }
  if (nonce.empty() || StringClaim(payload, "nonce") != nonce) {
    return std::unexpected("ID token nonce mismatch");
  }
  Claims c;
  c.sub = StringClaim(payload, "sub");
  if (c.sub.empty() || c.sub.size() > 255) return std::unexpected("ID token without a valid sub");
  c.preferred_username = StringClaim(payload, "preferred_username");
  c.email = StringClaim(payload, "email");
  c.name = StringClaim(payload, "name");
  c.payload_json = payload.dump();
  return c;
}

std::expected<void, std::string> MergeUserInfo(Claims& claims, std::string_view userinfo_json) {
  Json info = Json::parse(userinfo_json, nullptr, false);
  if (!info.is_object()) return std::unexpected("userinfo is not a JSON object");
  if (StringClaim(info, "sub") != claims.sub) return std::unexpected("userinfo sub mismatch");
  Json payload = Json::parse(claims.payload_json, nullptr, false);
  for (auto it = info.begin(); it != info.end(); ++it) {
    if (!payload.contains(it.key())) payload[it.key()] = it.value();
  }
  if (claims.preferred_username.empty()) {
    claims.preferred_username = StringClaim(payload, "preferred_username");
  }
  if (claims.email.empty()) claims.email = StringClaim(payload, "email");
  if (claims.name.empty()) claims.name = StringClaim(payload, "name");
  claims.payload_json = payload.dump();
  return {};
}

std::expected<Mapped, std::string> MapClaims(const Settings& s, std::string_view payload_json) {
  Json payload = Json::parse(payload_json, nullptr, false);
  if (!payload.is_object()) return std::unexpected("claims are not a JSON object");
  const std::vector<std::string> roles = Values(payload, s.role_claim);
  const std::set<std::string> have(roles.begin(), roles.end());
  Mapped m;
  bool found = false;
  for (const auto& [role, value] : s.role_map) {
    if (have.count(value)) {
      m.role = role;
      found = true;
      break;
    }
  }
  if (!found) return std::unexpected("no mapped role in claim '" + s.role_claim + "'");
  if (!s.funds_claim.empty()) {
    std::set<std::string> funds;
    for (auto& f : Values(payload, s.funds_claim)) {
      if (f == "*") {
        m.all_funds = true;
      } else if (f.size() <= 20) {
        funds.insert(f);
      }
    }
    m.funds.assign(funds.begin(), funds.end());
  }
  return m;
}

std::optional<std::string> AccountName(const Claims& c,
                                       const std::function<bool(const std::string&)>& taken) {
  std::string base;
  const std::string& src = c.preferred_username;
  for (size_t i = 0; i < src.size() && base.size() < 60; ++i) {
    unsigned char ch = static_cast<unsigned char>(src[i]);
    if (std::isalnum(ch) && ch < 128) {
      base += static_cast<char>(std::tolower(ch));
    } else if (ch == '.' || ch == '_' || ch == '-' || ch == '@') {
      base += ch == '@' ? '.' : static_cast<char>(ch);
    } else if (ch == 0xC3 && i + 1 < src.size()) {
      // Latin-1 letters of UTF-8 (é, è, à, ç...) to their base letter.
      const unsigned char n = static_cast<unsigned char>(src[++i]) | 0x40;
      static const std::string from = "\xe0\xe1\xe2\xe4\xe7\xe8\xe9\xea\xeb\xee\xef\xf4\xf6\xf9\xfb\xfc";
      static const std::string to = "aaaaceeeeiioouuu";
      const auto pos = from.find(static_cast<char>(n | 0x20));
      if (pos != std::string::npos) base += to[pos];
    }
  }
  if (base.empty()) {
    const std::string d = Sha256(c.sub);
    static const char* hex = "0123456789abcdef";
    base = "sso-";
    for (size_t i = 0; i < 6; ++i) {
      base += hex[static_cast<unsigned char>(d[i]) >> 4];
      base += hex[static_cast<unsigned char>(d[i]) & 15];
    }
  }
  if (!taken(base)) return base;
  for (int i = 2; i <= 99; ++i) {
    std::string n = base + "-" + std::to_string(i);
    if (!taken(n)) return n;
  }
  return std::nullopt;
}

}  // namespace amiable::web::oidc
