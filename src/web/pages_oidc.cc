// Sign-in with OpenID Connect (authorization code flow, PKCE S256, state
// and nonce): the routes. The pure parts are in web/oidc.h.
//
//   GET /connexion/oidc          draws state, nonce and the PKCE verifier,
//                                keeps them server-side for 10 minutes under
//                                the state, sets the state in a short
//                                HttpOnly cookie (SameSite=Lax: it comes back
//                                on the provider's top-level redirect) and
//                                redirects to the provider.
//   GET /connexion/oidc/retour   the provider's answer: the state must equal
//                                the cookie's and be pending (used once);
//                                the code is exchanged (libcurl, client
//                                secret in the body), the ID token verified
//                                against the provider's JWKS (refetched once
//                                on an unknown kid), userinfo merged, the
//                                claims mapped to a role and funds; then the
//                                account (keyed on sub) is created or
//                                updated, a disabled one refused, and the
//                                session opened as for a password sign-in.
//
// Every failure shows one French message on the sign-in page and logs the
// English reason; nothing the provider sent is echoed.
#include <curl/curl.h>
#include <httplib.h>

#include <chrono>
#include <cstdlib>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>

#include "core/messages.h"
#include "web/auth.h"
#include "web/oidc.h"
#include "web/pages_internal.h"

namespace amiable::web::pages {
namespace {

constexpr auto kPendingLifetime = std::chrono::minutes(10);
constexpr size_t kMaxPending = 10000;
constexpr std::string_view kStateCookie = "amiable_oidc";

struct Pending {
  std::string nonce;
  std::string verifier;
  std::chrono::steady_clock::time_point expires;
};

struct HttpAnswer {
  long status = 0;
  std::string body;
  std::string error;
};

size_t Collect(char* p, size_t size, size_t n, void* out) {
  auto* s = static_cast<std::string*>(out);
  if (s->size() + size * n > (1u << 20)) return 0;  // 1 MiB is plenty
  s->append(p, size * n);
  return size * n;
}

// GET (post_body empty) or POST a form, 10 s at most.
HttpAnswer Http(const std::string& url, const std::string& post_body,
                const std::string& bearer = {}) {
  HttpAnswer a;
  CURL* c = curl_easy_init();
  if (!c) {
    a.error = "curl_easy_init failed";
    return a;
  }
  curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, "Accept: application/json");
  std::string auth;
  if (!bearer.empty()) {
    auth = "Authorization: Bearer " + bearer;
    headers = curl_slist_append(headers, auth.c_str());
  }
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, Collect);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &a.body);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  if (!post_body.empty()) {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, post_body.c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(post_body.size()));
  }
  const CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) a.error = curl_easy_strerror(rc);
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &a.status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(c);
  return a;
}

// The provider as seen by this server: settings, discovery and JWKS
// (fetched on first use and cached; the JWKS refetched on an unknown kid),
// the pending sign-ins.
class Sso {
 public:
  explicit Sso(oidc::Settings s) : settings_(std::move(s)) {}
  const oidc::Settings& settings() const { return settings_; }

  std::expected<oidc::Provider, std::string> Provider() {
    std::lock_guard lock(mu_);
    if (provider_) return *provider_;
    HttpAnswer a = Http(oidc::DiscoveryUrl(settings_.issuer), "");
    if (!a.error.empty() || a.status != 200) {
      return std::unexpected("discovery: " + (a.error.empty() ? std::to_string(a.status) : a.error));
    }
    auto p = oidc::ParseDiscovery(a.body, settings_.issuer);
    if (!p) return std::unexpected(p.error());
    provider_ = *p;
    return *p;
  }

  std::expected<std::string, std::string> Jwks(bool refresh) {
    std::lock_guard lock(mu_);
    if (!refresh && !jwks_.empty()) return jwks_;
    if (!provider_) return std::unexpected("no provider");
    HttpAnswer a = Http(provider_->jwks_uri, "");
    if (!a.error.empty() || a.status != 200) {
      return std::unexpected("jwks: " + (a.error.empty() ? std::to_string(a.status) : a.error));
    }
    jwks_ = a.body;
    return jwks_;
  }

