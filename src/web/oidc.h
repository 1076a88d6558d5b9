// Sign-in with OpenID Connect, the pure parts (no HTTP, no store): the
// settings, the provider's discovery document, the authorization URL of the
// code flow with PKCE (S256), state and nonce, the token request body, the
// ID token verified against the provider's JWKS (RS256 with OpenSSL; iss,
// aud, azp, exp, iat, nonce), and the claims mapped to a role and funds.
// The routes are in pages_oidc.cc.
//
// Errors are values: a short English reason for the server log (never shown
// to the person signing in, who gets one French message).
// Thread safety: every function is pure (reentrant).
#ifndef AMIABLE_WEB_OIDC_H_
#define AMIABLE_WEB_OIDC_H_

#include <cstdint>
#include <expected>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/actor.h"

namespace amiable::web::oidc {

// The settings of `serve` (environment, read once at start):
//   AMIABLE_OIDC_ISSUER         the provider's issuer URL (enables SSO)
//   AMIABLE_OIDC_CLIENT_ID      amiable's client id at the provider
//   AMIABLE_OIDC_SECRET_FILE    a file holding the client secret, or
//   AMIABLE_OIDC_CLIENT_SECRET  the secret itself (never in the database)
//   AMIABLE_OIDC_REDIRECT_URI   https://<amiable>/connexion/oidc/retour
//   AMIABLE_OIDC_NAME           the button's provider name (default "SSO")
//   AMIABLE_OIDC_SCOPES         default "openid profile email"
//   AMIABLE_OIDC_ROLE_CLAIM     the claim holding groups/roles (default
//                               "groups"; a string or an array of strings)
//   AMIABLE_OIDC_ROLE_MAP       role=value,... e.g. "administrator=amiable-
//                               admin,mediator=amiable-mediateurs"; the first
//                               pair (in this order) whose value the claim
//                               holds gives the role; none: sign-in refused
//   AMIABLE_OIDC_FUNDS_CLAIM    the claim holding fund codes (a string with
//                               codes separated by spaces, commas or
//                               semicolons, or an array); "*" = every fund;
//                               empty setting: no funds from the provider
struct Settings {
  std::string issuer;
  std::string client_id;
  std::string client_secret;
  std::string redirect_uri;
  std::string display_name = "SSO";
  std::string scopes = "openid profile email";
  std::string role_claim = "groups";
  std::vector<std::pair<Role, std::string>> role_map;
  std::string funds_claim;

  bool enabled() const { return !issuer.empty(); }
};

// Reads the settings through `getenv` (tests pass a fake). Returns a
// disabled Settings when AMIABLE_OIDC_ISSUER is unset; an error when it is
// set but the rest is incomplete or the role map does not parse.
using GetEnv = std::function<const char*(const char*)>;
std::expected<Settings, std::string> SettingsFromEnv(const GetEnv& getenv);
// "administrator=a,mediator=b" -> pairs; error on an unknown role or a pair
// without "=".
std::expected<std::vector<std::pair<Role, std::string>>, std::string> ParseRoleMap(
    std::string_view text);

// The endpoints of the provider's /.well-known/openid-configuration. Error
// when the document is not JSON, lacks an endpoint, or names another issuer.
struct Provider {
  std::string issuer;
  std::string authorization_endpoint;
  std::string token_endpoint;
  std::string jwks_uri;
  std::string userinfo_endpoint;  // may be empty
};
std::expected<Provider, std::string> ParseDiscovery(std::string_view json,
                                                    std::string_view expected_issuer);
// The discovery URL of an issuer (a trailing "/" is not doubled).
std::string DiscoveryUrl(std::string_view issuer);

// PKCE S256: BASE64URL(SHA-256(verifier)), no padding.
std::string CodeChallengeS256(std::string_view verifier);
// The authorization request URL (response_type=code, S256 challenge).
std::string AuthorizationUrl(const Provider& p, const Settings& s, std::string_view state,
                             std::string_view nonce, std::string_view code_challenge);
// The body of the token request (application/x-www-form-urlencoded;
// client_secret_post: the client id and secret travel in the body).
std::string TokenRequestBody(const Settings& s, std::string_view code,
                             std::string_view code_verifier);
// The id_token of a token response; error when missing or the provider
// answered an error.
std::expected<std::string, std::string> IdTokenOf(std::string_view token_response_json);

// The verified claims of an ID token.
struct Claims {
  std::string sub;
  std::string preferred_username;
  std::string email;
  std::string name;
  std::string payload_json;  // every claim, for MapClaims
};
// Verifies `id_token` (compact JWS) against `jwks_json`: alg RS256 only,
// the key chosen by kid (or the only RSA signing key when the token has no
// kid), then iss == issuer, aud holds client_id (azp == client_id when aud
// holds several), exp > now - leeway, iat <= now + leeway, nonce == nonce,
// sub present. `now` in seconds since the epoch. Error "unknown kid" when
// no key matches (the caller refetches the JWKS once).
std::expected<Claims, std::string> VerifyIdToken(std::string_view id_token,
                                                 std::string_view jwks_json,
                                                 std::string_view issuer,
                                                 std::string_view client_id,
                                                 std::string_view nonce, int64_t now,
                                                 int64_t leeway_seconds = 60);

// The role and funds given by the claims. Error when no role of the map is
// in the role claim.
struct Mapped {
  Role role = Role::kMediator;
  bool all_funds = false;
  std::vector<std::string> funds;  // sorted, unique
};
std::expected<Mapped, std::string> MapClaims(const Settings& s, std::string_view payload_json);
// Merges the claims of the userinfo response into `claims` (its sub must
// equal claims.sub; error otherwise). Claims of the ID token win.
std::expected<void, std::string> MergeUserInfo(Claims& claims, std::string_view userinfo_json);

// The local account name of a new SSO account: preferred_username reduced
// to [a-z0-9._-] (lowercase, accents dropped, at most 60 characters), or
// "sso-" + the first 12 characters of sub's SHA-256 when nothing is left.
// `taken` says whether a name is already used; on a collision "-2", "-3"...
// is appended (up to 99; then nullopt: the sign-in is refused).
std::optional<std::string> AccountName(const Claims& c,
                                       const std::function<bool(const std::string&)>& taken);

}  // namespace amiable::web::oidc

#endif  // AMIABLE_WEB_OIDC_H_