  void Remember(const std::string& state, Pending p) {
    std::lock_guard lock(mu_);
    const auto now = std::chrono::steady_clock::now();
    for (auto it = pending_.begin(); it != pending_.end();) {
      it = it->second.expires < now ? pending_.erase(it) : std::next(it);
    }
    if (pending_.size() >= kMaxPending) pending_.erase(pending_.begin());
    pending_[state] = std::move(p);
  }

  // The pending sign-in of `state`, removed (a state is used once).
  std::optional<Pending> Take(const std::string& state) {
    std::lock_guard lock(mu_);
    auto it = pending_.find(state);
    if (it == pending_.end()) return std::nullopt;
    Pending p = std::move(it->second);
    pending_.erase(it);
    if (p.expires < std::chrono::steady_clock::now()) return std::nullopt;
    return p;
  }

 private:
  oidc::Settings settings_;
  std::mutex mu_;
  std::optional<oidc::Provider> provider_;
  std::string jwks_;
  std::map<std::string, Pending> pending_;
};

Sso* g_sso = nullptr;

std::string StateCookie(std::string_view value, bool secure) {
  std::string c = std::string(kStateCookie) + "=" + std::string(value) +
                  "; Path=/connexion/oidc; HttpOnly; SameSite=Lax";
  c += value.empty() ? "; Max-Age=0" : "; Max-Age=600";
  if (secure) c += "; Secure";
  return c;
}

void Refuse(Env& env, const httplib::Request& req, httplib::Response& res, const char* key,
            std::string_view reason) {
  LogInfo("oidc sign-in refused: " + std::string(reason));
  res.set_header("Set-Cookie", StateCookie("", env.ctx->options->behind_tls));
  SignInForm(env, req, res, msg::Find(key), "", 401);
}

void Begin(Env& env, const httplib::Request& req, httplib::Response& res) {
  auto provider = g_sso->Provider();
  if (!provider) return Refuse(env, req, res, "sso.failed", provider.error());
  const std::string state = RandomToken();
  Pending p{RandomToken(), RandomToken() + RandomToken(),
            std::chrono::steady_clock::now() + kPendingLifetime};
  const std::string url = oidc::AuthorizationUrl(*provider, g_sso->settings(), state, p.nonce,
                                                 oidc::CodeChallengeS256(p.verifier));
  g_sso->Remember(state, std::move(p));
  res.set_header("Set-Cookie", StateCookie(state, env.ctx->options->behind_tls));
  res.set_header("Cache-Control", "no-store");
  Redirect(res, url);
}

int64_t NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void Return(Env& env, const httplib::Request& req, httplib::Response& res) {
  const oidc::Settings& s = g_sso->settings();
  if (req.has_param("error")) return Refuse(env, req, res, "sso.failed", "provider error");
  const std::string state = req.get_param_value("state");
  const std::string code = req.get_param_value("code");
  const std::string cookie = CookieValue(req.get_header_value("Cookie"), kStateCookie);
  if (state.empty() || code.empty() || code.size() > 2048 || cookie.empty() ||
      !ConstantTimeEquals(cookie, state)) {
    return Refuse(env, req, res, "sso.expired", "state missing or not this browser's");
  }
  auto pending = g_sso->Take(state);
  if (!pending) return Refuse(env, req, res, "sso.expired", "state unknown, used or expired");
  auto provider = g_sso->Provider();
  if (!provider) return Refuse(env, req, res, "sso.failed", provider.error());
  HttpAnswer token = Http(provider->token_endpoint,
                          oidc::TokenRequestBody(s, code, pending->verifier));
  if (!token.error.empty()) return Refuse(env, req, res, "sso.failed", "token: " + token.error);
  auto id_token = oidc::IdTokenOf(token.body);
  if (!id_token) return Refuse(env, req, res, "sso.failed", id_token.error());
  auto jwks = g_sso->Jwks(false);
  if (!jwks) return Refuse(env, req, res, "sso.failed", jwks.error());
  auto claims = oidc::VerifyIdToken(*id_token, *jwks, s.issuer, s.client_id, pending->nonce,
                                    NowSeconds());
  if (!claims && claims.error() == "unknown kid") {
    jwks = g_sso->Jwks(true);  // the provider rotated its key
    if (!jwks) return Refuse(env, req, res, "sso.failed", jwks.error());
    claims = oidc::VerifyIdToken(*id_token, *jwks, s.issuer, s.client_id, pending->nonce,
                                 NowSeconds());
  }
  if (!claims) return Refuse(env, req, res, "sso.failed", claims.error());
  // Claims the provider keeps for userinfo (the ID token's win).
  const nlohmann::json tj = nlohmann::json::parse(token.body, nullptr, false);
  if (!provider->userinfo_endpoint.empty() && tj.is_object() && tj.contains("access_token") &&
      tj["access_token"].is_string()) {
    HttpAnswer info = Http(provider->userinfo_endpoint, "", tj["access_token"].get<std::string>());
    if (info.error.empty() && info.status == 200) {
      if (auto m = oidc::MergeUserInfo(*claims, info.body); !m) {
        return Refuse(env, req, res, "sso.failed", m.error());
      }
    }
  }
  auto mapped = oidc::MapClaims(s, claims->payload_json);
  if (!mapped) return Refuse(env, req, res, "sso.no_role", mapped.error());

  auto lease = env.ctx->stores->Acquire();
  if (!lease) return SendErrorPage(env, res, 503, msg::Find("error.unavailable"), nullptr);
  Store& st = **lease;
  // The account of this sub. ListUsers is one query over the accounts (a
  // few hundred at most); users.sso_subject is unique (migration 13).
  auto users = st.ListUsers();
  if (!users) return Refuse(env, req, res, "sso.failed", users.error().message);
  std::optional<User> user;
  for (auto& u : *users) {
    if (u.sso_subject == claims->sub) user = std::move(u);
  }
  // Only the funds that exist (a code the provider sends and amiable does
  // not know is dropped).
  std::vector<std::string> funds;
  if (!s.funds_claim.empty()) {
    auto all = st.ListOrganismes();
    if (!all) return Refuse(env, req, res, "sso.failed", all.error().message);
    for (const auto& f : mapped->funds) {
      for (const auto& o : *all) {
        if (o.code == f) funds.push_back(f);
      }
    }
  }
  auto apply = [&](User& u) {
    u.role = mapped->role;
    if (!s.funds_claim.empty()) {
      u.all_funds = mapped->all_funds;
      u.organismes = funds;
    }
    if (!claims->email.empty()) u.email = claims->email;
    if (!claims->name.empty()) u.display_name = claims->name;
  };
  if (user) {
    // A local disable wins over whatever the provider says.
    if (user->disabled) {
      st.Audit(user->ToActor(), "signin.sso.refused", user->name);
      return Refuse(env, req, res, "sso.refused", "account disabled locally");
    }
    apply(*user);
    if (auto ok = st.UpdateUser(*user); !ok) {
      return Refuse(env, req, res, "sso.failed", ok.error().message);
    }
  } else {
    auto name = oidc::AccountName(*claims, [&](const std::string& n) {
      return static_cast<bool>(st.GetUser(n));
    });
    if (!name) return Refuse(env, req, res, "sso.refused", "no free account name");
    User u;
    u.name = *name;
    u.display_name = claims->preferred_username.empty() ? *name : claims->preferred_username;
    u.sso_subject = claims->sub;  // no password: password_hash stays empty
    apply(u);
    if (auto id = st.CreateUser(u); !id) {
      return Refuse(env, req, res, "sso.failed", id.error().message);
    }
    st.Audit(u.ToActor(), "user.create.sso", u.name);
    user = std::move(u);
  }
  res.set_header("Set-Cookie", StateCookie("", env.ctx->options->behind_tls));
  StartSession(env, st, *user, req, res, "signin.sso");
}

}  // namespace

void RegisterOidcRoutes(httplib::Server& server, Env& env) {
  auto settings = oidc::SettingsFromEnv([](const char* k) { return std::getenv(k); });
  if (!settings) {
    LogInfo("oidc: single sign-on disabled: " + settings.error());
    return;
  }
  if (!settings->enabled()) return;
  delete g_sso;
  g_sso = new Sso(std::move(*settings));
  env.sso_name = g_sso->settings().display_name;
  server.Get("/connexion/oidc",
             [&env](const httplib::Request& q, httplib::Response& r) { Begin(env, q, r); });
  server.Get("/connexion/oidc/retour",
             [&env](const httplib::Request& q, httplib::Response& r) { Return(env, q, r); });
}

}  // namespace amiable::web::pages
